"""The `kb` command: thin verbs over kb.api. The only place errors become exit codes.

Each verb opens the store, calls one library function and prints. A KbError becomes one
line on stderr ("kb: error: ...") and its exit code; nothing is half-written. Text from
sources (quotes, titles, file names) is shown with control characters escaped, so that
a page cannot drive the terminal; JSON and CSV keep it exact.

kb.api (pandas, spaCy) is imported by the verbs that need it, so that `kb --version`
and `kb -h` answer at once.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kb import DISTRIBUTION, __version__
from kb.analyze.agreement import STATUSES
from kb.analyze.conflicts import CONFLICT_KINDS
from kb.cite import CITATION_STYLES
from kb.errors import ExportError, KbError, StorageError, describe_os_error
from kb.model import CLAIM_TYPES
from kb.outfile import write_output

if TYPE_CHECKING:
    from kb.pipeline import BuildReport

__all__ = ["ProgressBar", "main", "render_table", "shown"]

# A progress bar for a build of more than a handful of files.
PROGRESS_MIN_FILES = 6


# ---------------------------------------------------------------- output helpers


def render_table(rows: list[dict[str, Any]], columns: Sequence[str], width: int = 0) -> str:
    """A plain-text table; the widest column is cut with "…" to fit ``width``.

    >>> print(render_table([{"id": "a", "title": "Acupuncture"}], ["id", "title"]))
    id  title
    --  -----------
    a   Acupuncture
    """
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
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


def _cell(value: Any) -> str:
    """A value on one line of a table: whitespace runs as one space, controls escaped."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return shown(" ".join(str(value).split()))


def _whole_number(low: int, high: int, wanted: str) -> Callable[[str], int]:
    """An argparse type for whole numbers from ``low`` to ``high``: "0" or "two" is a
    usage error that says what to give (``wanted``)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {value!r}")
        return number

    return parse


_positive_int = _whole_number(1, sys.maxsize, "a whole number of at least 1")
_port = _whole_number(1, 65535, "a port from 1 to 65535")


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
        self.stream.write(f"\r{bar} {done}/{total} {_cell(label)[:40]:<40}")
        if done == total:
            self.stream.write("\r" + " " * (self.width + 52) + "\r")
        self.stream.flush()


def _write_output(text: str, output: str | None) -> None:
    """Print, or write ``output`` safely (see kb.outfile) and say so on stderr."""
    if write_output(text, output):
        print(f"wrote {shown(str(output))}", file=sys.stderr)


# ---------------------------------------------------------------- verbs


def cmd_build(args: argparse.Namespace) -> int:
    from kb import api

    lexicon = api.load_lexicon(args.lexicon) if args.lexicon else None
    report = api.build(
        args.paths,
        args.kb,
        lexicon=lexicon,
        progress=ProgressBar(sys.stderr),
        workers=args.workers,
        prune=args.prune,
    )
    _print_report("built", report)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from kb import api

    report = api.remove(args.source_ids, args.kb, progress=ProgressBar(sys.stderr))
    _print_report("updated", report)
    return 0


def _print_report(done: str, report: BuildReport) -> None:
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


def cmd_sources(args: argparse.Namespace) -> int:
    from kb import api

    base = api.open_kb(args.kb)
    records = base.source_records()
    if args.format == "table":
        columns = ["id", "kind", "words", "author", "title", "near_duplicates"]
        print(render_table(records, columns))
    else:
        sys.stdout.write(
            api.format_records(records, list(records[0]) if records else [], args.format)
        )
    return 0


def _certainty_mix(mix: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in mix.items() if n)


def cmd_claims(args: argparse.Namespace) -> int:
    from kb import api

    base = api.open_kb(args.kb)
    records = base.claim_records(args.type, args.status)
    if args.format == "table":
        rows = [
            {
                **r,
                "type": r["claim_type"],
                "affirm": len(r["affirming"]),
                "negate": len(r["negating"]),
                "indep": r["independent"],
                "certainty": _certainty_mix(r["certainty"]),
            }
            for r in records
        ]
        columns = ["type", "affirm", "negate", "indep", "certainty", "label", "id"]
        print(render_table(rows, columns))
        print(f"{len(records)} claims", file=sys.stderr)
    else:
        sys.stdout.write(api.format_records(records, api.CLAIM_FIELDS, args.format))
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from kb import api

    records = api.open_kb(args.kb).conflict_records(args.kind)
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    for n, record in enumerate(records, start=1):
        print(f"{n}. [{record['kind']}] {_cell(record['topic'])}  ({record['id']})")
        print(f"   {_cell(record['detail'])}")
        for side in record["sides"]:
            print(f"   ▸ {_cell(side['position'])} — {_cell(side['sources'])}")
            for st in side["statements"]:
                print(f"       {_cell(st['source'])} [{st['start']}:{st['end']}] "
                      f"“{_cell(st['quote'])}”")  # fmt: skip
        print()
    print(f"{len(records)} conflicts", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from kb import api

    text = _utf8(_read_stdin() if args.text == "-" else args.text)
    base = api.open_kb(args.kb)
    result = base.check(text, semantic=args.semantic)
    backing = [sid for s in result["sentences"] for sid in s["sources"]["supports"]]
    if args.cite:
        result["citations"] = base.cite(backing, args.cite)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    if result.get("message"):
        print(_cell(result["message"]))
    for sentence in result["sentences"]:
        print(f"“{_cell(sentence['text'])}”")
        read = "; ".join(
            f"{r['claim_type']}: {r['object'] or '(no concept)'}"
            + (" (negated)" if r["polarity"] == "negated" else "")
            for r in sentence["statements"]
        )
        print(f"  kb reads: {_cell(read) or 'no claim'}")
        counts = {k: len(v) for k, v in sentence["sources"].items()}
        print(f"  sources: {counts['supports']} support, {counts['contradicts']} contradict")
        if sentence["overclaim"]:
            print(f"  ⚠ overclaim: {_cell(sentence['overclaim']['reason'])}")
        for match in sentence["matches"][: args.limit]:
            meaning = f", meaning {match['meaning']}" if "meaning" in match else ""
            print(f"  [{match['verdict']}] {_cell(match['claim'])}  (score {match['score']}, "
                  f"via {match['via']}{meaning}, {match['claim_id']})")  # fmt: skip
            for st in match["statements"]:
                if st["verdict"] == "related" and match["verdict"] != "related":
                    continue
                print(f"      {st['verdict']:<11} {_cell(st['source'])} "
                      f"[{st['start']}:{st['end']}] “{_cell(st['quote'])}”")  # fmt: skip
            if "shown" in match:  # a large KB: some sources counted but not quoted
                counts = ", ".join(f"{n:,} {v}" for v, n in match["source_counts"].items() if n)
                print(f"      … {match['shown']} ({counts})")
        print()
    if args.cite:
        print(shown(result["citations"]))
    return 0


def _read_stdin() -> str:
    """Standard input as text, decoded as UTF-8 whatever the locale (a C locale would
    let undecodable bytes through as surrogates)."""
    if not hasattr(sys.stdin, "buffer"):  # already text (a test's StringIO)
        return sys.stdin.read()
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KbError(
            f"the text on standard input is not UTF-8 (byte {exc.start}); save it as UTF-8 "
            "and check it again"
        ) from None


def _utf8(text: str) -> str:
    """``text``, refused in one line when it holds bytes that were not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise KbError(
            f"the text to check is not UTF-8 (character {exc.start}); give it as UTF-8"
        ) from None
    return text


def cmd_eval(args: argparse.Namespace) -> int:
    from kb import api

    report = api.open_kb(args.kb).evaluate(args.gold)
    summary = report.summary()
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    else:
        for name in ("statement_recall", "claim_type_accuracy", "grouping_precision",
                     "grouping_recall", "polarity_accuracy", "certainty_accuracy"):  # fmt: skip
            print(f"{name:22s} {summary[name]:.3f}")
        pairs = summary["pairs"]
        print(f"{'gold mentions':22s} {summary['gold_mentions']}")
        counts = f"gold {pairs['gold']}, predicted {pairs['predicted']}, both {pairs['both']}"
        print(f"{'pairs':22s} {counts}")
    if args.show_errors:
        for mention in report.misses:
            print(_cell(f"missed   {mention.claim} {mention.source}: {mention.fragment}"))
        for mention, got in report.mistyped:
            print(_cell(f"mistyped {mention.claim} ({mention.claim_type} → {got}) "
                        f"{mention.source}: {mention.fragment}"))  # fmt: skip
        for a, b in report.split:
            print(shown(f"split    {a.claim}: {a.source} {a.fragment!r} / "
                        f"{b.source} {b.fragment!r}"))  # fmt: skip
        for a, b in report.merged:
            print(shown(f"merged   {a.claim} + {b.claim}: {a.fragment!r} / {b.fragment!r}"))
    return 0


# The formats an export's file name may imply; any other extension is refused, not
# silently written as JSON Lines.
_EXPORT_SUFFIXES = ("jsonl", "json", "csv", "graphml")


def cmd_export(args: argparse.Namespace) -> int:
    from kb import api

    fmt = args.format or _format_for(args.what, args.output or "")
    base = api.open_kb(args.kb)
    _write_output(base.export(args.what, fmt), args.output)
    return 0


def _format_for(what: str, output: str) -> str:
    """The export format a file name implies: "x.csv" → csv, "x.graphml" → graphml; a name
    without an extension (or standard output) gets jsonl (graphml for the graph)."""
    suffix = Path(output).suffix.lstrip(".").lower()
    if suffix in _EXPORT_SUFFIXES:
        return suffix
    if suffix and not output.startswith("/dev/"):
        raise ExportError(
            f"kb cannot write {output!r} as .{suffix}; name the file "
            f".jsonl, .json or .csv (.graphml or .json for the graph), or pass --format"
        )
    return "graphml" if what == "graph" else "jsonl"


def _refuse_taken_port(host: str, port: int) -> None:
    """Fail in one line, before Streamlit starts, when the port is taken: Streamlit
    itself would print a traceback."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise KbError(
            f"cannot serve on {host}:{port} ({exc.strerror or exc}); pass another --port "
            "(or --host)"
        ) from None


def cmd_dashboard(args: argparse.Namespace) -> int:
    import importlib.util

    from kb import api

    spec = importlib.util.find_spec("dashboard")
    if spec is None or not spec.submodule_search_locations:
        raise KbError("the dashboard is not installed; reinstall kb with `pip install -e .`")
    app = Path(next(iter(spec.submodule_search_locations))) / "app.py"
    kb_path = Path(args.kb).resolve()
    api.open_kb(kb_path)  # fail here, in one line, rather than in the browser
    _refuse_taken_port(args.host, args.port)
    env = {**os.environ, "KB_PATH": str(kb_path)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", args.host, "--server.port", str(args.port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    where = f"http://{'localhost' if args.host == '127.0.0.1' else args.host}:{args.port}"
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        where += " (reachable from other machines: anyone who can reach it reads the KB)"
    print(f"kb dashboard on {where} (Ctrl+C to stop)", file=sys.stderr)
    sys.stderr.flush()
    sys.stdout.flush()
    # Streamlit takes this process's place, so that a signal to `kb dashboard` (SIGTERM
    # from a service manager, Ctrl+C) stops the server itself; a child would outlive it.
    os.execve(sys.executable, command, env)
    return 0  # not reached


# ---------------------------------------------------------------- parser

_EPILOG = "Examples are in each verb's help: kb build -h"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kb",
        description="kb — an evidence and claims knowledge base.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"kb {__version__}")
    parser.add_argument(
        "--kb",
        default=None,
        metavar="PATH",
        help="the KB file (default: $KB_PATH or data/kb.sqlite)",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str, example: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--kb", default=argparse.SUPPRESS, metavar="PATH", help="the KB file")
        return sub

    build = verb(
        "build",
        "read files and directories into the KB; only changed files are reprocessed",
        "kb build data/sources more/article.html",
    )
    build.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default data/sources)"
    )
    build.add_argument(
        "--lexicon",
        action="append",
        metavar="DIR",
        help="lexicon folder or file (repeatable; default $KB_LEXICON, else the lexicon "
        "shipped with kb)",
    )
    build.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="processes that read and extract files (default: one per core)",
    )
    build.add_argument(
        "--prune",
        action="store_true",
        help="also remove the KB's sources whose files are not among these PATHs "
        "(default: keep them; a source goes when its file is gone from a folder given)",
    )
    build.set_defaults(func=cmd_build)

    remove = verb(
        "remove",
        "remove sources from the KB on purpose (their files are left alone)",
        "kb remove 003_a243d097950171fd",
    )
    remove.add_argument("source_ids", nargs="+", metavar="SOURCE_ID",
                        help="ids as `kb sources` lists them")  # fmt: skip
    remove.set_defaults(func=cmd_remove)

    sources = verb("sources", "list the sources in the KB", "kb sources --format csv > sources.csv")
    sources.add_argument("--format", choices=["table", "json", "csv"], default="table")
    sources.set_defaults(func=cmd_sources)

    claims = verb(
        "claims",
        "list the claims with how many sources affirm and negate each, and their certainty",
        "kb claims --type safety",
    )
    claims.add_argument("--type", choices=list(CLAIM_TYPES), default=None, help="one claim type")
    claims.add_argument("--status", choices=list(STATUSES), default=None,
                        help="contested (in a conflict, or a source negates it), agreed (two "
                        "or more independent sources, none against) or one voice")  # fmt: skip
    claims.add_argument("--format", choices=["table", "json", "csv"], default="table")
    claims.set_defaults(func=cmd_claims)

    check = verb(
        "check",
        "say which sources back or contradict each sentence of a text, with quotes",
        'kb check "Needles stay in for 25 minutes" --cite markdown',
    )
    check.add_argument("text", metavar="TEXT", help="the text to check; - reads it from stdin")
    check.add_argument("--format", choices=["table", "json"], default="table")
    check.add_argument("--cite", choices=list(CITATION_STYLES), default=None,
                       help="also print citations of the backing sources")  # fmt: skip
    check.add_argument("--limit", type=_positive_int, default=5, metavar="N",
                       help="claims shown per sentence in the table (default 5)")  # fmt: skip
    check.add_argument("--semantic", action=argparse.BooleanOptionalAction, default=None,
                       help="also match by meaning with sentence embeddings (pip install "
                       f"'{DISTRIBUTION}[semantic]'); default: once the KB's vectors "
                       "exist")  # fmt: skip
    check.set_defaults(func=cmd_check)

    evaluation = verb(
        "eval",
        "score the KB's statements and claims against a gold annotation",
        "kb eval tests/gold/seeds.yaml --show-errors",
    )
    evaluation.add_argument("gold", metavar="GOLD", help="a gold YAML file")
    evaluation.add_argument("--format", choices=["table", "json"], default="table")
    evaluation.add_argument(
        "--show-errors", action="store_true", help="list missed, mistyped, split and merged"
    )
    evaluation.set_defaults(func=cmd_eval)

    conflicts = verb(
        "conflicts",
        "list where sources disagree, with the quotes on each side",
        "kb conflicts --kind numeric",
    )
    conflicts.add_argument("--kind", choices=list(CONFLICT_KINDS), default=None,
                           help="one kind of conflict")  # fmt: skip
    conflicts.add_argument("--format", choices=["table", "json"], default="table")
    conflicts.set_defaults(func=cmd_conflicts)

    export = verb(
        "export",
        "write the KB's statements, claims, conflicts or sources as JSON Lines, JSON or CSV, "
        "or its graph as GraphML or node-link JSON",
        "kb export graph --format graphml -o kb.graphml",
    )
    export.add_argument("what", choices=["statements", "claims", "conflicts", "sources", "graph"])
    export.add_argument("--format", choices=["jsonl", "json", "csv", "graphml"], default=None,
                        help="default: from the file's extension, else jsonl (graphml for "
                        "the graph)")  # fmt: skip
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default stdout)")
    export.set_defaults(func=cmd_export)

    dashboard = verb(
        "dashboard", "serve the Streamlit dashboard on the KB", "kb dashboard --port 8502"
    )
    dashboard.add_argument("--port", type=_port, default=8501, help="default 8501")
    dashboard.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 shares "
        "the KB with every machine that can reach this one)",
    )
    dashboard.set_defaults(func=cmd_dashboard)
    return parser


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl+C, so that a build's workers and temporary
    file are cleaned up and kb says what happened."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from kb.api import default_kb_path  # after parsing: `kb --version` needs no pandas

    args.kb = args.kb or str(default_kb_path())
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.func(args)
    except KbError as exc:
        _error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        print("kb: interrupted; the KB was not changed", file=sys.stderr)
        return 130
    except _Terminated:
        print("kb: stopped (SIGTERM); the KB was not changed", file=sys.stderr)
        return 128 + signal.SIGTERM
    except BrokenPipeError:  # `kb export ... | head` is not an error
        sys.stderr.close()
        return 0
    except OSError as exc:  # the machine refused (a full disk, no permission), not a bug
        problem = describe_os_error(exc)
        if problem is None:
            return _internal_error(exc)
        _error(f"{exc.filename or 'kb'}: {problem}")
        return StorageError.exit_code
    except Exception as exc:  # a bug: say so in one line; KB_DEBUG=1 shows the traceback
        return _internal_error(exc)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _error(message: str) -> None:
    """One line on stderr, whatever the message holds (a file name with a newline)."""
    print(f"kb: error: {shown(message)}", file=sys.stderr)


def _internal_error(exc: Exception) -> int:
    if os.environ.get("KB_DEBUG"):
        raise exc
    print(
        f"kb: internal error: {type(exc).__name__}: {shown(str(exc))}; rerun with KB_DEBUG=1 "
        "and report it",
        file=sys.stderr,
    )
    return 70
