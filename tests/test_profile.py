"""Source profiles: kind with reasons, author, and citations with exact spans."""

from __future__ import annotations

import pytest

from kb.model import SOURCE_KINDS, Source
from kb.stages.profile import find_author, find_citations, profile_source
from tests.support import ROOT


def profile(text: str = "Acupuncture may ease back pain.", **meta):
    return profile_source(Source(id="s", text=text, **meta))


# -- kind --------------------------------------------------------------------------------


def test_kind_set_in_metadata_wins_over_every_cue():
    p = profile("Book an appointment at our clinic.", kind="journal", url="https://x.nhs.uk")
    assert p.kind == "journal"
    assert p.kind_reasons == ["kind set in metadata: journal"]


@pytest.mark.parametrize(
    ("url", "kind", "reason"),
    [
        ("https://www.nccih.nih.gov/health/acupuncture", "government", "url domain .gov"),
        ("https://www.nhs.uk/conditions/acupuncture/", "government", "url domain nhs.uk"),
        ("https://www.gov.uk/guidance/x", "government", "url domain .gov"),
        ("https://www.who.int/news", "government", "url domain who.int"),
        ("https://pubmed.ncbi.nlm.nih.gov/1/", "journal", "url domain pubmed.ncbi.nlm.nih.gov"),
        ("https://jamanetwork.com/journals/jama/article", "journal", "url domain jamanetwork.com"),
        ("https://www.bmj.com/content/1", "journal", "url domain bmj.com"),
        ("https://www.cochranelibrary.com/cdsr/doi/x", "review", "url domain cochranelibrary.com"),
        ("https://www.nytimes.com/2024/01/01/well/x.html", "news", "url domain nytimes.com"),
        ("https://feeds.bbc.co.uk/news", "news", "url domain bbc.co.uk"),
        ("https://someone.wordpress.com/2020/acupuncture", "blog", "url domain wordpress.com"),
    ],
)  # fmt: skip
def test_kind_from_the_url_domain(url, kind, reason):
    p = profile(url=url)
    assert (p.kind, p.kind_reasons) == (kind, [reason])


def test_a_site_that_is_a_domain_counts_when_there_is_no_url():
    assert profile(site="nccih.nih.gov").kind_reasons == ["site domain .gov"]
    assert profile(site="Mayo Clinic").kind == "unknown"


def test_a_domain_that_merely_contains_a_rule_word_is_not_matched():
    assert profile(url="https://notbmj.com/x").kind == "unknown"
    assert profile(url="https://governmentjobs.com/x").kind == "unknown"


def test_clinic_from_calls_to_action_and_a_business_speaking_of_itself():
    p = profile("Our practitioners treat back pain. Schedule a consultation today!")
    assert p.kind == "clinic/commercial"
    assert p.kind_reasons == [
        "call to action: 'Schedule a consultation'",
        "business speaking of itself: 'Our practitioners'",
    ]


def test_blog_from_its_label_and_byline():
    p = profile("Blog Article\n\nPosted by admin on 3 May\n\nAcupuncture helped me.")
    assert p.kind == "blog"
    assert p.kind_reasons == ["blog label: 'Blog Article'", "byline 'posted by': 'Posted by'"]


def test_journal_from_abstract_structure():
    text = (
        "Background: Low back pain is common.\nMethods: We pooled 20 trials.\n"
        "Results: Pain fell.\nConclusions: Acupuncture helps somewhat."
    )
    p = profile(text)
    assert p.kind == "journal"
    assert "abstract section: 'Methods'" in p.kind_reasons


def test_a_journal_article_that_calls_itself_a_systematic_review_is_a_review():
    text = "Background: x.\nMethods: y.\nResults: z.\nConclusions: w."
    p = profile(text, title="Acupuncture for low back pain: a systematic review")
    assert p.kind == "review"


def test_one_results_heading_is_no_journal():
    assert profile("Results\n\nMost patients felt better after three sessions.").kind == "unknown"


def test_news_from_a_wire_dateline():
    assert profile("LONDON (Reuters) - A new trial of acupuncture ...").kind == "news"


def test_no_cues_is_unknown():
    p = profile("Acupuncture is an old practice. Many people try it for back pain.")
    assert (p.kind, p.kind_reasons, p.author, p.cites) == ("unknown", [], "", [])
    assert p.kind in SOURCE_KINDS


# -- author ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "author", "reason"),
    [
        ("Title\nBy Jane Doe\n\nText.", "Jane Doe", "byline 'By'"),
        ("Title\nBy Jane Doe, MD | Updated May 3, 2024\nText.", "Jane Doe, MD", "byline 'By'"),
        ("Written by Dr. Ann Lee on 4 June\nText.", "Dr. Ann Lee", "byline 'Written by'"),
        ("Author: Mark O. Smith\nText.", "Mark O. Smith", "byline 'Author:'"),
        ("Medically reviewed by Dr. Sara Kim, DACM\nText.", "Dr. Sara Kim, DACM",
         "byline 'Medically reviewed by'"),
        ("Text of the article.\n\nMichael Kaliko DC\n", "Michael Kaliko DC",
         "signature line with credentials"),
    ],
)  # fmt: skip
def test_author_from_the_text(text, author, reason):
    found, why, (start, end) = find_author(text)
    assert (found, why) == (author, reason)
    assert text[start:end] == author


def test_a_sentence_that_starts_with_by_is_no_byline():
    assert find_author("By Stimulating These Muscles, acupuncture relaxes them.")[0] == ""
    assert find_author("By promoting the release of endorphins, it helps.")[0] == ""


def test_the_writer_wins_over_the_reviewer_and_metadata_over_both():
    text = "Medically reviewed by Dr. Sara Kim\nWritten by Tom Baker\nText."
    assert profile(text).author == "Tom Baker"
    assert profile(text, author="Editorial Team").author == "Editorial Team"


# -- citations ---------------------------------------------------------------------------


CITING = (
    "For instance, a meta-analysis published in the Journal of Pain concluded that it works. "
    "A 2017 review in the Annals of Internal Medicine agreed, according to the National "
    "Institutes of Health. A study published in JAMA found less. The American College of "
    "Physicians recommends it (Qaseem et al., 2017). Guidelines from NICE differ; see "
    "doi:10.1136/bmj.n1. According to Dr. Claflin of Oklahoma, needles are thin."
)


def test_citations_are_found_with_exact_spans():
    cites = find_citations(CITING)
    assert [c.text for c in cites] == [
        "a meta-analysis published in the Journal of Pain",
        "A 2017 review in the Annals of Internal Medicine",
        "according to the National Institutes of Health",
        "A study published in JAMA",
        "The American College of Physicians",
        "(Qaseem et al., 2017)",
        "Guidelines from NICE",
        "doi:10.1136/bmj.n1",
        "According to Dr. Claflin of Oklahoma",
    ]
    for cite in cites:
        assert CITING[cite.start : cite.end] == cite.text


def test_things_that_are_not_citations():
    text = (
        "According to this theory, the gate closes. Some research suggests it helps. "
        "A study in Germany found gains. Contact the International Spine Institute today. "
        "Report this page. Numerous studies have investigated it."
    )
    assert find_citations(text) == []


def test_profile_cites_index_the_source_text():
    source = Source(id="s", text="Intro.\n\n" + CITING)
    for cite in profile_source(source).cites:
        assert source.text[cite.start : cite.end] == cite.text


SEEDS = ROOT / "data" / "sources"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus {SEEDS} is absent")
def test_seed_profiles():
    profiles = {
        p.stem[:3]: profile_source(Source(id=p.stem, text=p.read_text(encoding="utf-8")))
        for p in sorted(SEEDS.glob("*.txt"))
    }
    assert {k: p.kind for k, p in profiles.items()} == {
        "000": "unknown",
        "001": "unknown",
        "002": "blog",
        "003": "clinic/commercial",
        "004": "unknown",
    }
    assert profiles["004"].author == "Michael Kaliko DC"
    assert [c.text for c in profiles["002"].cites] == [
        "a meta-analysis published in the Journal of Pain"
    ]
    assert [c.text for c in profiles["000"].cites] == ["According to Dr. Claflin of Oklahoma"]


# One text per cue that sets it off, in the cases a text may use.
_CUE_EXAMPLES = [
    "Schedule your free appointment online. CALL US at our front desk.",
    "Call the Spine Centre today. Text us at (555) 123-4567 for an appointment.",
    "Our clinic and our practitioners: we specialise in care. We offer three kinds of services.",
    "Blog post by Ann. Posted on Monday. Leave a comment below; 12 comments so far.",
    "Background: x\nMethods: y\nResults: z\nConclusions: w\ndoi:10.1234/abc",
    "(Reuters) - A staff reporter writes. An official website of the United States "
    "government. The .gov means it's official.",
    "A 2017 review in the Annals of Internal Medicine found gains, according to the NIH. "
    "According to Dr. Ann Lee of Harvard, it helps. Guidelines from the American College of "
    "Physicians agree. The National Institutes of Health recommends it (Smith et al., 2019), "
    "as do Smith and Jones (2020); see https://doi.org/10.1000/xyz1.",
]


@pytest.mark.parametrize("cue", range(len(_CUE_EXAMPLES)))
def test_the_words_looked_for_first_are_in_every_match(cue):
    # kind_from_text and find_citations skip a cue's regex scan when the text lacks the
    # words (or the cheaper pattern) every match holds; that must never drop a match.
    import re

    from kb.stages.profile import _CITATIONS, _CUES

    text = _CUE_EXAMPLES[cue]
    scans = [(pattern, words) for _, _, _, pattern, words in _CUES] + list(_CITATIONS)
    matched = 0
    for pattern, held in scans:
        for match in pattern.finditer(text):
            matched += 1
            # The match, and what a look-ahead read after it ("... recommends").
            folded = text[match.start() : match.end() + 20].casefold()
            if isinstance(held, re.Pattern):
                assert held.search(folded), (pattern.pattern, match.group())
            elif held:
                assert any(w in folded for w in held), (pattern.pattern, match.group())
    assert matched >= 2  # the example sets off the cues it was written for


def test_every_cue_is_set_off_by_some_example():
    from kb.stages.profile import _CITATIONS, _CUES

    scans = [pattern for _, _, _, pattern, _ in _CUES] + [pattern for pattern, _ in _CITATIONS]
    silent = [p.pattern for p in scans if not any(p.search(t) for t in _CUE_EXAMPLES)]
    assert silent == []
