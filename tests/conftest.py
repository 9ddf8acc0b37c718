"""Shared fixtures: build content files in a temporary repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SKILL_FRONTMATTER = """---
name: {name}
description: Checks widgets. Use when a widget needs checking.
license: MIT
metadata:
  category: patterns
  tags: "widgets"
---
"""

SKILL_BODY = """
# Widgets

## When to use

When widgets misbehave.
"""

AGENT_TEXT = """---
name: {name}
description: Reviews widgets. Use proactively after widget changes.
tools: Read, Grep, Glob
model: sonnet
color: blue
---

You review widgets.
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path (str is written as UTF-8 with LF, bytes verbatim)."""

    def _write(rel: str, text: str | bytes) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
        return path

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
        body = text if text is not None else AGENT_TEXT.format(name=name)
        return write(f"agents/{name}.md", body)

    return _agent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(*tools): skip without the tools (fail under CI)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    from tests.toolchains import check_markers

    check_markers(item)
