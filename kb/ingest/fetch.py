"""Web pages named by their URL: fetched once per build, then read like a saved file.

``fetch_page`` asks the server with the standard library (urllib), within a timeout and a
size limit, and says in one line what went wrong when it cannot: no network, no such
host, an HTTP error, too large, a format kb does not read. The page's format comes from
the Content-Type the server sends (HTML, PDF, plain text, Markdown), else from the
address's suffix.
"""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from kb import __version__
from kb.errors import FetchError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "Page",
    "fetch_page",
    "is_url",
    "page_id",
]

DEFAULT_TIMEOUT = 20.0  # seconds: a slow server, not a dead one
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # larger than any article; a cap on a runaway download
USER_AGENT = f"kb/{__version__} (evidence knowledge base; +https://pypi.org/project/kb-claims/)"
_FORMATS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
}
_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".txt": "txt", ".md": "md"}
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page: the address given, where the server finally answered from (after
    redirects), the bytes, kb's format for them and when (ISO 8601, UTC)."""

    url: str
    final_url: str
    data: bytes
    format: str
    fetched: str


def is_url(given: object) -> bool:
    """True when a build argument is a web address rather than a path.

    >>> is_url("https://example.org/a"), is_url("http://x"), is_url("data/https.txt")
    (True, True, False)
    """
    return isinstance(given, str) and given.lower().startswith(("http://", "https://"))


def page_id(url: str) -> str:
    """A readable source id for a page: its host and the last part of its path.

    >>> page_id("https://www.nhs.uk/conditions/acupuncture/")
    'nhs.uk-acupuncture'
    >>> page_id("http://127.0.0.1:8000/a/b.html?x=1")
    '127.0.0.1-b'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "page").removeprefix("www.")
    stem = PurePosixPath(unquote(parts.path)).stem
    name = f"{host}-{stem}" if stem else host
    return "".join(c if c.isalnum() or c in ".-_" else "-" for c in name).strip("-") or "page"


def _format(content_type: str, url: str) -> str | None:
    """kb's format for a response: from its Content-Type, else its address's suffix; a
    page that names neither is taken as HTML (most servers say text/html)."""
    message = Message()
    message["content-type"] = content_type or ""
    kind = message.get_content_type() if content_type else ""
    if kind in _FORMATS:
        return _FORMATS[kind]
    if kind and kind not in ("application/octet-stream", "text/plain"):
        return None
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return _SUFFIXES.get(suffix, "html" if not kind else None)


def _why(exc: BaseException, timeout: float) -> str:
    """What went wrong with a request, and what to do, in words."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered HTTP {exc.code} {exc.reason}; check the address"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s; try again later or raise --timeout"
    if isinstance(reason, socket.gaierror):
        return (
            "cannot find the host (offline, or a misspelt address); check the connection "
            "and the address, or save the page and build from the file"
        )
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection; check the address and port"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection failed ({reason.reason or reason}); check the address"
    if isinstance(reason, OSError):
        why = reason.strerror or type(reason).__name__
        return f"cannot connect ({why.lower()}); check the connection and the address"
    return f"cannot fetch the page ({reason}); check the address"


def _read_capped(response: Any, limit: int) -> bytes | None:
    """The body, or None as soon as it passes ``limit`` bytes (never more is read)."""
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_page(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> Page:
    """Fetch ``url`` (http or https) within ``timeout`` seconds and ``max_bytes``.

    Raises FetchError(url, reason) with what went wrong and what to do.

    Example::

        page = fetch_page("https://www.nhs.uk/conditions/acupuncture/")
        page.format, page.fetched  # ('html', '2026-12-06T08:10:00Z')
    """
    if not is_url(url):
        raise FetchError(url, "not a web address; kb fetches http:// and https:// pages")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    too_large = f"larger than {max_bytes / 2**20:g} MB; save the page and build from the file"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(url, too_large)
            final_url = response.geturl() or url
            fmt = _format(response.headers.get("Content-Type", ""), final_url)
            if fmt is None:
                kind = response.headers.get_content_type()
                raise FetchError(
                    url,
                    f"the server sent {kind}, which kb does not read (HTML, PDF, plain "
                    "text, Markdown); check the address",
                )
            data = _read_capped(response, max_bytes)
    except FetchError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(url, _why(exc, timeout)) from exc
    if data is None:
        raise FetchError(url, too_large)
    fetched = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Page(url=url, final_url=final_url, data=data, format=fmt, fetched=fetched)
