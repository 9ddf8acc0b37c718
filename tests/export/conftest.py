"""A small Playbook repository in tmp_path (two skills, one agent, two hooks, the policy), and
helpers to run the exporter on it and to snapshot a directory tree."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playbook.export.__main__ import main

from tests.fixtures.content import (
    GADGETS_FRONTMATTER,
    HOOKS_JSON,
    SKILL_BODY,
    SKILL_FRONTMATTER,
    agent_text,
    write_file,
)

WIDGETS = (SKILL_FRONTMATTER.format(name="widgets") + SKILL_BODY
           + "\nSee [the deep dive](references/deep.md).\n")

GADGETS = GADGETS_FRONTMATTER + """
# Gadgets

Body.
"""

AGENT = agent_text()

HOOK = '''#!/usr/bin/env python3
"""{title}"""

import sys

sys.exit(0)
'''

POLICY = """# Engineering policy

- Red, green, refactor.
- Default model: `opusplan`.
"""

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(32))


def build_source(root: Path) -> Path:
    """Write the fixture repository under ``root`` and return it."""
    write_file(root, "skills/widgets/SKILL.md", WIDGETS)
    write_file(root, "skills/widgets/references/deep.md", "# Deep\n\nMore about widgets.\n")
    write_file(root, "skills/widgets/scripts/check.sh", "#!/bin/sh\necho ok\n", 0o755)
    write_file(root, "skills/widgets/assets/logo.png", PNG)
    write_file(root, "skills/widgets/__pycache__/x.cpython-311.pyc", b"\0junk")
    write_file(root, "skills/gadgets/SKILL.md", GADGETS)
    write_file(root, "agents/widget-reviewer.md", AGENT)
    write_file(root, "hooks/guard.py", HOOK.format(title="Block bad commands."))
    write_file(root, "hooks/fmt.py", HOOK.format(title="Format written files."))
    write_file(root, "hooks/hooks.json", json.dumps(HOOKS_JSON, indent=2) + "\n")
    write_file(root, "policy/tdd-and-models.md", POLICY)
    write_file(root, "LICENSE", "MIT License\n\nCopyright (c) 2026 Fixture\n")
    return root


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return build_source(tmp_path / "src")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    return path


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(source: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("claude", "--target", dir, ...)`` -> (exit code, stdout, stderr)."""

    def _run(*args: str | Path) -> tuple[int, str, str]:
        argv = [str(a) for a in args]
        if argv and argv[0] in ("claude", "agents", "plugin", "gemini-extension", "cursor-plugin",
                                 "zip", "root", "site") \
                and "--source" not in argv:
            argv += ["--source", str(source)]
        capsys.readouterr()
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and modification time (ns)."""
    found = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            found[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def contents(root: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _mtime) in snapshot(root).items()}
