"""PDF files: the text layer, read with pypdf.

kb does not do OCR: a PDF without a text layer (a scan) is reported with what
to do, not read as an empty document.
"""

from __future__ import annotations

import io
import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from kb.errors import IngestError
from kb.ingest.text import (
    EMPTY_REASON,
    Parsed,
    first_line_title,
    normalize_newlines,
    shorten_title,
)

__all__ = ["read_pdf"]

NO_TEXT_REASON = "PDF has no text layer (scanned?); run OCR first"
_FIX = "re-export or re-save the PDF, or convert it to .txt"

_PYPDF_LOG = logging.getLogger("pypdf")
# The logger level is process-wide state; one PDF at a time may change it.
_QUIET_LOCK = threading.Lock()


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's log messages and warnings (they would go to stderr), then restore."""
    with _QUIET_LOCK:
        level = _PYPDF_LOG.level
        _PYPDF_LOG.setLevel(logging.CRITICAL + 1)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
        finally:
            _PYPDF_LOG.setLevel(level)


def _cannot(path: str, why: str) -> IngestError:
    return IngestError(path, f"cannot read PDF: {why}; {_FIX}")


def _short(exc: BaseException) -> str:
    """The first line of an exception message, bounded: pypdf messages can be long."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 120 else text[:119] + "…"


def _open(data: bytes, path: str) -> PdfReader:
    """Parse the PDF structure; decrypt it if it opens without a password."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise IngestError(
                path, "cannot read PDF: it is password-protected; remove the password first"
            )
        return reader
    except DependencyError as exc:
        raise IngestError(
            path,
            "cannot read PDF: its encryption needs the 'cryptography' package; "
            "install it or remove the encryption",
        ) from exc
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise _cannot(path, _short(exc)) from exc


def _page_texts(reader: PdfReader, path: str, warns: list[str]) -> list[str]:
    """The text of each page; a page that fails is reported and skipped, not fatal."""
    try:
        pages = list(reader.pages)
    except Exception as exc:  # damaged page tree
        raise _cannot(path, _short(exc)) from exc
    texts = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # one bad content stream must not lose the rest
            warns.append(f"page {number}: text could not be extracted ({_short(exc)})")
            texts.append("")
    return texts


def _info_text(value: Any) -> str:
    """A PDF info-dict value as clean text ('' for missing or non-text values)."""
    if value is None:
        return ""
    try:
        value = value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # a dangling reference is just no value
        return ""
    if isinstance(value, bytes):  # a ByteStringObject: undeclared 8-bit text
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _pdf_date(raw: str) -> str:
    """An ISO date from a PDF date string like ``D:20230415093000+02'00'``.

    >>> _pdf_date("D:20230415093000+02'00'"), _pdf_date("D:2023"), _pdf_date("junk")
    ('2023-04-15T09:30:00+02:00', '2023', 'junk')
    """
    text = raw.strip()
    if text.startswith("D:"):
        text = text[2:]
    digits = text[:14]
    if not digits.isdigit():
        return raw.strip()
    formats = {4: "%Y", 6: "%Y%m", 8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    fmt = formats.get(len(digits))
    if fmt is None:
        return raw.strip()
    try:
        parsed = datetime.strptime(digits, fmt)
    except ValueError:
        return raw.strip()
    if len(digits) <= 6:
        return digits[:4] if len(digits) == 4 else f"{digits[:4]}-{digits[4:6]}"
    if len(digits) == 8:
        return parsed.date().isoformat()
    iso = parsed.isoformat()
    zone = text[14:].replace("'", "")
    if zone[:1] in "+-" and len(zone) >= 5 and zone[1:5].isdigit():
        iso += f"{zone[0]}{zone[1:3]}:{zone[3:5]}"
    elif zone[:1] == "Z":
        iso += "+00:00"
    return iso


def _info(reader: PdfReader) -> dict[str, str]:
    """Title, author and date from the PDF's document info dictionary, when present."""
    try:
        meta = reader.metadata
    except Exception:  # a broken info dict is not worth losing the text
        return {}
    if not meta:
        return {}
    values = {}
    for key, name in (("title", "/Title"), ("author", "/Author"), ("date", "/CreationDate")):
        try:
            values[key] = _info_text(meta.get(name))
        except Exception:  # an unreadable entry is just a missing one
            values[key] = ""
    if values["date"]:
        values["date"] = _pdf_date(values["date"])
    return values


def read_pdf(data: bytes, path: str) -> Parsed:
    """Read a PDF's text layer: pages joined by a blank line, newlines normalised."""
    if not data.strip():
        raise IngestError(path, EMPTY_REASON)
    warns: list[str] = []
    with _quiet_pypdf():
        reader = _open(data, path)
        texts = _page_texts(reader, path, warns)
        info = _info(reader)
    # Blank pages would only add runs of empty lines.
    text = normalize_newlines("\n\n".join(t for t in texts if t.strip()))
    if not text.strip():
        if not texts:
            raise _cannot(path, "it has no pages")
        raise IngestError(path, NO_TEXT_REASON)
    return Parsed(
        text=text,
        encoding="",
        title=shorten_title(info.get("title", "")) or first_line_title(text),
        author=info.get("author", ""),
        date=info.get("date", ""),
        warnings=warns,
    )
