"""Statements as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), JSON-LD.

Each statement is one Annotation on its source: the body says which claim it states and
how (claim type, polarity, certainty as tags), the target finds the quote in the source
twice over: a TextQuoteSelector (the exact quote with up to 32 characters either side) and
a TextPositionSelector (its offsets in kb's text of the source). Hypothesis and other
annotation tools anchor by the quote first, so the annotation still finds its words in
the web page, whose text may not be kb's character for character.

The export is a JSON array of Annotations, each a whole JSON-LD document with its own
``@context``: what annotation libraries load (RecogitoJS, Annotorious) and what a Web
Annotation server takes one by one (a POST per annotation), rather than a paged
AnnotationCollection, which only a server serves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from kb.model import Source, Statement

__all__ = ["ANNOTATION_CONTEXT", "CONTEXT_CHARS", "annotation", "annotations_json", "source_iri"]

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# How much text either side of a quote its TextQuoteSelector keeps: enough to tell apart
# two places that say the same words.
CONTEXT_CHARS = 32


def source_iri(source: Source) -> str:
    """Where the annotated text is: the source's URL, or else a URN of its text's hash
    (the text the offsets index), which stays the same across rebuilds and renames.

    >>> source_iri(Source(id="a", text="", url=" https://x.org/p ", sha256="ab"))
    'https://x.org/p'
    >>> source_iri(Source(id="a", text="", sha256="ab"))
    'urn:sha256:ab'
    """
    return source.url.strip() or f"urn:sha256:{source.sha256}"


def annotation(statement: Statement, source: Source) -> dict[str, Any]:
    """One statement of ``source`` (with its text) as a Web Annotation.

    >>> text = "Acupuncture may reduce back pain in adults."
    >>> st = Statement("st_1", "a", text[12:32], 12, 32, claim_type="efficacy",
    ...                certainty="hedged", claim="acupuncture reduces back pain")
    >>> note = annotation(st, Source(id="a", text=text, sha256="ab"))
    >>> quote = note["target"]["selector"][0]
    >>> quote["prefix"], quote["exact"], quote["suffix"]
    ('Acupuncture ', 'may reduce back pain', ' in adults.')
    >>> [b["value"] for b in note["body"]]
    ['acupuncture reduces back pain', 'efficacy', 'affirmed', 'hedged']
    """
    text, start, end = source.text, statement.start, statement.end
    described = statement.claim or statement.quote
    body = [_textual(described, "describing")]
    body += [
        _textual(tag, "tagging")
        for tag in (statement.claim_type, statement.polarity, statement.certainty)
    ]
    if statement.attribution:
        body.append(_textual(f"attributed to {statement.attribution}", "describing"))
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:kb:statement:{statement.id}",
        "type": "Annotation",
        "body": body,
        "target": {
            "source": source_iri(source),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": text[start:end],
                    "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                    "suffix": text[end : end + CONTEXT_CHARS],
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def _textual(value: str, purpose: str) -> dict[str, str]:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def annotations_json(statements: Iterable[Statement], sources: Mapping[str, Source]) -> str:
    """The statements as a JSON array of Web Annotations; ``sources`` maps each statement's
    source id to the source with its text (the selectors are cut from it, never re-typed)."""
    notes = [annotation(s, sources[s.source]) for s in statements if s.source in sources]
    return json.dumps(notes, ensure_ascii=False, indent=1) + "\n"
