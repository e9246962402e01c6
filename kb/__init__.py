"""kb — an evidence and claims knowledge base.

Example::

    import kb
    base = kb.open("data/kb.sqlite")
    base.sources()
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kb")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"


def open(path=None):
    """Open the knowledge base at ``path`` (default $KB_PATH or data/kb.sqlite)."""
    from kb.api import open_kb

    return open_kb(path)


__all__ = ["__version__", "open"]
