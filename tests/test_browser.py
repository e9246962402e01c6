"""The dashboard in a real browser: Playwright driving Debian's Chromium.

Never `playwright install`: the browser is /usr/bin/chromium from Debian (.ci/run
installs it). Locally the tests skip, saying why, when it is absent; in CI they fail.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


_STREAMLIT = [
    sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
    "--server.address", "127.0.0.1", "--server.headless", "true",
    "--browser.gatherUsageStats", "false",
]  # fmt: skip


_STREAMLIT = [
    sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
    "--server.address", "127.0.0.1", "--server.headless", "true",
    "--browser.gatherUsageStats", "false",
]  # fmt: skip


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
    port = _free_port()
    env = {**os.environ, "KB_PATH": str(seed_kb)}
    process = subprocess.Popen(
        [*_STREAMLIT, "--server.port", str(port)],
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
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
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


def test_sources_page_shows_the_seed_corpus(page, dashboard_url):
    from playwright.sync_api import expect

    page.goto(dashboard_url)
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("5")
    expect(page.get_by_text("5 of 5 sources shown")).to_be_visible()
    _expect_table_cell(page, "Managing Chronic Back Pain With Acupuncture")
    page.screenshot(path=str(ARTIFACTS / "sources.png"), full_page=True)


def test_filtering_sources_in_the_browser(page, dashboard_url):
    from playwright.sync_api import expect

    page.goto(dashboard_url)
    box = page.get_by_label("Filter by id, title, author or site")
    box.fill("definitive")
    box.press("Enter")
    expect(page.get_by_text("1 of 5 sources shown")).to_be_visible()
    _expect_table_cell(page, "How Acupuncture Helps Back Pain? A Definitive Guide")
    page.screenshot(path=str(ARTIFACTS / "sources-filtered.png"), full_page=True)
