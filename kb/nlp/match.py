"""Find lexicon phrases in a sentence: word based, case and inflection tolerant, with gaps.

Words (kb.nlp.words: "it's" is one word, "well-known" two) are compared after a light
normalisation (lower case, curly apostrophes straightened, possessive 's dropped, a crude
suffix strip) applied alike to the text and to the phrases, so "relieves", "relieved" and
"relieving" all meet "relieve". A "..." in a phrase lets up to
four words pass between its neighbours, never across a comma, semicolon, colon or bracket:
"relieve ... pain" matches "relieve their chronic back pain" but not "relieve, in time, pain".
Articles and possessives stand for one another ("talk to your doctor" matches "talk to a
doctor"): which one a writer picks does not change what a phrase names. "Our" and "my" do
not: a site speaks of itself with them.

Matching is a dictionary lookup per word plus a short walk per candidate phrase: linear in
the sentence length for a fixed lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, count, pairwise

from kb.nlp.words import WORD

__all__ = ["BARRIERS", "GAP", "Match", "PhraseMatcher", "Tokens", "normalize_word", "tokenize"]

GAP = "..."
MAX_GAP = 4
# A word (kb.nlp.words.WORD: "it's" is one, "well-known" two), or a barrier that a gap
# may not cross.
_TOKEN = re.compile(rf"{WORD.pattern}|[,;:()\[\]]|(?<=\s)[-–—](?=\s)")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")  # the same, kept by re.split
BARRIERS = frozenset(",;:()[]-–—")


class Tokens:
    """The words and barriers of one text, as parallel lists: ``norms[i]`` is a word's
    normal form or a barrier's own character, ``starts[i]``/``ends[i]`` its offsets.

    Tokens are made by the million: parallel lists of strings and ints build several
    times faster than one object per token.

    >>> t = tokenize("Needles, not pins")
    >>> t.norms, t.starts, t.ends, t.barrier(1)
    (['needl', ',', 'not', 'pin'], [0, 7, 9, 13], [7, 8, 12, 17], True)
    """

    __slots__ = ("ends", "norms", "starts")

    def __init__(self, norms: list[str], starts: list[int], ends: list[int]) -> None:
        self.norms = norms
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.norms)

    def barrier(self, i: int) -> bool:
        """Whether token ``i`` is a comma, semicolon, colon, bracket or spaced dash."""
        return self.norms[i] in BARRIERS

    def words(self) -> int:
        """How many tokens are words."""
        return len(self.norms) - sum(map(BARRIERS.__contains__, self.norms))


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


def tokenize(text: str) -> Tokens:
    """Words and barriers of ``text`` with their offsets.

    >>> tokenize("Well-known - yes: it's 10-20").norms
    ['well', 'known', '-', 'yes', ':', 'it', '10', '20']
    """
    # The hottest code of extraction, so every step runs in C: split gives the gaps and
    # the tokens in turn, and the running sum of their lengths gives every offset.
    parts = _TOKEN_SPLIT.split(text)  # [gap, token, gap, token, ..., gap]
    raws = parts[1::2]
    cache = _NORMS
    norms = list(map(cache.get, raws))
    if None in norms:
        if len(cache) > 200_000:
            cache.clear()
        for i, norm in enumerate(norms):
            if norm is None:
                raw = raws[i]
                norms[i] = cache[raw] = raw if raw in BARRIERS else normalize_word(raw)
    bounds = list(accumulate(map(len, parts)))  # bounds[k]: where parts[k] ends
    return Tokens(norms, bounds[0:-1:2], bounds[1::2])


_NORMS: dict[str, str] = {}


def _compile(phrase: str) -> tuple[str, ...]:
    parts: list[str] = []
    for piece in phrase.replace("…", f" {GAP} ").split(GAP):
        words = [_ANY_ARTICLE.get(n, n) for n in tokenize(piece).norms if n not in BARRIERS]
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
        # Phrases are indexed by their first two words where they can be, so that a
        # common first word ("in", "to", "not") does not try every phrase it begins.
        # The rest (one word, or a gap after the first) are indexed by the first word.
        self._by_word: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._by_pair: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        for key, phrases in entries.items():
            for phrase in phrases:
                pattern = _compile(phrase)
                if len(pattern) >= 2 and pattern[1] != GAP:
                    self._by_pair.setdefault(pattern[:2], []).append((pattern, key))
                elif pattern:
                    self._by_word.setdefault(pattern[0], []).append((pattern, key))

    def __bool__(self) -> bool:
        return bool(self._by_word or self._by_pair)

    def find(self, text: str, tokens: Tokens | None = None) -> list[Match]:
        """Every match; a phrase also matches with an adverb of how often inside it
        ("the needles usually stay" is "needles stay").

        >>> m = PhraseMatcher({"stay": ["needles stay"], "ask": ["talk to your doctor"]})
        >>> [(x.key, x.start, x.end) for x in m.find("The needles usually stay in.")]
        [('stay', 4, 24)]
        >>> [x.key for x in m.find("Talk to a doctor first.")]
        ['ask']
        >>> PhraseMatcher({"site": ["our specialists"]}).find("A specialist inserts needles.")
        []
        """
        tokens = tokenize(text) if tokens is None else tokens
        norms, starts, ends = tokens.norms, tokens.starts, tokens.ends
        if not _ARTICLES.isdisjoint(norms):
            norms = [_ANY_ARTICLE.get(n, n) for n in norms]
        found: dict[tuple[str, int, int], Match] = {}
        self._find(norms, list(range(len(norms))), starts, ends, found)
        if not _FREQUENCY.isdisjoint(norms):
            kept = [i for i, n in enumerate(norms) if n not in _FREQUENCY]
            self._find([norms[i] for i in kept], kept, starts, ends, found)
        # Sorted, so the order does not depend on how the phrases are indexed.
        return sorted(found.values(), key=lambda m: (m.start, -m.end, m.key))

    def _find(
        self,
        norms: list[str],
        at: list[int],
        starts: list[int],
        ends: list[int],
        found: dict[tuple[str, int, int], Match],
    ) -> None:
        """Add to ``found`` the matches in ``norms``, whose i-th word is token ``at[i]``."""
        by_word, by_pair = self._by_word, self._by_pair
        # compress() picks the tokens that begin some phrase without a Python-level loop
        # over the others, which are most of them.
        pairs = list(pairwise(norms))
        hits = chain(
            ((i, by_word[norms[i]]) for i in compress(count(), map(by_word.__contains__, norms))),
            ((i, by_pair[pairs[i]]) for i in compress(count(), map(by_pair.__contains__, pairs))),
        )
        for i, candidates in hits:
            for pattern, key in candidates:
                # One or two words need no walk: a pair has no gap, and a gap never ends.
                size = len(pattern)
                last = i + size - 1 if size <= 2 else _match_at(pattern, norms, i)
                if last >= 0:
                    first, final = at[i], at[last]
                    found.setdefault(
                        (key, starts[first], ends[final]),
                        Match(key, starts[first], ends[final], first, final),
                    )


# Articles and possessives (normalised), one class in phrases and text alike. Not "our"
# or "my": a site speaks of itself with them ("our specialists" is page furniture).
_ARTICLES = frozenset("a an the your their his her its".split())
_ANY_ARTICLE = dict.fromkeys(_ARTICLES, "<a>")
# Adverbs of how often or how usually, which a phrase may hold without changing what it
# names: "the needles usually stay", "is often used".
_FREQUENCY = frozenset(
    "usually typically often generally normally commonly sometimes frequently mostly".split()
)


def _match_at(pattern: tuple[str, ...], norms: list[str], i: int) -> int:
    """Index of the last token of ``pattern`` matched from token ``i``, or -1."""
    pos = i + 1
    p = 1
    n = len(norms)
    while p < len(pattern):
        element = pattern[p]
        if element == GAP:
            target = pattern[p + 1]
            for skip in range(MAX_GAP + 1):
                at = pos + skip
                if at >= n or norms[at] in BARRIERS:
                    return -1
                if norms[at] == target:
                    pos = at + 1
                    break
            else:
                return -1
            p += 2
            continue
        if pos >= n or norms[pos] != element:
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
    if len(matches) < 2:  # most sentences: nothing to compare
        return list(matches)
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
