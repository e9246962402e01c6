"""The rule that makes two sources near-duplicates, with thresholds measured on the seeds.

A copy shares at least ``SHINGLE_MIN`` of the smaller text's word 5-shingles; a rewrite
has at least ``ALIGNED_MIN`` aligned sentences that are at least ``SHARE_MIN`` of the
shorter source's sentences. On the five seeds the rewritten pair scores 0.42 aligned share
and 0.04 shingles; the nine independent pairs at most 0.19 and 0.01.
"""

from __future__ import annotations

__all__ = ["ALIGNED_MIN", "SHARE_MIN", "SHINGLE_MIN", "is_near_duplicate"]

SHINGLE_MIN = 0.5  # share of the smaller text's shingles found in the other
ALIGNED_MIN = 3  # aligned sentence pairs ...
SHARE_MIN = 0.3  # ... and their share of the shorter source's sentences


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
