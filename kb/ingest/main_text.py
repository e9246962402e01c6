"""A page's main text found by trafilatura, laid out the way kb lays out HTML.

trafilatura (https://trafilatura.readthedocs.io) decides which parts of a page are the
article: measured on the 181 pages of the article-extraction benchmark
(benchmarks/html_extraction.py) it keeps far less page furniture than kb's own rules
(the largest <article>, else <main>, else <body>) and loses no page whose article sits
in a <form>. It returns the article as a small tree (<head>, <p>, <list>/<item>,
<table>/<row>/<cell>, <quote>, <lb>); that tree is mapped onto kb's HTML tags and laid
out by kb's own renderer, so the text keeps what segmentation relies on: headings and
paragraphs apart, one line per list item with its "• " or "3. " marker.

The text returned is the text kb stores: every offset indexes it, nothing is re-typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

__all__ = ["HIDDEN_XPATH", "TRAFILATURA_TAGS", "extract_main_tree"]

# trafilatura's tags -> the HTML tags kb's renderer knows. Anything else (<hi>, <ref>,
# <del>, <span>...) is inline and renders as its text.
TRAFILATURA_TAGS = {
    "head": "h2",
    "p": "p",
    "list": "ul",
    "item": "li",
    "quote": "blockquote",
    "code": "pre",
    "table": "table",
    "row": "tr",
    "cell": "td",
    "lb": "br",
    "div": "div",
}
_DROP = frozenset(("graphic", "fw", "note"))
_LOWER = "translate(@{0}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz')"
# What a browser does not show is not the page's text (trafilatura keeps it), nor is a
# menu: trafilatura's last resort, the whole page's text, would otherwise keep a page
# that is only a menu.
HIDDEN_XPATH = [
    "//nav",
    f"//*[{_LOWER.format('role')}='navigation' or {_LOWER.format('role')}='search']",
    "//*[@hidden]",
    f"//*[{_LOWER.format('aria-hidden')}='true']",
    f"//*[contains({_LOWER.format('style')}, 'display:none')]",
    f"//*[contains({_LOWER.format('style')}, 'visibility:hidden')]",
]

_extract: Callable[..., Any] | None = None


def _load() -> Callable[..., Any]:
    """trafilatura's bare_extraction, imported once and only when a page is read (the
    import takes about 0.2 s, which a build of .txt files should not pay)."""
    global _extract
    if _extract is None:
        from trafilatura import bare_extraction

        # trafilatura logs "discarding data" and the like at WARNING for ordinary pages.
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
        _extract = bare_extraction
    return _extract


def extract_main_tree(markup: str, make_node: Callable[[str, dict[str, str]], Any]) -> Any:
    """The page's main text as a tree of ``make_node(tag, attrs)`` nodes (kb's HTML tags,
    each with ``children``: nodes or strings), or None when trafilatura finds no article
    (then kb's own rules read the page).

    Comments under the article are left out: they are readers' words, not the source's.
    """
    try:
        document = _load()(
            markup,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=False,
            prune_xpath=HIDDEN_XPATH,
        )
    except Exception:  # a library bug must not lose the page: kb's own rules take over
        return None
    body = getattr(document, "body", None)
    if body is None or not "".join(body.itertext()).strip() or _is_page_dump(body):
        return None
    return _convert(body, make_node)


def _is_page_dump(body: Any) -> bool:
    """True when trafilatura found no article and fell back to the whole page's text as one
    paragraph of lines (its "baseline"): kb's rules keep that page's paragraphs and lists,
    where the dump has lost them."""
    return len(body) == 1 and body[0].tag == "p" and "\n" in (body[0].text or "")


def _convert(element: Any, make_node: Callable[[str, dict[str, str]], Any]) -> Any:
    """Map an lxml element (and everything inside it) onto kb's nodes, without recursion:
    a deeply nested article must not hit Python's recursion limit."""
    root = make_node("article", {})
    stack = [(element, root)]
    while stack:
        source, target = stack.pop()
        if source.text:
            target.children.append(source.text)
        for child in source:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in _DROP:
                node = make_node(*_kb_tag(tag, child.get("rend", "")))
                target.children.append(node)
                stack.append((child, node))
            if child.tail:
                target.children.append(child.tail)
    # Children were appended in order for each parent; popping the stack only changes the
    # order in which parents are filled, not the order of any parent's children.
    return root


def _kb_tag(tag: str, rend: str) -> tuple[str, dict[str, str]]:
    """kb's tag for a trafilatura element: an ordered list stays numbered, a heading
    keeps its level.

    >>> _kb_tag("list", "ol"), _kb_tag("head", "h3"), _kb_tag("hi", "#b")
    (('ol', {}), ('h3', {}), ('span', {}))
    """
    if tag == "list" and rend == "ol":
        return "ol", {}
    if tag == "head" and rend in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return rend, {}
    return TRAFILATURA_TAGS.get(tag, "span"), {}
