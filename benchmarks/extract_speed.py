"""Extraction throughput against spaCy's bare tokenizer and against one bare pass of the
parser kb reads with, on a corpus of at least 5 MB.

The corpus repeats the seed articles (and, when ../shared is present, the check_covid
abstracts and the other-interventions pages) with light variation — sentences shuffled
within each document and numbers shifted — so that caches cannot replay earlier work.

Full extraction = segmentation (spaCy sentencizer + layout rules) + statement extraction
+ claim assembly. Printed: MB, sentences, sentences/s for both, and their ratio.
Then the model's bare pass: the dependency parser kb reads sentences with
(kb.nlp.syntax.parser), run once over every sentence of the corpus. kb parses only the
sentences that may state something, so the whole reading may cost less than that pass.
Target (issue 16): the whole reading costs at most 2x the bare pass.

Both run on one core and each sees the corpus for the first time: the tokenizer in a fresh
spacy.blank("en"), the extraction in kb's own pipeline. (Timing the tokenizer first in the
pipeline the extraction then uses would hand the extraction a warm tokenizer cache: a
third off its tokenizing, which a build of new text never gets.) --repeat N runs both N
times, each on fresh pipelines, and keeps the best of each.

Run: .venv/bin/python benchmarks/extract_speed.py [--mb 5] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

from kb.model import Source, sha256_text
from kb.nlp import match
from kb.nlp.lexicon import load_lexicon
from kb.nlp.segment import blank_nlp, split_units
from kb.nlp.syntax import parser
from kb.pipeline import default_lexicon_paths
from kb.stages import assemble as assemble_module
from kb.stages.assemble import assemble
from kb.stages.extract import Extractor

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


def fresh_kb_caches() -> None:
    """Forget what kb's caches learnt from an earlier run, so a repeat is a first sight too."""
    blank_nlp.cache_clear()
    match.normalize_word.cache_clear()
    match._NORMS.clear()
    assemble_module._CONTENT.clear()


def time_tokenizer(texts: list[str]) -> tuple[int, float]:
    """(tokens, seconds) of spaCy's bare blank-English tokenizer over ``texts``, fresh:
    it meets the text for the first time, as kb does. spaCy is imported the way kb
    imports it (without torch)."""
    blank_nlp()
    import spacy

    nlp = spacy.blank("en")
    nlp("Warm up.")
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=64))
    return tokens, time.perf_counter() - started


def run_once(corpus: list[str], lexicon) -> dict:
    """Time the bare tokenizer, then kb's segmentation, extraction and assembly; each on
    a pipeline that has not seen the corpus."""
    fresh_kb_caches()
    extractor = Extractor(lexicon)
    split_units("Warm up. The pipeline loads here.")
    tokens, seconds = time_tokenizer(corpus)
    figures = {"tokens": tokens, "tokenizer": seconds}

    statements, sentences = [], 0
    segment_seconds = extract_seconds = 0.0
    for i, text in enumerate(corpus):
        source = Source(id=f"doc{i}", text=text, sha256=sha256_text(text))
        started = time.perf_counter()
        units = split_units(text)
        middle = time.perf_counter()
        statements.extend(extractor.extract(source, units))
        segment_seconds += middle - started
        extract_seconds += time.perf_counter() - middle
        sentences += sum(u.kind != "heading" for u in units)
    started = time.perf_counter()
    claims = assemble(statements, lexicon)
    figures.update(
        assemble=time.perf_counter() - started,
        segment=segment_seconds,
        extract=extract_seconds,
        sentences=sentences,
        statements=len(statements),
        claims=len(claims),
    )
    figures["total"] = figures["segment"] + figures["extract"] + figures["assemble"]
    figures["parse"] = time_parser(corpus)
    return figures


def time_parser(corpus: list[str]) -> float:
    """Seconds of one bare pass of kb's parser over every sentence of ``corpus`` (in
    batches, as kb runs it), the model already loaded."""
    texts = [u.text for text in corpus for u in split_units(text) if u.kind != "heading"]
    nlp = parser()
    nlp("Warm up.")
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    return time.perf_counter() - started


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--mb", type=float, default=5.0)
    arguments.add_argument("--repeat", type=int, default=1, help="runs; the best of each is kept")
    args = arguments.parse_args()
    corpus = make_corpus(args.mb)
    megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
    lexicon = load_lexicon(default_lexicon_paths())
    runs = [run_once(corpus, lexicon) for _ in range(max(1, args.repeat))]
    best = {key: min(run[key] for run in runs) for key in runs[0]}
    tokenizer_seconds, total, sentences = best["tokenizer"], best["total"], best["sentences"]

    print(f"corpus: {len(corpus)} documents, {megabytes:.1f} MB, {sentences:,} sentences, "
          f"{best['tokens']:,} tokens; one core, best of {len(runs)} run(s)")  # fmt: skip
    rate = sentences / tokenizer_seconds
    print(f"bare tokenizer:  {tokenizer_seconds:6.2f} s {rate:9,.0f} sentences/s "
          f"{megabytes / tokenizer_seconds:5.2f} MB/s")  # fmt: skip
    print(f"full extraction: {total:6.2f} s {sentences / total:9,.0f} sentences/s "
          f"{megabytes / total:5.2f} MB/s (segmentation {best['segment']:.2f} s, statements "
          f"{best['extract']:.2f} s, assembly {best['assemble']:.2f} s)")  # fmt: skip
    print(f"statements: {best['statements']:,}; claims: {best['claims']:,}")
    ratio = tokenizer_seconds / total
    print(f"extraction / tokenizer throughput: {ratio:.2f}")
    parse = best["parse"]
    print(f"bare parse of every sentence: {parse:6.2f} s {sentences / parse:9,.0f} sentences/s")
    verdict = "meets" if total <= 2 * parse else "misses"
    print(f"whole reading / bare parse: {total / parse:.2f} ({verdict} the 2x target)")


if __name__ == "__main__":
    main()
