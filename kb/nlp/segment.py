"""Split a source text into units with exact spans: headings, sentences, list items and
furniture lines (references, captions, category and keyword lines), which state nothing.

Lines are classified first (blank, heading, list item, running text), because the layout
carries meaning spaCy's sentencizer cannot see: a bullet line is one item even without a
full stop, and a short line without final punctuation is a heading, not a sentence.
Running text and item bodies are then split into sentences by spaCy's blank English
tokenizer and the rule of spaCy's sentencizer, applied to the token arrays (the same
splits, without a Python object per token). Plain words are shortened to one letter
before tokenizing, which changes no split and halves the text to tokenize (_shorten).
Before that, citation markers ("effective.[12][13] An overview") are blanked and the
full stops of abbreviations ("Smith et al. found", "Fig. 2", "approx. 20") hidden, in a
copy of the same length, so that they neither hide nor make a sentence end (_masked).

Every unit satisfies ``text[unit.start:unit.end] == unit.text``; units never overlap.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from kb.model import Sentence
from kb.nlp.words import WORD

__all__ = [
    "blank_nlp",
    "is_furniture_line",
    "is_heading_line",
    "parse_list_item",
    "sentence_spans",
    "split_units",
]

# A bullet symbol, or a number like "1." "2)" "(3)", then whitespace. [^\S\n] is whitespace
# other than a newline: web text often has a no-break space after a bullet or a colon.
_BULLET = re.compile(r"[^\S\n]*(?:[•●▪◦‣∙·◆■□➢►*\-–—]|\(?\d{1,3}[.)])[^\S\n]+(?=\S)")
# "Label: body" — a short label before a colon that is followed by a space or the line end.
_LABEL = re.compile(r"([^:\n]{1,80}?)[^\S\n]*:(?:[^\S\n]+|$)")
_MD_HEADING = re.compile(r"[^\S\n]{0,3}#{1,6}[^\S\n]+(?=\S)")
_FINAL_PUNCT = ".!:;,"

# Citation markers of encyclopedias and papers: "[12]", "[3, 4]", "[5–7]", "[a]",
# "[citation needed]", "[note 2]". They sit between a sentence's full stop and the next.
_CITATION = re.compile(
    r"\[(?:\d{1,4}(?:\s*[,–-]\s*\d{1,4})*|[a-z]|(?:citation|clarification|verification)"
    r" needed|(?:note|nb|n) \d{1,3}|page needed|which\?|who\?|when\?|dubious[^\]]{0,20})\]",
    re.IGNORECASE,
)
# Abbreviations whose full stop ends no sentence. Some only before a number ("No. 1",
# "p. 12"), where a sentence cannot end with them either.
_ABBREVIATION = re.compile(
    r"\b(?:et al|e\.g|i\.e|vs|cf|approx|ca|esp|incl|resp|viz|Fig|Figs|Eq|Eqs|Ref|Refs|Suppl|"
    r"Vol|Dept|Univ|Inc|Ltd|Co|Corp|Jr|Sr|St|Dr|Mr|Mrs|Ms|Prof|Gen|Gov|Sen|Rep)\.(?=\s)"
    r"|\b(?:No|Nos|p|pp|Ch|Sec|Art|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.(?=\s+\d)"
)
# A line that states nothing whatever its words: a reference, a caption, a category,
# keyword or tag line, a "retrieved from" or "archived" note.
_FURNITURE_LINE = re.compile(
    r"\s*(?:(?:categories|category|keywords|key words|tags|mesh terms|see also)\s*:"
    r"|(?:figure|fig\.|table|image|photo|photograph|credit|illustration)\s*\d*[a-z]?\s*[:.|]"
    r"|retrieved (?:from|on)\b|archived from\b|\^\s)",
    re.IGNORECASE,
)
# A bibliography entry: authors ("Smith J, Doe AB." or "Smith, J.; Doe, A.") then a year,
# or a line with a DOI, PMID or ISBN.
# Case matters: "Smith J," has initials, "Turmeric and curcumin," does not.
_REFERENCE_LINE = re.compile(
    r"\s*(?:\[?\d{1,3}[.\]]\s*)?[A-Z][\w'’-]+,?\s(?:[A-Z]{1,3}\b\.?|[A-Z]\.\s?[A-Z]?\.?)"
    r"[,;]?\s.*\b(?:19|20)\d\d\b"
    r"|.*\b(?i:doi:\s?10\.|doi\.org/10\.|PMID:?\s?\d|ISBN[:\s]|PMC\d{4,})"
)
_MAX_HEADING_WORDS = 12
_MAX_LABEL_WORDS = 8


def _import_spacy():
    """Import spaCy without letting thinc import torch.

    thinc (under spaCy) imports torch whenever it is installed, which the optional
    `semantic` extra does: that adds ~2 s to every `kb` command and dashboard start for a
    tokenizer that never uses it. Hiding torch while thinc loads makes thinc record "no
    torch"; torch itself stays importable for kb.semantic afterwards.
    """
    if "thinc" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=1)
def blank_nlp():
    """spaCy's blank English pipeline, built once per process, whose new words get only
    the one lexical attribute segmentation reads (IS_PUNCT).

    spaCy computes some twenty attributes (lower case, shape, stop word, like_num...) for
    each word it meets first; the tokens are the same without them.

    >>> [t.is_punct for t in blank_nlp()("Zyxq, wvut.")]
    [False, True, False, True]
    """
    spacy = _import_spacy()
    from spacy.attrs import IS_PUNCT

    nlp = spacy.blank("en")
    nlp.max_length = 50_000_000  # blocks are paragraphs; a whole book on one line must not fail
    nlp.vocab.lex_attr_getters = {IS_PUNCT: nlp.vocab.lex_attr_getters[IS_PUNCT]}
    return nlp


@lru_cache(maxsize=1)
def _sentence_punct() -> frozenset[int]:
    """Hashes of the sentencizer's default sentence-final characters."""
    from spacy.pipeline import Sentencizer

    strings = blank_nlp().vocab.strings
    return frozenset(strings.add(c) for c in Sentencizer.default_punct_chars)


def sentence_spans(doc) -> list[tuple[int, int]]:
    """Character spans of the sentences of a tokenized ``doc``, by the sentencizer's rule:
    a sentence starts at the first token that is neither punctuation nor sentence-final
    after a sentence-final character ("." "!" "?" and their kin).

    >>> sentence_spans(blank_nlp()("It works. Dr. Li agrees!  Yes"))
    [(0, 9), (10, 24), (25, 29)]
    """
    # One loop over two columns of ints: for the short docs of paragraphs it beats array
    # operations, each of which costs more to call than a paragraph's tokens to walk.
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

    if not len(doc):
        return []
    rows = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH])
    finals = _sentence_punct()
    is_punct = rows[:, 1].tolist()
    starts = [0]
    after_final = False
    # A token that can open a sentence (neither punctuation nor sentence-final) does, when
    # a sentence-final token came after the previous one.
    for i, orth in enumerate(rows[:, 0].tolist()):
        if orth in finals:
            after_final = True
        elif after_final and not is_punct[i]:
            starts.append(i)
            after_final = False
    at, length = rows[:, 2].tolist(), rows[:, 3].tolist()
    lasts = [start - 1 for start in starts[1:]]
    lasts.append(len(at) - 1)
    return [(at[i], at[j] + length[j]) for i, j in zip(starts, lasts, strict=True)]


# A stretch between whitespace of ASCII letters and digits only. Whatever spaCy makes of it
# ("cannot" is two tokens), its tokens are words: neither punctuation nor sentence-final,
# so to the sentence rule only where it starts and ends matters.
_PLAIN = re.compile(r"(?<!\S)([A-Za-z0-9]+)(?!\S)")
_PLACEHOLDER = "x"  # a word in no multi-token special case of spaCy's English tokenizer


class _Shortened(NamedTuple):
    """A text with every plain stretch replaced by one placeholder letter, and the starts
    of its pieces in the short text and in the original, to map offsets back."""

    text: str
    short_starts: list[int]  # empty when nothing was replaced
    long_starts: list[int]

    def original(self, offset: int) -> int:
        """An offset in the short text, as an offset in the original."""
        if not self.short_starts:
            return offset
        piece = bisect_right(self.short_starts, offset) - 1
        return self.long_starts[piece] + offset - self.short_starts[piece]


def _shorten(text: str) -> _Shortened:
    """``text`` with its plain stretches shortened to one letter: about half of prose,
    whose tokenizing is then saved; the sentences found are the same (see _PLAIN).

    >>> short = _shorten("It works. Dr. Li agrees")
    >>> short.text, [short.original(i) for i in (0, 1, 13, 16)]
    ('x works. Dr. x x', [0, 2, 14, 23])
    """
    pieces = _PLAIN.split(text)  # [other, plain, other, plain, ..., other]
    if len(pieces) == 1:
        return _Shortened(text, [], [])
    lengths = list(map(len, pieces))
    long_starts = list(accumulate(lengths, initial=0))
    lengths[1::2] = [1] * (len(pieces) // 2)
    short_starts = list(accumulate(lengths, initial=0))
    return _Shortened(_PLACEHOLDER.join(pieces[0::2]), short_starts, long_starts)


def _masked(text: str) -> str:
    """``text`` with citation markers blanked and abbreviations' full stops made letters:
    the same length, so that a split found in it is a split of ``text``.

    >>> _masked("It works.[12][13] Smith et al. agree")
    'It works.         Smith et alx agree'
    >>> _masked("Does it work? (Reader inquiry)")
    'Does it work? xReader inquiry)'
    """
    if "[" in text:
        text = _CITATION.sub(lambda m: " " * len(m.group()), text)
    if "." in text:
        text = _ABBREVIATION.sub(lambda m: m.group()[:-1] + "x", text)
    if "(" in text or "“" in text:
        text = _OPENING.sub("x", text)
    return text


# An opening bracket or quote after a sentence's end opens the next sentence ("...a
# vaccine? (Reader inquiry)"), where the sentencizer would end the first with it: made a
# letter in the masked copy, it starts the next.
_OPENING = re.compile(r"(?<=[.!?][^\S\n])[(“]")


def is_furniture_line(line: str) -> bool:
    """A line that states nothing: a reference, caption, category or keyword line.

    >>> is_furniture_line("Smith J, Doe A. Acupuncture for pain. J Pain. 2010;11(3):1-10.")
    True
    >>> is_furniture_line("Categories: Herbs | Spices")
    True
    >>> is_furniture_line("Smith found in 2010 that acupuncture works.")
    False
    """
    return bool(_FURNITURE_LINE.match(line) or _REFERENCE_LINE.match(line))


@dataclass(frozen=True, slots=True)
class _Block:
    """A stretch of text to split into sentences, with the context its units carry."""

    start: int
    end: int
    kind: str  # heading | sentence | item | furniture
    label: str = ""


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line, without the newline. Only "\\n" ends a line, so that
    offsets stay those of the text (str.splitlines would also split on \\x1c, \\u2028...)."""
    pos = 0
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            yield pos, len(text)
            return
        yield pos, nl
        pos = nl + 1


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_REFERENCE_SECTIONS = frozenset(
    {
        "references", "bibliography", "further reading", "external links", "works cited",
        "citations", "literature cited", "see also", "notes and references",
        "references and notes",
    }
)  # fmt: skip


def is_reference_section(heading: str) -> bool:
    """Whether a section heading opens a list of works or links, not the page's text.

    >>> is_reference_section("Further reading"), is_reference_section("Dietary sources")
    (True, False)
    """
    return heading.strip(" #*:").lower() in _REFERENCE_SECTIONS


def is_heading_line(line: str) -> bool:
    """A short line with letters and no final punctuation, or a short question.

    >>> is_heading_line("How Acupuncture Works")
    True
    >>> is_heading_line("How Does Acupuncture Relieve Pain?")
    True
    >>> is_heading_line("Acupuncture helps.")
    False
    """
    stripped = line.strip()
    if not stripped or not any(ch.isalpha() for ch in stripped):
        return False
    if len(stripped) > 120 or len(stripped.split()) > _MAX_HEADING_WORDS:
        return False
    return stripped[-1] not in _FINAL_PUNCT


def parse_list_item(line: str) -> tuple[int, str, int] | None:
    """For a bullet or numbered line, (body offset, label, label-free body offset).

    Returns None for a line that is not a list item. Offsets are within ``line``.

    >>> parse_list_item("  1. Pain Gate Theory: acupuncture closes the gate.")
    (5, 'Pain Gate Theory', 23)
    >>> parse_list_item("• Sharp pain") is None
    False
    >>> parse_list_item("1990 was a year.") is None
    True
    """
    bullet = _BULLET.match(line)
    if not bullet:
        return None
    body = bullet.end()
    label_match = _LABEL.match(line, body)
    if label_match:
        label = label_match.group(1).strip()
        if label and len(label.split()) <= _MAX_LABEL_WORDS and "http" not in label:
            return body, label, label_match.end()
    return body, "", body


def _blocks(text: str, original: str) -> Iterator[_Block]:
    """Classify the lines of a masked ``text`` and merge running text into paragraph
    blocks; furniture is recognised in the ``original`` (its markers are its clues)."""
    para_start = para_end = -1
    prev_blank = True

    def flush() -> Iterator[_Block]:
        nonlocal para_start
        if para_start >= 0:
            yield _Block(para_start, para_end, "sentence")
            para_start = -1

    lines = list(_lines(text))
    for number, (line_start, line_end) in enumerate(lines):
        line = text[line_start:line_end]
        if not line.strip():
            yield from flush()
            prev_blank = True
            continue
        md = _MD_HEADING.match(line)
        item = None if md else parse_list_item(line)
        if not md and is_furniture_line(original[line_start + (item[2] if item else 0) : line_end]):
            yield from flush()
            yield _Block(line_start, line_end, "furniture")
        elif md:
            yield from flush()
            yield _Block(line_start + md.end(), line_end, "heading")
        elif item:
            yield from flush()
            body, label, rest = item
            if line_start + rest < line_end and line[rest:].strip():
                yield _Block(line_start + rest, line_end, "item", label)
            else:  # "• Label:" with nothing after it: the label is the item's text
                yield _Block(line_start + body, line_end, "item")
        elif prev_blank and is_heading_line(line) and not _continues(text, lines, number):
            yield from flush()
            yield _Block(line_start, line_end, "heading")
        else:
            if para_start < 0:
                para_start = line_start
            para_end = line_end
        prev_blank = False
    yield from flush()


def _continues(text: str, lines: list[tuple[int, int]], number: int) -> bool:
    """True when the next line carries on the same sentence (it starts in lower case),
    as the lines of a wrapped paragraph do: then a short first line is no heading."""
    if number + 1 >= len(lines):
        return False
    start, end = lines[number + 1]
    following = text[start:end].lstrip()
    return bool(following) and following[0].islower()


def split_units(text: str, start: int = 0) -> list[Sentence]:
    """Headings, sentences and list-item sentences of ``text`` with exact spans; text
    before ``start`` (a metadata header) gives none.

    >>> units = split_units("Why It Works\\n\\n1. Gate Theory: It closes a gate. It helps.")
    >>> [(u.kind, u.text, u.section, u.label) for u in units]  # doctest: +NORMALIZE_WHITESPACE
    [('heading', 'Why It Works', '', ''),
     ('item', 'It closes a gate.', 'Why It Works', 'Gate Theory'),
     ('item', 'It helps.', 'Why It Works', 'Gate Theory')]
    """
    # Lines are classified and sentences split and trimmed in the masked copy (same
    # offsets); the units' text is the source's own.
    masked = _masked(text)
    blocks = [b for b in _blocks(masked, text) if b.end > b.start and b.start >= start]
    to_split = [b for b in blocks if b.kind in ("sentence", "item")]
    shortened = [_shorten(masked[b.start : b.end]) for b in to_split]
    docs = blank_nlp().tokenizer.pipe((short.text for short in shortened), batch_size=256)
    split: dict[int, list[tuple[int, int]]] = {}
    for block, short, doc in zip(to_split, shortened, docs, strict=True):
        split[id(block)] = [
            (block.start + short.original(start), block.start + short.original(end))
            for start, end in sentence_spans(doc)
        ]

    units: list[Sentence] = []
    section = ""
    for block in blocks:
        if block.kind == "heading":
            start, end = _trim(text, block.start, block.end)
            section = text[start:end]
            spans = [(start, end)]
        elif block.kind == "furniture":
            spans = [_trim(text, block.start, block.end)]
        else:
            spans = [_trim(masked, start, end) for start, end in split[id(block)]]
        # What a references section lists are works, not what the page says.
        listed = block.kind != "heading" and is_reference_section(section)
        kind = "furniture" if listed else block.kind
        for start, end in spans:
            if end <= start or not WORD.search(text, start, end):  # no word, no unit
                continue
            units.append(
                Sentence(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=kind,
                    section="" if block.kind == "heading" else section,
                    label=block.label,
                    index=len(units),
                )
            )
    return units
