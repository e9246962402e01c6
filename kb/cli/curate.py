"""`kb curate`: a curator's decisions on the KB (kb.api.curation), each kept in the KB and
applied by every rebuild."""

from __future__ import annotations

import argparse
import json
import sys

from kb.cli.render import cell, render_table

__all__ = ["add_curate_arguments", "cmd_curate"]

_EXAMPLES = """\
  kb curate reject st_58020455042f5dd5 --note "a heading's claim, not this sentence's"
  kb curate move st_58020455042f5dd5 cl_206483ae74bf
  kb curate split cl_206483ae74bf st_1 st_2 --label "acupuncture relieves neck pain"
  kb curate merge cl_df833d4ab69f --into cl_206483ae74bf
  kb curate relabel cl_206483ae74bf "acupuncture relieves back pain"
  kb curate dismiss cf_0123456789ab --note "different conditions"
  kb curate list --status orphaned
  kb curate restore st_58020455042f5dd5        (or a decision id: undo it)
  kb export curation -o decisions.json && kb --kb other.sqlite curate import decisions.json"""


def add_curate_arguments(curate: argparse.ArgumentParser) -> None:
    """The actions of `kb curate`, each its own sub-command."""
    curate.epilog = f"example:\n{_EXAMPLES}"
    actions = curate.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--kb", default=argparse.SUPPRESS, metavar="PATH", help="the KB file")
        return sub

    def decided(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--note", default="", help="why (kept with the decision)")
        sub.add_argument("--curator", default="", metavar="NAME",
                         help="who decides (default $KB_CURATOR, else the login name)")  # fmt: skip
        return sub

    listing = action("list", "list the decisions, with what each is about and its status")
    listing.add_argument("--status", choices=["active", "orphaned"], default=None,
                         help="only active decisions, or only orphaned ones (what they "
                         "were about is gone from the KB)")  # fmt: skip
    listing.add_argument("--format", choices=["table", "json"], default="table")

    reject = decided(action("reject", "a statement is a wrong reading: it states nothing"))
    reject.add_argument("statement", metavar="STATEMENT_ID")
    restore = action("restore", "undo a decision (its id), or a rejection (the statement id)")
    restore.add_argument("what", metavar="ID")
    for name, help_text in (("confirm", "a conflict is real"), ("dismiss", "a conflict is not")):
        sub = decided(action(name, help_text))
        sub.add_argument("conflict", metavar="CONFLICT_ID")
    relabel = decided(action("relabel", "give a claim a label of your own"))
    relabel.add_argument("claim", metavar="CLAIM_ID")
    relabel.add_argument("label", metavar="LABEL")
    move = decided(action("move", "a statement belongs to another claim"))
    move.add_argument("statement", metavar="STATEMENT_ID")
    move.add_argument("claim", metavar="CLAIM_ID", help="the claim it belongs to")
    merge = decided(action("merge", "a claim is the same as another"))
    merge.add_argument("claim", metavar="CLAIM_ID")
    merge.add_argument("--into", required=True, metavar="CLAIM_ID",
                       help="the claim it is the same as (keeps its label)")  # fmt: skip
    split = decided(action("split", "some statements of a claim make a claim of their own"))
    split.add_argument("claim", metavar="CLAIM_ID")
    split.add_argument("statements", nargs="+", metavar="STATEMENT_ID")
    split.add_argument("--label", required=True, help="the new claim's label")
    export = action("export", "write the decisions as JSON, to import into another KB")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default stdout)")
    imported = action("import", "add the decisions of a file `kb curate export` wrote")
    imported.add_argument("file", metavar="FILE")
    curate.set_defaults(func=cmd_curate)


def cmd_curate(args: argparse.Namespace) -> int:
    from kb import api

    desk = api.open_kb(args.kb).curation
    action = args.action
    if action == "list":
        return _list(desk, args.status, args.format)
    if action == "export":
        from kb.cli.verbs import _write_output

        _write_output(desk.export("json"), args.output)
        return 0
    if action == "import":
        added = desk.import_file(args.file)
        orphaned = [d for d in added if d.status == "orphaned"]
        print(f"imported {len(added)} decisions ({len(orphaned)} orphaned)")
        return 0
    if action == "restore":
        undone = desk.restore(args.what)
        print(f"undone: {undone.action} {undone.target} ({undone.id})")
        return 0
    made = _decide(desk, args)
    for decision in made:
        state = "" if decision.status == "active" else f" — {decision.status}"
        print(f"{decision.action} {decision.target}: {decision.id}{state}")
    return 0


def _decide(desk, args: argparse.Namespace) -> list:
    """Make the decision ``args`` asks for; the decisions made."""
    who = {"note": args.note, "curator": args.curator}
    action = args.action
    if action == "reject":
        return [desk.reject(args.statement, **who)]
    if action in ("confirm", "dismiss"):
        return [getattr(desk, action)(args.conflict, **who)]
    if action == "relabel":
        return [desk.relabel(args.claim, args.label, **who)]
    if action == "move":
        return [desk.move(args.statement, args.claim, **who)]
    if action == "merge":
        return [desk.merge(args.claim, args.into, **who)]
    return desk.split(args.claim, args.statements, args.label, **who)


def _list(desk, status: str | None, fmt: str) -> int:
    from kb.api.curation import decision_record

    records = [decision_record(d) for d in desk.decisions(status)]
    if fmt == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    rows = [
        {
            "id": r["id"],
            "action": r["action"],
            "about": r["target"],
            "to": r["label"] or r["value"],
            "status": r["status"],
            "curator": r["curator"],
            "note": cell(r["note"]),
            "quote": cell(r["quote"]),
        }
        for r in records
    ]
    columns = ["id", "action", "about", "to", "status", "curator", "note", "quote"]
    print(render_table(rows, columns))
    print(f"{len(records)} decisions", file=sys.stderr)
    return 0
