"""A reference manager's export (BibTeX, RIS, CSL-JSON: what Zotero, Mendeley, EndNote and
JabRef write) as metadata for the sources it describes.

Each entry is matched to sources by DOI, then URL, then file name (the ``file`` field of
Zotero's BibTeX, RIS ``L1``/``L2``), and its title, authors, date, journal or site, DOI and
URL replace what kb found in the source itself: the researcher's library is the better
record. The parsers are small and strict about structure, lenient about content: an entry
without the fields kb uses is simply not matched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePath
from urllib.parse import unquote, urlsplit

from kb.errors import ReferencesError
from kb.model import Source, normalize_doi, web_url

__all__ = [
    "REFERENCE_SUFFIXES",
    "Reference",
    "ReferenceIndex",
    "apply_reference",
    "parse_bibtex",
    "parse_csl_json",
    "parse_ris",
    "read_library",
    "read_references",
    "references_from_json",
    "references_to_json",
]


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a library, as kb uses it; "" where the entry says nothing."""

    key: str  # the entry's citation key or id, to name it in messages
    title: str = ""
    author: str = ""  # "Family, Given; Family, Given" (kb.cite splits on ';')
    date: str = ""  # "2020", "2020-05" or "2020-05-01"
    site: str = ""  # the journal, book or website
    doi: str = ""
    url: str = ""
    files: tuple[str, ...] = ()  # file names of attachments


# ------------------------------------------------------------------------------- BibTeX

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "c": "\u0327", "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c"}  # fmt: skip
_ACCENT = re.compile(r"\\([`'^\"~=.]|[cuv](?=[\s{]))\s*\{?\s*([A-Za-z])\}?")
_LATEX_CHARS = {r"\&": "&", r"\%": "%", r"\$": "$", r"\#": "#", r"\_": "_", "--": "–", "~": " "}


def _delatex(text: str) -> str:
    r"""BibTeX text as plain text: accents composed, escapes undone, braces dropped.

    >>> _delatex(r"M{\"u}ller \& {S}ons -- {\'E}tudes")
    'Müller & Sons – Études'
    """
    import unicodedata

    text = _ACCENT.sub(lambda m: m.group(2) + _ACCENTS[m.group(1)], text)
    for escaped, plain in _LATEX_CHARS.items():
        text = text.replace(escaped, plain)
    text = re.sub(r"\\[a-zA-Z]+\s*", "", text).replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _braced(text: str, start: int, where: str) -> tuple[str, int]:
    """The text inside the brace at ``start`` (nested braces kept), and the offset after
    its closing brace."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and text[i - 1] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
    raise ReferencesError(f"{where}: a '{{' is never closed; check the file's braces")


def _bibtex_fields(body: str, where: str) -> Iterator[tuple[str, str]]:
    """(name, raw value) of each ``name = {value}`` / ``"value"`` / ``number`` field."""
    pos = 0
    field = re.compile(r"\s*,?\s*([A-Za-z][\w:-]*)\s*=\s*")
    while True:
        found = field.match(body, pos)
        if not found:
            return
        name, pos = found.group(1).lower(), found.end()
        if pos < len(body) and body[pos] == "{":
            value, pos = _braced(body, pos, where)
        elif pos < len(body) and body[pos] == '"':
            end = body.find('"', pos + 1)
            if end < 0:
                raise ReferencesError(f"{where}: a '\"' is never closed; check the file")
            value, pos = body[pos + 1 : end], end + 1
        else:
            bare = re.match(r"[^,}\s]*", body[pos:])
            value = bare.group(0) if bare else ""
            pos += len(value)
        yield name, value


def _bibtex_names(value: str) -> str:
    """BibTeX's "Lee, Ann and Bo Ma and {World Health Organization}" as kb's byline.

    >>> _bibtex_names("Lee, Ann and Bo Ma and {World Health Organization}")
    'Lee, Ann; Ma, Bo; World Health Organization'
    """
    names = []
    for raw in re.split(r"\s+and\s+", value.strip()):
        organisation = raw.strip().startswith("{") and raw.strip().endswith("}")
        name = _delatex(raw)
        if name and not organisation and "," not in name and " " in name:
            given, family = name.rsplit(" ", 1)
            name = f"{family}, {given}"
        if name:
            names.append(name)
    return "; ".join(names)


def _file_names(value: str) -> tuple[str, ...]:
    """Attachment file names from a ``file`` field: "desc:path:mime" items (Zotero,
    JabRef) or plain paths, separated by ';'.

    >>> _file_names("Full Text:/home/u/Zotero/storage/AB12/lee 2020.pdf:application/pdf")
    ('lee 2020.pdf',)
    """
    names = []
    for item in value.split(";"):
        parts = item.split(":")
        path = parts[1] if len(parts) >= 3 else item
        if len(parts) >= 4:  # a Windows drive letter: desc:C:\path:mime
            path = ":".join(parts[1:-1])
        name = PurePath(path.strip().replace("\\", "/")).name
        if name:
            names.append(name)
    return tuple(names)


def parse_bibtex(text: str, where: str = "references.bib") -> list[Reference]:
    """The entries of a BibTeX file (@comment, @string and @preamble are skipped).

    >>> [r.title for r in parse_bibtex("@article{k, title = {On {Needles}}, year = 2020}")]
    ['On Needles']
    """
    refs = []
    for found in re.finditer(r"@\s*([A-Za-z]+)\s*([{(])", text):
        kind = found.group(1).lower()
        if kind in ("comment", "string", "preamble"):
            continue
        if found.group(2) == "(":
            close = text.find(")", found.end())
            body = text[found.end() : close if close >= 0 else len(text)]
        else:
            body, _ = _braced(text, found.end() - 1, where)
        key, _, rest = body.partition(",")
        fields = dict(_bibtex_fields(rest, where))
        date = fields.get("date") or "-".join(
            part for part in (fields.get("year", ""), _month(fields.get("month", ""))) if part
        )
        refs.append(
            Reference(
                key=key.strip(),
                title=_delatex(fields.get("title", "")),
                author=_bibtex_names(fields.get("author") or fields.get("editor", "")),
                date=_delatex(date),
                site=_delatex(
                    fields.get("journal")
                    or fields.get("journaltitle")
                    or fields.get("booktitle")
                    or fields.get("publisher")
                    or fields.get("organization", "")
                ),
                doi=normalize_doi(_delatex(fields.get("doi", ""))),
                url=fields.get("url", "").strip(),
                files=_file_names(fields.get("file", "")),
            )
        )
    return refs


_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def _month(value: str) -> str:
    """'5', 'may' or 'May' as '05'; '' for anything else."""
    value = _delatex(value).strip().lower()[:3]
    if value.isdigit() and 1 <= int(value) <= 12:
        return f"{int(value):02d}"
    return f"{_MONTHS.index(value) + 1:02d}" if value in _MONTHS else ""


# ---------------------------------------------------------------------------------- RIS

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _ris_date(value: str) -> str:
    """RIS's "2020/05/01/" or "2020///" as "2020-05-01" or "2020"."""
    parts = [p for p in value.strip().split("/") if p.strip()][:3]
    return "-".join(parts) if parts and parts[0][:4].isdigit() else ""


def parse_ris(text: str, where: str = "references.ris") -> list[Reference]:
    """The records of a RIS file, each from "TY  -" to "ER  -".

    >>> parse_ris("TY  - JOUR\\nTI  - Needles\\nAU  - Lee, Ann\\nPY  - 2020///\\nER  - \\n")[0].date
    '2020'
    """
    refs, record = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        found = _RIS_LINE.match(line.rstrip().lstrip("\ufeff"))
        if not found:
            continue  # a wrapped line or a blank one
        tag, value = found.group(1), (found.group(2) or "").strip()
        if tag == "TY":
            record = {"_line": str(number)}
        elif record is None:
            raise ReferencesError(f"{where}: line {number}: a field before any 'TY  -'")
        elif tag == "ER":
            refs.append(_ris_reference(record))
            record = None
        else:
            record[tag] = f"{record[tag]}\n{value}" if tag in record else value
    return refs


def _ris_reference(record: dict[str, str]) -> Reference:
    def first(*tags: str) -> str:
        return next((record[t].split("\n")[0] for t in tags if record.get(t)), "")

    authors = [name for t in ("AU", "A1") for name in record.get(t, "").split("\n") if name]
    links = [link for t in ("L1", "L2", "LK") for link in record.get(t, "").split("\n") if link]
    return Reference(
        key=first("ID") or f"record at line {record['_line']}",
        title=first("TI", "T1", "CT"),
        author="; ".join(authors),
        date=_ris_date(first("DA", "PY", "Y1")),
        site=first("T2", "JO", "JF", "JA", "PB"),
        doi=normalize_doi(first("DO")),
        url=first("UR"),
        files=tuple(PurePath(unquote(urlsplit(link).path)).name for link in links),
    )


# ----------------------------------------------------------------------------- CSL-JSON


def _csl_names(names: object) -> str:
    if not isinstance(names, list):
        return ""
    out = []
    for name in names:
        if isinstance(name, dict):
            family, given = name.get("family", ""), name.get("given", "")
            out.append(
                f"{family}, {given}" if family and given else family or name.get("literal", "")
            )
    return "; ".join(n for n in out if n)


def _csl_date(issued: object) -> str:
    if isinstance(issued, dict):
        parts = (issued.get("date-parts") or [[]])[0]
        if parts:
            return "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts))
        return str(issued.get("raw", ""))
    return ""


def parse_csl_json(text: str, where: str = "references.json") -> list[Reference]:
    """The items of a CSL-JSON export (a list of items, or {"items": [...]}).

    >>> (item,) = parse_csl_json('[{"id": "k", "DOI": "10.1/X", "issued": {"raw": "2020"}}]')
    >>> item.key, item.date, item.doi
    ('k', '2020', '10.1/x')
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferencesError(f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ReferencesError(f"{where}: CSL-JSON is a list of items; this is not one")
    return [
        Reference(
            key=str(item.get("id", "")),
            title=str(item.get("title", "")),
            author=_csl_names(item.get("author") or item.get("editor")),
            date=_csl_date(item.get("issued")),
            site=str(item.get("container-title") or item.get("publisher") or ""),
            doi=normalize_doi(str(item.get("DOI", ""))),
            url=str(item.get("URL", "")),
        )
        for item in items
        if isinstance(item, dict)
    ]


# ----------------------------------------------------------------------- files, matching

REFERENCE_SUFFIXES = {".bib": parse_bibtex, ".ris": parse_ris, ".json": parse_csl_json}


def read_references(path: str | Path) -> list[Reference]:
    """The entries of a reference file, by its suffix (.bib, .ris, .json for CSL-JSON).

    Raises ReferencesError naming the file and what is wrong.
    """
    path = Path(path)
    parse = REFERENCE_SUFFIXES.get(path.suffix.lower())
    if parse is None:
        raise ReferencesError(
            f"{path}: kb reads references from .bib (BibTeX), .ris (RIS) or .json (CSL-JSON)"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ReferencesError(f"{path}: no such file; check the path") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferencesError(f"{path}: cannot read it ({exc}); export it again as UTF-8") from exc
    return parse(text, str(path))


def references_to_json(refs: Iterable[Reference]) -> str:
    """The entries as JSON, to keep in the KB between builds."""
    return json.dumps([asdict(r) for r in refs], ensure_ascii=False, sort_keys=True)


def read_library(files: Iterable[str | Path] | None) -> str | None:
    """The entries of these reference files as JSON (what the KB keeps), or None when no
    files are given (a build then keeps the library it has). Raises ReferencesError."""
    if files is None:
        return None
    return references_to_json(entry for path in files for entry in read_references(path))


def references_from_json(text: str) -> list[Reference]:
    return [Reference(**{**r, "files": tuple(r["files"])}) for r in json.loads(text or "[]")]


def _url_key(url: str) -> str:
    """An address as compared: no scheme, "www.", fragment or trailing slash; lower-case host.

    >>> _url_key("https://www.Example.org/a/#top") == _url_key("http://example.org/a")
    True
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def _doi_in(url: str) -> str:
    found = re.search(r"(10\.\d{4,9}/[^\s?#]+)", unquote(url))
    return normalize_doi(found.group(1)) if found and "doi" in url.lower() else ""


class ReferenceIndex:
    """A library's entries by DOI, URL and attachment file name, to find a source's entry.

    A source matches an entry with its DOI (from its metadata or a doi.org address), else
    its URL (or a page's address), else its file name. Two entries alike: the first wins.
    """

    def __init__(self, refs: Iterable[Reference]) -> None:
        self.refs = list(refs)
        self.by_doi: dict[str, Reference] = {}
        self.by_url: dict[str, Reference] = {}
        self.by_file: dict[str, Reference] = {}
        for ref in self.refs:
            if ref.doi:
                self.by_doi.setdefault(ref.doi, ref)
            if _url_key(ref.url):
                self.by_url.setdefault(_url_key(ref.url), ref)
            for name in ref.files:
                self.by_file.setdefault(name, ref)

    @classmethod
    def from_json(cls, text: str) -> ReferenceIndex:
        return cls(references_from_json(text))

    def apply(self, source: Source) -> None:
        """Give ``source`` its entry's metadata, if the library has an entry for it."""
        found = self.find(source)
        if found is not None:
            apply_reference(source, found)

    def find(self, source: Source) -> Reference | None:
        doi = source.doi or _doi_in(source.url) or _doi_in(source.path)
        return (
            (self.by_doi.get(doi) if doi else None)
            or self.by_url.get(_url_key(source.url))
            or self.by_url.get(_url_key(source.path))
            or self.by_file.get(PurePath(source.path).name)
        )

    def unmatched(self, sources: Iterable[Source]) -> list[str]:
        """The keys of the entries no source among ``sources`` matches, in library order."""
        used = {id(found) for source in sources if (found := self.find(source))}
        return [ref.key for ref in self.refs if id(ref) not in used]


def apply_reference(source: Source, ref: Reference) -> None:
    """Give ``source`` the entry's metadata, where the entry has it.

    >>> source = Source(id="s", text="", title="Page title", date="2024")
    >>> apply_reference(source, Reference("k", title="Article", doi="10.1/x"))
    >>> source.title, source.date, source.doi
    ('Article', '2024', '10.1/x')
    """
    for name in ("title", "author", "date", "site", "doi"):
        value = getattr(ref, name)
        if value:
            setattr(source, name, value)
    if web_url(ref.url) and not source.fetched:  # a page keeps the address kb fetched
        source.url = web_url(ref.url)
