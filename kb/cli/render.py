"""How the `kb` command shows things on a terminal: tables, the check's answer, a build's
line and its progress bar. Text from sources is shown with control characters escaped."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

from kb.progress import BUILD_STEPS

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


def render_table(
    rows: list[dict[str, Any]], columns: Sequence[str], width: int | None = None
) -> str:
    """A plain-text table; the widest column is cut with "…" to fit ``width`` (default:
    the terminal's, see table_width; 0: cut nothing).

    >>> print(render_table([{"id": "a", "title": "Acupuncture"}], ["id", "title"]))
    id  title
    --  -----------
    a   Acupuncture
    """
    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    width = table_width() if width is None else width
    while width and sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    lines = [list(columns), ["-" * w for w in widths], *cells]
    return "\n".join(
        "  ".join(_fit(value, widths[i]) for i, value in enumerate(line)).rstrip() for line in lines
    )


def table_width() -> int:
    """The width tables are cut to: the terminal's (or $COLUMNS when set); 0, nothing cut,
    when standard output is not a terminal: a file or a pipe gets every label whole."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return 0
    return shutil.get_terminal_size((120, 24)).columns


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
    """A one-line progress bar on a terminal, over every step of a build (kb.progress),
    with the time left; silent when the stream is not a terminal, so that logs and pipes
    get only the summary.

    The time left: of reading, at the rate sources were read so far; of a later step,
    what it took in the KB's last build less the time it has run; a first build, which
    has no last one, counts the later steps as READ_SHARE of its reading (at 10,000
    sources they took 17 s after 338 s of reading)."""

    READ_SHARE = 0.05

    def __init__(
        self, stream: IO[str], width: int = 30, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.stream = stream
        self.width = width
        self.enabled = stream.isatty()
        self.clock = clock
        self.expected: dict[str, float] = {}
        self.step, self.step_started = "reading", clock()
        self.read_seconds = 0.0  # how long reading took, once it is over
        self.files = 0  # sources read in this build

    def __call__(self, done: int, total: int, label: str) -> None:
        self.files = total
        if not self.enabled or total < PROGRESS_MIN_FILES:
            return
        elapsed = self.clock() - self.step_started
        left = elapsed / done * (total - done) + self._left(BUILD_STEPS[1:], elapsed / done * total)
        filled = self.width * done // total
        bar = "█" * filled + "·" * (self.width - filled)
        self._draw(f"{bar} reading {done}/{total} {cell(label)[:30]:<30} {_duration(left)} left")

    def stage(self, name: str, expected: dict[str, float]) -> None:
        """A step of the build begins (kb.progress.BUILD_STEPS), or "done"."""
        now = self.clock()
        if self.step == "reading" and name != "reading":
            self.read_seconds = now - self.step_started
        self.step, self.step_started, self.expected = name, now, dict(expected)
        if not self.enabled:
            return
        if name == "done":
            self._draw("")
            return
        if name == "reading":
            return  # the bar draws as sources are read
        index = BUILD_STEPS.index(name)
        position = f"step {index + 1}/{len(BUILD_STEPS)}"
        left = self._left(BUILD_STEPS[index:], self.read_seconds)
        self._draw(f"{position}: {name} (read {self.files} sources) {_duration(left)} left")

    def _left(self, steps: Sequence[str], reading: float) -> float:
        """Seconds ``steps`` (after reading) are expected to take; ``reading``: how long
        reading takes or took, for a first build."""
        if not self.expected:
            return self.READ_SHARE * reading * len(steps) / (len(BUILD_STEPS) - 1)
        return sum(self.expected.get(s, 0.0) for s in steps)

    def _draw(self, line: str) -> None:
        """Draw ``line`` over the last one, within the terminal's width (a line that
        wrapped would not be drawn over); an empty line clears it."""
        room = min(100, shutil.get_terminal_size((100, 24)).columns - 1)
        self.stream.write("\r" + line[:room].ljust(room) + ("\r" if not line else ""))
        self.stream.flush()


def _duration(seconds: float) -> str:
    """``seconds`` as a time left reads: "0:07", "12:30", "1:02:05".

    >>> _duration(7.4), _duration(750), _duration(3725)
    ('0:07', '12:30', '1:02:05')
    """
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def print_report(done: str, report: BuildReport) -> None:
    """The skipped files and warnings on stderr, then one line of what changed."""
    for skipped in report.skipped:
        print(f"kb: skipped {shown(skipped.path)}: {shown(skipped.reason)}", file=sys.stderr)
    for warning in report.warnings:
        print(f"kb: warning: {shown(warning)}", file=sys.stderr)
    if report.unmatched_references:
        keys = report.unmatched_references
        more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
        print(
            f"kb: warning: {len(keys)} reference(s) match no source: "
            f"{shown(', '.join(keys[:5]))}{more}; they need the source's DOI, URL or file name",
            file=sys.stderr,
        )
    what = (
        f"{report.added} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed"
    )
    if report.kept:  # sources from earlier builds that this one was not given
        what += f", {report.kept} kept"
    if report.resumed:  # read by a build that was stopped, taken from its journal
        what += f"; {report.resumed} of them resumed from a stopped build"
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
    # The statement's id last: what `kb curate` takes to reject or move it.
    columns = ["score", "via", "type", "source", "start", "quote", "claim", "id"]
    print(render_table(rows, columns) if rows else "no statement says that")
    if result.claims:
        print()
        claims = [{"type": c.claim_type, "claim": c.label, "id": c.id} for c in result.claims]
        print(render_table(claims, ["type", "claim", "id"]))
    how = "words and meaning" if result.by_meaning else "words (meaning: no sentence vectors)"
    print(f"{len(result.statements)} statements, {len(result.claims)} claims; searched by {how}",
          file=sys.stderr)  # fmt: skip
