"""Sentences → Statements.

Every sentence and list item of running text becomes one statement whose quote is
the sentence, cut from the source by its offsets. Claim typing, polarity, certainty,
attribution and quantities refine these statements in kb's extraction stage; headings
are never statements.
"""

from __future__ import annotations

from kb.models import Sentence, Source, Statement, statement_id

__all__ = ["extract_statements"]


def extract_statements(source: Source, units: list[Sentence]) -> list[Statement]:
    """One statement per sentence or list-item sentence of ``source``.

    >>> from kb.models import Source
    >>> from kb.nlp.segment import split_units
    >>> src = Source(id="a", text="Heading\\n\\nNeedles stay in. It helps.", sha256="x")
    >>> [s.quote for s in extract_statements(src, split_units(src.text))]
    ['Needles stay in.', 'It helps.']
    """
    return [
        Statement(
            id=statement_id(source.sha256, unit.start, unit.end),
            source=source.id,
            quote=source.text[unit.start : unit.end],
            start=unit.start,
            end=unit.end,
            section=unit.section,
            label=unit.label,
        )
        for unit in units
        if unit.kind != "heading"
    ]
