"""Find lexicon phrases in a sentence: word based, case and inflection tolerant, with gaps.

Words are compared after a light normalisation (lower case, curly apostrophes straightened,
possessive 's dropped, a crude suffix strip) applied alike to the text and to the phrases,
so "relieves", "relieved" and "relieving" all meet "relieve". A "..." in a phrase lets up to
four words pass between its neighbours, never across a comma, semicolon, colon or bracket:
"relieve ... pain" matches "relieve their chronic back pain" but not "relieve, in time, pain".

Matching is a dictionary lookup per word plus a short walk per candidate phrase: linear in
the sentence length for a fixed lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["GAP", "Match", "PhraseMatcher", "Token", "normalize_word", "tokenize"]

GAP = "..."
MAX_GAP = 4
# Words (with inner apostrophes), or a barrier that a gap may not cross.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[,;:()\[\]]|(?<=\s)[-–—](?=\s)")
_BARRIERS = frozenset(",;:()[]-–—")


# Tokens and matches are made by the million: plain slotted classes, which build several
# times faster than frozen dataclasses. Treat them as read-only.
@dataclass(slots=True, eq=False)
class Token:
    norm: str
    start: int
    end: int
    barrier: bool = False


@dataclass(slots=True, eq=False)
class Match:
    """A phrase of ``key`` found at ``text[start:end]``; ``first``/``last`` are token indexes."""

    key: str
    start: int
    end: int
    first: int
    last: int


_DOUBLE_OK = frozenset("lsz")  # "spell", "pass", "buzz" keep their double letter


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """Lower case, straight apostrophe, no possessive, inflections stripped.

    Only inflections (plural, -s, -ing, -ed, final -e), never derivations: "effective"
    and "effects" must stay apart. Not a linguistic stemmer; it maps text and lexicon alike.

    >>> [normalize_word(w) for w in ["Relieves", "relieving", "relieve", "body’s", "studies"]]
    ['reliev', 'reliev', 'reliev', 'body', 'study']
    >>> [normalize_word(w) for w in ["bleeding", "bleed", "easing", "ease", "effective", "effects"]]
    ['bleed', 'bleed', 'eas', 'eas', 'effectiv', 'effect']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "ches", "shes", "zzes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) - 3 >= 3:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and not w.endswith("eed") and len(w) - 2 >= 3:
        w = _undouble(w[:-2])
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


def _undouble(stem: str) -> str:
    """ "stopp" → "stop": -ing and -ed double a final consonant."""
    if (
        len(stem) >= 3
        and stem[-1] == stem[-2]
        and stem[-1] not in "aeiou"
        and stem[-1] not in _DOUBLE_OK
    ):
        return stem[:-1]
    return stem


def tokenize(text: str) -> list[Token]:
    """Words and barriers of ``text`` with their offsets.

    >>> [t.norm for t in tokenize("Needles, not pins")]
    ['needl', ',', 'not', 'pin']
    """
    # The hottest loop of extraction: locals and a plain dict cache instead of lru_cache.
    tokens: list[Token] = []
    append = tokens.append
    cache = _NORMS
    for m in _TOKEN.finditer(text):
        raw = m.group()
        start, end = m.span()
        if raw in _BARRIERS:
            append(Token(raw, start, end, True))
            continue
        norm = cache.get(raw)
        if norm is None:
            if len(cache) > 200_000:
                cache.clear()
            norm = cache[raw] = normalize_word(raw)
        append(Token(norm, start, end, False))
    return tokens


_NORMS: dict[str, str] = {}


def _compile(phrase: str) -> tuple[str, ...]:
    parts: list[str] = []
    for piece in phrase.replace("…", f" {GAP} ").split(GAP):
        words = [t.norm for t in tokenize(piece) if not t.barrier]
        if words:
            if parts:
                parts.append(GAP)
            parts.extend(words)
    return tuple(parts)


class PhraseMatcher:
    """Finds the phrases of many keys at once.

    >>> m = PhraseMatcher({"relief": ["relieve ... pain"], "pain": ["back pain"]})
    >>> [(x.key, x.start, x.end) for x in m.find("It relieves lower back pain.")]
    [('relief', 3, 27), ('pain', 18, 27)]
    """

    def __init__(self, entries: Mapping[str, Iterable[str]]) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key, phrases in entries.items():
            for phrase in phrases:
                pattern = _compile(phrase)
                if pattern:
                    self._index.setdefault(pattern[0], []).append((pattern, key))
        for candidates in self._index.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def __bool__(self) -> bool:
        return bool(self._index)

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """Every match, with matches inside a longer match of the same key set removed."""
        tokens = tokenize(text) if tokens is None else tokens
        found: dict[tuple[str, int, int], Match] = {}
        for i, token in enumerate(tokens):
            if token.barrier:
                continue
            for pattern, key in self._index.get(token.norm, ()):
                last = _match_at(pattern, tokens, i)
                if last >= 0:
                    match = Match(key, token.start, tokens[last].end, i, last)
                    found.setdefault((key, match.start, match.end), match)
        return sorted(found.values(), key=lambda m: (m.start, -m.end, m.key))


def _match_at(pattern: tuple[str, ...], tokens: list[Token], i: int) -> int:
    """Index of the last token of ``pattern`` matched from token ``i``, or -1."""
    pos = i + 1
    p = 1
    while p < len(pattern):
        element = pattern[p]
        if element == GAP:
            target = pattern[p + 1]
            for skip in range(MAX_GAP + 1):
                at = pos + skip
                if at >= len(tokens) or tokens[at].barrier:
                    return -1
                if tokens[at].norm == target:
                    pos = at + 1
                    break
            else:
                return -1
            p += 2
            continue
        if pos >= len(tokens) or tokens[pos].norm != element:
            return -1
        pos += 1
        p += 1
    return pos - 1


def drop_contained(matches: list[Match]) -> list[Match]:
    """Remove matches whose span lies strictly inside another match's span.

    >>> a, b = Match("x", 0, 10, 0, 2), Match("y", 3, 7, 1, 1)
    >>> [m.key for m in drop_contained([a, b])]
    ['x']
    """
    kept = []
    for m in matches:
        inside = any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in matches
        )
        if not inside:
            kept.append(m)
    return kept
