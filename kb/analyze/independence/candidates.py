"""Candidate pairs of sources: the pairs worth verifying, found without comparing every
pair (kb.analyze.independence's docstring says how, and what it costs).

Sources that share ``SHARED_BANDS_MIN`` bands of their shingles' MinHash are candidates (a
copy), and so are sources whose sentences meet under sentence keys — every two of a
sentence's few rarest words that some other source has too — for at least
``SENTENCE_MEETINGS_MIN`` sentences of each (a rewrite). Topic words ("acupuncture",
"pain") are never the rarest, so they do not bring sources together. Each source brings at
most ``PER_SOURCE_MAX`` candidates, its best-evidenced, so that at most PER_SOURCE_MAX · n
pairs of n sources are verified whatever the corpus.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from kb.analyze.independence.rule import ALIGNED_MIN
from kb.analyze.independence.sketch import SHARED_BANDS_MIN, hash64
from kb.model import Sketch

__all__ = [
    "MAX_BUCKET",
    "PER_SOURCE_MAX",
    "SENTENCE_MEETINGS_MIN",
    "SKETCH_WORDS",
    "Candidates",
]

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
# Candidates a source brings, its best-evidenced (most bands shared plus sentences met): a
# pair is verified when it is among the PER_SOURCE_MAX best of either of its sources, so a
# build verifies at most PER_SOURCE_MAX · n pairs of n sources — O(n) however much they
# overlap (a source may be in more pairs than that, brought by others). As many as a
# bucket's other members, so that every pair of a text copied into a full bucket's sources
# is still compared.
PER_SOURCE_MAX = MAX_BUCKET - 1


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


# Buckets hold millions of entries at 10,000 sources, so a bucket of one is its member, an
# int, not a list; a sentence bucket's member is (source << _SENTENCE_BITS) | sentence.
_SENTENCE_BITS = 20


class Candidates:
    """Candidate pairs of sources: those that share ``SHARED_BANDS_MIN`` shingle bands,
    or whose sentences meet under sentence keys for at least ``SENTENCE_MEETINGS_MIN``
    sentences of each; of those, each source's ``PER_SOURCE_MAX`` best.

    Sketches are added one source at a time, in any order (a build adds them as it
    processes files, then the stored ones), and kept packed: each sentence's words as word
    numbers in an int array, far smaller than the sketches themselves. ``pairs()`` then
    needs the corpus-wide document frequencies, which is why it comes last.
    O(n·w) + O(pairs met), and at most n · PER_SOURCE_MAX pairs.

    >>> from kb.analyze.independence import sketch
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
                order[number] = (doc_freq[number] << 31) | (hash64(word) >> 33)
        shingle_buckets: dict[int, int | list[int]] = {}
        sentence_buckets: dict[int, int | list[int]] = {}
        for i, sid in enumerate(ids):  # in source order, so a bucket lists sources in order
            for key in self._bands[sid]:  # inline, as below: 12 M calls at 50,000 sources
                bucket = shingle_buckets.setdefault(key, i)
                if isinstance(bucket, list):
                    bucket.append(i)
                elif bucket != i:
                    shingle_buckets[key] = [bucket, i]
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

        # Evidence of each pair: the bands it shares, plus the sentences of each side that
        # met (a sentence meeting under several keys counts once).
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for bucket in shingle_buckets.values():
            if isinstance(bucket, list) and len(bucket) <= MAX_BUCKET:
                for pair in combinations(bucket, 2):
                    shared[pair] += 1
        evidence = {pair: n for pair, n in shared.items() if n >= SHARED_BANDS_MIN}
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
        for pair, (left, right) in met.items():
            meetings = min(len(left), len(right))
            if meetings >= SENTENCE_MEETINGS_MIN:
                evidence[pair] = evidence.get(pair, 0) + meetings
        return best_per_source(evidence, PER_SOURCE_MAX)


def best_per_source(evidence: dict[tuple[int, int], int], most: int) -> set[tuple[int, int]]:
    """The pairs among the ``most`` best-evidenced of either of their sources; ties go to
    the pair that sorts first, so the choice is the same in every build.

    >>> sorted(best_per_source({(0, 1): 5, (0, 2): 1, (0, 3): 1, (2, 3): 2}, 1))
    [(0, 1), (2, 3)]
    """
    ranked: dict[int, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    for pair, n in evidence.items():
        ranked[pair[0]].append((-n, pair))
        ranked[pair[1]].append((-n, pair))
    kept: set[tuple[int, int]] = set()
    for candidates in ranked.values():
        kept.update(pair for _, pair in sorted(candidates)[:most])
    return kept
