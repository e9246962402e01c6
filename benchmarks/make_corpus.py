"""Make a corpus of N realistic articles for scale benchmarks, the same one every time.

Articles are recombined from real sentences: the seed articles in data/sources/ and, when
../shared is present, the 347 abstracts of ../shared/datasets/check_covid/corpus.json (it
says so when they are absent). Each article has a title line, a blank line, then
paragraphs of 3-6 sentences, some headings and some bullet lists ("- Label: sentence").

So that near-duplicate detection has real negatives and real positives:
- each article is on one topic (abstracts are grouped by keywords; a topic needs 150
  sentences) and draws half its sentences from it, the rest from everything. More from a
  small pool would make unrelated articles share whole runs of sentences by chance;
- about 2% of articles are a light rewrite of an earlier one (sentences shuffled within
  paragraphs, blocks swapped, some words replaced). Which ones is returned by make_corpus()
  and kept in OUT_DIR/.make_corpus.json (a hidden file, so kb build does not read it).

OUT_DIR is created; a non-empty directory that this script did not make is refused unless
--force is given (then files of the same names are overwritten, nothing else is touched).
A directory it made is cleared of its earlier articles first.

Everything random comes from random.Random(seed): the same arguments give byte-identical
files. 10,000 articles of 600 words take a few seconds.

Run:    .venv/bin/python benchmarks/make_corpus.py /tmp/corpus --sources 10000 [--words 600]
            [--seed 0] [--force]
Import: sys.path.insert(0, "benchmarks"); from make_corpus import make_corpus
        make_corpus(Path("/tmp/corpus"), 1000) -> {"files": ..., "rewrite_of": {...}, ...}
Without OUT_DIR (as `make bench` runs it) it writes 1,000 articles to a temporary
directory, prints the summary and deletes them.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "sources"
CHECK_COVID = ROOT.parent / "shared" / "datasets" / "check_covid" / "corpus.json"
MARKER = ".make_corpus.json"

TOPIC_SHARE = 0.5  # of an article's sentences drawn from its own topic
REWRITE_SHARE = 0.02  # of articles that are a light rewrite of an earlier one
SUBSTITUTE_SHARE = 0.5  # of the replaceable words a rewrite replaces
MIN_TOPIC = 150  # sentences a topic needs for articles to be about it

# Topics of the real text, by word beginnings; a text goes to the topic it hits most.
TOPICS = {
    "acupuncture": "acupunct, needl, back pain, qi",
    "vaccines and immunity": "vaccin, antibod, immun, neutrali, igg",
    "treatment": "hydroxychloroquine, tocilizumab, remdesivir, lopinavir, drug, therap, treat",
    "transmission": "transmi, spread, aerosol, mask, contact, outbreak, epidemic, contagio",
    "clinical outcomes": "hospitali, mortality, icu, comorbid, death, severe, outcome",
    "testing": "test, diagnos, assay, pcr, saliva, detect",
    "virus biology": "protein, receptor, ace2, cell, genom, bat, animal, ferret",
    "children and pregnancy": "child, pediatric, paediatric, pregnan, kawasaki, school, infant",
    "society and mental health": "mental, anxiety, social, behavio, lockdown, public",
}
_TOPIC_WORDS = {
    topic: re.compile(r"\b(?:" + "|".join(map(re.escape, stems.split(", "))) + ")")
    for topic, stems in TOPICS.items()
}

# What a light rewrite replaces: words common in the real text, each with a near-synonym.
SUBSTITUTES = {
    "may": "might",
    "might": "may",
    "can": "could",
    "help": "aid",
    "helps": "aids",
    "relieve": "ease",
    "reduce": "lower",
    "increase": "raise",
    "patients": "people",
    "people": "individuals",
    "study": "analysis",
    "studies": "analyses",
    "showed": "found",
    "shows": "indicates",
    "significant": "notable",
    "important": "key",
    "common": "frequent",
    "commonly": "often",
    "however": "still",
    "effective": "useful",
    "risk": "chance",
    "treatment": "therapy",
    "severe": "serious",
}
_SUBSTITUTABLE = re.compile(r"\b(" + "|".join(SUBSTITUTES) + r")\b", re.IGNORECASE)

# Sentence ends: a stop, then space, then what starts a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|St|vs|Fig|No|al|e\.g|i\.e|approx)|\b[A-Z])\.$"
)
_BULLET = re.compile(r"^\s*(?:[•*·▪-]|\d{1,2}[.)])\s+")
# Abstract section labels ("BACKGROUND:", "Conclusions and Relevance:", "Methods We ..."),
# read as headings and as list labels; a bare "Abstract" is dropped.
_SECTION_LABEL = re.compile(
    r"^(?:Abstract\s+)?(?:([A-Z][A-Za-z]*(?:\s(?:[A-Z][A-Za-z]*|and|of)){0,4}):\s+"
    r"|((?i:background|objectives?|methods?|results?|conclusions?|findings|interpretation"
    r"|importance|summary|introduction|purpose|aims?))\s+(?=[A-Z0-9]))"
    r"|^Abstract\s+"
)


@dataclass
class Topic:
    """The real text of one topic: sentences to sample, and titles, headings, labels."""

    name: str
    sentences: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def split_sentences(text: str) -> list[str]:
    """Sentences of running text, by a simple regex; "Dr. Claflin" stays in one."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] += " " + piece
        else:
            pieces.append(piece)
    return [p for p in pieces if p]


def usable(sentence: str) -> bool:
    """A whole sentence worth reusing: 5-60 words, capitalised, closed, parentheses paired."""
    words = sentence.split()
    return (
        5 <= len(words) <= 60
        and sentence[0].isupper()
        and sentence[-1] in '.!?"”’)'
        and sentence.count("(") == sentence.count(")")
    )


def topic_of(text: str) -> str:
    """The topic whose word beginnings ``text`` has most (the first on a tie)."""
    lower = text.lower()
    hits = {topic: len(words.findall(lower)) for topic, words in _TOPIC_WORDS.items()}
    best = max(hits, key=hits.__getitem__)
    return best if hits[best] else "general"


def _short(line: str, words: int = 9) -> bool:
    return 1 <= len(line.split()) <= words


def read_article(text: str, topic: Topic) -> None:
    """Add a plain-text article's title, headings, bullet labels and sentences to ``topic``."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines:
        topic.titles.append(lines[0])
    for line in lines[1:]:
        bullet = _BULLET.match(line)
        if bullet:
            item = line[bullet.end() :]
            label, colon, rest = item.partition(":")
            if colon and _short(label, 6):
                topic.labels.append(label.strip())
                topic.sentences.extend(s for s in split_sentences(rest) if usable(s))
            elif _short(item, 4):
                topic.labels.append(item)
            else:
                topic.sentences.extend(s for s in split_sentences(item) if usable(s))
        elif _short(line, 10) and line[-1] not in ".:":
            if line not in topic.titles:
                topic.headings.append(line)
        else:
            topic.sentences.extend(s for s in split_sentences(line) if usable(s))


def read_abstract(title: str, sentences: list[str], topic: Topic) -> None:
    """Add an abstract's title, section labels (as headings) and sentences to ``topic``."""
    topic.titles.append(title.strip().strip("[]").rstrip("."))
    if _short(title, 8):
        topic.headings.append(title.strip().rstrip("."))
    for sentence in sentences:
        label = _SECTION_LABEL.match(sentence)
        if label:
            name = (label.group(1) or label.group(2) or "").strip().capitalize()
            if name:  # "RESULTS: ..." is a real "Label: sentence" item
                topic.headings.append(name)
                topic.labels.append(name)
            sentence = sentence[label.end() :]
        topic.sentences.extend(s for s in split_sentences(sentence) if usable(s))


def real_text() -> tuple[dict[str, Topic], str]:
    """The real text by topic, and a line saying where it came from."""
    topics: dict[str, Topic] = {}

    def topic(name: str) -> Topic:
        return topics.setdefault(name, Topic(name))

    seeds = sorted(SEEDS.glob("*.txt"))
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        read_article(text, topic(topic_of(text)))
    origin = f"{len(seeds)} seed articles"
    if CHECK_COVID.is_file():
        lines = CHECK_COVID.read_text(encoding="utf-8").splitlines()
        for line in lines:  # JSON Lines, despite the extension
            record = json.loads(line)
            title = " ".join(record.get("title", "").split())
            abstract = [" ".join(s.split()) for s in record.get("abstract") or []]
            read_abstract(title, abstract, topic(topic_of(" ".join([title] * 3 + abstract))))
        origin += f" and {len(lines)} check_covid abstracts"
    else:
        print(f"check_covid absent ({CHECK_COVID}): using the seed articles only")
    # A topic needs sentences; its missing headings or labels come from all topics.
    topics = {name: t for name, t in sorted(topics.items()) if t.sentences and t.titles}
    every = Topic("all")
    for t in topics.values():
        for part in ("sentences", "titles", "headings", "labels"):
            getattr(every, part).extend(getattr(t, part))
    for t in topics.values():
        t.headings = t.headings or every.headings
        t.labels = t.labels or every.labels or every.headings
    return topics, origin


# An article is a title and blocks: ("p", [sentence, ...]), ("h", [heading]) or
# ("l", ["Label: sentence", ...]).
Article = tuple[str, list[tuple[str, list[str]]]]


def compose(topic: Topic, every: list[str], words: int, rng: random.Random) -> Article:
    """A new article of about ``words`` words on ``topic``."""
    used: set[str] = set()

    def sentence() -> str:
        for _ in range(4):  # a few tries to avoid repeating a sentence within the article
            pool = topic.sentences if rng.random() < TOPIC_SHARE else every
            choice = rng.choice(pool)
            if choice not in used:
                break
        used.add(choice)
        return choice

    blocks: list[tuple[str, list[str]]] = []
    count = 0
    while count < words:
        roll = rng.random()
        if blocks and blocks[-1][0] != "h" and roll < 0.15:
            block = ("h", [rng.choice(topic.headings)])
        elif roll < 0.27:
            block = (
                "l",
                [f"{rng.choice(topic.labels)}: {sentence()}" for _ in range(rng.randint(3, 5))],
            )
        else:
            block = ("p", [sentence() for _ in range(rng.randint(3, 6))])
        size = sum(len(text.split()) for text in block[1])
        if blocks and count + size - words > words - count:
            break  # stopping short is nearer the target than adding this block
        blocks.append(block)
        count += size
    if blocks[-1][0] == "h":
        blocks.pop()
    return rng.choice(topic.titles), blocks


def rewrite(article: Article, rng: random.Random) -> Article:
    """A light rewrite: sentences shuffled within blocks, neighbours swapped, words replaced."""
    title, blocks = article

    def substitute(match: re.Match[str]) -> str:
        word = match.group()
        if rng.random() >= SUBSTITUTE_SHARE:
            return word
        new = SUBSTITUTES[word.lower()]
        return new.capitalize() if word[0].isupper() else new

    new_blocks = []
    for kind, texts in blocks:
        texts = [_SUBSTITUTABLE.sub(substitute, text) for text in texts]
        if kind != "h":
            rng.shuffle(texts)
        new_blocks.append((kind, texts))
    for i in range(len(new_blocks) - 1):
        if rng.random() < 0.2 and "h" not in (new_blocks[i][0], new_blocks[i + 1][0]):
            new_blocks[i], new_blocks[i + 1] = new_blocks[i + 1], new_blocks[i]
    return title, new_blocks


def render(article: Article) -> str:
    """The article as a .txt file: title, blank line, blocks separated by blank lines."""
    title, blocks = article
    parts = [title]
    for kind, texts in blocks:
        if kind == "p":
            parts.append(" ".join(texts))
        elif kind == "l":
            parts.append("\n".join("- " + text for text in texts))
        else:
            parts.append(texts[0])
    return "\n\n".join(parts) + "\n"


def _file_names(n: int) -> list[str]:
    width = max(4, len(str(n - 1)))
    return [f"{i:0{width}d}.txt" for i in range(n)]


def _prepare(out_dir: Path, force: bool) -> None:
    """Make ``out_dir`` ready: create it, or clear what an earlier run of this script wrote.

    Refuses (FileExistsError) a non-empty directory this script did not make, unless forced.
    """
    marker = out_dir / MARKER
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} is a file; name a directory")
    if marker.is_file():
        for name in _file_names(json.loads(marker.read_text(encoding="utf-8"))["files"]):
            (out_dir / name).unlink(missing_ok=True)
        marker.unlink()
    elif out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise FileExistsError(
            f"{out_dir} is not empty and was not made by make_corpus.py; "
            "name an empty or new directory, or pass --force to write into it anyway"
        )
    out_dir.mkdir(parents=True, exist_ok=True)


def make_corpus(
    out_dir: Path, n: int, words: int = 600, seed: int = 0, *, force: bool = False
) -> dict:
    """Write ``n`` articles of ``words`` words on average into ``out_dir``; return the counts.

    Keys: files, words, bytes, seconds (to generate and write), origin (the real text
    used), topics (new articles per topic) and rewrite_of ({source id of a rewrite: id of
    the article it rewrites}). Rewrites of one article are near-copies of each other too.
    """
    if n < 1 or words < 1:
        raise ValueError(f"need at least one article of one word, not n={n}, words={words}")
    out_dir = Path(out_dir)
    _prepare(out_dir, force)
    started = time.perf_counter()
    topics, origin = real_text()
    every = [s for name in sorted(topics) for s in topics[name].sentences]
    # A small topic would make its articles near-copies of each other: its sentences
    # are drawn only as the share from everything.
    names = [name for name in sorted(topics) if len(topics[name].sentences) >= MIN_TOPIC]
    names = names or sorted(topics)
    weights = [math.sqrt(len(topics[name].sentences)) for name in names]
    rng = random.Random(seed)
    marker = out_dir / MARKER
    manifest = {"files": n, "words": words, "seed": seed, "rewrite_of": {}}
    # Written first, so that an interrupted run's directory is still known as this script's.
    marker.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    articles: list[Article] = []
    rewrite_of: dict[str, str] = {}
    per_topic = dict.fromkeys(names, 0)
    total_words = total_bytes = 0
    files = _file_names(n)
    for name in files:
        if articles and rng.random() < REWRITE_SHARE:
            original = rng.randrange(len(articles))
            article = rewrite(articles[original], rng)
            rewrite_of[Path(name).stem] = Path(files[original]).stem
        else:
            topic = rng.choices(names, weights)[0]
            per_topic[topic] += 1
            article = compose(topics[topic], every, round(words * rng.uniform(0.5, 1.5)), rng)
        articles.append(article)
        text = render(article)
        data = text.encode("utf-8")
        (out_dir / name).write_bytes(data)
        total_words += len(text.split())
        total_bytes += len(data)
    manifest["rewrite_of"] = rewrite_of
    marker.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return {
        "files": n,
        "words": total_words,
        "bytes": total_bytes,
        "seconds": time.perf_counter() - started,
        "origin": origin,
        "topics": per_topic,
        "rewrite_of": rewrite_of,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: make_corpus.py /tmp/corpus --sources 10000 --words 600 --seed 0",
    )
    parser.add_argument(
        "out_dir", nargs="?", type=Path, help="where to write (default: a temporary directory)"
    )
    parser.add_argument("--sources", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--words", type=int, default=600, help="mean words per article")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="write into a non-empty directory")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-corpus-") as scratch:
        out_dir = args.out_dir or Path(scratch) / "corpus"
        try:
            counts = make_corpus(out_dir, args.sources, args.words, args.seed, force=args.force)
        except (FileExistsError, ValueError) as error:
            print(f"make_corpus: error: {error}", file=sys.stderr)
            return 2
    print(
        f"{counts['files']} files ({len(counts['rewrite_of'])} rewrites of earlier ones), "
        f"{counts['words']:,} words, {counts['bytes'] / 1e6:.1f} MB "
        f"in {counts['seconds']:.1f} s from {counts['origin']}"
        + ("" if args.out_dir else " (temporary directory, removed)")
        + f" -> {out_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
