"""Near-duplicates: sources that copy or closely paraphrase each other, and the sketch of
one source that finding them reads (made per document, stored)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DuplicatePair", "Sketch"]


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two sources (``a < b``) that copy or paraphrase each other, with the evidence.

    ``shingle_similarity`` is the share of the smaller text's word 5-shingles that the other
    contains; ``aligned`` the number of sentence pairs aligned one to one and in order,
    ``aligned_share`` that number over the sentences of the source with fewer; ``examples``
    up to three aligned spans, ``((a_start, a_end), (b_start, b_end))``, best first.
    """

    a: str
    b: str
    shingle_similarity: float
    aligned: int
    aligned_share: float
    examples: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()


@dataclass(frozen=True, slots=True)
class Sketch:
    """What finding candidates needs of one source, made from its text alone: the band keys
    of its shingles' MinHash, and the content words of each sentence long enough to align
    (sorted, so that a sketch is the same in every process). A build stores each source's
    sketch, so that a rebuild does not read and hash the texts that did not change.

    >>> from kb.analyze.independence import sketch
    >>> s = sketch("The needles stay in place for about ten minutes. Hi.")
    >>> len(s.bands), s.sentences
    (84, (('minut', 'needl', 'place', 'stay', 'ten'),))
    """

    bands: tuple[int, ...]
    sentences: tuple[tuple[str, ...], ...]
