"""kb — an evidence and claims knowledge base.

Example::

    import kb
    base = kb.open("data/kb.sqlite")
    base.sources()
"""

from importlib.metadata import PackageNotFoundError, version

# The name to pip install (pyproject's [project] name); the import package and the command
# are `kb`, but "kb" on PyPI is an unrelated project, so every install hint uses this.
DISTRIBUTION = "kb-claims"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"


def open(path=None):
    """Open the knowledge base at ``path`` (default $KB_PATH or data/kb.sqlite)."""
    from kb.api import open_kb

    return open_kb(path)


__all__ = ["DISTRIBUTION", "__version__", "open"]
