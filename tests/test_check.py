"""Checking a writer's text: paraphrases match, each verdict, the overclaim flag,
citations, and the inputs that have nothing to check."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies

from kb import api
from kb.check import _WORD, _stem
from kb.model import SentenceCheck, VerdictSources
from kb.nlp.match import normalize_word
from tests.test_analyze import build_kb


def only_sentence(base, text: str) -> SentenceCheck:
    [sentence] = base.check(text).sentences
    return sentence


def verdict_of(sentence: dict, source: str) -> set[str]:
    """The verdicts the source's statements got across the sentence's matches."""
    return {st.verdict for m in sentence.matches for st in m.statements if st.source == source}


@pytest.mark.parametrize(
    ("source_text", "writer"),
    [
        ("The needles stay in place for 20 to 30 minutes.",
         "The needles stay in for roughly thirty minutes."),
        ("Acupuncture can reduce pain by as much as 50 percent.", "Acupuncture halves the pain."),
        ("Most people need 5-10 sessions of acupuncture.",
         "A course of acupuncture takes six to eight visits."),
        ("People on blood thinners should not have acupuncture.",
         "Acupuncture is risky for people on anticoagulants."),
        ("Acupuncture releases endorphins.",
         "Acupuncture makes the brain release the body's own opioids."),
        ("Before trying acupuncture, talk to your doctor.",
         "Patients should talk to a doctor before starting acupuncture."),
    ],
    ids=["thirty-minutes", "halves", "visits", "anticoagulants", "own-opioids", "a-doctor"],
)  # fmt: skip
def test_paraphrases_are_backed(tmp_path, source_text, writer):
    base = build_kb(tmp_path, {"src": source_text})
    sentence = only_sentence(base, writer)
    assert sentence.sources.supports == ("src",)
    match = sentence.matches[0]
    assert (match.verdict, match.via) == ("supports", "concept")
    assert match.statements[0].quote == source_text


def test_contradicts_by_polarity_numbers_and_contrary(tmp_path):
    base = build_kb(
        tmp_path,
        {
            "deny": "Acupuncture does not relieve back pain.",
            "short": "The needles stay in place for 10 to 20 minutes.",
            "risky": "Acupuncture is not suitable for everyone.",
        },
    )
    assert verdict_of(only_sentence(base, "Acupuncture relieves back pain."), "deny") == {
        "contradicts"
    }
    needles = only_sentence(base, "The needles stay in for 40 minutes.")
    assert verdict_of(needles, "short") == {"contradicts"}
    harmless = only_sentence(base, "Acupuncture is harmless.")
    assert harmless.sources.contradicts == ("risky",)
    assert harmless.matches[0].via == "contrary"


def test_related_when_only_words_are_shared(tmp_path):
    text = "Pilates classes in the park help older adults on weekends and holidays in summer. "
    text += "Pilates studios report steady growth."
    base = build_kb(tmp_path, {"src": text})
    sentence = only_sentence(base, "Older adults enjoy pilates.")
    assert sentence.sources == VerdictSources(related=("src",))
    assert sentence.matches[0].via == "lexical"
    # Most words the same: two sentences no concept covers agree.
    close = only_sentence(base, "Pilates classes in the park help older adults on weekends.")
    assert close.sources.supports == ("src",)


def test_overclaim_when_sources_only_hedge(tmp_path):
    base = build_kb(tmp_path, {"src": "Acupuncture may relieve back pain for some people."})
    cured = only_sentence(base, "Acupuncture cures back pain.")
    assert cured.sources.supports == ("src",)
    assert "cures" in cured.overclaim.reason
    assert "hedged" in cured.overclaim.reason
    assert only_sentence(base, "Acupuncture may relieve back pain.").overclaim is None


def test_seed_writer_examples(seed_kb):
    from kb import api

    base = api.open_kb(seed_kb)
    opioids = only_sentence(base, "Acupuncture works by making the brain release its own opioids")
    assert len(opioids.sources.supports) == 5
    top = opioids.matches[0]
    texts = {s.id: s.text for s in base.source_list(with_text=True)}
    for st in top.statements:
        assert texts[st.source][st.start : st.end] == st.quote

    needles = only_sentence(base, "Needles stay in for 25 minutes")
    assert needles.sources.supports == ("002_3d8a8a3cfc7bd624",)
    assert len(needles.sources.contradicts) == 3

    risk = only_sentence(base, "Acupuncture carries no risk for anyone")
    assert len(risk.sources.contradicts) == 3
    assert "restrict" in risk.overclaim.reason


def test_empty_text_and_text_without_a_claim_get_an_answer(seed_kb, kb_cli):
    code, out, err = kb_cli("--kb", seed_kb, "check", "")
    assert code == 0 and "nothing to check" in out and not err
    code, out, _ = kb_cli("--kb", seed_kb, "check", "The weather is nice today.")
    assert code == 0 and "no claim" in out


def test_a_paragraph_from_stdin_is_checked_sentence_by_sentence(seed_kb, kb_cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Needles stay in for 25 minutes. It is safe.\n"))
    code, out, _ = kb_cli("--kb", seed_kb, "check", "-", "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert [s["text"] for s in result["sentences"]] == [
        "Needles stay in for 25 minutes.",
        "It is safe.",
    ]
    match = result["sentences"][0]["matches"][0]
    assert set(match) >= {"claim_id", "claim", "score", "verdict", "statements"}
    assert set(match["statements"][0]) >= {"source", "quote", "start", "end", "verdict"}


def test_kb_check_prints_the_json_of_the_record_the_api_returns(seed_kb, kb_cli):
    # One shape, made in one place: the CLI prints CheckResult.to_json(), key order
    # included; without --related, as CheckResult.without_related() gives it.
    text = "Needles stay in for 25 minutes. Acupuncture cures back pain for everyone."
    result = api.open_kb(seed_kb).check(text)
    assert result.sentences[0].matches and result.sentences[1].overclaim is not None
    code, out, _ = kb_cli("--kb", seed_kb, "check", text, "--format", "json", "--related")
    assert (code, out) == (0, json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    code, out, _ = kb_cli("--kb", seed_kb, "check", text, "--format", "json")
    brief = result.without_related().to_json()
    assert (code, out) == (0, json.dumps(brief, ensure_ascii=False, indent=2) + "\n")
    code, out, _ = kb_cli("--kb", seed_kb, "check", text, "--format", "json", "--cite", "bibtex")
    cited = api.open_kb(seed_kb).cite(result.supporting_sources(), "bibtex")
    assert json.loads(out) == {**brief, "citations": cited} and cited


def test_related_claims_are_listed_only_on_request(seed_kb, kb_cli):
    # "acupuncture" and "back pain" are in many stored sentences that say other things.
    text = "Acupuncture for back pain is offered by many clinics in the city."
    code, out, _ = kb_cli("--kb", seed_kb, "check", text)
    assert code == 0 and "[related]" not in out
    code, out, _ = kb_cli("--kb", seed_kb, "check", text, "--related")
    assert code == 0 and "[related]" in out
    brief = api.open_kb(seed_kb).check(text).without_related()
    assert all(m.verdict != "related" for s in brief.sentences for m in s.matches)
    assert all(not s.sources.related for s in brief.sentences)


def test_each_source_has_one_verdict_with_its_reason_and_best_quote(seed_kb):
    base = api.open_kb(seed_kb)
    needles = only_sentence(base, "Needles stay in for 25 minutes")
    by_source = {v.source: v for v in needles.verdicts}
    assert set(by_source) == {*needles.sources.supports, *needles.sources.contradicts}
    backing = by_source["002_3d8a8a3cfc7bd624"]
    assert backing.verdict == "supports" and "figures overlap" in backing.reason
    assert "20 to 30 minutes" in backing.quote.quote
    against = by_source["003_a243d097950171fd"]
    assert against.verdict == "contradicts" and "do not overlap" in against.reason
    sham = only_sentence(base, "Acupuncture works no better than sham treatment.")
    assert sham.outcome == "contradicted"
    [denied] = [v for v in sham.verdicts if v.verdict == "contradicts"]
    assert denied.source == "002_3d8a8a3cfc7bd624"
    assert denied.reason == "the source affirms what the sentence denies"
    # "as good as any other medical care" is no claim about sham treatment
    assert "004_803d72c8ca441880" not in sham.sources.supports


@pytest.mark.parametrize(
    ("gate", "text", "code"),
    [
        ("contradicted", "Needles stay in for 25 minutes.", 1),  # 3 sources say 10 to 20
        ("contradicted", "Acupuncture may release endorphins.", 0),
        ("unsupported", "Acupuncture may release endorphins.", 0),
        ("unsupported", "Acupuncture cures hiccups in cats.", 1),  # a claim no source makes
        ("unsupported", "The weather is nice today.", 0),  # no claim: nothing to gate
    ],
)
def test_fail_on_gates_a_draft(seed_kb, kb_cli, gate, text, code):
    got, out, err = kb_cli("--kb", seed_kb, "check", text, "--fail-on", gate)
    assert got == code and out  # the answer is printed either way
    if code:
        assert err.count("\n") == 1 and f"1 of 1 sentence(s) {gate}" in err
    else:
        assert not err


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("markdown", "- Can acupuncture help relieve back pain?"),
        ("bibtex", "@online{"),
        ("csl-json", '"type": "webpage"'),
    ],
)
def test_citations_of_the_backing_sources(seed_kb, kb_cli, style, expected):
    code, out, _ = kb_cli(
        "--kb", seed_kb, "check", "Needles stay in for 25 minutes", "--cite", style
    )
    assert code == 0
    assert expected in out
    assert "Can acupuncture help relieve back pain?" in out  # the source that backs it
    assert "Managing Chronic Back Pain" not in out  # one that contradicts it is not cited


def _four_sources(tmp_path):
    return build_kb(
        tmp_path,
        {
            "a": "Acupuncture relieves back pain.",
            "b": "Acupuncture always relieves back pain.",
            "c": "Acupuncture relieves back pain.",
            "d": "Acupuncture does not relieve back pain.",
        },
    )


def test_a_widely_stated_claim_quotes_some_sources_and_counts_all(tmp_path, monkeypatch):
    base = _four_sources(tmp_path)
    everyone = only_sentence(base, "Acupuncture relieves back pain.").matches[0]
    assert [st.source for st in everyone.statements] == ["a", "b", "c", "d"]
    assert everyone.shown is None  # nothing left out: the usual shape
    assert "shown" not in everyone.to_json() and "source_counts" not in everyone.to_json()

    monkeypatch.setattr("kb.check._QUOTED_SOURCES", 1)  # as if each verdict had thousands
    sentence = only_sentence(base, "Acupuncture relieves back pain.")
    assert sentence.sources.supports == ("a", "b", "c")  # every source, quoted or not
    assert sentence.sources.contradicts == ("d",)
    match = sentence.matches[0]
    assert match.verdict == "supports"
    assert [(st.source, st.verdict) for st in match.statements] == [
        ("a", "supports"),
        ("d", "contradicts"),
    ]
    assert match.source_counts == {"supports": 3, "contradicts": 1, "related": 0}
    assert match.shown == "quotes of 2 of 4 sources"


def test_the_table_says_how_many_sources_it_did_not_quote(tmp_path, monkeypatch, kb_cli):
    base = _four_sources(tmp_path)
    monkeypatch.setattr("kb.check._QUOTED_SOURCES", 1)
    code, out, _ = kb_cli("--kb", base.path, "check", "Acupuncture relieves back pain.")
    assert code == 0
    assert "… quotes of 2 of 4 sources (3 supports, 1 contradicts)" in out


def test_matches_past_the_best_quote_fewer_sources_and_keep_verdict_and_counts(
    tmp_path, monkeypatch
):
    base = _four_sources(tmp_path)
    monkeypatch.setattr("kb.check._QUOTED_MATCHES", 0)  # as if it ranked past the best
    sentence = only_sentence(base, "Acupuncture relieves back pain.")
    match = sentence.matches[0]
    assert match.verdict == "supports"
    assert [(st.source, st.verdict) for st in match.statements] == [
        ("a", "supports"),
        ("d", "contradicts"),
    ]  # one source per verdict, not ten
    assert match.source_counts == {"supports": 3, "contradicts": 1, "related": 0}
    assert match.shown == "quotes of 2 of 4 sources"
    assert sentence.sources.supports == ("a", "b", "c")


def test_an_absolute_word_is_backed_by_a_quote_not_listed(tmp_path, monkeypatch):
    base = _four_sources(tmp_path)
    monkeypatch.setattr("kb.check._QUOTED_SOURCES", 1)  # "b", who says "always", is not listed
    sentence = only_sentence(base, "Acupuncture always relieves back pain.")
    assert "b" not in {st.source for st in sentence.matches[0].statements}
    assert sentence.overclaim is None
    cured = only_sentence(base, "Acupuncture always cures back pain.")
    assert cured.overclaim.reason == "it says 'cures' where no backing source does"


def test_rare_words_find_a_sentence_among_many_with_common_ones(tmp_path, monkeypatch):
    common = " ".join(f"Pilates classes help crowds in town number {n}." for n in range(8))
    one = "Pilates studios in Lisbon improve posture for most members. Pilates is fun."
    base = build_kb(tmp_path, {"many": common, "one": one})
    # As in a large KB, where scoring every statement holding "pilates" took too long.
    monkeypatch.setattr("kb.check._SEARCH_ROWS", 3)
    sentence = only_sentence(base, "Lisbon pilates studios improve posture for members.")
    assert sentence.sources.supports == ("one",)
    assert sentence.matches[0].statements[0].quote.startswith("Pilates studios in Lisbon")


@given(strategies.text(alphabet="abcdeilnorsuyEIRSY'’", min_size=1, max_size=14))
def test_a_word_contains_the_stem_the_store_is_searched_for(text):
    # An absolute word ("cures") is looked for in the store by _stem(normalised word); a
    # quote using the word must contain it, or the check would miss a backing quote.
    for word in _WORD.findall(text):
        assert _stem(normalize_word(word)) in word.lower()


def test_as_effective_contradicts_more_effective_and_backs_no_better(tmp_path):
    base = build_kb(tmp_path, {
        "equal": "Massage is as effective as physical therapy for back pain.",
        "better": "Massage is more effective than physical therapy for back pain.",
        "placebo": "Massage is as effective as a placebo.",
    })  # fmt: skip
    more = only_sentence(base, "Massage works better than physical therapy.")
    assert more.sources.supports == ("better",) and more.sources.contradicts == ("equal",)
    assert "contrary" in {v.source: v for v in more.verdicts}["equal"].reason
    no_better = only_sentence(base, "Massage is no better than physical therapy.")
    assert no_better.sources.supports == ("equal",)
    assert no_better.sources.contradicts == ("better",)
    # "as effective as a placebo" says nothing of physical therapy
    assert "placebo" not in more.sources.supports + more.sources.contradicts


def test_a_checked_sentence_is_about_the_subject_it_names(tmp_path):
    # Without a title, "turmeric" in the sentence is what it is about: what the sources on
    # glucosamine say of their own evidence neither backs nor contradicts it.
    base = build_kb(tmp_path, {
        "turmeric": "Turmeric is a spice. The evidence on turmeric is mixed. Turmeric is "
                    "popular.",
        "glucosamine": "Glucosamine is a supplement. The evidence on glucosamine is mixed. "
                       "Glucosamine is popular.",
    })  # fmt: skip
    proven = only_sentence(base, "Clinical trials have proven that turmeric works.")
    assert proven.sources.contradicts == ("turmeric",)
    both = only_sentence(base, "Trials have proven that glucosamine and turmeric work.")
    assert both.sources.contradicts == ("glucosamine", "turmeric")


def test_two_upper_bounds_disagree_when_they_name_different_amounts(tmp_path):
    base = build_kb(tmp_path, {"half": "Acupuncture can reduce pain by as much as 50 percent."})
    sentence = only_sentence(base, "Acupuncture can reduce pain by as much as 80 percent.")
    assert sentence.sources.contradicts == ("half",)
    assert "figures do not overlap" in sentence.verdicts[0].reason
    same = only_sentence(base, "Acupuncture can reduce pain by up to 50 percent.")
    assert same.sources.supports == ("half",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Researchers still cannot say exactly how acupuncture eases pain.",
        "Scientists have worked out the mechanism by which acupuncture eases pain.",
    ],
)
def test_how_a_treatment_works_is_no_claim_that_it_works(seed_kb, sentence):
    # Neither sentence says whether it eases pain: no source that says it does backs or
    # contradicts them.
    checked = only_sentence(api.open_kb(seed_kb), sentence)
    assert not any(v.claim == "acupuncture relieves pain" for v in checked.verdicts)


def test_a_source_that_says_responses_vary_contradicts_works_for_everyone(tmp_path):
    base = build_kb(tmp_path, {
        "works": "Acupuncture relieves back pain.",
        "varies": "Acupuncture relieves back pain, but individual responses may vary.",
    })  # fmt: skip
    everyone = only_sentence(base, "Acupuncture relieves back pain in every patient.")
    assert everyone.sources.supports == ("works",)
    assert everyone.sources.contradicts == ("varies",)
    assert "restrict" in everyone.overclaim.reason
    # without "every", the same source backs it
    assert only_sentence(base, "Acupuncture relieves back pain.").sources.supports == (
        "varies",
        "works",
    )
