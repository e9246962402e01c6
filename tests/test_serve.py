"""`kb serve`: the HTTP JSON API answers as the command line does, refuses bad requests
with a JSON error, and says in one line when its port is taken."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

import kb
from kb.cli.serve import MAX_BODY, make_server


@pytest.fixture(scope="module")
def served(seed_kb):
    """The seed KB served on a free port, in a thread; yields its base URL."""
    server = make_server(kb.open(seed_kb), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def call(url: str, body: object = None, method: str | None = None) -> tuple[int, object]:
    """(status, JSON answer) of a request; a body is sent as JSON with POST."""
    data = (
        None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    )
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        assert error.headers["Content-Type"].startswith("application/json")
        return error.code, json.loads(error.read())


def test_health_says_which_kb(served, seed_kb):
    status, answer = call(f"{served}/health")
    assert status == 200 and answer["status"] == "ok" and answer["kb"] == str(seed_kb)


def test_a_check_answers_what_kb_check_prints(served, seed_kb, kb_cli):
    text = "Needles stay in for 25 minutes. Acupuncture is harmless for everyone."
    status, answer = call(f"{served}/check", {"text": text})
    _, printed, _ = kb_cli("--kb", seed_kb, "check", text, "--format", "json")
    assert status == 200 and answer == json.loads(printed)
    assert answer["sentences"][0]["outcome"] == "contradicted"


def test_a_check_with_citations_and_by_get(served):
    text = "Acupuncture relieves back pain."
    status, answer = call(f"{served}/check?text={urllib.parse.quote(text)}&cite=markdown")
    assert status == 200 and answer["citations"].startswith("- ")


def test_concurrent_checks_each_get_their_own_answer(served):
    texts = ["Needles stay in for 25 minutes.", "Acupuncture releases endorphins."] * 5
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda t: call(f"{served}/check", {"text": t}), texts))
    assert [a["text"] for _, a in answers] == texts


def test_search_claims_and_conflicts_take_the_command_line_s_filters(served, seed_kb, kb_cli):
    status, found = call(f"{served}/search", {"text": "blood flow", "type": "mechanism"})
    assert status == 200 and found["statements"]
    assert {h["claim_type"] for h in found["statements"]} == {"mechanism"}
    status, claims = call(f"{served}/claims?type=safety&source_kind=blog")
    _, printed, _ = kb_cli("--kb", seed_kb, "claims", "--type", "safety", "--source-kind",
                           "blog", "--format", "json")  # fmt: skip
    assert status == 200 and claims == json.loads(printed)
    status, conflicts = call(f"{served}/conflicts?kind=numeric")
    assert status == 200 and [c["kind"] for c in conflicts] == ["numeric"]


@pytest.mark.parametrize(
    ("path", "body", "status", "said"),
    [
        ("/check", {}, 400, "give 'text'"),
        ("/check", {"text": 3}, 400, "must be a string"),
        ("/check", b"{not json", 400, "not JSON"),
        ("/check", b"[1, 2]", 400, "must be a JSON object"),
        ("/check", {"text": "x", "cite": "chicago"}, 400, "'cite' must be one of"),
        ("/search", {"text": '"*'}, 400, "nothing to search for"),
        ("/search", {"text": "x", "since": "last year"}, 400, "is not a date"),
        ("/search", {"text": "x", "limit": "all"}, 400, "'limit' must be a number"),
        ("/claims", {"status": "true"}, 400, "'status' must be one of"),
        ("/nowhere", None, 404, "no endpoint '/nowhere'"),
        ("/health", {}, 405, "/health takes GET"),
    ],
)
def test_a_bad_request_is_a_json_error_not_a_traceback(served, path, body, status, said):
    got, answer = call(f"{served}{path}", body)
    assert got == status and said in answer["error"] and "Traceback" not in answer["error"]


def test_a_body_too_large_is_refused_unread(served):
    status, answer = call(f"{served}/check", b" " * (MAX_BODY + 1))
    assert status == 413 and "at most" in answer["error"]
    assert call(f"{served}/health")[0] == 200  # and the server still answers


def test_a_port_in_use_is_one_clear_line(kb_cli, seed_kb):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code, out, err = kb_cli("--kb", seed_kb, "serve", "--port", port)
    assert code != 0 and out == ""
    assert err == f"kb: error: cannot serve on 127.0.0.1:{port} (Address already in use); " \
                  "pass another --port (or --host)\n"  # fmt: skip


def test_serve_refuses_a_missing_kb_before_listening(kb_cli, tmp_path):
    code, _, err = kb_cli("--kb", tmp_path / "none.sqlite", "serve", "--port", "1")
    assert code == 2 and err.startswith("kb: error: ") and err.count("\n") == 1


def test_curate_makes_a_decision_the_next_request_sees(tmp_path):
    from tests.support import DENIAL, dispute_kb

    base = dispute_kb(tmp_path)
    [denial] = [s for s in base.statement_list() if s.quote == DENIAL]
    server = make_server(base, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, [made] = call(f"{url}/curate", {"action": "reject", "statement": denial.id,
                                                "note": "misread", "curator": "ana"})  # fmt: skip
        assert status == 200 and (made["action"], made["curator"]) == ("reject", "ana")
        status, listed = call(f"{url}/curate")
        assert [d["quote"] for d in listed] == [DENIAL]
        status, checked = call(f"{url}/check", {"text": "Acupuncture relieves back pain."})
        assert checked["sentences"][0]["outcome"] == "supported"  # b no longer denies it
        status, answer = call(f"{url}/curate", {"action": "reject", "statement": "st_nope"})
        assert status == 400 and "no statement 'st_nope'" in answer["error"]
        status, answer = call(f"{url}/curate", {"action": "split", "claim": "cl_x", "label": "y"})
        assert status == 400 and "give 'statements'" in answer["error"]
    finally:
        server.shutdown()
        server.server_close()
