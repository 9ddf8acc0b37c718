"""Shared fixtures: build content files in a temporary repository (texts in tests/fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fixtures.content import SKILL_BODY, SKILL_FRONTMATTER, agent_text, write_file


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path (str is written as UTF-8 with LF, bytes verbatim)."""

    def _write(rel: str, text: str | bytes) -> Path:
        return write_file(tmp_path, rel, text)

    return _write


@pytest.fixture
def skill(write: Callable[[str, str | bytes], Path]) -> Callable[..., Path]:
    """A valid skill; pass frontmatter= or body= to change one part."""

    def _skill(name: str = "widgets", *, frontmatter: str | None = None,
               body: str = SKILL_BODY) -> Path:
        fm = frontmatter if frontmatter is not None else SKILL_FRONTMATTER.format(name=name)
        return write(f"skills/{name}/SKILL.md", fm + body)

    return _skill


@pytest.fixture
def agent(write: Callable[[str, str | bytes], Path]) -> Callable[..., Path]:
    def _agent(name: str = "widget-reviewer", *, text: str | None = None) -> Path:
        body = text if text is not None else agent_text(name)
        return write(f"agents/{name}.md", body)

    return _agent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(*tools): skip without the tools (fail under CI)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    from tests.toolchains import check_markers

    check_markers(item)
