"""Agreement and conflicts across sources, counting copies once.

- agreement.py: voices (copies count once), who affirms, negates, hedges or opposes each
  claim, a source's stance on a claim, and a claim's status (agreed, contested, one voice);
- opposed.py: claims that cannot both hold (the lexicon's contrary pairs, per subject);
- pairs.py: source × source agreement;
- conflicts/: the conflict kinds (polarity, numeric, contrary, certainty), one module
  each, and find_conflicts over their registry;
- independence: near-duplicate sources (copies and close paraphrases).

The build (kb.pipeline) runs the AGREEMENT and CONFLICTS stages; kb.api reads what they
stored and derives the rest.
"""

from __future__ import annotations

from kb.analyze.agreement import AGREEMENT, agreement, source_stances, voices
from kb.analyze.conflicts import CONFLICTS, find_conflicts
from kb.model import Agreement

__all__ = [
    "AGREEMENT",
    "CONFLICTS",
    "Agreement",
    "agreement",
    "find_conflicts",
    "source_stances",
    "voices",
]
