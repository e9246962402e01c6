"""Source independence: find sources that copy or closely paraphrase each other.

An article and its rewrite are one voice, not two: agreement figures should count them
once. Copying and rewriting leave different traces, so two signals are used:

- **Shared word 5-shingles** (runs of five words) catch copies, whole or in part. Independent
  texts on one topic share almost none; a copy shares most of the shorter text's shingles.
- **Aligned sentences** catch rewrites, which change words and order and so share few
  5-shingles, but keep sentence after sentence with the same specific content words, in
  much the same order.

Neither compares every pair of sources. Candidates come from two LSH-style indexes, and only
candidates are verified exactly:

- each source's shingles get a one-permutation MinHash signature, cut into bands; sources
  that share a band are candidates (a copy);
- each sentence is sketched by its few rarest content words that occur in some other source
  too, and every two of them make a key; sources whose sentences meet under such keys for at
  least ``SENTENCE_MEETINGS_MIN`` sentences of each are candidates (a rewrite). Topic words
  ("acupuncture", "pain") are never the rarest, so they do not bring sources together.

Cost, for n sources of w words: O(w) per source for its sketch (band keys and sentence
words: ``sketch``, made with extraction, per document, and stored), then O(n·w) to count
words and make keys, plus the pairs that meet in a bucket, at most MAX_BUCKET² / 2 per
bucket (larger buckets hold boilerplate and are skipped), plus O(w + m) to verify each
candidate pair whose sentences share m words. A pair's verdict depends on its two texts
alone, so after a change a build compares only the pairs of changed sources and pairs it
never compared (kb.pipeline.find_near_duplicates). Measured on one core at 10,000 generated
sources (6.2 M words): sketches 9.4 s (per-document work, shared by the build's workers),
candidates 3.1 s, comparing the 5,561 candidate pairs 5.9 s. Hashes come from blake2b
with fixed keys, so results never depend on Python's per-process ``hash()`` seed.

The rule (``is_near_duplicate``), with thresholds measured on the seed corpus: a copy shares
at least ``SHINGLE_MIN`` of the smaller text's shingles; a rewrite has at least
``ALIGNED_MIN`` aligned sentences that are at least ``SHARE_MIN`` of the shorter source's
sentences. On the five seeds the rewritten pair scores 0.42 aligned share and 0.04 shingles;
the nine independent pairs at most 0.19 and 0.01.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

from kb.model import DuplicatePair, Sentence, Sketch
from kb.nlp.words import ALIGNMENT_STOPWORDS, ALNUM_RUN
from kb.stages import Document, Stage

__all__ = [
    "DUPLICATES",
    "SKETCH",
    "Candidates",
    "DuplicatePair",
    "Sketch",
    "duplicate_groups",
    "is_near_duplicate",
    "near_duplicates",
    "score_all_pairs",
    "sketch",
    "verify",
]

# Decision thresholds; see the module docstring for the measurements behind them.
SHINGLE_MIN = 0.5  # share of the smaller text's shingles found in the other
ALIGNED_MIN = 3  # aligned sentence pairs ...
SHARE_MIN = 0.3  # ... and their share of the shorter source's sentences

SHINGLE_SIZE = 5
# Two sentences align when the weighted Dice coefficient of their content words reaches
# ALIGN_MIN and they share MIN_SHARED_WORDS words. On the seeds, true rewrites of a sentence
# score 0.35-0.85; lowering it to 0.3 adds as many chance matches as rewrites.
ALIGN_MIN = 0.35
MIN_SHARED_WORDS = 3
MIN_CONTENT_WORDS = 4  # shorter sentences ("Lower back", "Hip") align by accident
STEM_LENGTH = 5  # content words are cut to 5 letters: "inserts"/"inserting", "needle(s)"

# Shingle LSH: 42 bands of 3 rows make a pair sharing 30% of its shingles a candidate with
# probability 0.68, 50% with 0.996; independent texts (about 1%) practically never. A short
# text copied into a long page has a low Jaccard similarity; its sentences find it instead.
SHINGLE_BANDS, SHINGLE_ROWS = 42, 3
SKETCH_WORDS = 4  # rarest shared words per sentence; every 2 of them are a key (6 keys)
# Sentences of each source that must meet for a pair to be verified: as many as must align.
SENTENCE_MEETINGS_MIN = ALIGNED_MIN
# A bucket with more sources than this holds boilerplate or stock phrases (a licence line,
# "consult your doctor before ..."), and its pairs would be quadratic in number: skipped.
# The price: a text copied into more than MAX_BUCKET sources is not found through it.
# The cap bounds the pairs a bucket brings to MAX_BUCKET² / 2, so the pass stays linear in
# the number of buckets. Measured on 10,000 generated articles whose sentences recur in ~75
# sources each: a cap of 100 meant 41 M pair updates (over ten minutes), 30 means 0.14 M.
MAX_BUCKET = 30

# A sentence ends at . ! or ? followed by space and an upper-case letter, digit or quote,
# or at a line break; good enough to align sentences, which is all it is used for.
_SENTENCE = re.compile(r"\S[^\n]*?(?:[.!?](?=\s+[\"'“‘(\[]?[A-Z0-9])|(?=\n)|$)")


def is_near_duplicate(shingle_similarity: float, aligned: int, aligned_share: float) -> bool:
    """The decision rule: a copy (shared shingles) or a rewrite (aligned sentences).

    >>> is_near_duplicate(0.9, 0, 0.0), is_near_duplicate(0.0, 8, 0.5)
    (True, True)
    >>> is_near_duplicate(0.02, 2, 0.1)
    False
    """
    return shingle_similarity >= SHINGLE_MIN or (
        aligned >= ALIGNED_MIN and aligned_share >= SHARE_MIN
    )


# -- text features -----------------------------------------------------------------------


def _hash64(value: str, key: bytes = b"kb-indep") -> int:
    """A 64-bit hash that is the same in every process (unlike ``hash()`` on str)."""
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8, key=key).digest(), "big")


def _words(text: str) -> list[str]:
    """Lower-case runs of letters and digits (kb.nlp.words.alnum_runs), punctuation dropped.

    >>> _words("Acupuncture’s needles—thin!")
    ['acupuncture', 's', 'needles', 'thin']
    """
    return ALNUM_RUN.findall(text.lower())


def _content(text: str) -> frozenset[str]:
    """The content words of a sentence, cut to ``STEM_LENGTH`` letters.

    >>> sorted(_content("The needles stay in place for about 10 minutes"))
    ['10', 'minut', 'needl', 'place', 'stay']
    """
    return frozenset(w[:STEM_LENGTH] for w in _words(text) if w not in ALIGNMENT_STOPWORDS)


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences and lines, for texts that come without segmented units.

    >>> t = "Title\\nIt works. It is safe! Dr. Smith agrees."
    >>> [t[s:e] for s, e in _split_sentences(t)]
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
        for start, end in _split_sentences(text):
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


def _sentence_contents(
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
    return _hash64(word)


def _shingle_hashes(words: Sequence[str]) -> set[int]:
    """Hashes of the word ``SHINGLE_SIZE``-grams; a shorter text is one shingle.

    A shingle's hash is a polynomial of its words' hashes mod 2**64, rolled along the
    text: one multiply and add per word instead of a blake2b of each shingle, which was
    the costliest step of finding near-duplicates (10,000 sources: 36 s of 108).
    """
    if len(words) <= SHINGLE_SIZE:
        return {_hash64(" ".join(words))} if words else set()
    hashes = [_word_hash(w) for w in words]
    h = 0
    for x in hashes[:SHINGLE_SIZE]:
        h = (h * _BASE + x) & _MASK64
    found = {h}
    for old, new in zip(hashes, hashes[SHINGLE_SIZE:], strict=False):
        h = ((h - old * _BASE_TOP) * _BASE + new) & _MASK64
        found.add(h)
    return found


@dataclass(frozen=True, slots=True)
class _Features:
    """What verification compares: shingles, and the content words of each sentence,
    with what every comparison of the source reads of them: in how many sentences each
    word is (``counts``) and which (``index``, in sentence order)."""

    shingles: frozenset[int]
    spans: tuple[tuple[int, int], ...]
    contents: tuple[frozenset[str], ...]
    counts: dict[str, int]
    index: dict[str, list[int]]


def _units(units: Mapping[str, Sequence[Sentence]] | None, sid: str) -> Sequence[Sentence] | None:
    return None if units is None else units.get(sid)


def _features(text: str, units: Sequence[Sentence] | None) -> _Features:
    sentences = list(_sentence_contents(text, units))
    contents = tuple(content for _, _, content in sentences)
    index: dict[str, list[int]] = defaultdict(list)
    for j, content in enumerate(contents):
        for word in content:
            index[word].append(j)
    return _Features(
        shingles=frozenset(_shingle_hashes(_words(text))),
        spans=tuple((start, end) for start, end, _ in sentences),
        contents=contents,
        counts={word: len(js) for word, js in index.items()},
        index=dict(index),
    )


# -- candidates --------------------------------------------------------------------------


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
        _hash64(f"{band}:{dense[band * SHINGLE_ROWS : (band + 1) * SHINGLE_ROWS]}", key=b"kb-band")
        for band in range(SHINGLE_BANDS)
    }


def _sentence_keys(content: Iterable[int], order: Sequence[int]) -> set[int]:
    """Keys of a sentence: every two of its ``SKETCH_WORDS`` rarest words that some other
    source has too (a bottom-k sketch under an order that puts rare words first).

    ``content`` are word numbers; ``order[number]`` is the word's document frequency and
    31-bit hash in one int (``df << 31 | hash``, so that ints sort as rarest first, ties
    by hash), or -1 for a word in one source only.

    A word no other source has cannot meet anything, and would push out the words a
    rewrite keeps; a word every source has would bring every source together.

    >>> order = [(2 << 31) | 5, -1, (9 << 31) | 7, (2 << 31) | 3]
    >>> _sentence_keys([0, 1, 2, 3], order) == {3 << 31 | 5, 3 << 31 | 7, 5 << 31 | 7}
    True
    """
    shared = sorted([o for o in map(order.__getitem__, content) if o >= 0])[:SKETCH_WORDS]
    hashes = sorted([o & _HASH31 for o in shared])
    return {(x << 31) | y for x, y in combinations(hashes, 2)}


_HASH31 = (1 << 31) - 1


def sketch(text: str, units: Sequence[Sentence] | None = None) -> Sketch:
    """The sketch of one source (see Sketch); O(w) for w words."""
    return Sketch(
        bands=tuple(sorted(_shingle_bands(_shingle_hashes(_words(text))))),
        sentences=tuple(tuple(sorted(c)) for _, _, c in _sentence_contents(text, units)),
    )


# Sentence buckets hold millions of entries at 10,000 sources, so a member is one int,
# (source << _SENTENCE_BITS) | sentence, and a bucket of one is that int, not a list.
_SENTENCE_BITS = 20


class Candidates:
    """Candidate pairs of sources: those that meet in a shingle band, or whose sentences
    meet under sentence keys for at least ``SENTENCE_MEETINGS_MIN`` sentences of each.

    Sketches are added one source at a time, in any order (a build adds them as it
    processes files, then the stored ones), and kept packed: each sentence's words as word
    numbers in an int array, far smaller than the sketches themselves. ``pairs()`` then
    needs the corpus-wide document frequencies, which is why it comes last.
    O(n·w) + O(pairs met).

    >>> c = Candidates()
    >>> for sid in ("b", "a", "c"):
    ...     c.add(sid, sketch("Acupuncture uses thin needles placed at chosen points."
    ...                       if sid != "c" else "Yoga stretches the spine daily."))
    >>> c.pairs()
    [('a', 'b')]
    """

    def __init__(self) -> None:
        self._bands: dict[str, tuple[int, ...]] = {}
        self._packed: dict[str, tuple[array, array]] = {}
        self._vocabulary: dict[str, int] = {}
        self._doc_freq: array = array("i")  # by word number

    def add(self, source_id: str, sketch: Sketch) -> None:
        if source_id in self._bands:
            raise ValueError(f"source {source_id!r} added twice")
        vocabulary, doc_freq = self._vocabulary, self._doc_freq
        numbered = vocabulary.setdefault
        flat, ends = array("i"), array("i")
        for words in sketch.sentences:
            flat.extend([numbered(w, len(vocabulary)) for w in words])
            ends.append(len(flat))
        doc_freq.extend([0] * (len(vocabulary) - len(doc_freq)))
        for number in set(flat):
            doc_freq[number] += 1
        self._bands[source_id] = sketch.bands
        self._packed[source_id] = (flat, ends)

    @property
    def source_ids(self) -> list[str]:
        return sorted(self._bands)

    def pairs(self) -> list[tuple[str, str]]:
        """The candidate pairs ``(a, b)``, ``a < b``, sorted."""
        ids = self.source_ids
        return [(ids[i], ids[j]) for i, j in sorted(self._index_pairs(ids))]

    def _index_pairs(self, ids: Sequence[str]) -> set[tuple[int, int]]:
        # 31-bit word hashes make a key of two fit in a machine word; a collision only
        # adds a candidate, which verification then rejects.
        doc_freq = self._doc_freq
        order = [-1] * len(doc_freq)
        for word, number in self._vocabulary.items():
            if doc_freq[number] >= 2:
                order[number] = (doc_freq[number] << 31) | (_hash64(word) >> 33)
        shingle_buckets: dict[int, list[int]] = defaultdict(list)
        sentence_buckets: dict[int, int | list[int]] = {}
        for i, sid in enumerate(ids):  # in source order, so a bucket lists sources in order
            for key in self._bands[sid]:
                shingle_buckets[key].append(i)
            flat, ends = self._packed[sid]
            begin = 0
            for n, end in enumerate(ends):
                content = flat[begin:end]
                begin = end
                member = (i << _SENTENCE_BITS) | min(n, (1 << _SENTENCE_BITS) - 1)
                for key in _sentence_keys(content, order):
                    bucket = sentence_buckets.setdefault(key, member)
                    if isinstance(bucket, list):
                        bucket.append(member)
                    elif bucket != member:
                        sentence_buckets[key] = [bucket, member]

        pairs: set[tuple[int, int]] = set()
        for members in shingle_buckets.values():
            if len(members) <= MAX_BUCKET:
                pairs.update(combinations(members, 2))

        # Which sentences of each side met: a sentence meeting under several keys counts once.
        met: dict[tuple[int, int], tuple[set[int], set[int]]] = {}
        mask = (1 << _SENTENCE_BITS) - 1
        for bucket in sentence_buckets.values():
            if not isinstance(bucket, list) or len(bucket) > MAX_BUCKET:
                continue
            for x, y in combinations(bucket, 2):  # x's source comes first
                di, dj = x >> _SENTENCE_BITS, y >> _SENTENCE_BITS
                if di != dj:
                    left, right = met.setdefault((di, dj), (set(), set()))
                    left.add(x & mask)
                    right.add(y & mask)
        pairs.update(
            pair
            for pair, (left, right) in met.items()
            if min(len(left), len(right)) >= SENTENCE_MEETINGS_MIN
        )
        return pairs


# -- verification ------------------------------------------------------------------------


def _weights(a: _Features, b: _Features) -> dict[str, float]:
    """Inverse sentence frequency of each word over the two sources' sentences.

    Sources on one topic use its words ("acupuncture", "back", "pain") in sentence after
    sentence; weighting them down leaves the specific words that a rewrite keeps. Only the
    pair's own sentences count, so a pair scores the same in any corpus.
    """
    counts = dict(a.counts)
    for word, count in b.counts.items():
        counts[word] = counts.get(word, 0) + count
    n = len(a.contents) + len(b.contents)
    # A weight depends only on its count, and counts are few: one log per count.
    logs = {count: math.log(1 + n / count) for count in set(counts.values())}
    return {word: logs[count] for word, count in counts.items()}


def _align(a: _Features, b: _Features) -> list[tuple[float, int, int]]:
    """Sentence pairs (score, i, j), best first: matched greedily one to one when their
    weighted Dice coefficient is at least ``ALIGN_MIN``, then kept if in order.
    O(s + m) for s sentences, m pairs of them that share a word."""
    weight = _weights(a, b)
    mass_of = weight.__getitem__
    mass_b = [sum(map(mass_of, y)) for y in b.contents]
    index = b.index
    scored = []
    for i, x in enumerate(a.contents):
        shared: dict[int, float] = defaultdict(float)
        count: dict[int, int] = defaultdict(int)
        for word in x:  # the hot loop of near-duplicate detection: no lookup it can spare
            mass = weight[word]
            for j in index.get(word, ()):
                shared[j] += mass
                count[j] += 1
        mass_a = sum(map(mass_of, x))
        for j, mass in shared.items():
            score = 2 * mass / (mass_a + mass_b[j])
            if count[j] >= MIN_SHARED_WORDS and score >= ALIGN_MIN:
                scored.append((-score, i, j))
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = []
    for neg, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched.append((-neg, i, j))
    return sorted(_in_order(matched), key=lambda m: (-m[0], m[1]))


def _in_order(matched: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """The longest chain of matches in the same order in both sources (patience sorting,
    O(k log k) for k matches). A rewrite follows its original, with a sentence moved here
    and there; sentences that merely say what some sentence of an independent article
    says, somewhere, do not line up.

    >>> _in_order([(0.9, 0, 0), (0.8, 1, 5), (0.7, 2, 1), (0.6, 3, 2)])
    [(0.9, 0, 0), (0.7, 2, 1), (0.6, 3, 2)]
    """
    by_a = sorted(matched, key=lambda m: m[1])
    tails: list[int] = []  # tails[k]: smallest b index that ends a chain of length k + 1
    tail_at: list[int] = []  # position in by_a of that chain's last match
    previous: list[int] = []
    for pos, (_, _, j) in enumerate(by_a):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(pos)
        else:
            tails[k] = j
            tail_at[k] = pos
        previous.append(tail_at[k - 1] if k else -1)
    chain = []
    pos = tail_at[-1] if tail_at else -1
    while pos >= 0:
        chain.append(by_a[pos])
        pos = previous[pos]
    return chain[::-1]


def _compare(a_id: str, b_id: str, a: _Features, b: _Features) -> DuplicatePair:
    smaller = min(len(a.shingles), len(b.shingles))
    shingle_similarity = len(a.shingles & b.shingles) / smaller if smaller else 0.0
    aligned = _align(a, b)
    fewer = min(len(a.contents), len(b.contents))
    return DuplicatePair(
        a=a_id,
        b=b_id,
        shingle_similarity=round(shingle_similarity, 4),
        aligned=len(aligned),
        aligned_share=round(len(aligned) / fewer, 4) if fewer else 0.0,
        examples=tuple((a.spans[i], b.spans[j]) for _, i, j in aligned[:3]),
    )


# -- public API --------------------------------------------------------------------------


def score_all_pairs(
    texts: Mapping[str, str], units: Mapping[str, Sequence[Sentence]] | None = None
) -> list[DuplicatePair]:
    """Scores of every pair of sources, duplicate or not, sorted by (a, b).

    O(n²) pairs: for measuring thresholds on a small corpus, not for a large one.

    >>> [(p.a, p.b, p.aligned) for p in score_all_pairs({"x": "One. Two.", "y": "Three."})]
    [('x', 'y', 0)]
    """
    ids = sorted(texts)
    feats = {sid: _features(texts[sid], _units(units, sid)) for sid in ids}
    return [_compare(x, y, feats[x], feats[y]) for x, y in combinations(ids, 2)]


def near_duplicates(
    texts: Mapping[str, str], units: Mapping[str, Sequence[Sentence]] | None = None
) -> list[DuplicatePair]:
    """Pairs of sources that copy or closely paraphrase each other, sorted by (a, b).

    ``texts`` maps source id to text; ``units`` optionally maps source id to its sentences
    (exact spans into the text, as ``kb.nlp.segment.split_units`` makes them), otherwise
    sentences are split by a simple rule. Near-linear in the corpus (module docstring).

    >>> base = ("Acupuncture uses thin needles placed at chosen points. "
    ...         "Sessions often last twenty minutes in a quiet room. "
    ...         "Most patients feel little pain during treatment. "
    ...         "Doctors advise people on blood thinners to ask first.")
    >>> other = "Yoga stretches the spine. Breathing exercises calm the mind. Mats help."
    >>> [(p.a, p.b, p.shingle_similarity, p.aligned) for p in near_duplicates(
    ...     {"copy": base, "orig": base, "yoga": other})]
    [('copy', 'orig', 1.0, 4)]
    """
    candidates = Candidates()
    for sid in sorted(texts):
        candidates.add(sid, sketch(texts[sid], _units(units, sid)))
    return verify(candidates.pairs(), texts, units)


def verify(
    pairs: Sequence[tuple[str, str]],
    texts: Mapping[str, str],
    units: Mapping[str, Sequence[Sentence]] | None = None,
) -> list[DuplicatePair]:
    """The ``pairs`` (sorted, ``a < b``) that are near-duplicates, with their evidence:
    each is compared exactly (``is_near_duplicate``). ``texts`` needs only the sources
    that the pairs name. A pair's verdict depends on its two texts alone, so a rebuild
    need not compare again a pair of unchanged sources it compared before."""
    # A source's features are dropped after its last pair: held all at once, those of
    # 10,000 sources would take most of a build's memory.
    last_pair = {sid: n for n, pair in enumerate(pairs) for sid in pair}
    cache: dict[str, _Features] = {}

    def features(sid: str) -> _Features:
        if sid not in cache:
            cache[sid] = _features(texts[sid], _units(units, sid))
        return cache[sid]

    found = []
    for n, (a, b) in enumerate(pairs):
        pair = _compare(a, b, features(a), features(b))
        if is_near_duplicate(pair.shingle_similarity, pair.aligned, pair.aligned_share):
            found.append(pair)
        for sid in (a, b):
            if last_pair[sid] == n:
                del cache[sid]
    return found


def duplicate_groups(pairs: Iterable[DuplicatePair]) -> dict[str, list[str]]:
    """Each source that has near-duplicates, mapped to them (both sorted).

    >>> duplicate_groups([DuplicatePair("a", "b", 0.9, 5, 0.8)])
    {'a': ['b'], 'b': ['a']}
    """
    groups: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        groups[pair.a].add(pair.b)
        groups[pair.b].add(pair.a)
    return {sid: sorted(others) for sid, others in sorted(groups.items())}


def _sketch(document: Document, resources: object) -> Document:
    # The sentences segmentation made, not split again: the same near-duplicates as the
    # regex splitter's sketches on the seeds, other_interventions and 10,000 generated
    # sources (there the same candidates too; on the seeds 5 candidate pairs, not 7).
    return replace(document, sketch=sketch(document.source.text, document.units))


# The per-document half (a sketch per source, made with extraction and stored) and the
# corpus half (candidates, then verdicts of the pairs not settled by an earlier build).
SKETCH = Stage("sketch", needs=("source", "units"), makes="sketch", code=(__name__,), run=_sketch)
DUPLICATES = Stage("near-duplicates", needs=("sketch",), makes="duplicates", code=(__name__,))
