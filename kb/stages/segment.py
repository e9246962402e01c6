"""Segmentation as a stage: a source's text into headings, sentences and list items with
exact spans (kb.nlp.segment), starting after what its reader calls metadata."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kb.ingest.readers import reader_of_format
from kb.nlp.segment import split_units
from kb.stages import Document, Stage

__all__ = ["STAGE", "body_start"]


def body_start(source) -> int:
    """Where a source's body begins: after a plain-text "Title: / URL:" header block,
    which is metadata (read by ingestion), not claims."""
    return reader_of_format(source.format).body_start(source.text)


def _segment(document: Document, resources: Any) -> Document:
    source = document.source
    return replace(document, units=split_units(source.text, start=body_start(source)))


STAGE = Stage("segment", needs=("source",), makes="units", code=(__name__,), run=_segment,
              packages=("spacy",))  # fmt: skip
