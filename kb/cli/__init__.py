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
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from kb import DISTRIBUTION, __version__
from kb.cli.curate import add_curate_arguments
from kb.cli.render import ProgressBar, render_table, shown
from kb.cli.verbs import (
    EXPORT_FORMAT_NAMES,
    EXPORT_KINDS,
    cmd_build,
    cmd_check,
    cmd_claims,
    cmd_conflicts,
    cmd_dashboard,
    cmd_eval,
    cmd_export,
    cmd_lexicon,
    cmd_remove,
    cmd_search,
    cmd_serve,
    cmd_sources,
)
from kb.errors import KbError, StorageError, describe_os_error

__all__ = ["ProgressBar", "main", "render_table", "shown"]


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


def _seconds(value: str) -> float:
    """An argparse type for a positive number of seconds ("20", "2.5")."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0.1 to 3600, got {value!r}")
    return seconds


def _add_filters(sub: argparse.ArgumentParser, *, kind: str = "--source-kind",
                 claim_type: bool = False) -> None:  # fmt: skip
    """The options that filter a listing by its sources (kb.api.filters.Where), and by
    claim type when ``claim_type``."""
    from kb.model import CLAIM_TYPES, SOURCE_KINDS

    sub.add_argument(kind, dest="source_kind", choices=list(SOURCE_KINDS), default=None,
                     help="only sources of this kind (a claim or conflict: stated by "
                     "one)")  # fmt: skip
    sub.add_argument("--site", default=None, metavar="SITE",
                     help="only sources of this site name or web domain (nhs.uk keeps "
                     "www.nhs.uk)")  # fmt: skip
    sub.add_argument(
        "--since",
        default=None,
        metavar="DATE",
        help="only sources dated DATE or later (2021, 2021-03 or 2021-03-04)",
    )
    sub.add_argument(
        "--until",
        default=None,
        metavar="DATE",
        help="only sources dated DATE or earlier (--until 2021: all of 2021)",
    )
    if claim_type:
        sub.add_argument("--type", choices=list(CLAIM_TYPES), default=None,
                         help="one claim type")  # fmt: skip


_EPILOG = "Examples are in each verb's help: kb build -h"


def build_parser() -> argparse.ArgumentParser:
    # The registries the choices come from import kb.analyze (the lexicon's YAML, the
    # quantity grammar): here, so that `kb --version` needs none of it.
    from kb.analyze.agreement import STATUSES
    from kb.analyze.conflicts import CONFLICT_KINDS
    from kb.cite import CITATION_STYLES
    from kb.model import CLAIM_TYPES

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
        "read files, directories and web pages into the KB; only changed files are reprocessed",
        "kb build data/sources more/article.html https://www.nhs.uk/conditions/acupuncture/",
    )
    build.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders or http(s):// addresses of pages to fetch (default data/sources)",
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
        "--scheduler",
        metavar="ADDRESS",
        help="run the reading on a Dask cluster: tcp://host:8786, or local:N worker "
        "processes here (pip install 'kb-claims[distributed]'); the KB is the same",
    )
    build.add_argument(
        "--from-scratch",
        action="store_true",
        help="read every file again and make everything anew (a curator's decisions are "
        "kept and applied)",
    )
    build.add_argument(
        "--prune",
        action="store_true",
        help="also remove the KB's sources whose files are not among these PATHs "
        "(default: keep them; a source goes when its file is gone from a folder given)",
    )
    build.add_argument(
        "--timeout",
        type=_seconds,
        default=20.0,
        metavar="SECONDS",
        help="how long to wait for a web page's server (default 20)",
    )
    build.add_argument(
        "--references",
        action="append",
        metavar="FILE",
        help="a reference manager's export (.bib, .ris, CSL-JSON .json) whose entries give "
        "the matching sources their metadata (repeatable; kept for later builds)",
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
    _add_filters(sources, kind="--kind")
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
    _add_filters(claims)
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
                       help="sources per verdict and claims shown per sentence in the "
                       "table (default 5)")  # fmt: skip
    check.add_argument("--related", action="store_true",
                       help="also list claims that only share words or a more general "
                       "claim with a sentence, with their quotes")  # fmt: skip
    check.add_argument("--fail-on", choices=["contradicted", "unsupported"], default=None,
                       help="exit with status 1 when a sentence is contradicted by a "
                       "source, or (unsupported) when one states a claim no source "
                       "supports: a gate for drafts in scripts and CI")  # fmt: skip
    check.add_argument("--semantic", action=argparse.BooleanOptionalAction, default=None,
                       help="also match by meaning with sentence embeddings (pip install "
                       f"'{DISTRIBUTION}[semantic]'); default: once the KB's vectors "
                       "exist")  # fmt: skip
    check.set_defaults(func=cmd_check)

    search = verb(
        "search",
        "find the statements (with their quotes) and claims that say something, by words "
        "and, when the KB's sentence vectors exist, by meaning",
        'kb search "blood flow" --type mechanism',
    )
    search.add_argument("text", metavar="TEXT",
                        help='words that must all be in a statement; "a phrase" in '
                        "quotes")  # fmt: skip
    _add_filters(search, claim_type=True)
    search.add_argument("--limit", type=_positive_int, default=20, metavar="N",
                        help="statements and claims shown, each (default 20)")  # fmt: skip
    search.add_argument("--semantic", action=argparse.BooleanOptionalAction, default=None,
                        help="also search by meaning (as kb check --semantic); default: "
                        "once the KB's vectors exist")  # fmt: skip
    search.add_argument("--format", choices=["table", "json"], default="table")
    search.set_defaults(func=cmd_search)

    evaluation = verb(
        "eval",
        "score the KB's statements and claims against a gold annotation",
        "kb eval tests/gold/seeds.yaml --show-errors",
    )
    evaluation.add_argument("gold", metavar="GOLD", help="a gold YAML file")
    evaluation.add_argument("--format", choices=["table", "json"], default="table")
    evaluation.add_argument(
        "--show-errors",
        action="store_true",
        help="list misses, mistypes, splits, merges, wrong subjects, polarities and "
        "certainties, and statements the gold does not confirm",
    )
    evaluation.set_defaults(func=cmd_eval)

    lexicon = verb(
        "lexicon",
        "suggest a starter lexicon for the KB's corpus (treatments, outcomes, adverse events, "
        "comparators, with counts and example quotes) to review and save as a file",
        "kb lexicon suggest -o turmeric.yaml",
    )
    lexicon.add_argument("action", choices=["suggest"], help="what to do with the lexicon")
    lexicon.add_argument("--top", type=_positive_int, default=15, metavar="N",
                         help="suggestions per category (default 15)")  # fmt: skip
    lexicon.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default stdout)")
    lexicon.set_defaults(func=cmd_lexicon)

    conflicts = verb(
        "conflicts",
        "list where sources disagree, with the quotes on each side",
        "kb conflicts --kind numeric",
    )
    conflicts.add_argument("--kind", choices=list(CONFLICT_KINDS), default=None,
                           help="one kind of conflict")  # fmt: skip
    conflicts.add_argument(
        "--min-confidence", type=float, default=0.0, metavar="X",
        help="only conflicts whose weaker side holds its position at least this firmly: "
        "1.0 asserted, 0.75 reported, 0.5 hedged",
    )  # fmt: skip
    conflicts.add_argument("--all", action="store_true", dest="dismissed",
                           help="also list the conflicts a curator dismissed")  # fmt: skip
    _add_filters(conflicts, claim_type=True)
    conflicts.add_argument("--format", choices=["table", "json"], default="table")
    conflicts.set_defaults(func=cmd_conflicts)

    add_curate_arguments(
        verb(
            "curate",
            "record a curator's decision (reject a statement, move it, split, merge or relabel "
            "a claim, confirm or dismiss a conflict); every rebuild applies it",
            'kb curate reject st_58020455042f5dd5 --note "not a claim"',
        )
    )

    export = verb(
        "export",
        "write the KB's statements, claims, conflicts or sources as JSON Lines, JSON, CSV or "
        "Parquet; its graph as GraphML, GEXF, node-link JSON or Cytoscape.js JSON; its "
        "statements as W3C Web Annotations; citations of its sources",
        "kb export graph --format gexf -o kb.gexf\n  kb export citations --style bibtex "
        "-o sources.bib\n  kb export statements -o statements.parquet",
    )
    export.add_argument("what", choices=list(EXPORT_KINDS))
    export.add_argument("--format", choices=list(EXPORT_FORMAT_NAMES), default=None,
                        help="default: from the file's extension, else jsonl (graphml for "
                        "the graph, jsonld for annotations)")  # fmt: skip
    export.add_argument("--style", choices=list(CITATION_STYLES), default=None,
                        help="of citations (default: from the file's extension, .bib bibtex, "
                        ".json csl-json, .md markdown; else apa)")  # fmt: skip
    export.add_argument("--source", action="append", dest="sources", metavar="SOURCE_ID",
                        help="annotations or citations of this source only "
                        "(repeatable)")  # fmt: skip
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default stdout)")
    _add_filters(export, claim_type=True)
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

    serve = verb(
        "serve",
        "serve the KB as a local HTTP JSON API (check, search, claims, conflicts, health) "
        "that stays warm: a check answers without loading kb each time",
        'kb serve --port 8765   # then: curl -d \'{"text": "Needles stay in 25 minutes"}\' '
        "localhost:8765/check",
    )
    serve.add_argument("--port", type=_port, default=8765, help="default 8765")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 shares "
        "the KB with every machine that can reach this one, without a password)",
    )
    serve.set_defaults(func=cmd_serve)
    return parser


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl+C, so that a build's workers and temporary
    file are cleaned up and kb says what happened."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated


def _resumes(kb_path: str) -> str:
    """What a stopped build leaves for the next one (kb.store.journal), said after it."""
    from kb.api import resumable

    read = resumable(kb_path)
    return f"; the next build resumes from the {read} sources it read" if read else ""


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:  # at once: building the parser imports kb.analyze
        print(f"kb {__version__}")
        return 0
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
        print(f"kb: interrupted; the KB was not changed{_resumes(args.kb)}", file=sys.stderr)
        return 130
    except _Terminated:
        print(f"kb: stopped (SIGTERM); the KB was not changed{_resumes(args.kb)}",
              file=sys.stderr)  # fmt: skip
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
