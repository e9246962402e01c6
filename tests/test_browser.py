"""The dashboard in a real browser: Playwright driving Debian's Chromium.

Never `playwright install`: the browser is /usr/bin/chromium from Debian (.ci/run
installs it). Locally the tests skip, saying why, when it is absent; in CI they fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.pages import PAGES
from tests.support import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
# Without the background-networking flags Chromium keeps dialling out on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests: install Debian's chromium", pytrace=False)
    pytest.skip(
        "Debian's Chromium is not at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.communicate()[1][-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer at {url}")


@pytest.fixture(scope="module")
def dashboard_url(seed_kb):
    with _serving(seed_kb) as url:
        yield url


@contextlib.contextmanager
def _serving(kb_path):
    """`kb dashboard` on ``kb_path``, as `make run` runs it; yields its URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "KB_PATH"}
    # The command `make run` runs: `kb dashboard` becomes the Streamlit server.
    process = subprocess.Popen(
        [sys.executable, "-m", "kb", "--kb", str(kb_path), "dashboard", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        process.communicate()


@pytest.fixture(scope="module")
def page(dashboard_url):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        context.close()
        browser.close()


def _expect_table_cell(page, text: str) -> None:
    """Wait until a data grid holds a cell ``text``. The grid paints on a canvas but keeps
    an off-screen accessible table of its cells, which is what a screen reader (and this)
    reads; off-screen, so it is located, not checked for visibility."""
    from playwright.sync_api import expect

    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    cell = grid.locator("td[role=gridcell]").filter(has_text=text)
    expect(cell).to_have_count(1)


def _open(page, url: str, heading: str) -> None:
    """Go to ``url`` and wait until the page's title is drawn and no error is shown."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_sources_page_shows_the_seed_corpus(page, dashboard_url):
    from playwright.sync_api import expect

    _open(page, f"{dashboard_url}/sources", "Sources")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("5")
    expect(page.get_by_text("5 of 5 sources shown")).to_be_visible()
    _expect_table_cell(page, "Managing Chronic Back Pain With Acupuncture")
    page.screenshot(path=str(ARTIFACTS / "sources.png"), full_page=True)


def test_filtering_sources_in_the_browser(page, dashboard_url):
    from playwright.sync_api import expect

    _open(page, f"{dashboard_url}/sources", "Sources")
    box = page.get_by_label("Filter by id, title, author or site")
    box.fill("definitive")
    box.press("Enter")
    expect(page.get_by_text("1 of 5 sources shown")).to_be_visible()
    _expect_table_cell(page, "How Acupuncture Helps Back Pain? A Definitive Guide")
    page.screenshot(path=str(ARTIFACTS / "sources-filtered.png"), full_page=True)


# By page name (dashboard/pages.py lists the pages): a test id that shows the page has drawn
# its main content, and the query it needs. A page not named here is checked by its title.
CONTENT = {
    "overview": "stVegaLiteChart", "claims": "stDataFrame", "matrix": "stVegaLiteChart",
    "conflicts": "stPageLink", "graph": "stVegaLiteChart", "sources": "stDataFrame",
    "reader": "stHtml", "check": "stTextArea", "downloads": "stDownloadButton",
}  # fmt: skip
QUERY = {"reader": "?source=002_3d8a8a3cfc7bd624"}


@pytest.mark.parametrize("entry", PAGES, ids=lambda p: p.title)
def test_every_page_draws(page, dashboard_url, entry):
    from playwright.sync_api import expect

    path = "" if entry.default else entry.name + QUERY.get(entry.name, "")
    content = CONTENT.get(entry.name, "stMain")
    _open(page, f"{dashboard_url}/{path}", entry.title)
    expect(page.get_by_test_id(content).first).to_be_visible()
    if content == "stVegaLiteChart":
        expect(page.get_by_test_id(content).first.locator("canvas, svg").first).to_be_visible()
    name = entry.title.lower().replace(" ", "-")
    page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)


def test_a_claims_quotes_link_to_the_source_reader(page, dashboard_url, seed_kb):
    from playwright.sync_api import expect

    from kb import api

    claim_id = api.open_kb(seed_kb).conflict_records("numeric")[0]["claim_ids"][0]
    _open(page, f"{dashboard_url}/claims?claim={claim_id}", "Claims")
    quote = page.get_by_test_id("stHtml").locator("mark").first
    expect(quote).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "claim-quotes.png"), full_page=True)
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stPageLink-NavLink").filter(has_text="Acupuncture").first.click()
    expect(page.get_by_role("heading", name="Source reader", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/reader\?source=\w+"))
    expect(page.get_by_test_id("stHtml").locator("mark").first).to_be_visible()


def test_checking_a_statement(page, dashboard_url):
    from playwright.sync_api import expect

    from kb import api

    if not hasattr(api.KnowledgeBase, "check"):
        pytest.skip("kb.api KnowledgeBase.check is not in this tree yet")
    _open(page, f"{dashboard_url}/check", "Check a statement")
    page.get_by_label("Text to check").fill(
        "Acupuncture cures back pain for everyone. Acupuncture releases endorphins."
    )
    page.get_by_role("button", name="Check").click()
    # With the extra `semantic` installed, the first check loads the model and embeds the
    # KB's sentences: seconds, more than expect's default 5 s.
    expect(page.get_by_text("Overclaim:").first).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stExpander").first).to_be_visible()
    expect(page.get_by_test_id("stCode").last).to_contain_text("Acupuncture")
    page.screenshot(path=str(ARTIFACTS / "check.png"), full_page=True)


def test_clicking_a_graph_node_shows_its_details(page, dashboard_url):
    from playwright.sync_api import expect

    _open(page, f"{dashboard_url}/graph", "Graph")
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("canvas, svg").first).to_be_visible()
    box = chart.bounding_box()
    # The selection picks the node nearest the click, so any point in the plot works.
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
    expect(page.get_by_test_id("stMain").get_by_role("heading", level=3)).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "graph-node.png"), full_page=True)


def test_downloading_a_dataset(page, dashboard_url):
    from playwright.sync_api import expect

    _open(page, f"{dashboard_url}/downloads", "Downloads")
    button = page.get_by_role("button", name="Download claims (csv)")
    expect(button).to_be_visible()
    with page.expect_download() as download:
        button.click()
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert body.startswith("id,claim_type,label,")
    assert download.value.suggested_filename == "kb-claims.csv"


def test_downloading_the_filtered_claims(page, dashboard_url):
    _open(page, f"{dashboard_url}/claims", "Claims")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download these claims (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("label,claim_type,affirming_n,")
    assert lines[0].endswith(",affirming,negating,hedging,opposing")
    assert len(lines) > 1


def test_curating_a_conflict_and_a_quote_in_the_browser(page, tmp_path):
    from playwright.sync_api import expect

    from tests.support import DENIAL, RELIEF, dispute_kb

    base = dispute_kb(tmp_path)
    numeric = next(c for c in base.conflict_list() if c.kind == "numeric")
    with _serving(base.path) as url:
        _open(page, f"{url}/conflicts", "Conflicts")
        page.get_by_role("button", name="Curate").first.click()
        page.get_by_role("button", name="Not real: dismiss").click()
        expect(page.get_by_text(f"Dismissed {numeric.id}.")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "curation-conflict.png"), full_page=True)

        _open(page, f"{url}/claims?claim={RELIEF}", "Claims")
        expect(page.get_by_text(DENIAL).first).to_be_visible()
        # The quotes are in source order: a's affirmation first, then b's denial.
        page.get_by_role("button", name="Curate", exact=True).nth(1).click()
        page.get_by_role("button", name="Reject: wrong reading").click()
        expect(page.get_by_text("Rejected st_")).to_be_visible()
        expect(page.get_by_test_id("stHtml").filter(has_text=DENIAL)).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "curation-quote.png"), full_page=True)
    assert [(d.action, d.status) for d in base.curation.decisions()] == [
        ("dismiss", "active"), ("reject", "active"),
    ]  # fmt: skip
    assert DENIAL not in [s.quote for s in base.statement_list()]
