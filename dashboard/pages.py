"""The dashboard's pages: the one list that the app's navigation, the tests, the
benchmark and the README's Dashboard section (held in step by tests/test_docs.py) follow.

Adding a page: its script in dashboard/app_pages/, a Page here, and its bullet in the
README's Dashboard section. No Streamlit import: tests read this list without the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

__all__ = ["PAGES", "Page", "page"]


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the app: its title (also the heading the page draws), its script
    (relative to dashboard/), its icon and the navigation section it is listed under.
    ``default`` is the page the app opens on."""

    title: str
    file: str
    icon: str
    section: str
    default: bool = False

    @property
    def name(self) -> str:
        """The page's name in URLs (/claims) and links: its script's stem.

        >>> page("reader").name
        'reader'
        """
        return PurePosixPath(self.file).stem


PAGES: tuple[Page, ...] = (
    Page("Overview", "app_pages/overview.py", ":material/dashboard:", "Explore", default=True),
    Page("Claims", "app_pages/claims.py", ":material/fact_check:", "Explore"),
    Page("Search", "app_pages/search.py", ":material/search:", "Explore"),
    Page("Agreement matrix", "app_pages/matrix.py", ":material/grid_on:", "Explore"),
    Page("Conflicts", "app_pages/conflicts.py", ":material/compare_arrows:", "Explore"),
    Page("Graph", "app_pages/graph.py", ":material/hub:", "Explore"),
    Page("Sources", "app_pages/sources.py", ":material/library_books:", "Sources"),
    Page("Source reader", "app_pages/reader.py", ":material/article:", "Sources"),
    Page("Check a statement", "app_pages/check.py", ":material/rule:", "Tools"),
    Page("Curation", "app_pages/curation.py", ":material/edit_note:", "Tools"),
    Page("Downloads", "app_pages/downloads.py", ":material/download:", "Tools"),
)


def page(name: str) -> Page:
    """The page called ``name`` (see Page.name); KeyError if there is none."""
    for found in PAGES:
        if found.name == name:
            return found
    raise KeyError(name)
