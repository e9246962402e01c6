"""`kb build URL`: web pages fetched from a local HTTP server started by the test (never
the internet), read like saved HTML, with the address and fetch date recorded."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from kb import api
from kb.errors import FetchError
from kb.ingest.fetch import fetch_page, page_id

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = (FIXTURES / "article_in_form.html").read_bytes()


class _Handler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/huge":  # says it is larger than any limit
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 2**20))
            self.end_headers()
            self.wfile.write(b"<p>start")
            return
        if self.path == "/endless":  # no length: the limit stops the download
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>" + b"word " * 2000)
            return
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        found = self.pages.get(self.path)
        if found is None:
            self.send_error(404, "Not Found")
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass  # keep the test output clean


@pytest.fixture
def server() -> Iterator[str]:
    """A local server for the test's pages; yields its base address."""
    _Handler.pages = {
        "/article": ("text/html; charset=utf-8", PAGE),
        "/image.png": ("image/png", b"\x89PNG"),
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_build_fetches_a_page_and_reads_its_main_text(server, tmp_path, kb_cli):
    kb_path = tmp_path / "kb.sqlite"
    url = f"{server}/article"
    code, out, err = kb_cli("--kb", kb_path, "build", url)
    assert code == 0, err
    assert "1 sources (1 new" in out
    base = api.open_kb(kb_path)
    source = base.source(base.source_list()[0].id)
    assert source.id == "127.0.0.1-article"
    assert (source.path, source.url, source.format) == (url, url, "html")
    assert source.fetched.endswith("Z") and source.fetched[:2] == "20"
    assert "Paragraph one of the article" in source.text
    assert "Related posts" not in source.text
    statements = base.statement_list()
    assert statements
    for statement in statements:
        assert source.text[statement.start : statement.end] == statement.quote
    code, out, _ = kb_cli("--kb", kb_path, "sources")
    assert "fetched" in out.splitlines()[0] and source.fetched[:10] in out
    code, out, _ = kb_cli("--kb", kb_path, "sources", "--format", "json")
    (record,) = json.loads(out)
    assert record["url"] == url and record["fetched"] == source.fetched


def test_a_page_fetched_again_unchanged_is_unchanged_and_a_changed_one_updated(server, tmp_path):
    kb_path = tmp_path / "kb.sqlite"
    url = f"{server}/article"
    api.build([url], kb_path)
    again = api.build([url], kb_path)
    assert (again.unchanged, again.updated, again.added) == (1, 0, 0)
    _Handler.pages["/article"] = ("text/html", PAGE.replace(b"Paragraph four", b"Part four"))
    changed = api.build([url], kb_path)
    assert (changed.updated, changed.added) == (1, 0)
    assert "Part four" in api.open_kb(kb_path).source("127.0.0.1-article").text


def test_pages_and_files_build_together_and_a_folder_build_keeps_the_page(server, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "note.txt").write_text("Acupuncture reduces back pain.\n", encoding="utf-8")
    kb_path = tmp_path / "kb.sqlite"
    report = api.build([folder, f"{server}/moved"], kb_path)
    assert report.added == 2
    page = api.open_kb(kb_path).source("127.0.0.1-moved")
    assert page.url == f"{server}/article"  # where the server finally answered from
    report = api.build([folder], kb_path)
    assert (report.kept, report.removed) == (1, 0)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404 Not Found; check the address"),
        ("/huge", "larger than 10 MB; save the page and build from the file"),
        ("/image.png", "the server sent image/png, which kb does not read"),
    ],
)
def test_a_page_that_cannot_be_read_is_one_line_and_leaves_the_kb_alone(
    server, tmp_path, kb_cli, path, message
):
    kb_path = tmp_path / "kb.sqlite"
    (tmp_path / "note.txt").write_text("Acupuncture reduces back pain.\n", encoding="utf-8")
    api.build([tmp_path / "note.txt"], kb_path)
    before = kb_path.read_bytes()
    code, out, err = kb_cli("--kb", kb_path, "build", tmp_path / "note.txt", f"{server}{path}")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{server}{path}: " in err and message in err
    assert kb_path.read_bytes() == before


def test_an_unreachable_server_is_one_line_and_makes_no_kb(tmp_path, kb_cli):
    kb_path = tmp_path / "kb.sqlite"
    url = f"http://127.0.0.1:{_closed_port()}/page"
    code, _, err = kb_cli("--kb", kb_path, "build", url)
    assert code == 2
    assert err.count("\n") == 1 and "refused the connection; check the address" in err
    assert not kb_path.exists()


def test_the_size_limit_stops_a_download_without_a_length(server):
    with pytest.raises(FetchError, match="larger than"):
        fetch_page(f"{server}/endless", max_bytes=1000)
    assert fetch_page(f"{server}/endless", max_bytes=100_000).data.startswith(b"<p>word")


def test_timeout_must_be_a_positive_number_of_seconds(kb_cli, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        kb_cli("--kb", tmp_path / "kb.sqlite", "build", "--timeout", "0", "x")
    assert exit_.value.code == 2 and "expected seconds" in capsys.readouterr().err


def test_page_ids_are_readable():
    assert page_id("https://www.nhs.uk/conditions/acupuncture/") == "nhs.uk-acupuncture"
    assert page_id("https://example.org/") == "example.org"


def test_offline_and_timeouts_say_what_to_do():
    from urllib.error import URLError

    from kb.ingest.fetch import _why

    offline = _why(URLError(socket.gaierror(-3, "Temporary failure in name resolution")), 20)
    assert offline.startswith("cannot find the host (offline")
    assert "save the page and build from the file" in offline
    assert "raise --timeout" in _why(URLError(TimeoutError("timed out")), 2.5)
