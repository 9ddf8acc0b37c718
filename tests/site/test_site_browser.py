"""The built site in a real browser: Playwright for Python driving Debian's Chromium (no browser
download) against the site served on 127.0.0.1. The home page renders, searching a word that
only one skill uses lists that skill, its page opens with the header card, the console stays
clean and no request leaves the site. Screenshots go to test-artifacts/."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest
from playbook.content import load_catalogue

from tests.toolchains import require

if TYPE_CHECKING:  # the fixture's type; the conftest module name is shared by test folders
    from tests.site.conftest import BuiltSite

pytestmark = pytest.mark.slow

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# A word that only one skill (its SKILL.md and its references) uses anywhere in the content.
WORD, SKILL = "alembic", "database-patterns"


def _browser_or_skip() -> str:
    """The Chromium to drive (PLAYWRIGHT_CHROMIUM, else Debian's): skips naming how to install
    it, fails under CI=true (tests/toolchains.py)."""
    chromium = require("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright; it is in the `test` "
                    "dependency group); no browser download is needed")
    return chromium


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(built_site: BuiltSite) -> Iterator[str]:
    assert built_site.returncode == 0, built_site.output
    handler = functools.partial(_Quiet, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """A page with every console error and every request outside the site recorded."""

    def __init__(self, browser: object, base: str) -> None:
        self.base = base
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.route("**/*", self._route)

    def _console(self, message: object) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _route(self, route: object) -> None:
        url = route.request.url
        if urlparse(url).netloc == urlparse(self.base).netloc or url.startswith(("data:",
                                                                                  "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: object, served: str) -> Iterator[Callable[[], Visit]]:
    opened: list[Visit] = []

    def _open() -> Visit:
        opened.append(Visit(browser, served))
        return opened[-1]

    yield _open
    for item in opened:
        item.close()


def test_the_word_is_used_by_one_skill_only():
    catalogue = load_catalogue()
    users = set()
    for doc in catalogue.documents:
        if WORD in doc.text.lower():
            users.add(doc.rel)
    for hook in catalogue.hooks:
        if WORD in hook.doc.lower():
            users.add(hook.rel)
    assert users and all(rel.startswith(f"skills/{SKILL}/") for rel in users), (
        f"'{WORD}' is no longer unique to skills/{SKILL}: {sorted(users)}; pick another word")


def test_home_renders_search_finds_the_skill_and_its_page_opens(
        visit: Callable[[], Visit], artifacts: Callable[[str], Path]):
    from playwright.sync_api import expect

    tab = visit()
    page = tab.page
    page.goto(tab.base, wait_until="networkidle")
    expect(page).to_have_title(re.compile("Playbook"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Playbook")
    expect(page.locator("img[src$='loop.svg']")).to_be_visible()
    page.screenshot(path=str(artifacts("site-home.png")), full_page=False)

    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially(WORD, delay=30)  # Material searches on key events, not on fill()
    result = page.locator(f"a.md-search-result__link[href*='skills/{SKILL}/index.html']").first
    expect(result).to_be_visible(timeout=15_000)
    page.screenshot(path=str(artifacts("site-search.png")), full_page=False)
    result.click()

    expect(page).to_have_url(re.compile(rf"skills/{SKILL}/index\.html"))
    card = page.locator(".pb-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text(SKILL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Database patterns")
    expect(page.get_by_role("heading", name="Install")).to_be_visible()
    page.screenshot(path=str(artifacts("site-skill.png")), full_page=False)

    assert tab.errors == []
    assert tab.outside == []


def test_the_dark_palette_and_the_copy_button(visit: Callable[[], Visit],
                                              artifacts: Callable[[str], Path]):
    from playwright.sync_api import expect

    tab = visit()
    page = tab.page
    page.goto(tab.base + "skills/python/index.html", wait_until="networkidle")
    page.get_by_title("Switch to dark mode").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.locator("button[data-md-type='copy']").first).to_be_attached()
    page.screenshot(path=str(artifacts("site-skill-dark.png")), full_page=False)
    assert tab.errors == [] and tab.outside == []
