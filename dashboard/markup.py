"""Safe display of source text: Markdown escaping, and HTML with our own <mark> spans.

Text from a source is never trusted as markup. Every source-derived piece goes through
``html.escape`` (for ``st.html``) or ``md`` (for Markdown labels); the only tags in the
output are the ones built here. No Streamlit import: these are pure functions.

>>> print(highlight("a <b>", [(2, 5, "efficacy", "tip")], {"efficacy": "#bbf7d0"}))
<div style="white-space:pre-wrap"><span>a </span><mark
style="background:#bbf7d0;border-left:2px solid #6b7280" title="tip">&lt;b&gt;</mark></div>
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "CLAIM_TYPE_COLOURS",
    "STANCE_COLOURS",
    "VERDICT_COLOURS",
    "highlight",
    "legend",
    "md",
    "quote_block",
    "shorten",
]

# Light backgrounds that keep dark text readable; one per claim type.
CLAIM_TYPE_COLOURS = {
    "efficacy": "#bbf7d0",
    "mechanism": "#bfdbfe",
    "safety": "#fecaca",
    "procedure": "#fde68a",
    "evidence": "#e9d5ff",
    "recommendation": "#a5f3fc",
    "other": "#e5e7eb",
}
STANCE_COLOURS = {
    "affirms": "#16a34a",
    "hedges": "#86efac",
    "mixed": "#facc15",
    "negates": "#dc2626",
    "silent": "#f3f4f6",
}
VERDICT_COLOURS = {"supports": "green", "contradicts": "red", "related": "gray"}

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them also disarms Streamlit's own directives (:red[...], :material/x:, $math$).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def md(text: object) -> str:
    """``text`` escaped for st.markdown / st.subheader / labels: shown literally, one line."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut.

    >>> shorten("acupuncture relieves back pain", 12), shorten("short", 12)
    ('acupuncture…', 'short')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _style(colour: str) -> str:
    return f"background:{colour}"


def highlight(
    text: str,
    spans: Iterable[tuple[int, int, str, str]],
    colours: Mapping[str, str],
    *,
    default: str = "#fde68a",
) -> str:
    """``text`` as escaped HTML with each span ``(start, end, key, title)`` in a <mark>
    coloured by ``colours[key]``. Overlapping spans are cut at every boundary; a piece
    covered by several spans takes the colour of the one that starts first and the
    titles of all. Line breaks are kept (the wrapper is ``white-space: pre-wrap``)."""
    spans = sorted(
        (max(0, s), min(len(text), e), key, title)
        for s, e, key, title in spans
        if e > s and s < len(text)
    )
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    parts = []
    active: list[tuple[int, int, str, str]] = []  # spans covering the current piece
    following = 0
    for left, right in itertools.pairwise(cuts):
        while following < len(spans) and spans[following][0] <= left:
            active.append(spans[following])
            following += 1
        active = [span for span in active if span[1] >= right]
        piece = html.escape(text[left:right])
        covering = active
        if not covering:
            parts.append(f"<span>{piece}</span>")
            continue
        colour = colours.get(covering[0][2], default)
        titles = "; ".join(dict.fromkeys(t for *_, t in covering if t))
        # A rule where a span begins tells two adjacent statements of one colour apart.
        begins = ";border-left:2px solid #6b7280" if any(s == left for s, *_ in covering) else ""
        parts.append(
            f'<mark style="{_style(colour)}{begins}" title="{html.escape(titles)}">{piece}</mark>'
        )
    return f'<div style="white-space:pre-wrap">{"".join(parts)}</div>'


def quote_block(
    text: str,
    marks: Iterable[tuple[int, int]] = (),
    *,
    note: str = "",
    colour: str = "#fde68a",
    rule: str = "#9ca3af",
) -> str:
    """``text`` (a quote, or a stretch of a source around one) in a quote box with a
    ``rule`` coloured left edge, each ``(start, end)`` of ``marks`` highlighted, and an
    optional note under it (certainty, attribution, offsets); all escaped."""
    body = highlight(text, [(s, e, "mark", "") for s, e in marks], {"mark": colour})
    foot = f'<div style="font-size:0.85em;opacity:0.75">{html.escape(note)}</div>' if note else ""
    return (
        f'<blockquote style="border-left:3px solid {rule};margin:0.25em 0;'
        f'padding:0.25em 0.75em">{body}{foot}</blockquote>'
    )


def legend(colours: Mapping[str, str], names: Sequence[str] | None = None) -> str:
    """A row of coloured swatches naming what each colour means."""
    items = [
        f'<mark style="{_style(colours[name])};padding:0 0.4em;margin-right:0.5em">'
        f"{html.escape(name)}</mark>"
        for name in (names or list(colours))
        if name in colours
    ]
    return f'<div class="kb-legend">{"".join(items)}</div>'
