"""Agreement, conflicts and the graph: each conflict kind on minimal texts, copies counted
once, no claim against itself, and a GraphML export that reads back whole."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from kb import api
from kb.analyze import voices


def build_kb(tmp_path, texts: dict[str, str], lexicon=None) -> api.KnowledgeBase:
    folder = tmp_path / "src"
    folder.mkdir()
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "kb.sqlite"
    api.build([folder], path, lexicon=lexicon)
    return api.open_kb(path)


def conflicts_of(base: api.KnowledgeBase, kind: str) -> list[dict]:
    return [c for c in base.conflict_records() if c["kind"] == kind]


def quotes(side: dict) -> list[str]:
    return [st["quote"] for st in side["statements"]]


def test_polarity_conflict_between_sources(tmp_path):
    base = build_kb(
        tmp_path,
        {"a": "Acupuncture relieves back pain.", "b": "Acupuncture does not relieve back pain."},
    )
    [conflict] = conflicts_of(base, "polarity")
    affirms, denies = conflict["sides"]
    assert quotes(affirms) == ["Acupuncture relieves back pain."]
    assert quotes(denies) == ["Acupuncture does not relieve back pain."]
    assert (affirms["sources"], denies["sources"]) == (["a"], ["b"])


def test_a_source_that_reports_a_denial_it_rebuts_is_no_conflict(tmp_path):
    text = (
        "Acupuncture relieves back pain. Some say acupuncture does not relieve back pain. "
        "Acupuncture relieves chronic back pain for many."
    )
    base = build_kb(tmp_path, {"a": text, "b": "Acupuncture relieves back pain."})
    assert conflicts_of(base, "polarity") == []


@pytest.mark.parametrize(
    ("first", "second", "positions"),
    [
        ("for 10 to 20 minutes", "for 20 to 30 minutes", ["10–20 minutes", "20–30 minutes"]),
        ("for 10-20 minutes", "for half an hour", ["10–20 minutes", "30 minutes"]),
    ],
)
def test_numeric_conflict_when_ranges_do_not_overlap(tmp_path, first, second, positions):
    base = build_kb(
        tmp_path,
        {
            "a": f"The needles stay in place {first}.",
            "b": f"The needles stay in place {second}.",
        },
    )
    [conflict] = conflicts_of(base, "numeric")
    assert [s["position"] for s in conflict["sides"]] == positions
    assert [s["sources"] for s in conflict["sides"]] == [["a"], ["b"]]


def test_overlapping_ranges_are_no_conflict(tmp_path):
    base = build_kb(
        tmp_path,
        {
            "a": "The needles stay in place for 15 to 25 minutes.",
            "b": "The needles stay in place for roughly twenty minutes.",
        },
    )
    assert conflicts_of(base, "numeric") == []


def test_contrary_conflict_from_the_lexicon(tmp_path):
    base = build_kb(
        tmp_path,
        {
            "a": "Acupuncture is not harmful in any way.",
            "b": "Acupuncture is not suitable for everyone. People on blood thinners face risks.",
        },
    )
    [conflict] = conflicts_of(base, "contrary")
    harmless, *others = conflict["sides"]
    assert quotes(harmless) == ["Acupuncture is not harmful in any way."]
    assert {q for side in others for q in quotes(side)} >= {
        "Acupuncture is not suitable for everyone."
    }
    assert len(conflict["claim_ids"]) >= 2


def test_a_source_that_says_both_sides_stands_on_neither_and_each_side_holds_its_own(tmp_path):
    base = build_kb(
        tmp_path,
        {
            "a": "Acupuncture is not harmful in any way. Acupuncture is not suitable for everyone.",
            "b": "Acupuncture is not suitable for everyone.",
            "c": "Acupuncture is not harmful in any way.",
            "d": "Acupuncture is not harmful in any way. It is harmless. "
            "But it is not suitable for everyone.",
        },
    )
    [conflict] = conflicts_of(base, "contrary")
    harmless, suitable = conflict["sides"]
    # a says each once: on neither side; d says "harmless" twice: on that side only
    assert (harmless["sources"], suitable["sources"]) == (["c", "d"], ["b"])
    assert "But it is not suitable for everyone." not in quotes(suitable)


def test_a_source_that_affirms_a_contrary_claim_opposes_and_counts_against(tmp_path):
    base = build_kb(
        tmp_path,
        {
            "a": "Acupuncture is not harmful in any way.",
            "b": "Acupuncture is not suitable for everyone.",
        },
    )
    claims = base.claims().set_index("label")
    harmless = claims.loc[claims.index.str.startswith("acupuncture is harmless")].iloc[0]
    assert (harmless["affirming"], harmless["negating"], harmless["opposing"]) == (["a"], [], ["b"])
    assert (harmless["consensus"], harmless["status"]) == (0.0, "contested")
    [row] = [r for r in base.agreement_records() if r["claim_id"] == harmless["id"]]
    assert row["independent_opposing"] == 1


def test_a_conflict_is_as_sure_as_its_weaker_side_says_it(tmp_path, kb_cli):
    base = build_kb(
        tmp_path,
        {
            "a": "Acupuncture is not harmful in any way.",
            "b": "Acupuncture may not be suitable for everyone.",
        },
    )
    [conflict] = conflicts_of(base, "contrary")
    assert conflict["confidence"] == 0.5  # b only hedges
    code, out, _ = kb_cli("--kb", base.path, "conflicts")
    assert "confidence 0.50: one side only hedges" in out
    code, out, _ = kb_cli("--kb", base.path, "conflicts", "--min-confidence", "0.75")
    assert (code, out) == (0, "")
    assert base.conflicts(min_confidence=0.75).empty


def test_no_severe_side_effects_does_not_deny_side_effects(tmp_path):
    base = build_kb(
        tmp_path,
        {
            "a": "Acupuncture\n\nTwo patients in the acupuncture group had side effects.",
            "b": "Acupuncture\n\nNo severe adverse effects were observed with acupuncture.",
            "c": "Acupuncture\n\nAcupuncture does not cause side effects.",
        },
    )
    [conflict] = base.conflict_records()  # c denies what a affirms; b denies only the severe
    assert [side["sources"] for side in conflict["sides"]] == [["a"], ["c"]]


def test_a_denial_for_another_condition_is_no_polarity_conflict(tmp_path):
    # "relieves pain" is one claim, with its condition a qualifier: heat may relieve low
    # back pain and not headache without any source contradicting another
    base = build_kb(
        tmp_path,
        {
            "a": "Heat wraps can relieve low back pain in the short term.",
            "b": "There is no evidence that heat wraps relieve headache.",
            "c": "Heat wraps do not relieve back pain.",
        },
    )
    [conflict] = conflicts_of(base, "polarity")
    affirms, denies = conflict["sides"]
    assert (affirms["sources"], denies["sources"]) == (["a"], ["c"])


def test_claims_of_nothing_named_in_two_sources_are_no_conflict(tmp_path):
    # two abstracts that name no treatment: their evidence is about two different things
    texts = {
        "a": "Viral shedding\n\nThis analysis provides proof of active virus replication.",
        "b": "Serology\n\nThe false-negative rate of the tests remains unknown.",
    }
    base = build_kb(tmp_path, texts)
    objects = {s.object for s in base.statement_list()}
    assert {"evidence_proven", "evidence_mixed"} <= objects  # the two contrary claims
    assert not conflicts_of(base, "contrary")


CERTAINTY_LEXICON = """
concepts:
  - {id: acupuncture, label: acupuncture, category: intervention, synonyms: [acupuncture]}
  - {id: pain_relief, label: relieves pain, category: outcome, claim: "{subject} relieves pain",
     synonyms: ["relieve ... pain"]}
  - {id: proven, label: proven, category: evidence, evidence: proven, synonyms: [proven]}
  - {id: doubtful, label: still being studied, category: evidence, evidence: unproven,
     synonyms: ["still being studied"]}
"""


def test_certainty_conflict_proven_against_unproven(tmp_path):
    lexicon_file = tmp_path / "lexicon.yaml"
    lexicon_file.write_text(CERTAINTY_LEXICON, encoding="utf-8")
    base = build_kb(
        tmp_path,
        {
            "a": "It is proven that acupuncture relieves back pain.",
            "b": "Whether acupuncture relieves back pain is still being studied.",
        },
        lexicon=api.load_lexicon([lexicon_file]),
    )
    [conflict] = conflicts_of(base, "certainty")
    assert conflict["topic"] == "acupuncture relieves pain"
    proven, unproven = conflict["sides"]
    assert (proven["position"], proven["sources"]) == ("proven", ["a"])
    assert (unproven["position"], unproven["sources"]) == ("unproven", ["b"])


def test_one_source_against_itself_is_no_conflict(tmp_path):
    text = "The needles stay in place for 10 to 20 minutes. Later they stay for 40 to 50 minutes."
    base = build_kb(tmp_path, {"a": text})
    assert base.conflict_records() == []


def test_seed_conflicts_are_the_real_disagreements(seed_kb):
    records = api.open_kb(seed_kb).conflict_records()
    topics = {(c["kind"], c["topic"]) for c in records}
    assert ("numeric", "the needles stay in for a stated time") in topics
    assert any(k == "contrary" and "harmless" in t for k, t in topics)
    assert any(k == "contrary" and "proves" in t and "mixed" in t for k, t in topics)
    assert len(records) <= 5, topics  # few false alarms
    numeric = next(c for c in records if c["kind"] == "numeric")
    assert [s["position"] for s in numeric["sides"]][-1] == "~20–30 minutes"


def test_no_claim_conflicts_with_itself(seed_kb):
    for conflict in api.open_kb(seed_kb).conflict_records():
        sides = conflict["sides"]
        positions = [s["position"] for s in sides]
        assert len(set(positions)) == len(positions), conflict["topic"]
        ids = [st["id"] for side in sides for st in side["statements"]]
        assert len(ids) == len(set(ids)), "a statement on two sides"
        if conflict["kind"] == "contrary":
            assert len(set(conflict["claim_ids"])) >= 2


def test_quotes_in_conflicts_are_exact(seed_kb):
    base = api.open_kb(seed_kb)
    texts = {s.id: s.text for s in base.source_list(with_text=True)}
    for conflict in base.conflict_records():
        for side in conflict["sides"]:
            for st in side["statements"]:
                assert texts[st["source"]][st["start"] : st["end"]] == st["quote"]


def test_rewritten_seed_pair_counts_once(seed_kb):
    base = api.open_kb(seed_kb)
    pairs = [(p.a, p.b) for p in base.near_duplicate_list()]
    assert pairs == [("000_e44dd3ef341e0fbe", "003_a243d097950171fd")]
    sources = base.sources().set_index("id")
    assert sources.loc["000_e44dd3ef341e0fbe", "near_duplicates"] == ["003_a243d097950171fd"]
    agreement = base.agreement().set_index("label")
    row = agreement.loc["acupuncture relieves pain"]
    assert len(row["affirming"]) == 5
    assert row["independent_affirming"] == 4  # the rewrite and its original are one voice


def test_copies_count_once_in_agreement(tmp_path):
    article = (
        "Acupuncture relieves back pain for many adults. The needles are very thin. "
        "Sessions usually last about half an hour. Most people feel little pain. "
        "Practitioners are licensed in most states. Some patients feel relaxed afterwards."
    )
    other = "Acupuncture relieves back pain, a trial of 600 patients in Germany found."
    base = build_kb(tmp_path, {"a": article, "b": article, "c": other})
    frame = base.agreement()
    [row] = frame[frame["label"] == "acupuncture relieves back pain"].to_dict("records")
    assert (len(row["affirming"]), row["independent_affirming"], row["consensus"]) == (3, 2, 1.0)


def test_voices_join_chains_of_copies():
    assert voices(["a", "b", "c", "d"], [("a", "b"), ("b", "c")]) == {
        "a": "a", "b": "a", "c": "a", "d": "d",
    }  # fmt: skip


def test_graphml_export_reads_back_with_the_same_counts(seed_kb, kb_cli, tmp_path):
    graph = api.open_kb(seed_kb).graph()
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"source", "statement", "claim", "concept"}
    relations = {d["relation"] for *_, d in graph.edges(data=True)}
    assert relations == {"states", "asserts", "refines", "about", "conflicts_with", "copies"}
    out = tmp_path / "kb.graphml"
    assert kb_cli("--kb", seed_kb, "export", "graph", "-o", out)[0] == 0
    back = nx.read_graphml(out, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )


def test_graph_json_export_is_node_link(seed_kb, kb_cli):
    code, out, _ = kb_cli("--kb", seed_kb, "export", "graph", "--format", "json")
    assert code == 0
    data = json.loads(out)
    back = nx.node_link_graph(data, edges="links", multigraph=True, directed=True)
    assert back.number_of_edges() == api.open_kb(seed_kb).graph().number_of_edges()


def test_conflicts_cli_table_and_json(seed_kb, kb_cli):
    code, out, _ = kb_cli("--kb", seed_kb, "conflicts")
    assert code == 0
    assert "[numeric] the needles stay in for a stated time" in out
    assert "“The needles are typically left in place for about 20 to 30 minutes" in out
    code, out, _ = kb_cli("--kb", seed_kb, "conflicts", "--kind", "numeric", "--format", "json")
    [conflict] = json.loads(out)
    assert set(conflict) >= {"id", "kind", "topic", "claim_ids", "sides"}
    assert set(conflict["sides"][0]["statements"][0]) >= {"id", "source", "quote", "start", "end"}


def test_graph_export_in_a_table_format_is_a_clear_error(seed_kb, kb_cli):
    code, _, err = kb_cli("--kb", seed_kb, "export", "graph", "--format", "csv")
    assert code != 0
    assert err.count("\n") == 1 and "choose graphml, gexf, json, cytoscape" in err


def test_api_frames(seed_kb):
    base = api.open_kb(seed_kb)
    assert {"kind", "topic", "sides"} <= set(base.conflicts().columns)
    assert {"independent", "consensus"} <= set(base.claims().columns)
    buffer = io.StringIO(base.export("conflicts", "jsonl"))
    assert all(json.loads(line)["sides"] for line in buffer)


def test_sources_show_their_profile(seed_kb, kb_cli):
    code, out, _ = kb_cli("--kb", seed_kb, "sources", "--format", "json")
    assert code == 0
    by_id = {r["id"]: r for r in json.loads(out)}
    clinic = by_id["003_a243d097950171fd"]
    assert clinic["kind"] == "clinic/commercial"
    assert any("schedule a spine consultation" in reason for reason in clinic["kind_reasons"])
    blog = by_id["002_3d8a8a3cfc7bd624"]
    assert blog["kind"] == "blog"
    assert blog["cites"] == ["a meta-analysis published in the Journal of Pain"]
    assert by_id["004_803d72c8ca441880"]["author"] == "Michael Kaliko DC"
    texts = {s.id: s.text for s in api.open_kb(seed_kb).source_list(with_text=True)}
    for source in api.open_kb(seed_kb).source_list():
        for cite in source.profile["cites"]:
            assert texts[source.id][cite["start"] : cite["end"]] == cite["text"]


def test_metadata_kind_wins_over_text_cues(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Schedule a consultation with our team today.", encoding="utf-8")
    (folder / "a.meta.yaml").write_text("kind: government\n", encoding="utf-8")
    api.build([folder], tmp_path / "kb.sqlite")
    [source] = api.open_kb(tmp_path / "kb.sqlite").source_list()
    assert source.kind == "government"


# ------------------------------------------------------------ the conflict registry


def test_the_registry_is_the_one_list_of_conflict_kinds(seed_kb):
    from kb.analyze.conflicts import CONFLICT_KINDS, KINDS
    from kb.cli import build_parser

    assert CONFLICT_KINDS == ("polarity", "numeric", "contrary", "certainty")
    assert [kind.name for kind in KINDS] == list(CONFLICT_KINDS)
    assert all(kind.description and "\n" not in kind.description for kind in KINDS)
    assert {c["kind"] for c in api.open_kb(seed_kb).conflict_records()} <= set(CONFLICT_KINDS)
    with pytest.raises(SystemExit):  # argparse rejects a kind the registry lacks
        build_parser().parse_args(["conflicts", "--kind", "rhetorical"])


def test_a_kind_added_to_the_registry_is_found_with_the_others(seed_kb):
    from kb.analyze.conflicts import KINDS, ConflictKind, find_conflicts
    from kb.analyze.conflicts.base import make_conflict, side

    def first_two_claims(evidence):
        one, two = evidence.claims[:2]
        sides = [side("one", evidence.by_claim[one.id], one.id)]
        sides.append(side("two", evidence.by_claim[two.id], two.id))
        yield make_conflict("test", "a test", sides, "two claims")

    base = api.open_kb(seed_kb)
    claims, statements, lexicon = base.claim_list(), base.statement_list(), base.lexicon()
    before = find_conflicts(claims, statements, lexicon)
    kinds = (*KINDS, ConflictKind("test", "a kind for this test", first_two_claims))
    after = find_conflicts(claims, statements, lexicon, kinds)
    assert [c.kind for c in after] == sorted([c.kind for c in before] + ["test"])
    assert [c for c in after if c.kind != "test"] == before


def test_a_certainty_conflict_that_restates_a_contrary_one_is_not_repeated(tmp_path):
    # "proven" against "still being studied" is a contrary conflict when the lexicon says
    # so; the certainty conflict from the same sentences would say it twice.
    from kb.analyze.conflicts import certainty, contrary, find_conflicts

    lexicon_file = tmp_path / "lexicon.yaml"
    lexicon_file.write_text(CERTAINTY_LEXICON + "contrary:\n  - [proven, doubtful]\n")
    base = build_kb(
        tmp_path,
        {
            "a": "It is proven that acupuncture relieves back pain.",
            "b": "Whether acupuncture relieves back pain is still being studied.",
        },
        lexicon=api.load_lexicon([lexicon_file]),
    )
    claims, statements, lexicon = base.claim_list(), base.statement_list(), base.lexicon()
    alone = find_conflicts(claims, statements, lexicon, (certainty.KIND,))
    assert [c.topic for c in alone] == ["acupuncture relieves pain"]
    both = find_conflicts(claims, statements, lexicon, (contrary.KIND, certainty.KIND))
    assert {c.kind for c in both} == {"contrary"}


# ------------------------------------------------------ stances and claim status

STANCE_TEXTS = {
    "a": "Acupuncture relieves back pain.",
    "b": "Acupuncture may relieve back pain.",
    "c": "Acupuncture does not relieve back pain.",
    "d": "Acupuncture relieves back pain. Acupuncture does not relieve back pain.",
}


def test_each_source_stands_on_a_claim_by_one_rule(tmp_path):
    base = build_kb(tmp_path, STANCE_TEXTS)
    stances = base.stances()
    assert dict(zip(stances["source"], stances["stance"], strict=True)) == {
        "a": "affirms", "b": "hedges", "c": "negates", "d": "mixed",
    }  # fmt: skip
    [claim_id] = set(stances["claim_id"])
    assert base.claims().set_index("id").loc[claim_id, "status"] == "contested"


def test_stances_follow_the_agreement_lists_negating_first():
    from kb.analyze.agreement import stance_of, stance_table
    from kb.model import Agreement

    stand = Agreement("cl_1", affirming=["a", "b"], negating=["c"], hedging=["b", "c"])
    assert [stance_of(stand, s) for s in "abcd"] == ["affirms", "hedges", "negates", "mixed"]
    rows = stance_table({"cl_1": stand}, [("cl_1", "c"), ("cl_1", "a"), ("cl_1", "c")])
    assert [(r.source, r.stance) for r in rows] == [("c", "negates"), ("a", "affirms")]


def test_a_claim_is_agreed_contested_or_one_voice(tmp_path):
    base = build_kb(
        tmp_path,
        {
            "a": "Acupuncture releases endorphins. The needles stay in place for 10 to 20 minutes.",
            "b": "Researchers report that acupuncture releases endorphins in the brain. "
            "Practitioners leave the needles in place for 40 to 50 minutes.",
            "c": "Acupuncture does not relieve back pain. Acupuncture is harmless.",
        },
    )
    claims = base.claims().set_index("label")
    status = claims["status"].to_dict()
    assert status["acupuncture releases endorphins (the body's own opioids)"] == "agreed"
    assert status["acupuncture is harmless, for everyone"] == "one voice"
    # In a conflict although nobody denies it; denied although in no conflict.
    needles = claims.loc["the needles stay in for a stated time"]
    assert (needles["status"], needles["negating"], needles["conflicts"]) == ("contested", [], 1)
    denied = claims.loc["acupuncture relieves back pain"]
    assert (denied["status"], denied["affirming"], denied["conflicts"]) == ("contested", [], 0)


def test_copies_of_one_article_are_one_voice(tmp_path):
    article = (
        "Acupuncture relieves back pain for many adults. The needles are very thin. "
        "Sessions usually last about half an hour. Most people feel little pain. "
        "Practitioners are licensed in most states. Some patients feel relaxed afterwards."
    )
    base = build_kb(tmp_path, {"a": article, "b": article})
    claims = base.claims().set_index("label")
    row = claims.loc["acupuncture relieves back pain"]
    assert (row["sources"], row["independent"], row["status"]) == (2, 1, "one voice")


def test_kb_claims_filters_by_status_and_keeps_the_record_shape(seed_kb, kb_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no label is cut
    base = api.open_kb(seed_kb)
    frame = base.claims()
    for status in ("agreed", "contested", "one voice"):
        code, out, _ = kb_cli("--kb", seed_kb, "claims", "--status", status, "--format", "json")
        assert code == 0
        records = json.loads(out)
        assert [r["id"] for r in records] == list(frame.loc[frame["status"] == status, "id"])
        assert records and all(list(r) == list(api.CLAIM_FIELDS) for r in records)
    code, out, _ = kb_cli("--kb", seed_kb, "claims", "--status", "contested")
    assert code == 0
    assert "the needles stay in for a stated time" in out
    assert "acupuncture inserts thin needles" not in out  # agreed by the five seeds
    with pytest.raises(SystemExit) as exit_:
        kb_cli("--kb", seed_kb, "claims", "--status", "disputed")
    assert exit_.value.code == 2 and "invalid choice" in kb_cli.capsys.readouterr().err


# ------------------------------------------------------ source × source agreement


def test_source_pairs_count_shared_claims_sides_and_conflicts(tmp_path):
    base = build_kb(tmp_path, STANCE_TEXTS)
    pairs = base.source_pairs()
    rows = {(r.a, r.b): r for r in pairs.itertuples()}
    # b hedges, which sides with affirming; d is mixed, which takes no side: it shares no
    # claim with anyone, and is listed only as a near-copy of c (its first sentence is c).
    assert list(rows) == [("a", "c"), ("b", "c"), ("c", "d"), ("a", "b")]
    assert [(r.shared, r.agree, r.conflicts, r.near_copy) for r in rows.values()] == [
        (1, 0, 1, False), (1, 0, 1, False), (0, 0, 0, True), (1, 1, 0, False),
    ]  # fmt: skip
    assert list(pairs["share"].fillna(-1)) == [0.0, 0.0, -1, 1.0]


def test_source_pairs_flag_copies_even_without_a_shared_claim():
    from kb.analyze.pairs import PAIR_COLUMNS, source_pairs

    pairs = source_pairs([], [], [("b", "a")])
    assert list(pairs.columns) == list(PAIR_COLUMNS)
    [row] = pairs.to_dict("records")
    assert (row["a"], row["b"], row["shared"], row["near_copy"]) == ("a", "b", 0, True)
    assert row["share"] != row["share"]  # NaN: no shared claim to agree on


# ---------------------------------------------------------------- graph views


def test_graph_view_folds_statements_and_filters_claims(seed_kb):
    from kb.graph.views import graph_view

    graph = api.open_kb(seed_kb).graph()
    view = graph_view(graph)
    kinds = {d["kind"] for _, d in view.nodes(data=True)}
    assert kinds == {"source", "claim", "concept"}  # no statement nodes
    states = [(u, v) for u, v, d in view.edges(data=True) if d["relation"] == "states"]
    assert states and all({u.split(":")[0], v.split(":")[0]} == {"source", "claim"}
                          for u, v in states)  # fmt: skip
    disputed = graph_view(graph, conflicts_only=True, kinds=("claim",))
    assert 0 < disputed.number_of_nodes() < sum(k == "claim" for _, k in view.nodes(data="kind"))
    assert all(
        any(d["relation"] == "conflicts_with" for *_, d in graph.edges(n, data=True))
        or any(d["relation"] == "conflicts_with" for *_, d in graph.in_edges(n, data=True))
        for n in disputed
    )
    small = graph_view(graph, max_nodes=10)
    assert small.number_of_nodes() == 10
    assert small.graph["left_out"] == view.number_of_nodes() - 10


def test_node_details_of_a_claim_list_the_sources_stating_it(seed_kb):
    from kb.graph.views import graph_layout, graph_view, node_details

    base = api.open_kb(seed_kb)
    graph = base.graph()
    claim = base.claims().iloc[0]
    attributes, links = node_details(graph, f"claim:{claim['id']}")
    assert attributes["label"] == claim["label"]
    stating = links[links["relation"] == "states"]
    assert set(stating["direction"]) == {"in"}
    assert set(stating["node"]) == {f"source:{s}" for s in claim["affirming"]}
    nodes, edges = graph_layout(graph_view(graph, max_claims=5))
    assert len(nodes) > 5 and nodes[["x", "y"]].notna().all().all() and len(edges) > 0


def test_as_effective_against_more_effective_than_one_comparator_is_a_conflict(tmp_path):
    said = {
        "equal": "Massage is as effective as physical therapy for back pain.",
        "better": "Massage is more effective than physical therapy for back pain.",
        "vague": "Massage is as effective as the alternatives.",
        "vaguer": "Massage is more effective than the alternatives.",
        "placebo": "Massage is more effective than a placebo.",
    }
    base = build_kb(tmp_path, {k: f"Massage\n\nMassage is popular. {v}" for k, v in said.items()})
    [conflict] = conflicts_of(base, "contrary")
    sides = [set(side["sources"]) for side in conflict["sides"]]
    # against what "the alternatives" are, and placebo is no physical therapy
    assert sorted(sides, key=sorted) == [{"better"}, {"equal"}]
