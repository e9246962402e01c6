"""Verdicts: each candidate pair compared exactly, by shared shingles and by sentences
aligned in order, and judged by the rule (kb.analyze.independence.rule).

A pair's verdict depends on its two texts alone, so a rebuild compares only the pairs of
changed sources and pairs it never compared (kb.pipeline.find_near_duplicates). Sentences
are split by sketch.regex_sentences unless units are given: the build gives texts only,
and the thresholds were measured so (kb.analyze.independence.sketch says what units
would change).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from kb.analyze.independence.candidates import Candidates
from kb.analyze.independence.rule import is_near_duplicate
from kb.analyze.independence.sketch import sentence_contents, shingle_hashes, sketch, text_words
from kb.model import DuplicatePair, Sentence

__all__ = [
    "ALIGN_MIN",
    "MIN_SHARED_WORDS",
    "duplicate_groups",
    "near_duplicates",
    "score_all_pairs",
    "verify",
]

# Two sentences align when the weighted Dice coefficient of their content words reaches
# ALIGN_MIN and they share MIN_SHARED_WORDS words. On the seeds, true rewrites of a sentence
# score 0.35-0.85; lowering it to 0.3 adds as many chance matches as rewrites.
ALIGN_MIN = 0.35
MIN_SHARED_WORDS = 3


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
    """Source ``sid``'s units, or None (split by sketch.regex_sentences) without them."""
    return None if units is None else units.get(sid)


def _text_features(text: str, units: Sequence[Sentence] | None) -> _Features:
    """What verification compares of one text (see _Features)."""
    sentences = list(sentence_contents(text, units))
    contents = tuple(content for _, _, content in sentences)
    index: dict[str, list[int]] = defaultdict(list)
    for j, content in enumerate(contents):
        for word in content:
            index[word].append(j)
    return _Features(
        shingles=frozenset(shingle_hashes(text_words(text))),
        spans=tuple((start, end) for start, end, _ in sentences),
        contents=contents,
        counts={word: len(js) for word, js in index.items()},
        index=dict(index),
    )


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


def score_all_pairs(
    texts: Mapping[str, str], units: Mapping[str, Sequence[Sentence]] | None = None
) -> list[DuplicatePair]:
    """Scores of every pair of sources, duplicate or not, sorted by (a, b).

    O(n²) pairs: for measuring thresholds on a small corpus, not for a large one.

    >>> [(p.a, p.b, p.aligned) for p in score_all_pairs({"x": "One. Two.", "y": "Three."})]
    [('x', 'y', 0)]
    """
    ids = sorted(texts)
    feats = {sid: _text_features(texts[sid], _units(units, sid)) for sid in ids}
    return [_compare(x, y, feats[x], feats[y]) for x, y in combinations(ids, 2)]


def near_duplicates(
    texts: Mapping[str, str], units: Mapping[str, Sequence[Sentence]] | None = None
) -> list[DuplicatePair]:
    """Pairs of sources that copy or closely paraphrase each other, sorted by (a, b).

    ``texts`` maps source id to text; ``units`` optionally maps source id to its sentences
    (exact spans into the text, as ``kb.nlp.segment.split_units`` makes them), otherwise
    sentences are split by sketch.regex_sentences. Near-linear in the corpus (see
    kb.analyze.independence).

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
            cache[sid] = _text_features(texts[sid], _units(units, sid))
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
