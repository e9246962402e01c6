"""The optional extra `semantic`: sentence embeddings that add matches by meaning to
`kb check`, the vector sidecar kept beside the KB, and the clear error without the extra.

The tests that embed need the extra (`pip install 'kb-claims[semantic]'`, which `make test`
installs); elsewhere they skip, except in CI, where they must run."""

from __future__ import annotations

import json
import os
import socket

import numpy as np
import pytest

from kb import api, semantic
from kb.errors import SemanticUnavailableError
from kb.model import SentenceCheck, VerdictSources
from tests.test_analyze import build_kb

needs_extra = pytest.mark.skipif(
    not semantic.available() and not os.environ.get("CI"),
    reason="the extra `semantic` is not installed: pip install 'kb-claims[semantic]'",
)

WALK = "Daily walking lowers blood pressure in older adults."
GUITAR = "Guitar lessons improve children's maths grades."
TEA = "Green tea extract capsules can damage the liver."
# Not one word in common with WALK, and no lexicon concept: only meaning links them.
STROLLS = "Regular strolls reduce hypertension among seniors."


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    # Whatever the loader does, it may not reach a model hub.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def embedded(monkeypatch) -> list[str]:
    """Every text the embedder encodes, in order."""
    texts: list[str] = []
    encode = semantic.Embedder.encode

    def recording(self, batch):
        texts.extend(batch)
        return encode(self, batch)

    monkeypatch.setattr(semantic.Embedder, "encode", recording)
    return texts


def only_sentence(base: api.KnowledgeBase, text: str, **options) -> SentenceCheck:
    [sentence] = base.check(text, **options).sentences
    return sentence


def write_sources(folder, texts: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


@needs_extra
def test_a_paraphrase_sharing_no_word_is_found_by_meaning(tmp_path):
    base = build_kb(tmp_path, {"walk": WALK, "guitar": GUITAR})
    assert only_sentence(base, STROLLS, semantic=False).matches == ()
    sentence = only_sentence(base, STROLLS, semantic=True)
    [match] = sentence.matches  # not the guitar lessons
    assert match.via == "semantic"
    assert [st.quote for st in match.statements] == [WALK]
    # Near in meaning, not the same claim: related, not support.
    assert sentence.sources == VerdictSources(related=("walk",))


@needs_extra
def test_meaning_gives_the_verdict_between_close_paraphrases(tmp_path):
    base = build_kb(tmp_path, {"tea": TEA})
    same = "Pills made from green tea can harm the liver."
    # Half the words differ: by wording alone they are only related.
    assert only_sentence(base, same, semantic=False).sources.related == ("tea",)
    sentence = only_sentence(base, same, semantic=True)
    assert sentence.sources.supports == ("tea",)
    assert sentence.matches[0].meaning >= 0.85
    denial = only_sentence(base, "Pills made from green tea do not harm the liver.", semantic=True)
    assert denial.sources.contradicts == ("tea",)


def test_without_semantic_the_check_is_what_it_was(tmp_path, monkeypatch, kb_cli):
    base = build_kb(tmp_path, {"walk": WALK, "tea": TEA})
    text = f"{STROLLS} Pills made from green tea can harm the liver. Acupuncture cures everyone."

    def no_model():
        raise AssertionError("the model was loaded for a check without semantic matching")

    monkeypatch.setattr(semantic, "embedder", no_model)
    turned_off = base.check(text, semantic=False)
    cli_off = kb_cli("--kb", base.path, "check", text, "--no-semantic", "--format", "json",
                     "--related")  # fmt: skip
    monkeypatch.setattr(semantic, "available", lambda: False)
    not_installed = base.check(text)
    assert turned_off == not_installed
    shown = json.dumps(not_installed.to_json(), ensure_ascii=False, indent=2)
    assert cli_off == (0, shown + "\n", "")
    assert not any(m.meaning is not None for s in turned_off.sentences for m in s.matches)
    assert not semantic.sidecar_path(base.path).exists()


@needs_extra
def test_vectors_are_kept_beside_the_kb_and_brought_up_to_date(tmp_path, embedded):
    folder, path = tmp_path / "src", tmp_path / "kb.sqlite"
    write_sources(folder, {"walk": WALK})
    api.build([folder], path)
    base = api.open_kb(path)
    base.check(STROLLS, semantic=True)
    assert embedded == [WALK, STROLLS]
    sidecar = semantic.sidecar_path(path)
    assert sidecar.name == "kb.sqlite.vectors.npz"

    # Another process (a new KnowledgeBase) reuses the file: only the checked text is embedded.
    embedded.clear()
    assert only_sentence(api.open_kb(path), STROLLS, semantic=True).sources.related == ("walk",)
    assert embedded == [STROLLS]

    # A rebuild that adds a source: only its sentence is embedded, and it is found.
    write_sources(folder, {"tea": TEA})
    api.build([folder], path)
    embedded.clear()
    same = "Pills made from green tea can harm the liver."
    assert only_sentence(base, same, semantic=True).sources.supports == ("tea",)
    assert embedded == [TEA, same]
    before = semantic.load_index(sidecar)
    assert sorted(before.ids.tolist()) == sorted(base.statements()["id"])

    # A rebuild that removes one: its vectors go, the others are kept as they were.
    (folder / "walk.txt").unlink()
    api.build([folder], path)
    embedded.clear()
    assert only_sentence(base, STROLLS, semantic=True).matches == ()
    assert embedded == [STROLLS]
    after = semantic.load_index(sidecar)
    assert after.ids.tolist() == base.statements()["id"].tolist()
    row_before = dict(zip(before.ids.tolist(), before.rows.tolist(), strict=True))
    for sid, row in zip(after.ids.tolist(), after.rows.tolist(), strict=True):
        assert np.array_equal(after.matrix[row], before.matrix[row_before[sid]])


def test_asking_for_semantic_without_the_extra_is_one_clear_line(seed_kb, monkeypatch, kb_cli):
    monkeypatch.setattr(semantic, "available", lambda: False)
    code, out, err = kb_cli("--kb", seed_kb, "check", "Acupuncture releases endorphins",
                            "--semantic")  # fmt: skip
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("kb: error: ")
    assert "pip install 'kb-claims[semantic]'" in err
    with pytest.raises(SemanticUnavailableError):
        api.open_kb(seed_kb).check("Acupuncture releases endorphins", semantic=True)
    # Without the flag the check goes on without it.
    code, out, _ = kb_cli("--kb", seed_kb, "check", "Acupuncture releases endorphins")
    assert code == 0 and "via concept" in out


@needs_extra
def test_the_model_loads_from_the_package_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vectors = semantic.Embedder().encode([WALK, STROLLS, GUITAR])  # a new one loads the model
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


@needs_extra
def test_by_default_meaning_is_used_once_the_vectors_exist(tmp_path, embedded):
    build_kb(tmp_path, {"walk": WALK, "guitar": GUITAR})
    kb_path = next(tmp_path.glob("*.sqlite"))
    # Never asked for: a default check embeds nothing and matches by words alone.
    assert only_sentence(api.open_kb(kb_path), STROLLS).matches == ()
    assert embedded == [] and not semantic.sidecar_path(kb_path).exists()
    api.open_kb(kb_path).check(STROLLS, semantic=True)  # makes the vectors
    assert semantic.sidecar_path(kb_path).exists()
    [match] = only_sentence(api.open_kb(kb_path), STROLLS).matches
    assert match.via == "semantic"
