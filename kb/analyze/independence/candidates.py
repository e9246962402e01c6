"""Candidate pairs of sources: the pairs worth verifying, found without comparing every
pair (kb.analyze.independence's docstring says how, and what it costs).

Sources that share a band of their shingles' MinHash are candidates (a copy), and so are
sources whose sentences meet under sentence keys — every two of a sentence's few rarest
words that some other source has too — for at least ``SENTENCE_MEETINGS_MIN`` sentences of
each (a rewrite). Topic words ("acupuncture", "pain") are never the rarest, so they do not
bring sources together.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from kb.analyze.independence.rule import ALIGNED_MIN
from kb.analyze.independence.sketch import hash64
from kb.model import Sketch

__all__ = ["MAX_BUCKET", "SENTENCE_MEETINGS_MIN", "SKETCH_WORDS", "Candidates"]

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
