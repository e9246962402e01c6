"""`kb serve`: a local HTTP JSON API over one warm KnowledgeBase.

An editor plugin or a script checks a sentence without paying for a cold `kb check`
(Python, pandas, spaCy and the lexicon load in about 1.7 s): the server loads them once,
warms the checker with a first check, and answers each request from memory and the store.

Every endpoint takes its parameters from the query string (GET) or a JSON object (POST),
and answers JSON in the shapes of the command line's ``--format json``:

    GET  /health                         {"status": "ok", "kb": path, "kb_version": ...}
    POST /check      {"text": ...}       what `kb check --format json` prints
    GET  /search?text=needles            what `kb search --format json` prints
    GET  /claims?type=safety             what `kb claims --format json` prints
    GET  /conflicts?kind=numeric         what `kb conflicts --format json` prints
    GET  /curate                         the curator's decisions (`kb curate list --format json`)
    POST /curate     {"action": "reject", "statement": ..., "note": ..., "curator": ...}
                                         a decision, as `kb curate ACTION` makes it

A bad request is a JSON ``{"error": ...}`` with status 400 (404 for an unknown path, 405
for a method the route does not take, 413 for a body over MAX_BODY); a bug is a 500 with
one line, never a traceback. Routes are one table (ROUTES): an endpoint is one handler
``(base, params) → JSON value`` and one entry. /curate changes the KB through kb.api, as
`kb curate` does (one decision at a time); readers need nothing more: every KnowledgeBase
call reads the file afresh, and what the checker keeps in memory is keyed by the file's
stamp.

Requests are served in threads (http.server.ThreadingHTTPServer). Reads share the
KnowledgeBase (each opens its own read connection); checks take turns on one lock, since
they share one spaCy pipeline, and with Python's GIL they would take turns for most of
their time anyway.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kb import __version__, api
from kb.errors import KbError
from kb.model import CLAIM_TYPES, CURATION_ACTIONS, SOURCE_KINDS

__all__ = ["MAX_BODY", "ROUTES", "BadRequest", "Params", "Route", "make_server"]

# A request body larger than this is refused (413): a check of a whole book belongs to
# `kb check -`, not to a request that holds a thread for minutes.
MAX_BODY = 1_000_000

# A refused body up to this size is read and dropped (see _Handler._discard).
_DRAINED = 16 * MAX_BODY

# The sentence that warms the checker: its first call loads the lexicon and spaCy.
_WARM_TEXT = "Acupuncture relieves back pain."


class BadRequest(Exception):
    """A request that cannot be answered as asked: its message says what to send."""

    def __init__(
        self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST, allow: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.allow = allow  # the methods a route takes, for a 405


class Params:
    """A request's parameters (query string, then JSON body), read with their types; a
    missing or malformed one is a BadRequest that names it."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise BadRequest(f'give {name!r}, e.g. {{{name!r}: "needles"}}')
            return None
        if not isinstance(value, str):
            raise BadRequest(f"{name!r} must be a string, got {type(value).__name__}")
        return value

    def texts(self, name: str) -> list[str]:
        """A list of strings (a JSON list, or one string)."""
        value = self.values.get(name)
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise BadRequest(f'give {name!r}, a list of ids, e.g. {{{name!r}: ["st_..."]}}')
        return value

    def choice(self, name: str, choices: Sequence[str]) -> str | None:
        value = self.text(name)
        if value is not None and value not in choices:
            raise BadRequest(f"{name!r} must be one of {', '.join(choices)}; got {value!r}")
        return value

    def number(self, name: str, default: float, low: float, high: float) -> float:
        value = self.values.get(name, default)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = low - 1
        if not low <= number <= high or isinstance(value, bool):
            raise BadRequest(f"{name!r} must be a number from {low:g} to {high:g}; got {value!r}")
        return number

    def flag(self, name: str) -> bool | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "yes"):
            return True
        if str(value).lower() in ("0", "false", "no"):
            return False
        raise BadRequest(f"{name!r} must be true or false; got {value!r}")

    def where(self, *, claim_type: bool = True) -> dict[str, str]:
        """The listing filters (kb.api.filters), named as the command line names them."""
        found = {
            "source_kind": self.choice("source_kind", SOURCE_KINDS),
            "site": self.text("site"),
            "since": self.text("since"),
            "until": self.text("until"),
            "claim_type": self.choice("type", CLAIM_TYPES) if claim_type else None,
        }
        return {name: value for name, value in found.items() if value is not None}


Handler = Callable[["api.KnowledgeBase", Params], Any]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: its handler and the methods it takes (a route that changes the KB,
    such as a future /curate, takes POST only)."""

    handler: Handler
    methods: tuple[str, ...] = ("GET", "POST")


def _health(base: api.KnowledgeBase, params: Params) -> dict[str, Any]:
    return {"status": "ok", "kb": str(base.path), "kb_version": __version__}


# Checks share one spaCy pipeline: one at a time (see the module's docstring).
_CHECKING = threading.Lock()


def _check(base: api.KnowledgeBase, params: Params) -> dict[str, Any]:
    text = params.text("text", required=True)
    style = params.choice("cite", api.CITATION_STYLES)
    with _CHECKING:
        result = base.check(text, semantic=params.flag("semantic"))
    if not params.flag("related"):
        result = result.without_related()
    json_result = result.to_json()
    if style:
        json_result["citations"] = base.cite(result.supporting_sources(), style)
    return json_result


def _search(base: api.KnowledgeBase, params: Params) -> dict[str, Any]:
    limit = int(params.number("limit", 20, 1, 1000))
    found = base.search_result(
        params.text("text", required=True), limit, params.flag("semantic"), **params.where()
    )
    return found.to_json()


def _claims(base: api.KnowledgeBase, params: Params) -> list[dict[str, Any]]:
    status = params.choice("status", api.STATUSES)
    return base.claim_records(status=status, **params.where())


def _conflicts(base: api.KnowledgeBase, params: Params) -> list[dict[str, Any]]:
    kind = params.choice("kind", api.CONFLICT_KINDS)
    sure = params.number("min_confidence", 0.0, 0.0, 1.0)
    return base.conflict_records(kind, sure, **params.where())


# A decision changes the KB file: one at a time (kb's build lock would serialise them too).
_CURATING = threading.Lock()
_CURATE_ACTIONS = ("restore", *CURATION_ACTIONS)


def _curate(base: api.KnowledgeBase, params: Params) -> list[dict[str, Any]]:
    """GET: every decision; POST with an ``action``: make that decision (the decisions
    made, or the one undone for restore)."""
    desk = base.curation
    action = params.choice("action", _CURATE_ACTIONS)
    if action is None:
        return desk.records()
    if action == "restore":
        with _CURATING:
            return [desk.restore(params.text("id", required=True)).to_dict()]
    who = {"note": params.text("note") or "", "curator": params.text("curator") or ""}
    need = lambda name: params.text(name, required=True)  # noqa: E731
    calls = {
        "reject": lambda: [desk.reject(need("statement"), **who)],
        "confirm": lambda: [desk.confirm(need("conflict"), **who)],
        "dismiss": lambda: [desk.dismiss(need("conflict"), **who)],
        "relabel": lambda: [desk.relabel(need("claim"), need("label"), **who)],
        "move": lambda: [desk.move(need("statement"), need("claim"), **who)],
        "merge": lambda: [desk.merge(need("claim"), need("into"), **who)],
        "split": lambda: desk.split(
            need("claim"), params.texts("statements"), need("label"), **who
        ),
    }
    with _CURATING:
        return [d.to_dict() for d in calls[action]()]


# The endpoints: path → route. An endpoint is one handler and one entry here.
ROUTES: dict[str, Route] = {
    "/health": Route(_health, ("GET",)),
    "/check": Route(_check),
    "/search": Route(_search),
    "/claims": Route(_claims),
    "/conflicts": Route(_conflicts),
    "/curate": Route(_curate),
}


class _Handler(BaseHTTPRequestHandler):
    """Answers one connection's requests from ``server.base`` through ROUTES."""

    protocol_version = "HTTP/1.1"  # keep-alive: an editor's requests reuse one connection
    # Headers and body leave in one write, without Nagle's wait: with an unbuffered
    # writer and Nagle, each answer on a kept-alive connection waited for the client's
    # delayed ACK (40 ms, half of a check's latency at 1,000 sources).
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    server_version = f"kb/{__version__}"
    server: KbServer

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        allow = ""
        try:
            body = self._body() if method == "POST" else {}
            route = ROUTES.get(url.path.rstrip("/") or "/")
            if route is None:
                raise BadRequest(
                    f"no endpoint {url.path!r}; try {', '.join(ROUTES)}", HTTPStatus.NOT_FOUND
                )
            if method not in route.methods:
                raise BadRequest(
                    f"{url.path} takes {' or '.join(route.methods)}",
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    ", ".join(route.methods),
                )
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            status, answer = HTTPStatus.OK, route.handler(self.server.base, Params(query | body))
        except BadRequest as exc:
            status, answer, allow = exc.status, {"error": str(exc)}, exc.allow
        except KbError as exc:  # bad input (exit code 2), else the KB itself (gone, damaged)
            bad = exc.exit_code == 2
            status = HTTPStatus.BAD_REQUEST if bad else HTTPStatus.INTERNAL_SERVER_ERROR
            answer = {"error": str(exc)}
        except Exception as exc:  # a bug: one line here and in the answer, no traceback
            self.log_error("internal error on %s: %s: %s", url.path, type(exc).__name__, exc)
            status = HTTPStatus.INTERNAL_SERVER_ERROR
            answer = {"error": f"internal error: {type(exc).__name__}; see the server's log"}
        self._send(status, answer, allow)

    def _body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            raise BadRequest("Content-Length must be a whole number")
        if length > MAX_BODY:
            self._discard(length)
            raise BadRequest(
                f"the body is {length:,} bytes; send at most {MAX_BODY:,} (or use kb check -)",
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
        data = self.rfile.read(length)
        if not data:
            return {}
        try:
            body = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRequest(f"the body is not JSON in UTF-8 ({exc})") from None
        if not isinstance(body, dict):
            raise BadRequest('the body must be a JSON object, e.g. {"text": "..."}')
        return body

    def _discard(self, length: int) -> None:
        """Read a refused body, so that a client still sending it reads the 413 rather
        than a reset connection; past _DRAINED bytes, close the connection instead."""
        if length > _DRAINED:
            self.close_connection = True  # the unread body would be read as a request
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)

    def _send(self, status: HTTPStatus, answer: Any, allow: str = "") -> None:
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if allow:
            self.send_header("Allow", allow)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet per request (a plugin checks on every keystroke); errors still go to stderr."""

    def log_error(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"kb serve: {format % args}\n")


class KbServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that holds the KnowledgeBase its handlers answer from."""

    daemon_threads = True
    # Connections waiting to be accepted (socketserver's default is 5): 20 clients that
    # connect at once overflowed it, and some waited a second for a SYN to be sent again
    # or were reset.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], base: api.KnowledgeBase) -> None:
        self.base = base
        super().__init__(address, _Handler)


def make_server(base: api.KnowledgeBase, host: str = "127.0.0.1", port: int = 8765) -> KbServer:
    """A server on ``host:port`` (port 0: a free one, see ``server.server_address``), its
    checker warmed; ``serve_forever()`` runs it. Raises OSError when the port is taken."""
    server = KbServer((host, port), base)
    try:
        base.check(_WARM_TEXT)  # loads the lexicon and spaCy now, not on a user's request
    except BaseException:
        server.server_close()
        raise
    return server
