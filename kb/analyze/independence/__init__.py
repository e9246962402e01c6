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
  that share two bands are candidates (a copy);
- each sentence is sketched by its few rarest content words that occur in some other source
  too, and every two of them make a key; sources whose sentences meet under such keys for at
  least ``SENTENCE_MEETINGS_MIN`` sentences of each are candidates (a rewrite). Topic words
  ("acupuncture", "pain") are never the rarest, so they do not bring sources together.

Each source then brings at most ``PER_SOURCE_MAX`` candidates, those with the most evidence
(bands shared plus sentences met).

The modules, in the order a build uses them:

- sketch.py: what is read of a text (words, sentences' content words, shingles) and a
  source's sketch, per document, from the units segmentation made (the SKETCH stage);
- candidates.py: the candidate pairs, from every source's sketch;
- verify.py: each candidate compared exactly, and the verdicts (with candidates.py, the
  DUPLICATES stage);
- rule.py: the decision rule and its thresholds.

Cost, for n sources of w words: O(w) per source for its sketch (band keys and sentence
words: ``sketch``, made with extraction, per document, and stored), then O(n·w) to count
words and make keys, plus the pairs that meet in a bucket, at most MAX_BUCKET - 1 per
member of a bucket (larger buckets hold boilerplate and are skipped), so O(n·w) in all;
then at most n · PER_SOURCE_MAX candidate pairs are verified, each in O(w + m) for
sentences that share m words. Every part is linear in n whatever the corpus: sources that
overlap more bring more candidates only up to the cap. A pair's verdict depends on its two
texts alone, so after a change a build compares only the pairs of changed sources and pairs
it never compared (kb.pipeline.find_near_duplicates). Measured by
benchmarks/near_duplicates_growth.py on generated sources that recombine a few thousand
real sentences (so the pairs that share a few sentences by chance grow with the square of
the corpus): at 10,000 sources 426 candidate pairs, candidates 2.5 s, comparing them 0.7 s;
at 50,000, 4,450 pairs (0.18 per source), 18.4 s and 8.6 s, every planted rewrite found
(1,009 of 1,009). With one shared band enough (42 bands) and no cap it was 83,457 pairs and
110 s at 50,000 sources.

Hashes come from blake2b with fixed keys, so results never depend on Python's per-process
``hash()`` seed.
"""

from __future__ import annotations

from kb.analyze.independence.candidates import MAX_BUCKET, PER_SOURCE_MAX, Candidates
from kb.analyze.independence.rule import is_near_duplicate
from kb.analyze.independence.sketch import sketch, sketch_document
from kb.analyze.independence.verify import (
    duplicate_groups,
    near_duplicates,
    score_all_pairs,
    verify,
)
from kb.model import DuplicatePair, Sketch
from kb.stages import Stage

__all__ = [
    "DUPLICATES",
    "MAX_BUCKET",
    "PER_SOURCE_MAX",
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

# The per-document half (a sketch per source, made with extraction and stored) and the
# corpus half (candidates, then verdicts of the pairs not settled by an earlier build,
# which kb.pipeline runs).
SKETCH = Stage(
    "sketch",
    needs=("source", "units"),
    makes="sketch",
    code=("kb.analyze.independence.sketch",),
    run=sketch_document,
)
DUPLICATES = Stage(
    "near-duplicates",
    needs=("sketch",),
    makes="duplicates",
    code=("kb.analyze.independence.candidates", "kb.analyze.independence.verify"),
)
