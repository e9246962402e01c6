"""The verbs of the `kb` command: each opens the KB, calls kb.api and prints.

kb.api (pandas, spaCy) is imported inside the verbs, so that `kb --version` and `kb -h`
answer at once.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from dataclasses import replace
from pathlib import Path

from kb.cite import CITATION_STYLES
from kb.cli.render import (
    ProgressBar,
    cell,
    certainty_mix,
    print_check,
    print_report,
    print_search,
    render_table,
    shown,
)
from kb.errors import ExportError, KbError
from kb.outfile import BINARY_TO_STDOUT, write_output


def _write_output(data: str | bytes, output: str | None) -> None:
    """Print, or write ``output`` safely (see kb.outfile) and say so on stderr."""
    if write_output(data, output):
        print(f"wrote {shown(str(output))}", file=sys.stderr)


def _where(args: argparse.Namespace) -> dict[str, str | None]:
    """The filters a verb was given (see kb.cli._add_filters), as kb.api's listings take
    them; those the verb has not are left out."""
    names = {"source_kind": "source_kind", "site": "site", "since": "since", "until": "until",
             "type": "claim_type"}  # fmt: skip
    return {api: getattr(args, cli) for cli, api in names.items() if getattr(args, cli, None)}


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
        from_scratch=args.from_scratch,
        scheduler=args.scheduler,
        timeout=args.timeout,
        references=args.references,
    )
    print_report("built", report)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from kb import api

    report = api.remove(args.source_ids, args.kb, progress=ProgressBar(sys.stderr))
    print_report("updated", report)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from kb import api

    base = api.open_kb(args.kb)
    records = base.source_records(**_where(args))
    if args.format == "table":
        columns = ["id", "kind", "words", "author", "title", "near_duplicates"]
        if any(r["fetched"] for r in records):  # pages: where and when kb fetched them
            columns[5:5] = ["url", "fetched"]
        print(render_table(records, columns))
    else:
        sys.stdout.write(
            api.format_records(records, list(records[0]) if records else [], args.format)
        )
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from kb import api

    base = api.open_kb(args.kb)
    records = base.claim_records(status=args.status, **_where(args))
    if args.format == "table":
        rows = [
            {
                **r,
                "type": r["claim_type"],
                "affirm": len(r["affirming"]),
                "negate": len(r["negating"]),
                "oppose": len(r["opposing"]),
                "indep": r["independent"],
                "certainty": certainty_mix(r["certainty"]),
            }
            for r in records
        ]
        columns = ["type", "affirm", "negate", "oppose", "indep", "certainty", "label", "id"]
        print(render_table(rows, columns))
        print(f"{len(records)} claims", file=sys.stderr)
    else:
        sys.stdout.write(api.format_records(records, api.CLAIM_FIELDS, args.format))
    return 0


def cmd_lexicon(args: argparse.Namespace) -> int:
    from kb import api

    suggestions = api.open_kb(args.kb).suggest_lexicon(args.top)
    _write_output(api.suggestion_yaml(suggestions, str(args.kb or "")), args.output)
    counts = {c: sum(s.category == c for s in suggestions) for c in
              ("intervention", "outcome", "adverse_event", "comparator")}  # fmt: skip
    said = ", ".join(f"{n} {c.replace('_', ' ')}s" for c, n in counts.items())
    print(f"suggested {said}; review before you build with it", file=sys.stderr)
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from kb import api

    records = api.open_kb(args.kb).conflict_records(
        args.kind, args.min_confidence, dismissed=args.dismissed, **_where(args)
    )
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    for n, record in enumerate(records, start=1):
        status = "" if record["status"] == "open" else f" — {record['status']} by a curator"
        print(f"{n}. [{record['kind']}] {cell(record['topic'])}  ({record['id']}){status}")
        print(f"   why: {cell(record['detail'])}")
        confidence = record["confidence"]
        print(f"   confidence {confidence:.2f}: {api.confidence_note(confidence)}")
        for side in record["sides"]:
            print(f"   ▸ {cell(side['position'])} — {cell(side['sources'])}")
            for st in side["statements"]:
                print(f"       {cell(st['source'])} [{st['start']}:{st['end']}] "
                      f"“{cell(st['quote'])}”")  # fmt: skip
        print()
    print(f"{len(records)} conflicts", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from kb import api

    text = _utf8(_read_stdin() if args.text == "-" else args.text)
    base = api.open_kb(args.kb)
    result = base.check(text, semantic=args.semantic)
    if not args.related:
        result = result.without_related()
    if args.cite:
        result = replace(result, citations=base.cite(result.supporting_sources(), args.cite))
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_check(result, args.limit)
        if result.citations is not None:
            print(shown(result.citations))
    if args.fail_on:
        failing = result.fails(args.fail_on)
        if failing:
            print(f"kb: {len(failing)} of {len(result.sentences)} sentence(s) {args.fail_on}: "
                  f"“{cell(failing[0].text)}”" + (" …" if len(failing) > 1 else ""),
                  file=sys.stderr)  # fmt: skip
            return CHECK_FAILED
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from kb import api

    base = api.open_kb(args.kb)
    result = base.search_result(args.text, args.limit, args.semantic, **_where(args))
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    print_search(result)
    return 0


# The exit status of `kb check --fail-on` when a sentence fails the gate (2 is a usage or
# input error, as for every verb).
CHECK_FAILED = 1


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
    from kb.evaluate import EvalReport
    from kb.evaluate_check import CheckReport, ConflictReport

    report = api.open_kb(args.kb).evaluate(args.gold)
    summary = report.summary()
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    elif not isinstance(report, EvalReport):
        _print_summary(summary)
    else:
        for name in ("statement_recall", "statement_precision", "subject_accuracy",
                     "claim_type_accuracy", "grouping_precision", "grouping_recall",
                     "polarity_accuracy", "certainty_accuracy"):  # fmt: skip
            value = summary[name]
            # Precision needs an exhaustive gold, subject accuracy a gold with subjects.
            print(f"{name:22s} {'-' if value is None else format(value, '.3f')}")
        pairs = summary["pairs"]
        print(f"{'gold mentions':22s} {summary['gold_mentions']}")
        counts = f"gold {pairs['gold']}, predicted {pairs['predicted']}, both {pairs['both']}"
        print(f"{'pairs':22s} {counts}")
        judged = summary["statements"]
        if judged["judged"]:
            print(f"{'statements':22s} judged {judged['judged']}, confirmed {judged['confirmed']}")
    if args.show_errors and isinstance(report, CheckReport):
        for sentence, what, source in report.errors:
            print(cell(f"{what:<17} {sentence} {source}"))
    elif args.show_errors and isinstance(report, ConflictReport):
        for disagreement in report.missed:
            print(cell(f"missed   {disagreement.id} [{disagreement.kind}] "
                       f"{disagreement.description}"))  # fmt: skip
        for conflict in report.unlisted:
            sides = " / ".join(f"{side.position}: {', '.join(side.sources)}"
                               for side in conflict.sides)  # fmt: skip
            print(cell(f"unlisted {conflict.id} [{conflict.kind}] {conflict.topic} — {sides}"))
    elif args.show_errors:
        for mention in report.misses:
            print(cell(f"missed   {mention.claim} {mention.source}: {mention.fragment}"))
        misread = [("mistyped", report.mistyped, "claim_type"),
                   ("polarity", report.wrong_polarity, "polarity"),
                   ("certainty", report.wrong_certainty, "certainty")]  # fmt: skip
        for label, errors, field in misread:
            for mention, got in errors:
                print(cell(f"{label} {mention.claim} ({getattr(mention, field)} → {got}) "
                           f"{mention.source}: {mention.fragment}"))  # fmt: skip
        for a, b in report.split:
            print(shown(f"split    {a.claim}: {a.source} {a.fragment!r} / "
                        f"{b.source} {b.fragment!r}"))  # fmt: skip
        for a, b in report.merged:
            print(shown(f"merged   {a.claim} + {b.claim}: {a.fragment!r} / {b.fragment!r}"))
        for mention, name in report.wrong_subject:
            print(cell(f"subject  {mention.claim} read as {name!r}, gold "
                       f"{'/'.join(mention.subjects)}: {mention.fragment}"))  # fmt: skip
        for statement, why in report.unconfirmed:
            print(cell(f"unconfirmed {statement.source} ({why}): {statement.quote!r}"))
    return 0


def _print_summary(summary: dict, indent: str = "") -> None:
    """A report's figures, one per line; a nested figure under its name."""
    for name, value in summary.items():
        if isinstance(value, dict):
            print(f"{indent}{name}")
            _print_summary(value, indent + "  ")
        else:
            shown_value = "-" if value is None else value
            if isinstance(value, float):
                shown_value = format(value, ".3f")
            elif isinstance(value, list):
                shown_value = ", ".join(map(str, value))
            print(f"{indent}{name:{max(1, 24 - len(indent))}s} {shown_value}")


# The kinds of export and every format name `--format` takes (kb.api.exports.EXPORT_FORMATS
# says which kind comes in which), here so that `kb -h` needs no pandas.
EXPORT_KINDS = ("statements", "claims", "conflicts", "sources", "graph", "annotations",
                "citations", "curation")  # fmt: skip
EXPORT_FORMAT_NAMES = ("jsonl", "json", "csv", "parquet", "graphml", "gexf", "cytoscape", "jsonld")
# The formats an export's file name may imply; any other extension is refused, not
# silently written as JSON Lines.
_EXPORT_SUFFIXES = {"jsonl": "jsonl", "json": "json", "csv": "csv", "parquet": "parquet",
                    "graphml": "graphml", "gexf": "gexf", "cyjs": "cytoscape"}  # fmt: skip
# Annotations are JSON-LD whether the file is .jsonld or .json; citation styles by extension.
_ANNOTATION_SUFFIXES = {"jsonld": "jsonld", "json": "jsonld"}
_CITATION_SUFFIXES = {"txt": "apa", "bib": "bibtex", "json": "csl-json", "md": "markdown"}


def cmd_export(args: argparse.Namespace) -> int:
    from kb import api

    formats = api.EXPORT_FORMATS[args.what]
    fmt = _export_format(args.what, args.format, args.style, args.output or "", formats)
    if fmt in api.BINARY_FORMATS and (args.output or "-") in ("-", "/dev/stdout"):
        raise ExportError(BINARY_TO_STDOUT)  # at once, not after making the export
    base = api.open_kb(args.kb)
    where = _where(args)
    _write_output(base.export(args.what, fmt, args.sources, **where), args.output)
    if args.what == "citations":
        _say_missing(api.citation_gaps(base, args.sources))
    return 0


def _export_format(
    what: str, fmt: str | None, style: str | None, output: str, formats: tuple[str, ...]
) -> str:
    """The format (or citation style) asked for, or the one the file name implies among
    ``formats``, those of the kind ``what`` (its default first)."""
    if what == "citations" and fmt is not None:
        raise ExportError(f"citations take --style ({', '.join(CITATION_STYLES)}), not --format")
    if what != "citations" and style is not None:
        raise ExportError(f"--style is for citations, not {what}; use --format")
    return fmt or style or _format_for(what, output, formats)


def _format_for(what: str, output: str, formats: tuple[str, ...]) -> str:
    """The export format a file name implies: "x.csv" → csv, "x.gexf" → gexf, "refs.bib" →
    bibtex; a name without an extension (or standard output) gets the first of
    ``formats``, the kind's default (jsonl; graphml for the graph, jsonld for annotations,
    apa for citations). An extension none of ``formats`` is written as is refused."""
    suffixes = {"annotations": _ANNOTATION_SUFFIXES, "citations": _CITATION_SUFFIXES}
    known = {s: f for s, f in suffixes.get(what, _EXPORT_SUFFIXES).items() if f in formats}
    suffix = Path(output).suffix.lstrip(".").lower()
    if suffix in known:
        return known[suffix]
    if suffix and not output.startswith("/dev/"):
        names = ", ".join(f".{s}" for s in known)
        raise ExportError(
            f"kb cannot write {what} to {output!r} as .{suffix}; name the file {names}, or pass "
            f"--{'style' if what == 'citations' else 'format'}"
        )
    return formats[0]


def _say_missing(gaps: dict[str, list[str]]) -> None:
    """On stderr, which sources' citations lack what (they stand in for it: n.d., the id)."""
    fields: dict[str, list[str]] = {}
    for source, missing in gaps.items():
        for name in missing:
            fields.setdefault(name, []).append(source)
    for name, sources in fields.items():
        shown_ids = ", ".join(sources[:3]) + (
            f" and {len(sources) - 3} more" if len(sources) > 3 else ""
        )
        print(f"kb: {len(sources)} source(s) have no {name}: {shown(shown_ids)}", file=sys.stderr)


def _refuse_taken_port(host: str, port: int) -> None:
    """Fail in one line, before Streamlit starts, when the port is taken: Streamlit
    itself would print a traceback."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise KbError(_port_taken(host, port, exc)) from None


def _port_taken(host: str, port: int, exc: OSError) -> str:
    return f"cannot serve on {host}:{port} ({exc.strerror or exc}); pass another --port (or --host)"


def cmd_serve(args: argparse.Namespace) -> int:
    from kb import api
    from kb.cli.serve import ROUTES, make_server

    base = api.open_kb(Path(args.kb).resolve())
    try:
        server = make_server(base, args.host, args.port)
    except OSError as exc:
        raise KbError(_port_taken(args.host, args.port, exc)) from None
    port = server.server_address[1]
    print(f"kb serve on {_where_served(args.host, port)}: {', '.join(ROUTES)} (Ctrl+C to stop)",
          file=sys.stderr, flush=True)  # fmt: skip
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("kb serve: stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0


def _where_served(host: str, port: int) -> str:
    """The URL to open, with a warning when other machines can reach it."""
    where = f"http://{'localhost' if host == '127.0.0.1' else host}:{port}"
    if host not in ("127.0.0.1", "localhost", "::1"):
        where += " (reachable from other machines: anyone who can reach it reads the KB)"
    return where


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
    where = _where_served(args.host, args.port)
    print(f"kb dashboard on {where} (Ctrl+C to stop)", file=sys.stderr)
    sys.stderr.flush()
    sys.stdout.flush()
    # Streamlit takes this process's place, so that a signal to `kb dashboard` (SIGTERM
    # from a service manager, Ctrl+C) stops the server itself; a child would outlive it.
    os.execve(sys.executable, command, env)
    return 0  # not reached


# ---------------------------------------------------------------- parser
