"""A markdown file's YAML frontmatter as the exporters need it: split from the body, loaded,
or cut down to some top-level keys with every other byte kept.

The exporters read files the content model has already checked (:mod:`playbook.export.items`
refuses unreadable ones), so a file here always opens with ``---`` and a closed block.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from playbook.schema import SKILL_KEYS

KEY_LINE = re.compile(r"^([A-Za-z0-9_-]+)\s*:")


def split(text: str) -> tuple[list[str], str]:
    """The frontmatter lines (without the ``---`` fences) and the body after them."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return [], text
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return lines[1:index], "".join(lines[index + 1:])
    return [], text


def load(text: str) -> tuple[dict[str, Any], str]:
    """The frontmatter as a mapping and the body."""
    block, body = split(text)
    data = yaml.safe_load("".join(block)) if block else {}
    return (data if isinstance(data, dict) else {}), body


def keep(text: str, keys: set[str] | dict[str, Any]) -> str:
    """``text`` with only the top-level frontmatter ``keys`` (a key's indented or continued
    lines go with it); the kept lines and the body are left byte for byte."""
    block, body = split(text)
    if not block:
        return text
    kept: list[str] = []
    keeping = True
    for line in block:
        match = KEY_LINE.match(line)
        if match:
            keeping = match.group(1) in keys
        if keeping:
            kept.append(line)
    return "---\n" + "".join(kept) + "---\n" + body


def dump(data: dict[str, Any], body: str) -> str:
    """A markdown file from a mapping (in its order) and a body."""
    head = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return "---\n" + head + "---\n" + body


def portable_skill(data: bytes) -> bytes:
    """A SKILL.md with only the Agent Skills keys in its frontmatter: a Claude Code key
    (``disable-model-invocation``, ``when_to_use``, ...) means nothing to another client or to a
    claude.ai upload, and fails the spec's validators."""
    return keep(data.decode("utf-8"), SKILL_KEYS).encode("utf-8")
