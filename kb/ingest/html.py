"""HTML pages (.html, .htm): the main text and the page's metadata.

The page is parsed with the standard library's ``html.parser`` into a small
tree, repaired the way browsers repair common mistakes (unclosed <p> and <li>,
stray end tags, void elements). From the tree:

* the main text: the largest <article>, else <main>, else <body>, minus
  navigation, scripts, forms and hidden parts, laid out as lines and paragraphs
  (an <article> in a list item of another competes on its own only while fewer
  than 8 competing articles are around it; deeper ones count within those around);
* the metadata: title, author, site, url and date from <meta>, <link>, <title>,
  <h1> and <time>.

Nothing here raises on bad markup; only a page without text is an error. Nor does
reading grow faster than the page, however deeply it nests (benchmarks/html_speed.py):
no step scans the open elements or re-renders nested <article>s.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from kb.errors import IngestError
from kb.ingest.main_text import extract_main_tree
from kb.ingest.text import EMPTY_REASON, Parsed, decode_bytes, shorten_title
from kb.model import normalize_doi

__all__ = ["HtmlPage", "host_of", "parse_html", "read_html", "sniff_charset"]

NO_TEXT_REASON = "no readable text in the HTML page"


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_VOID = _tags("area base br col embed hr img input keygen link meta param source track wbr")
_HEADINGS = _tags("h1 h2 h3 h4 h5 h6")
# Elements whose content is never the page's prose.
_DROP = _tags(
    "script style noscript template svg iframe form button nav header footer aside "
    "head title select textarea canvas audio video map object embed dialog"
)
_DROP_ROLES = frozenset(("navigation", "banner", "contentinfo", "search", "complementary"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Blocks that stand apart from their neighbours by a blank line.
_PARA_BLOCKS = _HEADINGS | _tags("p ul ol menu dl blockquote pre table figure")
# Blocks that start on a new line.
_LINE_BLOCKS = _tags(
    "div section article main li tr hr dd dt figcaption caption summary details "
    "address fieldset legend center body html"
)
# Start tags that close an open <p> (browsers do the same).
_CLOSES_P = (_PARA_BLOCKS | _LINE_BLOCKS | _tags("nav header footer aside form")) - {"body", "html"}
_P = _tags("p")
# An implied close never reaches past these.
_SCOPE = _tags("table td th caption button template html object marquee applet")
# (tag that closes, tags it closes, tags that stop the search)
_IMPLIED_CLOSE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), _SCOPE | {"ul", "ol", "menu"}),
    "dt": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "dd": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
}
# A stray end tag does not close anything outside the cell or table it is in.
_END_SCOPE = _tags("td th caption table template")
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_SNIFF = 4096
_PARA, _LINE = 2, 1
# An <article> in a list item of another competes for the main text on its own only while
# fewer than this many competing articles are around it (see _containers): no part of a
# page is rendered more than this many times, and deeper ones count within those around.
_ARTICLE_LEVELS = 8


class _Node:
    """An element: tag, attributes (lower-case names) and children (nodes or text)."""

    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """Build a _Node tree, repairing markup instead of failing on it.

    Every step costs the same however deep the page nests: the open elements are
    indexed by tag (``open``), so finding the nearest open <p>, <li> or scope is a
    look-up, not a scan of the open-element stack (a scan per tag made 40,000 nested
    <div>s take minutes); and text split into pieces is joined once per run.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#document", {})
        self.stack = [self.root]
        # tag -> stack positions where that tag is open, innermost last.
        self.open: dict[str, list[int]] = {}
        # The text run being collected: (children it ends, its index there, its pieces).
        self._run: tuple[list[_Node | str], int, list[str]] | None = None

    def tree(self) -> _Node:
        """The root of the tree built so far (also after a parser error)."""
        self._end_run()
        return self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML-style <div/>: an empty element, not one that swallows the page.
        self._start(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers read </br> as <br>
            self._start("br", [])
            return
        # Closes the nearest open element of that name; a stray end tag is ignored, as
        # browsers do, and never closes anything outside the cell or table it is in.
        self._close(_HEADINGS if tag in _HEADINGS else frozenset((tag,)), _END_SCOPE)

    def handle_data(self, data: str) -> None:
        # Text next to text (split by comments, stray end tags, ...) is one string. Its
        # pieces are collected and joined once the run ends: `children[-1] += data`
        # copied the whole run for every piece, quadratic in the run's length. Text can
        # only follow text while its run is open: before anything else gets text, the
        # element either gets a child element or is closed for good.
        children = self.stack[-1].children
        run = self._run
        if run is not None and run[0] is children and run[1] == len(children) - 1:
            run[2].append(data)
            return
        self._end_run()
        children.append(data)
        self._run = (children, len(children) - 1, [data])

    def _end_run(self) -> None:
        if self._run is not None:
            children, index, pieces = self._run
            children[index] = "".join(pieces)
            self._run = None

    def parse_html_declaration(self, i: int) -> int:
        # The stdlib raises AssertionError on odd "<![...": read it as a bogus comment.
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            end = self.rawdata.find(">", i + 2)
            return end + 1 if end >= 0 else -1

    def _nearest(self, tags: frozenset[str]) -> int:
        """Stack position of the innermost open element among ``tags``; 0 if none is open."""
        found = 0
        for tag in tags:
            positions = self.open.get(tag)
            if positions and positions[-1] > found:
                found = positions[-1]
        return found

    def _close(self, names: frozenset[str], stops: frozenset[str]) -> None:
        """Close the nearest open element in ``names``, unless a ``stops`` element is nearer."""
        at = self._nearest(names)
        # An element in both sets counts as in ``names``: the same position is not nearer.
        if at and at >= self._nearest(stops):
            self._pop_to(at)

    def _pop_to(self, at: int) -> None:
        """Close the element at stack position ``at`` and everything open inside it."""
        for node in self.stack[at:]:
            self.open[node.tag].pop()  # its positions are the highest of its tag
        del self.stack[at:]

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("html", "body") and self.open.get(tag):
            return  # a repeated <body> is merged away, not nested
        if tag in _CLOSES_P:
            self._close(_P, _SCOPE)
        if tag in _IMPLIED_CLOSE:
            self._close(*_IMPLIED_CLOSE[tag])
        if tag in _HEADINGS and self.stack[-1].tag in _HEADINGS:
            self._pop_to(len(self.stack) - 1)  # <h2> inside an unclosed <h1>
        node = _Node(tag, {k.lower(): (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.open.setdefault(tag, []).append(len(self.stack))
            self.stack.append(node)


def _walk(root: _Node, skip: Callable[[_Node], bool]) -> Iterator[tuple[str, _Node | str]]:
    """Yield ("start", node), ("text", str) and ("end", node) in document order.

    Iterative, so that thousands of unclosed <div>s cannot hit the recursion limit.
    Elements for which ``skip`` is true are left out with everything inside them.
    """
    yield "start", root
    stack = [(root, iter(root.children))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield "end", node
        elif isinstance(child, str):
            yield "text", child
        elif not skip(child):
            yield "start", child
            stack.append((child, iter(child.children)))


def _never(_node: _Node) -> bool:
    return False


def _is_dropped(node: _Node) -> bool:
    """True for elements that are not main text: chrome, code, forms, hidden parts."""
    if node.tag in _DROP:
        return True
    attrs = node.attrs
    if "hidden" in attrs or attrs.get("aria-hidden", "").strip().lower() == "true":
        return True
    if _DROP_ROLES.intersection(attrs.get("role", "").lower().split()):
        return True
    return bool(_HIDDEN_STYLE.search(attrs.get("style", "")))


class _Layout:
    """Accumulate text and line breaks; breaks in a row merge into the strongest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # 0 none, 1 new line, 2 blank line
        self.prefix = ""  # list marker waiting for the item's first text
        self.started = False

    def brk(self, level: int, *, add: bool = False) -> None:
        # add: the newlines of <pre> count up instead of merging.
        self.pending = min(_PARA, self.pending + level) if add else max(self.pending, level)

    def text(self, data: str) -> None:
        if not data.strip():
            # Whitespace at a line start is dropped; between words it is one space.
            if self.started and not self.pending:
                self.parts.append(" ")
            return
        if self.started and self.pending:
            self.parts.append("\n" * self.pending)
        self.pending = 0
        self.started = True
        if self.prefix:
            self.parts.append(self.prefix)
            self.prefix = ""
        self.parts.append(data)

    def result(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _list_start(node: _Node) -> int:
    """The number before an <ol>'s first item (its ``start`` attribute minus one)."""
    try:
        return int(node.attrs.get("start", "1")) - 1
    except ValueError:
        return 0


def _render(root: _Node) -> str:
    """Lay out the text of ``root``: headings and paragraphs apart, one line per list item."""
    out = _Layout()
    lists: list[int | None] = []  # per open list: last number used, None for bullets
    in_item = 0
    in_pre = 0
    for event, item in _walk(root, _is_dropped):
        if event == "text":
            assert isinstance(item, str)
            if in_pre:
                for i, chunk in enumerate(item.replace("\r\n", "\n").split("\n")):
                    if i:
                        out.brk(_LINE, add=True)
                    out.text(chunk)
            else:
                out.text(item.replace("\r", " ").replace("\n", " "))
            continue
        assert isinstance(item, _Node)
        tag = item.tag
        starting = event == "start"
        if tag in _PARA_BLOCKS:
            # Inside a list item, paragraphs and nested lists stay in the list's rhythm.
            out.brk(_LINE if in_item else _PARA)
        elif tag in _LINE_BLOCKS:
            out.brk(_LINE)
        elif tag == "br" and starting:
            out.brk(_LINE, add=True)  # <br><br> is how old pages separate paragraphs
        elif tag in ("td", "th"):
            out.text(" ")  # cells side by side must not run together
        if tag == "pre":
            in_pre += 1 if starting else -1
        elif tag in ("ul", "menu", "ol"):
            if starting:
                lists.append(_list_start(item) if tag == "ol" else None)
            elif lists:
                lists.pop()
        elif tag == "li":
            if starting:
                in_item += 1
                out.prefix = _item_marker(item, lists)
            else:
                in_item -= 1
                out.prefix = ""  # an empty item leaves no marker behind
    return out.result()


def _item_marker(item: _Node, lists: list[int | None]) -> str:
    """'• ' for a bullet item, '3. ' for the third item of an <ol> (honouring value=)."""
    if not lists or lists[-1] is None:
        return "• "
    number = lists[-1] + 1
    with contextlib.suppress(KeyError, ValueError):  # <li value="7"> restarts the count
        number = int(item.attrs["value"])
    lists[-1] = number
    return f"{number}. "


def _inner_text(node: _Node) -> str:
    """All text inside ``node``, whitespace collapsed (for titles, names, bylines)."""
    texts = [item for event, item in _walk(node, _never) if event == "text"]
    return " ".join("".join(texts).split())  # type: ignore[arg-type]


def _containers(root: _Node) -> tuple[list[_Node], _Node | None, _Node | None]:
    """The <article>s that can hold the main text, the first <main> and the first <body>.

    The longest rendered <article> wins, the first of equal ones. An article nested in
    another renders as the other renders that stretch of it, give or take breaks that
    the other adds (at the edges; where a <pre> around keeps newlines) and numbers where
    it has bullets: never longer, and the other comes first, so it is not rendered
    (rendering each of many nested articles was quadratic). Only in a list item of the
    other can it be longer: the item's rhythm makes its paragraphs single lines there.
    Those compete, while fewer than _ARTICLE_LEVELS competing articles are around.
    """
    articles: list[_Node] = []
    main = body = None
    # Per open <article>: [list items open in it, rendered articles around and at it].
    open_articles: list[list[int]] = []
    for event, node in _walk(root, _is_dropped):
        if not isinstance(node, _Node):
            continue
        starting = event == "start"
        if node.tag == "li" and open_articles:
            open_articles[-1][0] += 1 if starting else -1
        elif node.tag == "article" and not starting:
            open_articles.pop()
        elif node.tag == "article":
            around = open_articles[-1] if open_articles else None
            levels = around[1] if around else 0
            if around is None or (around[0] and levels < _ARTICLE_LEVELS):
                articles.append(node)
                levels += 1
            open_articles.append([0, levels])
        elif starting and node.tag == "main" and main is None:
            main = node
        elif starting and node.tag == "body" and body is None:
            body = node
    return articles, main, body


def _main_text(root: _Node) -> str:
    """The page's main text: largest <article>, else first <main>, else <body>, else all."""
    articles, main, body = _containers(root)
    rendered = [_render(a) for a in articles]
    if rendered and max(rendered, key=len):
        return max(rendered, key=len)  # max keeps the first of equal lengths
    # A chosen container may hold no text (an empty placeholder): fall back.
    for node in (main, body, root):
        text = _render(node) if node is not None else ""
        if text:
            return text
    return ""


@dataclass(slots=True)
class HtmlPage:
    """Text and metadata of one page; empty strings where the page says nothing."""

    text: str
    title: str = ""
    author: str = ""
    site: str = ""
    url: str = ""
    date: str = ""
    doi: str = ""


def _first(values: dict[str, str], *keys: str) -> str:
    for key in keys:
        if values.get(key):
            return values[key]
    return ""


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "//"))


def _metadata(root: _Node) -> HtmlPage:
    """Title, author, site, url and date of the page, searched in the whole tree."""
    metas: dict[str, str] = {}
    links: dict[str, str] = {}
    found: dict[str, str] = {}  # first <title>, <h1>, <time datetime>, rel=author text
    in_svg = 0
    for event, node in _walk(root, _never):
        if not isinstance(node, _Node):
            continue
        if node.tag == "svg":  # an <svg> has a <title> of its own
            in_svg += 1 if event == "start" else -1
        if event != "start":
            continue
        attrs = node.attrs
        rels = attrs.get("rel", "").lower().split()
        if node.tag == "meta" and attrs.get("content", "").strip():
            for attr in ("name", "property", "itemprop"):
                key = attrs.get(attr, "").strip().lower()
                if key:
                    metas.setdefault(key, " ".join(attrs["content"].split()))
        elif node.tag == "link" and attrs.get("href", "").strip():
            for rel in rels:
                links.setdefault(rel, attrs["href"].strip())
        elif node.tag == "title" and not in_svg and "title" not in found:
            found["title"] = _inner_text(node)
        elif node.tag == "h1" and "h1" not in found:
            found["h1"] = _inner_text(node)
        elif node.tag == "time" and attrs.get("datetime", "").strip() and "time" not in found:
            found["time"] = attrs["datetime"].strip()
        if "author" in rels and node.tag != "link" and "author" not in found:
            found["author"] = _inner_text(node)
    # article:author is often a profile URL, which is not a name.
    author_tag = _first(metas, "article:author", "citation_author", "dc.creator")
    url = links.get("canonical") or metas.get("og:url", "")
    return HtmlPage(
        text="",
        title=shorten_title(
            _first(metas, "og:title", "twitter:title") or found.get("title") or found.get("h1", "")
        ),
        author=metas.get("author")
        or (author_tag if not _is_url(author_tag) else "")
        or found.get("author", ""),
        site=metas.get("og:site_name") or host_of(url),
        url=url,
        date=_first(
            metas,
            "article:published_time",
            "date",
            "dc.date",
            "citation_publication_date",
            "dc.date.issued",
            "dcterms.date",
            "dcterms.created",
            "datepublished",
        )
        or found.get("time", ""),
        doi=normalize_doi(_first(metas, "citation_doi", "prism.doi", "dc.identifier", "doi")),
    )


def host_of(url: str) -> str:
    """The host name of ``url``, or "" when it has none.

    >>> host_of("https://www.example.org/a/b"), host_of("/relative")
    ('www.example.org', '')
    """
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def parse_html(markup: str, *, extractor: str = "trafilatura") -> HtmlPage:
    """Main text and metadata of an HTML document. Never raises on bad markup.

    ``extractor`` finds the main text: "trafilatura" (the default; kb's rules when it
    finds no article) or "rules" (kb's own: largest <article>, <main>, <body>).

    >>> page = parse_html("<title>T</title><nav>Menu</nav><p>One<p>Two<ul><li>a<li>b</ul>")
    >>> page.title, page.text
    ('T', 'One\\n\\nTwo\\n\\n• a\\n• b')
    """
    builder = _TreeBuilder()
    try:
        builder.feed(markup)
        builder.close()
    except Exception:  # a parser bug must not lose the page; keep what we have
        pass
    root = builder.tree()
    page = _metadata(root)
    page.text = (_extracted_text(markup) if extractor == "trafilatura" else "") or _main_text(root)
    return page


def _extracted_text(markup: str) -> str:
    """The main text trafilatura finds, laid out by kb's renderer; "" when it finds none."""
    tree = extract_main_tree(markup, _Node)
    return _render(tree) if tree is not None else ""


def sniff_charset(data: bytes) -> str | None:
    """The charset named by a <meta> tag near the top of the page, if any.

    >>> sniff_charset(b'<meta charset="windows-1252">'), sniff_charset(b"<p>x")
    ('windows-1252', None)
    """
    found = _CHARSET.search(data[:_SNIFF])
    return found.group(1).decode("ascii") if found else None


def read_html(data: bytes, path: str) -> Parsed:
    """Read an .html/.htm file's bytes into its main text and metadata."""
    if not data.strip():
        raise IngestError(path, EMPTY_REASON)
    decoded = decode_bytes(data, path, declared=sniff_charset(data))
    if not decoded.text.strip():
        raise IngestError(path, EMPTY_REASON)
    page = parse_html(decoded.text)
    if not page.text.strip():
        raise IngestError(path, NO_TEXT_REASON)
    return Parsed(
        text=page.text,
        encoding=decoded.encoding,
        title=page.title,
        author=page.author,
        site=page.site,
        url=page.url,
        date=page.date,
        doi=page.doi,
        warnings=decoded.warnings,
    )
