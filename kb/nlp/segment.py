"""Split a source text into units with exact spans: headings, sentences and list items.

Lines are classified first (blank, heading, list item, running text), because the layout
carries meaning spaCy's sentencizer cannot see: a bullet line is one item even without a
full stop, and a short line without final punctuation is a heading, not a sentence.
Running text and item bodies are then split into sentences by spaCy's blank English
tokenizer and the rule of spaCy's sentencizer, applied to the token arrays (the same
splits, without a Python object per token). Plain words are shortened to one letter
before tokenizing, which changes no split and halves the text to tokenize (_shorten).

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

__all__ = ["blank_nlp", "is_heading_line", "parse_list_item", "sentence_spans", "split_units"]

# A bullet symbol, or a number like "1." "2)" "(3)", then whitespace. [^\S\n] is whitespace
# other than a newline: web text often has a no-break space after a bullet or a colon.
_BULLET = re.compile(r"[^\S\n]*(?:[•●▪◦‣∙·◆■□➢►*\-–—]|\(?\d{1,3}[.)])[^\S\n]+(?=\S)")
# "Label: body" — a short label before a colon that is followed by a space or the line end.
_LABEL = re.compile(r"([^:\n]{1,80}?)[^\S\n]*:(?:[^\S\n]+|$)")
_MD_HEADING = re.compile(r"[^\S\n]{0,3}#{1,6}[^\S\n]+(?=\S)")
_FINAL_PUNCT = ".!:;,"
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


@dataclass(frozen=True, slots=True)
class _Block:
    """A stretch of text to split into sentences, with the context its units carry."""

    start: int
    end: int
    kind: str  # heading | sentence | item
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


def _blocks(text: str) -> Iterator[_Block]:
    """Classify lines and merge running text into paragraph blocks."""
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
        if md:
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
    blocks = [b for b in _blocks(text) if b.end > b.start and b.start >= start]
    to_split = [b for b in blocks if b.kind != "heading"]
    shortened = [_shorten(text[b.start : b.end]) for b in to_split]
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
        else:
            spans = [_trim(text, start, end) for start, end in split[id(block)]]
        for start, end in spans:
            if end <= start or not WORD.search(text, start, end):  # no word, no unit
                continue
            units.append(
                Sentence(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=block.kind,
                    section="" if block.kind == "heading" else section,
                    label=block.label,
                    index=len(units),
                )
            )
    return units
