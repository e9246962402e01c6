"""How the `kb` command shows things on a terminal: tables, the check's answer, a build's
line and its progress bar. Text from sources is shown with control characters escaped."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.api.search import SearchResult
    from kb.model import CheckResult
    from kb.pipeline import BuildReport

# A progress bar for a build of more than a handful of files.
PROGRESS_MIN_FILES = 6

__all__ = [
    "ProgressBar",
    "cell",
    "certainty_mix",
    "print_check",
    "print_report",
    "print_search",
    "render_table",
    "shown",
]


# ---------------------------------------------------------------- output helpers


def render_table(rows: list[dict[str, Any]], columns: Sequence[str], width: int = 0) -> str:
    """A plain-text table; the widest column is cut with "…" to fit ``width``.

    >>> print(render_table([{"id": "a", "title": "Acupuncture"}], ["id", "title"]))
    id  title
    --  -----------
    a   Acupuncture
    """
    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    width = width or shutil.get_terminal_size((120, 24)).columns
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    lines = [list(columns), ["-" * w for w in widths], *cells]
    return "\n".join(
        "  ".join(_fit(value, widths[i]) for i, value in enumerate(line)).rstrip() for line in lines
    )


# Characters that drive a terminal rather than show: C0 and C1 controls (ESC starts the
# sequences that clear the screen or set the window title), DEL, and the bidirectional
# controls that make text display in another order than it reads.
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x61C, 0x200E, 0x200F,
             *range(0x202A, 0x202F), *range(0x2066, 0x206A)]  # fmt: skip
_ESCAPED = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _CONTROLS}


def shown(text: str) -> str:
    r"""Text as it may go to a terminal: every control character escaped, so that a
    source's text, title or file name can only be read, never obeyed.

    >>> print(shown("Title\x1b]0;owned\x07 here\u202e"))
    Title\x1b]0;owned\x07 here\u202e
    """
    return text.translate(_ESCAPED)


def cell(value: Any) -> str:
    """A value on one line of a table: whitespace runs as one space, controls escaped."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return shown(" ".join(str(value).split()))


def _fit(value: str, width: int) -> str:
    return value.ljust(width) if len(value) <= width else value[: width - 1] + "…"


class ProgressBar:
    """A one-line progress bar on a terminal; silent when the stream is not a terminal,
    so that logs and pipes get only the summary."""

    def __init__(self, stream: IO[str], width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.enabled = stream.isatty()

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled or total < PROGRESS_MIN_FILES:
            return
        filled = self.width * done // total
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{bar} {done}/{total} {cell(label)[:40]:<40}")
        if done == total:
            self.stream.write("\r" + " " * (self.width + 52) + "\r")
        self.stream.flush()


def print_report(done: str, report: BuildReport) -> None:
    """The skipped files and warnings on stderr, then one line of what changed."""
    for skipped in report.skipped:
        print(f"kb: skipped {shown(skipped.path)}: {shown(skipped.reason)}", file=sys.stderr)
    for warning in report.warnings:
        print(f"kb: warning: {shown(warning)}", file=sys.stderr)
    what = (
        f"{report.added} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed"
    )
    if report.kept:  # sources from earlier builds that this one was not given
        what += f", {report.kept} kept"
    print(
        f"{done} {shown(str(report.kb_path))}: {report.sources} sources ({what}), "
        f"{len(report.skipped)} skipped, {report.statements} statements, "
        f"{report.claims} claims ({report.claims_written} claims and "
        f"{report.conflicts_written} conflicts written) in {report.seconds:.1f} s"
    )


def certainty_mix(mix: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in mix.items() if n)


def print_check(result: CheckResult, limit: int) -> None:
    """`kb check`'s answer as text: per sentence, what kb read, its outcome, the sources
    that support and contradict it (strongest first, up to ``limit`` per verdict) each
    with its best quote and why, an overclaim, and up to ``limit`` matching claims; the
    quotes of a related claim are shown only when the result keeps them (``--related``)."""
    if result.message:
        print(cell(result.message))
    for sentence in result.sentences:
        print(f"“{cell(sentence.text)}”")
        read = "; ".join(
            f"{r.claim_type}: {r.object or '(no concept)'}"
            + (" (negated)" if r.polarity == "negated" else "")
            for r in sentence.statements
        )
        print(f"  kb reads: {cell(read) or 'no claim'}")
        sources = sentence.sources
        print(f"  {sentence.outcome}: {len(sources.supports)} support, "
              f"{len(sources.contradicts)} contradict")  # fmt: skip
        for verdict in ("supports", "contradicts"):
            taking = [v for v in sentence.verdicts if v.verdict == verdict]
            for v in taking[:limit]:
                mark = "✓" if verdict == "supports" else "✗"
                print(f"  {mark} {verdict:<11} {cell(v.source)}: {cell(v.reason)} "
                      f"(strength {v.strength:g}; {cell(v.claim)})")  # fmt: skip
                if v.quote is not None:
                    print(f"      [{v.quote.start}:{v.quote.end}] “{cell(v.quote.quote)}”")
            if len(taking) > limit:
                print(f"    … and {len(taking) - limit} more that {verdict[:-1]}")
        if sentence.overclaim:
            print(f"  ⚠ overclaim: {cell(sentence.overclaim.reason)}")
        for match in sentence.matches[:limit]:
            meaning = f", meaning {match.meaning}" if match.meaning is not None else ""
            print(f"  [{match.verdict}] {cell(match.claim)}  (score {match.score}, "
                  f"via {match.via}{meaning}, {match.claim_id})")  # fmt: skip
            if match.verdict == "related":
                for st in match.statements:
                    print(f"      {st.verdict:<11} {cell(st.source)} "
                          f"[{st.start}:{st.end}] “{cell(st.quote)}”")  # fmt: skip
            if match.shown is not None:  # a large KB: some sources counted but not quoted
                taken = match.source_counts or {}
                counts = ", ".join(f"{n:,} {v}" for v, n in taken.items() if n)
                print(f"      … {match.shown} ({counts})")
        print()


def print_search(result: SearchResult) -> None:
    """`kb search`'s answer as text: the statements found, with how (words, meaning), then
    the claims whose label holds the words; on stderr, whether meaning was searched."""
    rows = [
        {**hit.to_json(), "type": hit.statement.claim_type, "quote": hit.statement.quote}
        for hit in result.statements
    ]
    columns = ["score", "via", "type", "source", "start", "quote", "claim"]
    print(render_table(rows, columns) if rows else "no statement says that")
    if result.claims:
        print()
        claims = [{"type": c.claim_type, "claim": c.label, "id": c.id} for c in result.claims]
        print(render_table(claims, ["type", "claim", "id"]))
    how = "words and meaning" if result.by_meaning else "words (meaning: no sentence vectors)"
    print(f"{len(result.statements)} statements, {len(result.claims)} claims; searched by {how}",
          file=sys.stderr)  # fmt: skip
