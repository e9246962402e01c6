"""Files on disk as kb may read them: regular files only, opened so that nothing blocks.

A FIFO, a device or a socket among a user's sources must be skipped, not read: opening
a FIFO waits for a writer forever, and /dev/zero never ends. The kind is checked on the
open file (``fstat``), so a file swapped for a FIFO after it was listed is caught too.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["NotRegularFileError", "is_gone", "not_regular", "open_regular", "os_reason"]


class NotRegularFileError(OSError):
    """The path is a FIFO, a device, a socket or a directory; strerror says which."""


def os_reason(exc: OSError) -> str:
    """A short, actionable reason for an OSError.

    >>> os_reason(PermissionError(13, "Permission denied"))
    "permission denied; check the file's permissions"
    """
    if isinstance(exc, NotRegularFileError):
        return exc.strerror
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory; check the path"
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file; name the files or the directory itself"
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop; fix or remove the link"
    why = exc.strerror.lower() if exc.strerror else type(exc).__name__
    return f"cannot read the file ({why}); check the file"


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _not_regular_reason(kind: str) -> str:
    return f"{kind}, not a regular file; kb reads only regular files"


def not_regular(path: Path) -> str | None:
    """Why ``path`` (followed through symbolic links) is not a file kb may read, or None
    when it is a regular file.

    >>> not_regular(Path("/dev/null"))
    'a character device, not a regular file; kb reads only regular files'
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return "a broken symbolic link; fix or remove the link"
        return "no such file or directory; check the path"
    except OSError as exc:
        return os_reason(exc)
    kind = _kind_of(mode)
    return _not_regular_reason(kind) if kind else None


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading in binary if it is a regular file; raise OSError (with
    the reason as its strerror) otherwise. Opening never blocks, even on a FIFO."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        kind = _kind_of(os.fstat(fd).st_mode)
        if kind:
            raise NotRegularFileError(errno.EINVAL, _not_regular_reason(kind))
        # O_NONBLOCK means nothing for a regular file; clear it all the same.
        os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def is_gone(path: Path) -> bool:
    """True only when ``path`` surely does not exist: a path kb cannot look at (a folder
    without permission) is not gone, so its source is kept."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False
