"""What near-duplicate detection reads of a text — its words, its sentences' content
words, its word shingles — and a source's sketch, made once per document and stored: the
band keys of a MinHash of its shingles and the content words of each of its sentences
(kb.model.Sketch).

Words are kb.nlp.words.alnum_runs, lower-cased; content words leave out
ALIGNMENT_STOPWORDS and are cut to ``STEM_LENGTH`` letters. A build sketches a source from
the units segmentation made (``sketch_document``, the SKETCH stage's run). A text without
units is split by ``regex_sentences``, a line-and-punctuation rule, and that is how
verification splits (kb.analyze.independence.verify): the build gives it texts only, and
its thresholds were measured with this rule. Sketches from units and from the rule give
the same near-duplicates on the seeds, other_interventions and 10,000 generated sources.
Verifying on units instead would change the evidence of the seeds' rewrite pair (aligned
share 0.4167 → 0.4286) and, at 10,000 generated sources, the verdicts of 9 of the 5,561
pairs compared: the two tell headings apart differently (segmentation: a short line after
a blank one; the rule: any whole line without final punctuation), a list item's label
joins its first sentence, and spaCy's sentence rule splits where the regex does not.

This module imports nothing else of kb.analyze, so that the SKETCH stage's version (the
fingerprint of its code) changes only with what makes sketches.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from kb.model import Sentence, Sketch
from kb.nlp.words import ALIGNMENT_STOPWORDS, ALNUM_RUN
from kb.stages import Document

__all__ = [
    "MIN_CONTENT_WORDS",
    "SHARED_BANDS_MIN",
    "SHINGLE_BANDS",
    "SHINGLE_ROWS",
    "SHINGLE_SIZE",
    "STEM_LENGTH",
    "hash64",
    "regex_sentences",
    "sentence_contents",
    "shingle_hashes",
    "sketch",
    "sketch_document",
    "text_words",
]

SHINGLE_SIZE = 5
MIN_CONTENT_WORDS = 4  # shorter sentences ("Lower back", "Hip") align by accident
STEM_LENGTH = 5  # content words are cut to 5 letters: "inserts"/"inserting", "needle(s)"

# The sentences of a text without units, and so of verification (the module docstring
# says why it is not segmentation's): a sentence ends at . ! or ? followed by space and an
# upper-case letter, digit or quote, or at a line break; good enough to align sentences,
# which is all it is used for.
_SENTENCE = re.compile(r"\S[^\n]*?(?:[.!?](?=\s+[\"'“‘(\[]?[A-Z0-9])|(?=\n)|$)")


def hash64(value: str, key: bytes = b"kb-indep") -> int:
    """A 64-bit hash that is the same in every process (unlike ``hash()`` on str)."""
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8, key=key).digest(), "big")


def text_words(text: str) -> list[str]:
    """Lower-case runs of letters and digits (kb.nlp.words.alnum_runs), punctuation dropped.

    >>> text_words("Acupuncture’s needles—thin!")
    ['acupuncture', 's', 'needles', 'thin']
    """
    return ALNUM_RUN.findall(text.lower())


def _content(text: str) -> frozenset[str]:
    """The content words of a sentence, cut to ``STEM_LENGTH`` letters.

    >>> sorted(_content("The needles stay in place for about 10 minutes"))
    ['10', 'minut', 'needl', 'place', 'stay']
    """
    return frozenset(w[:STEM_LENGTH] for w in text_words(text) if w not in ALIGNMENT_STOPWORDS)


def regex_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences and lines, for texts that come without segmented units.

    >>> t = "Title\\nIt works. It is safe! Dr. Smith agrees."
    >>> [t[s:e] for s, e in regex_sentences(t)]
    ['Title', 'It works.', 'It is safe!', 'Dr.', 'Smith agrees.']
    """
    return [
        (m.start(), m.start() + len(m.group().rstrip()))
        for m in _SENTENCE.finditer(text)
        if ALNUM_RUN.search(m.group())
    ]


def _is_heading(text: str, start: int, end: int) -> bool:
    """A whole line without final punctuation: a title or heading, not a sentence.

    >>> t = "How It Works\\nIt works."
    >>> _is_heading(t, 0, 12), _is_heading(t, 13, 22)
    (True, False)
    """
    if text[end - 1] in ".!?:;":  # first: this test is cheap, the next one is not
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


def _sentences(text: str, units: Sequence[Sentence] | None) -> Iterator[tuple[int, int, str]]:
    """(start, end, words to compare) of the sentences to align. Headings are left out:
    independent articles on one topic share headings ("How Acupuncture Works") as often as
    copies do. A list item's label ("Release of natural opioids: ...") is outside its unit's
    span but part of what it says, so its words join the item's first sentence."""
    if units is None:
        for start, end in regex_sentences(text):
            if not _is_heading(text, start, end):
                yield start, end, text[start:end]
        return
    for unit in units:
        if unit.kind == "heading":
            continue
        label = ""
        if unit.label:
            line_start = text.rfind("\n", 0, unit.start) + 1
            label = unit.label if unit.label in text[line_start : unit.start] else ""
        yield unit.start, unit.end, f"{label} {text[unit.start : unit.end]}"


def sentence_contents(
    text: str, units: Sequence[Sentence] | None
) -> Iterator[tuple[int, int, frozenset[str]]]:
    """(start, end, content words) of the sentences long enough to align."""
    for start, end, words in _sentences(text, units):
        content = _content(words)
        if len(content) >= MIN_CONTENT_WORDS:
            yield start, end, content


_MASK64 = (1 << 64) - 1
_BASE = 0x9E3779B97F4A7C15  # odd, so multiplying by it mod 2**64 loses no bits
_BASE_TOP = pow(_BASE, SHINGLE_SIZE - 1, 1 << 64)


@lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    return hash64(word)


def shingle_hashes(words: Sequence[str]) -> set[int]:
    """Hashes of the word ``SHINGLE_SIZE``-grams; a shorter text is one shingle.

    A shingle's hash is a polynomial of its words' hashes mod 2**64, rolled along the
    text: one multiply and add per word instead of a blake2b of each shingle, which was
    the costliest step of finding near-duplicates (10,000 sources: 36 s of 108).
    """
    if len(words) <= SHINGLE_SIZE:
        return {hash64(" ".join(words))} if words else set()
    hashes = [_word_hash(w) for w in words]
    h = 0
    for x in hashes[:SHINGLE_SIZE]:
        h = (h * _BASE + x) & _MASK64
    found = {h}
    for old, new in zip(hashes, hashes[SHINGLE_SIZE:], strict=False):
        h = ((h - old * _BASE_TOP) * _BASE + new) & _MASK64
        found.add(h)
    return found


# Shingle LSH: 84 bands of 3 rows, of which a pair must share SHARED_BANDS_MIN (2), make a
# pair whose shingles' Jaccard similarity is 0.33 (a copy of half the smaller of two equal
# texts) a candidate with probability 0.81, 0.5 with 0.9998; 0.1 with 0.003 and 0.2 with
# 0.15. Pairs that merely share a few sentences are the many: with 42 bands and one shared
# band enough (0.79 at 0.33, but 0.04 at 0.1 and 0.29 at 0.2), their candidates grew with
# the square of the corpus (benchmarks/near_duplicates_growth.py: 83,457 pairs at 50,000
# generated sources, 1.3 % of them near-duplicates). A short text copied into a long page
# has a low Jaccard similarity; its sentences find it instead.
SHINGLE_BANDS, SHINGLE_ROWS, SHARED_BANDS_MIN = 84, 3, 2


def _shingle_bands(hashes: set[int]) -> set[int]:
    """LSH band keys of a one-permutation MinHash of ``hashes`` (Li, Owen & Zhang 2012).

    One hash per shingle, split into bins by value, keeping the minimum of each bin, gives
    the same estimate of Jaccard similarity as one permutation per bin at the cost of one.
    Empty bins borrow from the next full bin to the right (rotation densification,
    Shrivastava & Li 2014), offset by the distance so a borrowed value is not a real one.
    """
    bins = SHINGLE_BANDS * SHINGLE_ROWS
    if not hashes:
        return set()
    sig: list[int | None] = [None] * bins
    for h in hashes:
        j, v = h % bins, h // bins
        current = sig[j]
        if current is None or v < current:
            sig[j] = v
    full = [j for j in range(bins) if sig[j] is not None]
    dense = []
    for j in range(bins):
        k = bisect.bisect_left(full, j)
        nxt = full[k] if k < len(full) else full[0] + bins
        dense.append(sig[nxt % bins] + (nxt - j) * (1 << 64))  # type: ignore[operator]
    return {
        hash64(f"{band}:{dense[band * SHINGLE_ROWS : (band + 1) * SHINGLE_ROWS]}", key=b"kb-band")
        for band in range(SHINGLE_BANDS)
    }


def sketch(text: str, units: Sequence[Sentence] | None = None) -> Sketch:
    """The sketch of one source (see Sketch); O(w) for w words. ``units`` are the text's
    sentences as kb.nlp.segment.split_units makes them; without them the text is split
    by ``regex_sentences``.

    >>> text = "How It Works\\nThin needles go into the skin at chosen points."
    >>> sketch(text).sentences
    (('chose', 'go', 'needl', 'point', 'skin', 'thin'),)
    """
    return Sketch(
        bands=tuple(sorted(_shingle_bands(shingle_hashes(text_words(text))))),
        sentences=tuple(tuple(sorted(c)) for _, _, c in sentence_contents(text, units)),
    )


def sketch_document(document: Document, resources: object) -> Document:
    """The SKETCH stage: a source's sketch from the units segmentation made."""
    return replace(document, sketch=sketch(document.source.text, document.units))
