"""Extraction throughput against spaCy's bare tokenizer, on a corpus of at least 5 MB.

The corpus repeats the seed articles (and, when ../shared is present, the check_covid
abstracts and the other-interventions pages) with light variation — sentences shuffled
within each document and numbers shifted — so that caches cannot replay earlier work.

Full extraction = segmentation (spaCy sentencizer + layout rules) + statement extraction
+ claim assembly. Printed: MB, sentences, sentences/s for both, and their ratio.
Target: extraction at >= 1/3 of the bare tokenizer's throughput.

Run: .venv/bin/python benchmarks/extract_speed.py [--mb 5]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

from kb.assemble import assemble
from kb.build import default_lexicon_paths
from kb.extract import Extractor
from kb.models import Source, sha256_text
from kb.nlp.lexicon import load_lexicon
from kb.nlp.segment import blank_nlp, split_units

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def real_texts() -> list[str]:
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "sources").glob("*.txt"))
    ]
    corpora = SHARED / "corpora" / "other_interventions"
    if corpora.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(corpora.glob("*.txt"))]
    abstracts = SHARED / "datasets" / "check_covid" / "corpus.json"
    if abstracts.is_file():
        for line in abstracts.read_text(encoding="utf-8").splitlines()[:400]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                body = record.get("abstract") or record.get("text") or ""
                if isinstance(body, list):
                    body = " ".join(body)
                if body:
                    texts.append(str(record.get("title", "Abstract")) + "\n\n" + body)
    return texts


def vary(text: str, rng: random.Random) -> str:
    """Shuffle paragraphs and shift numbers: same style of text, not the same text."""
    paragraphs = text.split("\n\n")
    head, rest = paragraphs[:1], paragraphs[1:]
    rng.shuffle(rest)
    shifted = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(0, 9)), "\n\n".join(rest))
    return "\n\n".join([*head, shifted])


def make_corpus(mb: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    base = real_texts()
    corpus, size = [], 0
    while size < mb * 1_000_000:
        text = vary(base[len(corpus) % len(base)], rng)
        corpus.append(text)
        size += len(text.encode("utf-8"))
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args()
    corpus = make_corpus(args.mb)
    megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
    lexicon = load_lexicon(default_lexicon_paths())
    extractor = Extractor(lexicon)
    nlp = blank_nlp()
    split_units("Warm up. The pipeline loads here.")

    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(corpus, batch_size=64))
    tokenizer_seconds = time.perf_counter() - started

    started = time.perf_counter()
    statements, sentences = [], 0
    for i, text in enumerate(corpus):
        source = Source(id=f"doc{i}", text=text, sha256=sha256_text(text))
        units = split_units(text)
        sentences += sum(u.kind != "heading" for u in units)
        statements.extend(extractor.extract(source, units))
    extract_seconds = time.perf_counter() - started
    started = time.perf_counter()
    claims = assemble(statements, lexicon)
    assemble_seconds = time.perf_counter() - started
    total = extract_seconds + assemble_seconds

    print(f"corpus: {len(corpus)} documents, {megabytes:.1f} MB, {sentences:,} sentences, "
          f"{tokens:,} tokens")  # fmt: skip
    rate = sentences / tokenizer_seconds
    print(f"bare tokenizer:  {tokenizer_seconds:6.2f} s {rate:9,.0f} sentences/s "
          f"{megabytes / tokenizer_seconds:5.2f} MB/s")  # fmt: skip
    print(f"full extraction: {total:6.2f} s {sentences / total:9,.0f} sentences/s "
          f"{megabytes / total:5.2f} MB/s (assembly {assemble_seconds:.2f} s)")  # fmt: skip
    print(f"statements: {len(statements):,}; claims: {len(claims):,}")
    ratio = tokenizer_seconds / total
    verdict = "meets" if ratio >= 1 / 3 else "misses"
    print(f"extraction / tokenizer throughput: {ratio:.2f} ({verdict} the 1/3 target)")


if __name__ == "__main__":
    main()
