"""What a Dask worker runs for kb.distributed: the per-document stages, prepared once per
worker by a worker plugin, applied to a chunk of documents. Imported only where Dask is
installed (the optional extra ``distributed``)."""

from __future__ import annotations

from distributed import WorkerPlugin, get_worker

from kb.model import Skipped
from kb.nlp.lexicon import Lexicon
from kb.process import Resources, Work, process_item
from kb.stages import Document

__all__ = ["Stages", "process_chunk"]


class Stages(WorkerPlugin):
    """The stages' resources (the lexicon's matchers, spaCy) of one lexicon, made when a
    worker starts (or joins the cluster), not per document."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        # One per lexicon: a long-lived cluster may serve builds with different lexicons.
        self.name = f"kb-stages-{lexicon.sha256[:16]}"
        self.resources: Resources | None = None

    def setup(self, worker) -> None:
        self.resources = Resources(self.lexicon)

    def teardown(self, worker) -> None:
        self.resources = None


def process_chunk(chunk: list[Work], plugin: str) -> list[Document | Skipped]:
    """The chunk's documents through the stages the worker's plugin ``plugin`` prepared."""
    stages = get_worker().plugins[plugin]
    return [process_item(item, stages.resources) for item in chunk]
