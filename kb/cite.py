"""Citations of sources: APA (7th edition, plain text), Markdown, BibTeX and CSL-JSON.

Each style is a pure function of ``Source`` metadata (title, author, site, url, date,
kind), any of which may be empty; the text is never read. A source without a title is
cited by its id, so that every citation names something the reader can find in the KB.

Authors are split on ``;``, `` and ``, `` & `` and commas, except that one comma after a
single word is read as "Family, Given" ("Smith, John" is one author). That rule is
deliberately simple: "Smith, Jones" is therefore one person too, and "Doe, Jane, Smith,
John" is four names. A name with a word such
as Clinic, Institute or Health, or a single word, is an organisation and is never split
into family and given names.

Dates are read from ISO forms (``2021``, ``2021-03``, ``2021-03-03``, with time or
``/``), "March 3, 2021", "3 March 2021" and "March 2021"; from anything else only a
four-digit year is kept ("03/04/2021" is ambiguous between months and days).

>>> from kb.model import Source
>>> print(citation(Source(id="s1", text="", title="Needles", author="Jane Doe",
...                       date="2021-03-03", site="Example Health"), "markdown"))
- Jane Doe (2021). Needles. *Example Health*.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import date as _date
from typing import Any
from urllib.parse import quote

from kb.model import Source
from kb.nlp.words import TITLE_STOPWORDS

__all__ = [
    "CITATION_STYLES",
    "citation",
    "format_citations",
    "missing_metadata",
    "parse_date",
    "split_authors",
]

CITATION_STYLES = ("markdown", "bibtex", "csl-json", "apa")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"
_ISO_DATE = re.compile(rf"(?<!\d){_YEAR}[-/](?P<month>\d{{1,2}})(?:[-/](?P<day>\d{{1,2}}))?(?!\d)")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)")
_DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}(?!\d)")
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}(?!\d)")
_ANY_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")

# Words that make a name an organisation rather than a person.
_ORGANISATION_WORDS = frozenset(
    """
    academy agency association board bureau centre center clinic college committee council
    department editors foundation group health hospital inc institute institutes llc ltd
    medicine ministry news nhs office organisation organization press service services
    society staff team trust university
    """.split()
)
_PARTICLES = frozenset("da de del della der di du la le van von".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_HONORIFICS = frozenset("dr prof mr mrs ms mx".split())
_CREDENTIALS = frozenset(
    "bsc cnm dacm dc dds do facp lac lmt md mph msc ms np phd pharmd pt dpt rn".split()
)


def _collapse(text: str) -> str:
    """Whitespace runs (newlines included) as one space, ends stripped."""
    return " ".join(text.split())


def parse_date(text: str) -> tuple[int, ...]:
    """(year,), (year, month) or (year, month, day): as many parts as ``text`` gives.

    An impossible month or day is dropped rather than guessed; no year gives ().

    >>> parse_date("2021-03-03T10:00:00Z"), parse_date("March 3, 2021"), parse_date("3 Mar 2021")
    ((2021, 3, 3), (2021, 3, 3), (2021, 3, 3))
    >>> parse_date("Updated June 2019"), parse_date("03/04/2021"), parse_date("2021-13-01")
    ((2019, 6), (2021,), (2021,))
    >>> parse_date(""), parse_date("n.d.")
    ((), ())
    """
    match = _ISO_DATE.search(text)
    if match:
        return _valid_parts(match["year"], match["month"], match["day"])
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _MONTH_YEAR):
        for match in pattern.finditer(text):
            month = _MONTHS.get(match["month"].lower())
            if month:
                day = match.groupdict().get("day")
                return _valid_parts(match["year"], str(month), day)
    year = _ANY_YEAR.search(text)
    return (int(year["year"]),) if year else ()


def _valid_parts(year: str, month: str | None, day: str | None) -> tuple[int, ...]:
    """The parts that make a real date, from the year down."""
    y = int(year)
    if not month or not 1 <= int(month) <= 12:
        return (y,)
    m = int(month)
    if not day:
        return (y, m)
    try:
        _date(y, m, int(day))
    except ValueError:
        return (y, m)
    return (y, m, int(day))


def split_authors(text: str) -> list[str]:
    """The author names in a byline, in order (see the module docstring for the rule).

    A leading "By" and credentials ("MD", "PhD") are dropped.

    >>> split_authors("By Jane Doe, MD and John Smith")
    ['Jane Doe', 'John Smith']
    >>> split_authors("Smith, John; Doe, Jane")
    ['Smith, John', 'Doe, Jane']
    >>> split_authors("Ann Lee, Bo Chen & Mayo Clinic Staff")
    ['Ann Lee', 'Bo Chen', 'Mayo Clinic Staff']
    >>> split_authors("")
    []
    """
    text = re.sub(r"^by\s+", "", _collapse(text), flags=re.IGNORECASE)
    names = []
    for part in re.split(r"\s*;\s*|\s+and\s+|\s+&\s+", text):
        pieces = [p.strip() for p in part.split(",")]
        pieces = [p for p in pieces if p and _plain(p) not in _CREDENTIALS]
        if len(pieces) == 2 and len(pieces[0].split()) == 1:
            names.append(", ".join(pieces))  # "Smith, John": one person, family name first
        else:
            names.extend(pieces)
    return names


def _plain(word: str) -> str:
    """A word lowercased without dots, as the word lists hold it: "Ph.D." -> "phd"."""
    return word.replace(".", "").lower()


def _is_organisation(name: str) -> bool:
    """True for a name that is not a person's ("Mayo Clinic", "NICE", "Staff").

    >>> _is_organisation("Mayo Clinic"), _is_organisation("NICE"), _is_organisation("Jane Doe")
    (True, True, False)
    """
    words = [w.strip(".,()").lower() for w in name.split()]
    return len(words) == 1 or any(w in _ORGANISATION_WORDS for w in words)


def _person(name: str) -> dict[str, str]:
    """CSL name parts of a person: family, given and suffix.

    >>> _person("Ludwig van Beethoven")
    {'family': 'van Beethoven', 'given': 'Ludwig'}
    >>> _person("Smith, John")
    {'family': 'Smith', 'given': 'John'}
    >>> _person("Dr. John Smith Jr.")
    {'family': 'Smith', 'given': 'John', 'suffix': 'Jr.'}
    """
    if "," in name:
        family, _, given = name.partition(",")
        name = f"{given} {family}"
    words = [w for w in name.split() if _plain(w) not in _CREDENTIALS]
    while len(words) > 2 and _plain(words[0]) in _HONORIFICS:
        words.pop(0)
    suffix = words.pop() if len(words) > 2 and _plain(words[-1]) in _SUFFIXES else ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    parts = {"family": " ".join(words[start:]), "given": " ".join(words[:start])}
    if suffix:
        parts["suffix"] = suffix
    return parts


def _names(source: Source) -> list[dict[str, str]]:
    """CSL names of the source's authors: {family, given[, suffix]} or {literal}."""
    return [
        {"literal": name} if _is_organisation(name) else _person(name)
        for name in split_authors(source.author)
    ]


def _title(source: Source) -> str:
    return _collapse(source.title) or source.id


# -- Markdown ---------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _markdown_escape(text: str) -> str:
    r"""``text`` with the characters Markdown would read as markup backslash-escaped.

    >>> print(_markdown_escape("[Draft] *new* a_b"))
    \[Draft\] \*new\* a\_b
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _collapse(text))


def _markdown_url(url: str) -> str:
    """A link destination that cannot end the link early: whitespace, parens, <> encoded.

    >>> _markdown_url(" https://x.org/a (b) ")
    'https://x.org/a%20%28b%29'
    """
    return _percent_encode(url, "()<>")


def _percent_encode(url: str, specials: str) -> str:
    """``url`` stripped, with its whitespace and the ``specials`` characters percent-encoded."""
    return re.sub(rf"[\s{re.escape(specials)}]", lambda m: quote(m.group()), url.strip())


def _sentence(text: str, plain: str) -> str:
    """``text`` closed with a full stop unless its words (``plain``) already end one."""
    return text if plain.endswith((".", "?", "!")) else text + "."


def _byline(names: list[str]) -> str:
    """Names as a reader writes them: "A", "A and B", "A, B and C" (";" if a name has ",").

    >>> _byline(["Ann Lee", "Bo Chen", "NICE"]), _byline(["Smith, John", "Doe, Jane"])
    ('Ann Lee, Bo Chen and NICE', 'Smith, John; Doe, Jane')
    """
    if any("," in name for name in names):
        return "; ".join(names)
    return " and ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))


def _markdown(source: Source) -> str:
    author = _byline(split_authors(source.author))
    site = _collapse(source.site)
    year = parse_date(source.date)[:1]
    title = _title(source)
    linked = _markdown_escape(title)
    link = source.url.strip() or (f"https://doi.org/{source.doi}" if source.doi else "")
    if link:
        linked = f"[{linked}]({_markdown_url(link)})"
    when = f" ({year[0]})" if year else ""
    if author:
        parts = [
            _sentence(_markdown_escape(author) + when, when or author),
            _sentence(linked, title),
        ]
    else:  # the title takes the author's place, as APA does
        parts = [_sentence(linked + when, when or title)]
    if site and site.lower() != author.lower():
        parts.append(_sentence(f"*{_markdown_escape(site)}*", site))
    return "- " + " ".join(parts)


# -- BibTeX -----------------------------------------------------------------------------------

_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _BIBTEX_ESCAPES))


def _bibtex_escape(text: str) -> str:
    r"""``text`` with BibTeX's and LaTeX's special characters escaped, whitespace collapsed.

    >>> print(_bibtex_escape("R&D: 50% of $x_1 {y} ~ ^ \\"))
    R\&D: 50\% of \$x\_1 \{y\} \textasciitilde{} \textasciicircum{} \textbackslash{}
    """
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group()], _collapse(text))


def _bibtex_url(url: str) -> str:
    """A URL for biblatex's verbatim ``url`` field: only what would break the braces encoded.

    LaTeX escapes would become part of the link there, so ``%`` and ``_`` stay as they are.

    >>> _bibtex_url("https://x.org/a_b?q=%20{c}")
    'https://x.org/a_b?q=%20%7Bc%7D'
    """
    return _percent_encode(url, "\\{}")


def _ascii_word(text: str) -> str:
    """Lowercase ASCII letters and digits of ``text``, accents stripped.

    >>> _ascii_word("Müller-Lüdenscheidt")
    'mullerludenscheidt'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _bibtex_key(source: Source, names: list[dict[str, str]]) -> str:
    """surname (or organisation or site) + year + first significant title word.

    >>> _bibtex_key(Source(id="s", text="", author="Jane Doe", date="2021",
    ...                    title="The Needle Effect"), [{"family": "Doe"}])
    'doe2021needle'
    >>> _bibtex_key(Source(id="s", text="", site="www.nhs.uk", title="Back pain"), [])
    'nhsback'
    """
    who = ""
    if names:
        who = _ascii_word(names[0].get("family") or names[0].get("literal", "").split()[0])
    if not who and source.site.strip():
        host = re.sub(r"^(https?://)?(www\.)?", "", source.site.strip().lower())
        who = _ascii_word(host.split(".")[0] if "." in host else host)
    year = parse_date(source.date)[:1]
    words = [_ascii_word(w) for w in _title(source).split()]
    significant = [w for w in words if w and w not in TITLE_STOPWORDS] or [w for w in words if w]
    key = (who or "anon") + (str(year[0]) if year else "") + (significant[0] if significant else "")
    return key


def _suffixes() -> Iterator[str]:
    """a, b, ..., z, aa, ab, ...: what tells apart keys that came out the same."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for suffix in _suffixes():
        for letter in letters:
            yield suffix + letter


def _unique_keys(keys: Sequence[str]) -> list[str]:
    """The keys with a, b, ... appended to the second and later of equal ones.

    >>> _unique_keys(["doe2021x", "lee", "doe2021x", "doe2021x"])
    ['doe2021x', 'lee', 'doe2021xa', 'doe2021xb']
    """
    taken = set(keys)
    seen: set[str] = set()
    unique = []
    for key in keys:
        if key in seen:
            key = next(key + s for s in _suffixes() if key + s not in taken)
            taken.add(key)
        seen.add(key)
        unique.append(key)
    return unique


def _bibtex_author(name: dict[str, str]) -> str:
    """One name for an ``author`` list: "Family, Given" or an organisation in braces."""
    if "literal" in name:
        return "{" + _bibtex_escape(name["literal"]) + "}"  # braces: not split into names
    parts = [name["family"], name.get("suffix", ""), name["given"]]
    return ", ".join(_bibtex_escape(p) for p in parts if p)


def _bibtex(source: Source, key: str) -> str:
    names = _names(source)
    when = parse_date(source.date)
    fields = [
        ("title", _bibtex_escape(_title(source))),
        ("author", " and ".join(_bibtex_author(n) for n in names)),
        ("year", str(when[0]) if when else ""),
        ("date", "-".join(f"{p:02d}" for p in when) if len(when) > 1 else ""),
        ("doi", _bibtex_escape(source.doi)),
        ("url", _bibtex_url(source.url)),
        ("organization", _bibtex_escape(source.site)),
        ("note", "kb source " + _bibtex_escape(source.id)),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@online{{{key},\n{body}}}"


def _bibtex_entries(sources: Sequence[Source]) -> str:
    keys = _unique_keys([_bibtex_key(s, _names(s)) for s in sources])
    return "\n\n".join(_bibtex(source, key) for source, key in zip(sources, keys, strict=True))


# -- CSL-JSON ---------------------------------------------------------------------------------


def _csl_item(source: Source) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": source.id,
        "type": "article-journal" if source.kind == "journal" else "webpage",
        "title": _title(source),
    }
    optional: dict[str, Any] = {
        "author": _names(source),
        "DOI": source.doi,
        "URL": source.url.strip(),
        "container-title": _collapse(source.site),
    }
    when = parse_date(source.date)
    if when:
        optional["issued"] = {"date-parts": [list(when)]}
    item.update((name, value) for name, value in optional.items() if value)
    return item


def _csl_json(sources: Sequence[Source]) -> str:
    items = [_csl_item(s) for s in sources]
    return json.dumps(items, sort_keys=True, indent=2, ensure_ascii=False)


# -- APA ----------------------------------------------------------------------------------------

_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def _initials(given: str) -> str:
    """A person's given names as APA writes them: "Jane Marie" -> "J. M.", "Jean-Paul" ->
    "J.-P.".

    >>> _initials("Jane Marie"), _initials("Jean-Paul"), _initials("")
    ('J. M.', 'J.-P.', '')
    """
    return " ".join(
        "-".join(f"{part[0]}." for part in word.split("-") if part) for word in given.split()
    )


def _apa_name(name: dict[str, str]) -> str:
    """ "Family, G. G." (with ", Jr." after), or an organisation's name as it is."""
    if "literal" in name:
        return _collapse(name["literal"])
    initials = _initials(name["given"])
    parts = [name["family"], initials, name.get("suffix", "")]
    return ", ".join(p for p in parts if p)


def _apa_authors(names: list[str]) -> str:
    """APA's author list: "A", "A, & B", "A, B, & C"; past 20, the first 19, "...", the last.

    >>> _apa_authors(["Doe, J."]), _apa_authors(["Doe, J.", "Lee, A."])
    ('Doe, J.', 'Doe, J., & Lee, A.')
    """
    if len(names) > 20:
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]


def _apa_date(when: tuple[int, ...]) -> str:
    """(2021, March 3), (2021, March), (2021) or (n.d.) when there is no date."""
    if not when:
        return "(n.d.)"
    parts = [str(when[0])]
    if len(when) > 1:
        parts.append(" ".join([_MONTH_NAMES[when[1] - 1], *map(str, when[2:])]))
    return f"({', '.join(parts)})"


def _apa(source: Source) -> str:
    """One reference: Author. (Date). Title. Site. URL -- the title first when there is no
    author, as APA does."""
    names = _names(source)
    title = _title(source)
    when = _apa_date(parse_date(source.date))
    if names:
        author = _apa_authors([_apa_name(n) for n in names])
        parts = [_sentence(author, author), f"{when}.", _sentence(title, title)]
    else:
        parts = [_sentence(title, title), f"{when}."]
    site = _collapse(source.site)
    if site and site.lower() != _collapse(source.author).lower():
        parts.append(_sentence(site, site))
    url = _percent_encode(source.url, "")
    return " ".join(parts + ([url] if url else []))


def missing_metadata(sources: Sequence[Source]) -> dict[str, list[str]]:
    """What each source's citation lacks, among author, date, title and url: source id ->
    the fields missing (sources that lack nothing are left out). A citation stands in for
    them (no date: "n.d."; no title: the id) rather than failing.

    >>> missing_metadata([Source(id="s1", text="", title="Pain", url="https://x.org")])
    {'s1': ['author', 'date']}
    """
    missing = {}
    for source in sources:
        lacks = [
            name
            for name, present in (
                ("author", split_authors(source.author)),
                ("date", parse_date(source.date)),
                ("title", _collapse(source.title)),
                ("url", source.url.strip()),
            )
            if not present
        ]
        if lacks:
            missing[source.id] = lacks
    return missing


# -- Styles -----------------------------------------------------------------------------------

_FORMATTERS: dict[str, Callable[[Sequence[Source]], str]] = {
    "apa": lambda sources: "\n".join(_apa(s) for s in sources),
    "markdown": lambda sources: "\n".join(_markdown(s) for s in sources),
    "bibtex": _bibtex_entries,
    "csl-json": _csl_json,
}


def format_citations(sources: Sequence[Source], style: str) -> str:
    """The citations of ``sources`` in one of CITATION_STYLES, in the order given.

    apa: one plain-text reference per line (APA 7th edition, for a web page: Author.
    (Date). Title. Site. URL); markdown: one "- " list line per source; bibtex: @online
    entries separated by a blank line, with keys unique within the call; csl-json: a JSON
    array of CSL items.
    Raises ValueError naming the style for a style not in CITATION_STYLES.

    >>> from kb.model import Source
    >>> sources = [Source(id="a", text="", title="Pain"), Source(id="b", text="", title="Pain")]
    >>> print(format_citations(sources, "bibtex"))
    @online{anonpain,
      title = {Pain},
      note = {kb source a},
    }
    <BLANKLINE>
    @online{anonpaina,
      title = {Pain},
      note = {kb source b},
    }
    >>> format_citations(sources, "chicago")
    Traceback (most recent call last):
    ...
    ValueError: unknown citation style 'chicago'; use one of markdown, bibtex, csl-json, apa
    """
    formatter = _FORMATTERS.get(style)
    if formatter is None:
        raise ValueError(
            f"unknown citation style {style!r}; use one of {', '.join(CITATION_STYLES)}"
        )
    return formatter(sources)


def citation(source: Source, style: str) -> str:
    """The citation of one source: ``format_citations([source], style)``.

    For csl-json that is still an array (of one item), which is what CSL processors read.

    >>> from kb.model import Source
    >>> print(citation(Source(id="s1", text="", url="https://x.org/p"), "markdown"))
    - [s1](https://x.org/p).
    """
    return format_citations([source], style)
