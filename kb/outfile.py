"""Writing an export where a user points it, without harming what is there.

A regular file (or a new one) is written atomically: a temporary file beside it, renamed
into place when complete, with the old file's mode. A symbolic link is followed, and
the file it points to written. A terminal, a FIFO or a device such as /dev/stdout is
written through, never replaced: renaming a file over /dev/full would replace the
machine's device node. Anything else (a directory, a socket, a block device) is refused.
Bytes (a Parquet file) are written the same way, but never to standard output.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from kb.errors import ExportError, describe_os_error

__all__ = ["BINARY_TO_STDOUT", "write_output"]

BINARY_TO_STDOUT = (
    "Parquet is a binary file, not for standard output; write it with -o FILE.parquet"
)

# The process's own streams, which must be written through whatever they point at.
_OWN_STREAMS = re.compile(r"/dev/(std(out|err)|fd/\d+)|/proc/(self|\d+)/fd/\d+")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _refused(target: Path, mode: int) -> str | None:
    """Why ``target`` (of ``mode``) may not be written, or None."""
    if stat.S_ISDIR(mode):
        return f"{target} is a directory; give a file name with -o"
    if stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
        kind = "a block device" if stat.S_ISBLK(mode) else "a socket"
        return f"{target} is {kind}; write to a file, a FIFO or a terminal instead"
    return None


def _open(target: Path | int, data: str | bytes):
    """``target`` (a path or a file descriptor) opened for ``data``: text as UTF-8 with its
    newlines as they are, bytes as they are."""
    if isinstance(data, bytes):
        return open(target, "wb")
    return open(target, "w", encoding="utf-8", newline="")


def _write_through(data: str | bytes, target: Path) -> None:
    with _open(target, data) as handle:
        handle.write(data)


def _write_atomically(data: str | bytes, target: Path) -> None:
    """Write a temporary file beside ``target`` and rename it into place: a failed write
    never leaves half a file. The new file gets the old one's mode (or the umask's)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # mkstemp makes 0600; a new export is an ordinary file
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with _open(fd, data) as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(data: str | bytes, output: str | os.PathLike[str] | None) -> bool:
    """Write ``data`` to ``output`` (None or "-": standard output) as the module says.
    Returns True when a file was written (not a stream). Raises ExportError in one line.
    """
    if output is None or str(output) in ("-", "/dev/stdout"):
        if isinstance(data, bytes):
            raise ExportError(BINARY_TO_STDOUT)
        sys.stdout.write(data)
        return False
    target = Path(output)
    try:
        try:
            mode = os.stat(target).st_mode  # through links
        except FileNotFoundError:
            mode = None
        if mode is not None and (refusal := _refused(target, mode)):
            raise ExportError(refusal)
        if _OWN_STREAMS.fullmatch(str(target)) or (
            mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode))
        ):
            _write_through(data, target)
            return False
        real = Path(os.path.realpath(target))  # a link (even a dangling one): its target
        if not real.parent.is_dir():
            raise ExportError(
                f"folder {real.parent} does not exist; create it or choose another -o"
            )
        _write_atomically(data, real)
    except OSError as exc:
        why = describe_os_error(exc) or (exc.strerror or type(exc).__name__).lower()
        raise ExportError(f"cannot write {target}: {why}") from None
    return True
