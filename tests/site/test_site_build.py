"""The real repository, exported and built with `mkdocs build --strict` in a scratch copy:
zero warnings, a page for every skill, agent and hook, edit links to the source files, and
nothing on any page that would make a browser reach outside the site."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playbook.content import load_catalogue

if TYPE_CHECKING:  # the fixture's type; the conftest module name is shared by test folders
    from tests.site.conftest import BuiltSite

pytestmark = pytest.mark.slow


def test_the_site_builds_with_zero_warnings(built_site: BuiltSite):
    assert built_site.returncode == 0, built_site.output
    assert "WARNING" not in built_site.output, built_site.output
    assert (built_site.site / "index.html").is_file()


def test_every_skill_agent_and_hook_has_its_page(built_site: BuiltSite):
    catalogue = load_catalogue(built_site.source)
    site = built_site.site
    for doc in catalogue.skills:
        assert (site / "skills" / doc.name / "index.html").is_file(), doc.name
        assert (site / "skills" / doc.name / f"{doc.name}.zip").is_file(), doc.name
    for doc in catalogue.references:
        page = site / "skills" / doc.path.parent.parent.name / "references" / doc.path.stem
        assert page.with_suffix(".html").is_file(), doc.rel
    for doc in catalogue.agents:
        assert (site / "agents" / doc.name / "index.html").is_file(), doc.name
    for hook in catalogue.hooks:
        assert (site / "hooks" / hook.name / "index.html").is_file(), hook.name
    for page in ("skills", "agents", "hooks"):
        assert (site / page / "index.html").is_file()
    for page in ("catalog/tags.html", "catalog/rules.html", "guide/getting-started.html",
                 "guide/tdd.html", "guide/models.html", "guide/hooks.html",
                 "guide/contributing.html"):
        assert (site / page).is_file(), page
    assert not (site / "generated").exists()  # fragments are included, not published


def test_edit_links_point_at_the_source_files(built_site: BuiltSite):
    site = built_site.site
    repo = "https://github.com/playbook-dev/playbook"
    cases = {
        "skills/python/index.html": f"{repo}/edit/main/skills/python/SKILL.md",
        "agents/tdd-guardian/index.html": f"{repo}/edit/main/agents/tdd-guardian.md",
        "hooks/secret_guard/index.html": f"{repo}/edit/main/hooks/secret_guard.py",
        "catalog/rules.html": f"{repo}/edit/main/scripts/playbook/rules.py",
        "guide/contributing.html": f"{repo}/edit/main/CONTRIBUTING.md",
        "guide/tdd.html": f"{repo}/edit/main/docs/guide/tdd.md",
    }
    for page, url in cases.items():
        html = (site / page).read_text(encoding="utf-8")
        assert f'href="{url}"' in html, page
        assert 'rel="edit"' in html
    skills = (site / "skills/index.html").read_text(encoding="utf-8")
    assert 'rel="edit"' not in skills  # a catalogue has no single source file


def test_the_skill_page_renders_card_code_and_dont_blocks(built_site: BuiltSite):
    html = (built_site.site / "skills/go/index.html").read_text(encoding="utf-8")
    assert 'class="pb-card"' in html
    assert 'class="admonition danger pb-dont"' in html
    assert '<div class="highlight">' in html or 'class="language-go highlight"' in html
    assert "test=&quot;" not in html and "```" not in html


def test_search_index_holds_every_skill(built_site: BuiltSite):
    index = json.loads((built_site.site / "search/search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    for doc in load_catalogue(built_site.source).skills:
        assert f"skills/{doc.name}/index.html" in locations
    assert (built_site.site / "search/search_index.js").is_file()  # offline search


# Tags that make the browser fetch something; a link in the text (<a href>) fetches nothing.
EXTERNAL = re.compile(r'<(?:script|link|img|iframe|source|video|audio|object|embed)\b[^>]*'
                      r'\b(?:src|href|data)="(?:https?:)?//', re.IGNORECASE)


def test_no_page_loads_anything_from_outside_the_site(built_site: BuiltSite):
    for page in built_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in EXTERNAL.finditer(html):
            tag = html[match.start(): html.index(">", match.start()) + 1]
            assert 'rel="canonical"' in tag, f"{page}: {tag}"


def test_the_loop_diagram_is_an_accessible_svg(built_site: BuiltSite):
    svg = (built_site.site / "assets/loop.svg").read_text(encoding="utf-8")
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert "assets/loop.svg" in home


def test_hand_written_pages_have_no_checker_settings_left(built_site: BuiltSite):
    for page in ("index.html", "guide/getting-started.html", "guide/tdd.html"):
        html = (built_site.site / page).read_text(encoding="utf-8")
        assert "test=&quot;skip" not in html, page


def test_the_home_page_fits_one_screen_of_markdown():
    text = (Path(__file__).resolve().parents[2] / "docs/index.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 80
