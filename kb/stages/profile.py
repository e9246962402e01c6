"""Source profile: what kind of source a document is, who wrote it, and whom it cites.

Three readings of one ``Source``, each by rules kept in module-level tables so that a new
cue is one line:

- **kind** (one of ``kb.model.SOURCE_KINDS``): the kind set in metadata wins; then the
  domain of its url or site (``DOMAIN_KINDS``, ``GOVERNMENT_LABELS``); then cues in the text
  (``TEXT_CUES``): calls to action and a business speaking of itself make a clinic or
  commercial page, "Blog" or "posted by" a blog, Background/Methods/Results/Conclusions a
  journal article. ``kind_reasons`` says which rules fired, quoting the text they matched.
- **author**: the metadata author, else a byline ("By Jane Doe", "Written by", "Author:",
  "Medically reviewed by Dr. X") or a signature line ("Michael Kaliko DC").
- **cites**: the works and bodies the source cites ("a meta-analysis published in the
  Journal of Pain", "according to the National Institutes of Health"), each with its exact
  span: ``source.text[c.start:c.end] == c.text``.

The profile describes; it weighs nothing. All rules are regular expressions over the text,
O(length of the text).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from kb.ingest.html import host_of
from kb.model import SOURCE_KINDS, Source
from kb.stages import Document, Stage

__all__ = [
    "DOMAIN_KINDS",
    "GOVERNMENT_LABELS",
    "STAGE",
    "TEXT_CUES",
    "Citation",
    "SourceProfile",
    "find_author",
    "find_citations",
    "kind_from_domain",
    "kind_from_text",
    "profile_source",
    "profiled",
]


@dataclass(frozen=True, slots=True)
class Citation:
    """A work or body the source cites; ``text == source.text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class SourceProfile:
    """What kind of source it is and why, who wrote it, and what it cites."""

    kind: str = "unknown"
    kind_reasons: list[str] = field(default_factory=list)
    author: str = ""
    author_reason: str = ""
    cites: list[Citation] = field(default_factory=list)


# -- kind --------------------------------------------------------------------------------

# Host suffixes and the kind they make, first match wins: an index of journal articles on
# a .gov host (pubmed.ncbi.nlm.nih.gov) is read as a journal, so journals come first.
DOMAIN_KINDS: tuple[tuple[str, str], ...] = (
    ("cochranelibrary.com", "review"),
    ("pubmed.ncbi.nlm.nih.gov", "journal"),
    ("ncbi.nlm.nih.gov", "journal"),
    ("europepmc.org", "journal"),
    ("jamanetwork.com", "journal"),
    ("bmj.com", "journal"),
    ("thelancet.com", "journal"),
    ("nejm.org", "journal"),
    ("nature.com", "journal"),
    ("science.org", "journal"),
    ("springer.com", "journal"),
    ("wiley.com", "journal"),
    ("sciencedirect.com", "journal"),
    ("tandfonline.com", "journal"),
    ("sagepub.com", "journal"),
    ("plos.org", "journal"),
    ("frontiersin.org", "journal"),
    ("mdpi.com", "journal"),
    ("academic.oup.com", "journal"),
    ("journals.lww.com", "journal"),
    ("acpjournals.org", "journal"),
    ("nhs.uk", "government"),
    ("who.int", "government"),
    ("europa.eu", "government"),
    ("canada.ca", "government"),
    ("nytimes.com", "news"),
    ("washingtonpost.com", "news"),
    ("wsj.com", "news"),
    ("usatoday.com", "news"),
    ("latimes.com", "news"),
    ("cnn.com", "news"),
    ("nbcnews.com", "news"),
    ("cbsnews.com", "news"),
    ("abcnews.go.com", "news"),
    ("foxnews.com", "news"),
    ("npr.org", "news"),
    ("reuters.com", "news"),
    ("apnews.com", "news"),
    ("bbc.com", "news"),
    ("bbc.co.uk", "news"),
    ("theguardian.com", "news"),
    ("independent.co.uk", "news"),
    ("telegraph.co.uk", "news"),
    ("time.com", "news"),
    ("statnews.com", "news"),
    ("blogspot.com", "blog"),
    ("wordpress.com", "blog"),
    ("medium.com", "blog"),
    ("substack.com", "blog"),
    ("tumblr.com", "blog"),
)
# A host with one of these among its last two labels is a government's: nih.gov, gov.uk,
# health.gov.au, gouv.fr, gob.mx, army.mil.
GOVERNMENT_LABELS = frozenset({"gov", "gouv", "gob", "govt", "mil", "gc"})

_QUOTE_MAX = 60  # characters of matched text quoted in a reason


def _host(value: str) -> str:
    """The lower-case host of a url, or of a site field that is a bare domain.

    >>> _host("https://www.NHS.uk/conditions/"), _host("nccih.nih.gov"), _host("Mayo Clinic")
    ('www.nhs.uk', 'nccih.nih.gov', '')
    >>> _host("https://[bad/page")
    ''
    """
    value = value.strip()
    if not value or " " in value:
        return ""
    if "//" not in value:
        value = "//" + value
    host = host_of(value)  # "" for a malformed url ("https://[bad/"), which urlsplit rejects
    return host if "." in host else ""


def kind_from_domain(url: str, site: str = "") -> tuple[str, str] | None:
    """(kind, reason) from the domain of ``url`` (else ``site``), or None.

    >>> kind_from_domain("https://www.nccih.nih.gov/health/acupuncture")
    ('government', 'url domain .gov')
    >>> kind_from_domain("https://jamanetwork.com/journals/x")
    ('journal', 'url domain jamanetwork.com')
    >>> kind_from_domain("https://example.com") is None
    True
    """
    for value, what in ((url, "url"), (site, "site")):
        host = _host(value)
        if not host:
            continue
        for suffix, kind in DOMAIN_KINDS:
            if host == suffix or host.endswith("." + suffix):
                return kind, f"{what} domain {suffix}"
        labels = host.split(".")
        government = [label for label in labels[-2:] if label in GOVERNMENT_LABELS]
        if government:
            return "government", f"{what} domain .{government[0]}"
    return None


# Text cues: (kind, what the cue is, weight, pattern). A kind needs cues of weight
# ``_ENOUGH`` between them: a call to action alone makes a clinic, but "our centre" or
# "we provide" alone does not (research papers say both). Patterns are case-insensitive;
# an "(?-i:...)" group wants capitals.
TEXT_CUES: tuple[tuple[str, str, int, str, tuple[str, ...]], ...] = (
    # (kind, what, weight, pattern, words: every match contains one of them, lower-cased)
    ("clinic/commercial", "call to action", 2,
     r"\b(?:schedule|book|request|make)\s+(?:an?\s+|your\s+)?(?:free\s+)?(?:\w+\s+)?"
     r"(?:appointment|consultation|visit|session|evaluation)\b",
     ("appointment", "consultation", "visit", "session", "evaluation")),
    ("clinic/commercial", "call to action", 2,
     r"\b(?:contact|call|visit|email)\s+(?:us|our\s+(?:team|office|clinic|practice|center|centre))\b",
     ("contact", "call", "visit", "email")),
    ("clinic/commercial", "call to action", 2,
     r"\b(?:call|contact)\s+(?:the\s+)?(?-i:[A-Z]\w+(?:\s+[A-Z]\w+){0,4})\s+(?:today|now)\b",
     ("call", "contact")),
    ("clinic/commercial", "call to action", 2,
     r"\b(?:call|text)\s+(?:us\s+)?(?:at\s+)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b",
     ("call", "text")),
    ("clinic/commercial", "business speaking of itself", 1,
     r"\bour\s+(?:clinic|practice|office|center|centre|practitioners|specialists|doctors|"
     r"physicians|therapists|acupuncturists|chiropractors|providers|staff|team\s+of|"
     r"services|online\s+portal)\b",
     ("our",)),
    ("clinic/commercial", "business speaking of itself", 1,
     r"\bwe\s+(?:specialize|specialise)\b|\bwe\s+(?:offer|provide)\s+(?:\w+\s+){0,3}?"
     r"(?:services|treatments?|care|appointments|consultations|sessions)\b",
     ("specialize", "specialise", "offer", "provide")),
    ("blog", "blog label", 2, r"\bblog\s+(?:post|article)\b|(?-i:\bBlog\b)", ("blog",)),
    ("blog", "byline 'posted by'", 1, r"\bposted\s+(?:by|on)\b", ("posted",)),
    ("blog", "comments", 1,
     r"\b(?:leave|post)\s+a\s+(?:comment|reply)\b|\b\d+\s+comments?\b",
     ("comment", "reply")),
    ("journal", "abstract section", 1,  # counted only when _MIN_ABSTRACT_SECTIONS appear
     r"^[^\S\n]*(?:Background|Objectives?|Methods|Results|Conclusions?|Abstract)"
     r"[^\S\n]*(?::|$)",
     ("background", "objective", "methods", "results", "conclusion", "abstract")),
    ("journal", "doi", 1, r"\bdoi:\s*10\.\d{4,}/|\bdoi\.org/10\.\d{4,}/", ("doi",)),
    ("news", "wire dateline", 2, r"\((?:Reuters|AP|AFP|Bloomberg)\)\s+[-–—]",
     ("reuters)", "(ap)", "(afp)", "bloomberg)")),
    ("news", "news byline", 2,
     r"\b(?:staff|senior|health|medical|science)\s+(?:reporter|correspondent|writer|editor)\b",
     ("reporter", "correspondent", "writer", "editor")),
    ("government", "official site banner", 2,
     r"\ban official website of the\b|\.gov means it(?:'|’)s official",
     ("an official website of the", ".gov means it")),
)  # fmt: skip
_CUES = tuple(
    (kind, what, weight, re.compile(pattern, re.IGNORECASE | re.MULTILINE), words)
    for kind, what, weight, pattern, words in TEXT_CUES
)
_ENOUGH = 2
# Abstract structure needs several of its sections: "Results" and "Conclusion" are
# headings of many a web page too.
_MIN_ABSTRACT_SECTIONS = 3
# When kinds tie, the more specific one wins.
_PRECEDENCE = ("journal", "government", "news", "clinic/commercial", "blog")
# A journal article that calls itself a review in its title or opening is a review.
_REVIEW_TITLE = re.compile(r"\b(?:systematic\s+review|meta-analy[sz]is|umbrella\s+review)\b", re.I)
_OPENING = 400


def _quote(text: str) -> str:
    """Matched text for a reason: whitespace folded, long matches cut."""
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


class _Held:
    """What a text holds, looked for in its case-folded copy: a substring search, or a
    case-sensitive regex over few letters, is far cheaper than a case-blind regex scan,
    and tells which cue scans cannot match.

    Case folding maps every letter that a case-blind regex equates with an ASCII letter to
    that letter ("ſ" to "s", the Kelvin sign to "k"), but for the dotless "ı": with one in
    the text, every scan runs.

    >>> held = _Held("Call US today")
    >>> held.any_word(("us",)), held.any_word(("blog", "posted"))
    (True, False)
    """

    def __init__(self, text: str) -> None:
        self.everything = "ı" in text
        self.folded = "" if self.everything else text.casefold()

    def any_word(self, words: tuple[str, ...]) -> bool:
        return self.everything or any(word in self.folded for word in words)

    def matches(self, pattern: re.Pattern[str]) -> bool:
        return self.everything or pattern.search(self.folded) is not None


def kind_from_text(text: str, title: str = "") -> tuple[str, list[str]]:
    """(kind, reasons) from cues in the text: of the kinds whose distinct cues weigh enough,
    the heaviest.

    >>> kind_from_text("Call us today. Schedule a consultation with our acupuncturists.")
    ('clinic/commercial', ["call to action: 'Schedule a consultation'", "call to action: 'Call us'",
                           "business speaking of itself: 'our acupuncturists'"])
    >>> kind_from_text("We provide evidence from 12 patients treated at our centre.")
    ('unknown', [])
    """
    # kind -> reason -> (what, weight); a reason quotes the text, so repeats count once.
    found: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    held = _Held(text)
    for kind, what, weight, pattern, words in _CUES:
        if not held.any_word(words):
            continue  # no match can be there: skip the scan, most of the cost of profiling
        for match in pattern.finditer(text):
            quoted = _quote(match.group()).rstrip(":").strip()
            found[kind].setdefault(f"{what}: '{quoted}'", (what, weight))
    journal = found["journal"]
    if sum(what == "abstract section" for what, _ in journal.values()) < _MIN_ABSTRACT_SECTIONS:
        found["journal"] = {r: c for r, c in journal.items() if c[0] != "abstract section"}
    weights = {kind: sum(w for _, w in cues.values()) for kind, cues in found.items()}
    qualified = [kind for kind, weight in weights.items() if weight >= _ENOUGH]
    if not qualified:
        return "unknown", []
    kind = max(qualified, key=lambda k: (weights[k], -_PRECEDENCE.index(k)))
    reasons = list(found[kind])
    if kind == "journal" and (m := _REVIEW_TITLE.search(title or text[:_OPENING])):
        return "review", [*reasons, f"calls itself a review: '{_quote(m.group())}'"]
    return kind, reasons


# -- author ------------------------------------------------------------------------------

# A personal name: capitalised words, perhaps a title before and credentials after.
_CREDENTIAL = (
    r"(?:M\.?D\.?|D\.?O\.?|D\.?C\.?|Ph\.?D\.?|L\.?Ac\.?|DACM|DAOM|Dipl\.?\s?O\.?M\.?|R\.?N\.?|"
    r"N\.?P\.?|P\.?T\.?|DPT|MPH|MSc?|MA|BSN|DNP|PA-C|FACP|MBBS|MRCP|ND|RD|CPT|PharmD)"
)
_NAME = (
    r"(?:(?:Dr|Prof|Professor)\.?\s+)?"
    r"[A-Z][a-zA-Z'’-]+(?:\s+[A-Z]\.)?(?:\s+(?:van|von|de|del|da|di|le|la)\s+)?"
    r"(?:\s+[A-Z][a-zA-Z'’-]+){1,3}"
    rf"(?:,?\s+{_CREDENTIAL}(?![\w.]))*"
)
# Bylines, strongest first: who wrote it before who reviewed it.
AUTHOR_CUES: tuple[tuple[str, str], ...] = (
    ("byline 'Written by'", r"(?:Written|Authored)\s+by"),
    ("byline 'Author:'", r"Author(?:ed)?\s*:"),
    ("byline 'By'", r"By"),
    ("byline 'Posted by'", r"Posted\s+by"),
    ("byline 'Medically reviewed by'", r"(?:Medically\s+|Clinically\s+)?Reviewed\s+by"),
)
# The byline starts a line and the name ends it, or a date, a separator or a job title
# follows: "By Stimulating These Muscles, acupuncture ..." opens a sentence, not a byline.
_NAME_END = (
    r"(?=[^\S\n]*(?:$|[|•·–—(]|,[^\S\n]*(?:[A-Z0-9]|$)"
    r"|\s+(?:on|and|updated|published|[A-Z][a-z]{2}\w*\s+\d)\b))"
)
_BYLINES = tuple(
    (
        reason,
        re.compile(
            rf"^[^\S\n]*(?i:{cue})[^\S\n]+(?![A-Z][a-z]+ing\b)(?P<name>{_NAME}){_NAME_END}",
            re.MULTILINE,
        ),
    )
    for reason, cue in AUTHOR_CUES
)
# A line that is only a name with credentials, as a signature under an article.
_SIGNATURE = re.compile(
    rf"^[^\S\n]*(?P<name>(?:(?:Dr|Prof)\.?\s+)?[A-Z][a-zA-Z'’-]+(?:\s+[A-Z]\.)?"
    rf"(?:\s+[A-Z][a-zA-Z'’-]+){{1,2}},?(?:\s+{_CREDENTIAL}(?![\w.])\.?,?)+)[^\S\n]*$",
    re.MULTILINE,
)


def find_author(text: str) -> tuple[str, str, tuple[int, int] | None]:
    """(author, reason, span) from a byline or a signature line, or ("", "", None).

    >>> find_author("Title\\nBy Jane Doe, MD | May 3, 2024\\nBy stimulating nerves, it helps.")
    ('Jane Doe, MD', "byline 'By'", (9, 21))
    >>> find_author("Some text.\\n\\nMichael Kaliko DC\\n")[:2]
    ('Michael Kaliko DC', 'signature line with credentials')
    """
    for reason, pattern in _BYLINES:
        if match := pattern.search(text):
            return match.group("name"), reason, match.span("name")
    if match := _SIGNATURE.search(text):
        return match.group("name"), "signature line with credentials", match.span("name")
    return "", "", None


# -- citations ---------------------------------------------------------------------------

# A name of a journal or a body: capitalised words joined by "of", "and", "for", "on", "the".
# Bounded, and starting at a word, so that a long run of capitals costs linear time.
_PROPER = r"\b[A-Z][\w&’'-]*(?:\s+(?:(?:of|and|for|on|the|&)\s+){0,2}[A-Z][\w&’'-]*){0,9}"
_BODY = rf"(?:the\s+)?(?P<body>{_PROPER})"
# A proper name is a journal or an institution when it has one of these words or is an
# acronym (JAMA, NICE, PLOS ONE): "a study in Germany" cites no work.
_INSTITUTION = re.compile(
    r"\b(?:Journal|Annals|Archives|Lancet|Review|Reviews|Medicine|Medical|Proceedings|"
    r"Bulletin|Database|Letters|Reports|Science|Sciences|Nature|Pain|Spine|Cochrane|"
    r"Association|College|Institute|Institutes|Society|Academy|Organi[sz]ation|Centers?|"
    r"Centres?|Council|Agency|Administration|Foundation|University|Clinic|Hospital|"
    r"Department|Ministry|Service|Services|Board|Excellence|Health|Research|Collaboration|"
    r"Task\s+Force)\b"
)
# An acronym and perhaps more capitalised words: "NIH", "JAMA Internal Medicine", "PLOS ONE";
# not "UK", "USA" or "COVID-19".
_ACRONYM = re.compile(r"(?!USA\b)[A-Z]{3,}(?:\s+[A-Z][A-Za-z]*)*")
_STUDY_NOUN = (
    r"(?:study|studies|trial|trials|meta-analys[ie]s|review|reviews|analysis|survey|"
    r"report|paper|article|guidelines?)"
)
_STUDY_WORD = (
    r"(?:recent|new|large|small|landmark|major|\d{4}|randomi[sz]ed|controlled|clinical|"
    r"systematic|comprehensive|published)"
)
# "a 2017 review", "a German study", "a joint study", "studies": any word may describe the
# study after an article; without one only the words above may, so that a name on the line
# before ("Ann Lee\nA study") is not taken for part of the citation.
_STUDY = (
    rf"\b(?:(?i:a|an|one|the|this|that|another)\s+(?:[\w’'-]+[^\S\n]+){{0,3}}"
    rf"|(?:(?i:{_STUDY_WORD})[\s-]+){{0,4}})(?i:{_STUDY_NOUN})"
)
_TITLED = r"(?:Dr\.?|Doctor|Professor|Prof\.)\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}"
# (what is cited, pattern). A citation is the whole phrase, its cue words included; a
# pattern with a "body" group counts only when that body is a journal or an institution.
# What every "study in a journal" match holds from its noun on, case folded: the cheap
# part of it to look for first (the words before the noun cost the most to scan).
_STUDY_TAIL = rf"{_STUDY_NOUN}\s+(?:(?:published|appearing|reported|printed)\s+)?(?:in|by)\s"
CITATION_CUES: tuple[tuple[str, str, tuple[str, ...] | str], ...] = (
    # (what is cited, pattern, and what every match holds, case folded: one of some words,
    # or a match of a cheaper pattern; nothing when that is too common to look for first)
    ("study in a journal",
     rf"{_STUDY}\s+(?:(?:published|appearing|reported|printed)\s+)?(?:in|by)\s+{_BODY}",
     _STUDY_TAIL),
    ("according to a body", rf"(?i:according\s+to)\s+{_BODY}", ("according",)),
    ("according to an expert",
     rf"(?i:according\s+to)\s+{_TITLED}(?:\s+(?:of|at|from)\s+{_PROPER})?", ("according",)),
    ("guidance from a body",
     rf"(?i:guidelines?|recommendations?|advice|data|a\s+report|a\s+statement)\s+"
     rf"(?:from|by|of)\s+{_BODY}",
     ("guideline", "recommendation", "advice", "data", "report", "statement")),
    ("body that advises",
     rf"{_BODY}(?=\s+(?:recommends?|recommended|advises|advised|found|finds|reports|reported|"
     rf"concluded|concludes|states|stated|says|said|suggests|suggested|endorses|endorsed)\b)",
     ("recommend", "advise", "found", "finds", "report", "conclude", "state", "says", "said",
      "suggest", "endorse")),
    # "(Qaseem et al., 2017)", "Smith and Jones (2019)"; one name alone is too often a
    # place: "(Iran, 1984)".
    ("author and year",
     r"\([A-Z][a-z]+(?:\s+(?:and|&)\s+[A-Z][a-z]+|\s+et\s+al\.?),?\s+\d{4}[a-z]?\)", ()),
    ("author and year",
     r"\b[A-Z][a-z]+(?:\s+(?:and|&)\s+[A-Z][a-z]+|\s+et\s+al\.?)\s+\(\d{4}[a-z]?\)", ()),
    ("doi", r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,}/[^\s,;)]*[^\s,;).]", ("doi",)),
)  # fmt: skip
_CITATIONS = tuple(
    (re.compile(pattern), re.compile(held) if isinstance(held, str) else held)
    for _, pattern, held in CITATION_CUES
)


def find_citations(text: str) -> list[Citation]:
    """Citations in ``text`` with exact spans, in text order; of overlapping matches the
    one that starts first wins, then the longest.

    >>> t = "A 2017 review in the Annals of Internal Medicine found gains, according to the NIH."
    >>> [c.text for c in find_citations(t)]
    ['A 2017 review in the Annals of Internal Medicine', 'according to the NIH']
    >>> find_citations("A study in Germany found gains.")
    []
    """
    spans = []
    held = _Held(text)
    for pattern, holds in _CITATIONS:
        if isinstance(holds, re.Pattern):
            if not held.matches(holds):
                continue  # no match can be there: skip the scan
        elif holds and not held.any_word(holds):
            continue
        for match in pattern.finditer(text):
            body = match.groupdict().get("body")
            if body is None or _INSTITUTION.search(body) or _ACRONYM.fullmatch(body):
                spans.append(match.span())
    kept: list[Citation] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1].end:
            kept.append(Citation(text[start:end], start, end))
    return kept


# -- profile -----------------------------------------------------------------------------


def profile_source(source: Source) -> SourceProfile:
    """Kind (with reasons), author and citations of ``source``.

    >>> s = Source(id="x", text="Posted by Ann Lee\\nA study published in JAMA found relief.",
    ...            url="https://ann.blogspot.com/p/1")
    >>> p = profile_source(s)
    >>> p.kind, p.kind_reasons, p.author, [c.text for c in p.cites]
    ('blog', ['url domain blogspot.com'], 'Ann Lee', ['A study published in JAMA'])
    """
    if source.kind != "unknown" and source.kind in SOURCE_KINDS:
        kind, reasons = source.kind, [f"kind set in metadata: {source.kind}"]
    elif by_domain := kind_from_domain(source.url, source.site):
        kind, reasons = by_domain[0], [by_domain[1]]
    else:
        kind, reasons = kind_from_text(source.text, source.title)
    if source.author:
        author, author_reason = source.author, "author set in metadata"
    else:
        author, author_reason, _ = find_author(source.text)
    return SourceProfile(
        kind=kind,
        kind_reasons=reasons,
        author=author,
        author_reason=author_reason,
        cites=find_citations(source.text),
    )


def profiled(source: Source) -> Source:
    """The source with its profile recorded (kind and why, author, works cited), and kind
    and author filled from it where the metadata leaves them unknown."""
    profile = profile_source(source)
    return replace(
        source,
        profile=asdict(profile),
        kind=profile.kind if source.kind == "unknown" else source.kind,
        author=source.author or profile.author,
    )


def _profile(document: Document, resources: Any) -> Document:
    return replace(document, source=profiled(document.source))


STAGE = Stage("profile", needs=("source",), makes="profile", code=(__name__,), run=_profile)
