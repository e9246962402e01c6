"""Curation: a curator's decisions are kept in the KB, applied by every rebuild, and
re-anchored when a source is edited (kb.api.curation, kb.analyze.curation)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from kb import api
from kb.errors import CurationError, KbNotFoundError
from tests.support import DENIAL, DISPUTE_A, DISPUTE_B, RELIEF, dispute_kb

A, B = DISPUTE_A, DISPUTE_B


@pytest.fixture
def corpus(tmp_path):
    base = dispute_kb(tmp_path)
    return tmp_path / "sources", base.path


def _statement(base, quote):
    [found] = [s for s in base.statement_list() if s.quote == quote]
    return found


def _relief(base):
    [claim] = [r for r in base.claim_records() if r["id"] == RELIEF]
    return claim


def test_a_rejected_statement_states_nothing_anywhere(corpus):
    _, kb_path = corpus
    base = api.open_kb(kb_path)
    denial = _statement(base, DENIAL)
    assert _relief(base)["negating"] == ["b"]
    assert {c.kind for c in base.conflict_list()} == {"numeric", "polarity"}

    decision = base.curation.reject(denial.id, note="misread", curator="ana")

    assert (decision.status, decision.curator, decision.note) == ("active", "ana", "misread")
    assert decision.selector.exact == DENIAL == B[decision.selector.start : decision.selector.end]
    assert DENIAL not in [s.quote for s in base.statement_list()]
    assert _relief(base)["negating"] == []
    assert {c.kind for c in base.conflict_list()} == {"numeric"}
    [checked] = base.check("Acupuncture relieves back pain.").to_json()["sentences"]
    assert checked["outcome"] == "supported"  # b no longer contradicts it
    assert [v["verdict"] for v in checked["verdicts"]] == ["supports"]


def test_a_decision_survives_a_rebuild_that_changes_nothing_and_one_from_scratch(corpus):
    folder, kb_path = corpus
    base = api.open_kb(kb_path)
    base.curation.reject(_statement(base, DENIAL).id)
    for from_scratch in (False, True):
        api.build([folder], kb_path, from_scratch=from_scratch)
        assert DENIAL not in [s.quote for s in base.statement_list()]
        assert [d.status for d in base.curation.decisions()] == ["active"]


def test_a_rejection_follows_its_quote_when_the_source_is_edited(corpus):
    folder, kb_path = corpus
    base = api.open_kb(kb_path)
    old = base.curation.reject(_statement(base, DENIAL).id)
    edited = B.replace("Acupuncture\n\n", "Acupuncture\n\nA new first sentence here. ")
    (folder / "b.txt").write_text(edited, encoding="utf-8")

    api.build([folder], kb_path)

    [moved] = base.curation.decisions()
    assert moved.status == "active"
    assert moved.selector.start == edited.index(DENIAL) != old.selector.start
    assert moved.target != old.target  # the statement's id changes with its source's text
    assert DENIAL not in [s.quote for s in base.statement_list()]


def test_a_decision_whose_quote_is_gone_is_orphaned_and_applies_again_when_it_returns(corpus):
    folder, kb_path = corpus
    base = api.open_kb(kb_path)
    base.curation.reject(_statement(base, DENIAL).id)
    (folder / "b.txt").write_text(B.replace(DENIAL + " ", ""), encoding="utf-8")
    api.build([folder], kb_path)
    assert [d.status for d in base.curation.decisions()] == ["orphaned"]
    assert [d.status for d in base.curation.decisions("orphaned")] == ["orphaned"]

    (folder / "b.txt").write_text(B, encoding="utf-8")
    api.build([folder], kb_path)
    assert [d.status for d in base.curation.decisions()] == ["active"]
    assert DENIAL not in [s.quote for s in base.statement_list()]


def test_decisions_survive_a_new_kb_version(corpus):
    folder, kb_path = corpus
    base = api.open_kb(kb_path)
    base.curation.reject(_statement(base, DENIAL).id)
    with closing(sqlite3.connect(kb_path)) as conn:  # as if an older kb had written it
        conn.execute("PRAGMA user_version = 6")
        conn.commit()
    report = api.build([folder], kb_path)
    assert report.added == 2  # the store was made anew
    assert [d.status for d in base.curation.decisions()] == ["active"]
    assert DENIAL not in [s.quote for s in base.statement_list()]


def test_restore_undoes_a_rejection_or_any_decision(corpus):
    _, kb_path = corpus
    base = api.open_kb(kb_path)
    denial = _statement(base, DENIAL)
    base.curation.reject(denial.id)
    base.curation.restore(denial.id)
    assert _statement(base, DENIAL).id == denial.id
    relabelled = base.curation.relabel(_relief(base)["id"], "acupuncture eases back pain")
    assert _relief_label(base) == "acupuncture eases back pain"
    base.curation.restore(relabelled.id)
    assert _relief_label(base) == "acupuncture relieves back pain"
    assert base.curation.decisions() == []


def _relief_label(base):
    return next(c.label for c in base.claim_list() if c.id == RELIEF)


def test_move_split_merge_and_relabel_claims(corpus):
    _, kb_path = corpus
    base = api.open_kb(kb_path)
    claims = {c.label: c for c in base.claim_list()}
    safe = claims["acupuncture is generally safe (low risk)"]
    few = claims["acupuncture has few side effects"]

    base.curation.merge(few.id, into=safe.id)
    merged = {c.id: c for c in base.claim_list()}
    assert few.id not in merged and len(merged[safe.id].statement_ids) == 2

    few_statement = _statement(base, "Acupuncture has few side effects.")
    [split] = base.curation.split(safe.id, [few_statement.id], label="few side effects")
    assert _statement(base, "Acupuncture has few side effects.").claim_id == split.value
    assert {c.id: c.label for c in base.claim_list()}[split.value] == "few side effects"

    # A statement is in one place: moving it back replaces the split that took it out.
    base.curation.move(few_statement.id, safe.id)
    assert _statement(base, "Acupuncture has few side effects.").claim_id == safe.id
    assert split.value not in {c.id for c in base.claim_list()}  # left with no statement
    actions = [(d.action, d.status) for d in base.curation.decisions()]
    assert actions == [("merge", "active"), ("move", "active")]


def test_dismissed_conflicts_leave_listings_and_confirmed_ones_say_so(corpus, kb_cli):
    _, kb_path = corpus
    base = api.open_kb(kb_path)
    numeric = next(c for c in base.conflict_list() if c.kind == "numeric")
    polarity = next(c for c in base.conflict_list() if c.kind == "polarity")
    base.curation.dismiss(numeric.id, note="two kinds of session")
    base.curation.confirm(polarity.id)

    assert [c.id for c in base.conflict_list()] == [polarity.id]
    assert {c.status for c in base.conflict_list(dismissed=True)} == {"dismissed", "confirmed"}
    frame = base.claims()
    assert frame.set_index("label").loc["the needles stay in for a stated time", "status"] != (
        "contested"
    )
    code, out, _ = kb_cli("--kb", kb_path, "conflicts")
    assert code == 0 and "confirmed by a curator" in out and numeric.id not in out
    code, out, _ = kb_cli("--kb", kb_path, "conflicts", "--all")
    assert "dismissed by a curator" in out


def test_decisions_move_between_kbs(corpus, tmp_path):
    folder, kb_path = corpus
    base = api.open_kb(kb_path)
    base.curation.reject(_statement(base, DENIAL).id, note="misread")
    exported = tmp_path / "decisions.json"
    exported.write_text(base.export("curation", "json"), encoding="utf-8")
    other_path = tmp_path / "other.sqlite"
    api.build([folder], other_path)
    other = api.open_kb(other_path)

    added = other.curation.import_file(exported)

    assert [d.note for d in added] == ["misread"]
    assert DENIAL not in [s.quote for s in other.statement_list()]
    assert other.curation.import_file(exported) == []  # the same decisions are added once


def test_curation_errors_name_the_problem_and_change_nothing(corpus, tmp_path):
    _, kb_path = corpus
    base = api.open_kb(kb_path)
    before = kb_path.read_bytes()
    with pytest.raises(KbNotFoundError, match=r"no statement 'st_nope'.*kb search"):
        base.curation.reject("st_nope")
    with pytest.raises(KbNotFoundError, match="no claim 'cl_nope'"):
        base.curation.relabel("cl_nope", "x")
    with pytest.raises(CurationError, match="may not be empty"):
        base.curation.relabel(_relief(base)["id"], "  ")
    with pytest.raises(KbNotFoundError, match="no conflict"):
        base.curation.dismiss("cf_nope")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "cu_1", "action": "burn", "target": "x", "created": "t"}]')
    with pytest.raises(CurationError, match="unknown action 'burn'"):
        base.curation.import_file(bad)
    bad.write_text("{not json")
    with pytest.raises(CurationError, match="not JSON"):
        base.curation.import_file(bad)
    assert kb_path.read_bytes() == before


def test_the_cli_curates_lists_and_reports_errors_in_one_line(corpus, kb_cli):
    _, kb_path = corpus
    denial = _statement(api.open_kb(kb_path), DENIAL)
    code, out, _ = kb_cli("--kb", kb_path, "curate", "reject", denial.id, "--note", "misread",
                          "--curator", "ana")  # fmt: skip
    assert code == 0 and out.startswith(f"reject {denial.id}: cu_")
    code, out, _ = kb_cli("--kb", kb_path, "curate", "list")
    assert code == 0 and "ana" in out and "misread" in out and denial.id in out
    code, out, _ = kb_cli("--kb", kb_path, "curate", "list", "--format", "json")
    assert json.loads(out)[0]["quote"] == DENIAL
    code, _, err = kb_cli("--kb", kb_path, "curate", "reject", "st_nope")
    assert code == 2 and err.count("\n") == 1 and "no statement 'st_nope'" in err
    code, out, _ = kb_cli("--kb", kb_path, "curate", "restore", denial.id)
    assert code == 0 and "undone: reject" in out
    code, _, err = kb_cli("--kb", kb_path, "curate", "restore", denial.id)
    assert code == 2 and "kb curate list" in err
