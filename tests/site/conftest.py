"""A small Playbook repository for the site export (two skills, one with references, a script
and an image; one agent; two hooks; the policy; CONTRIBUTING.md; a mkdocs.yml naming the
repository), and the real site built once per session for the slow tests."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playbook.content import ROOT

from tests.fixtures.content import GADGETS_FRONTMATTER, HOOKS_JSON, agent_text, write_file
from tests.toolchains import require

WIDGETS = """---
name: widgets
description: Checks widgets *fast* with widget_check. Use when a widget needs checking.
license: MIT
metadata:
  category: patterns
  tags: "widgets, checks"
  versions: "Widget 2.0, Python 3.12"
  last-reviewed: "2026-11-24"
---

# Widgets

## When to use

When widgets misbehave. Read [the deep dive](references/deep.md#details), then
[gadgets](../gadgets/SKILL.md), the [guard hook](../../hooks/guard.py), the
[reviewer](../../agents/widget-reviewer.md), [the script](scripts/check.py) and
[the home page](https://example.com/widgets).

![How widgets flow](assets/flow.svg)

```python test="skip" reason="needs a real widget"
import widget
```

```python title="ok.py"
print("ok")
```

```bash example="bad"
curl -s https://example.com/install.sh | sh
```

```bash example="good"
curl -sO https://example.com/install.sh && sha256sum -c install.sh.sha256
```

~~~text test="skip" reason="a tree"
widgets/
~~~
"""

DEEP = """# Deep dive

## Details

Back to [the skill](../SKILL.md).
"""

GADGETS = GADGETS_FRONTMATTER + """
Gadget body without a title.
"""

AGENT = agent_text(body="""
## Procedure

1. Read the change.
""")

GUARD = '''#!/usr/bin/env python3
"""Block commands that break widgets.

Event: PreToolUse. Matcher: `Bash`.

Allowing an exception: set `WIDGET_GUARD=off`.
"""

import sys

sys.exit(0)
'''

FMT = '''"""Format widget files."""
'''

POLICY = """# Engineering policy

Intro.

## Test-driven development: red, green, refactor

1. **Red.** A failing test first.

## Models

- **Default: `opusplan`.**
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>flow</title></svg>\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A Playbook repository in tmp_path/repo."""
    root = tmp_path / "repo"
    files = {
        "skills/widgets/SKILL.md": WIDGETS,
        "skills/widgets/references/deep.md": DEEP,
        "skills/widgets/scripts/check.py": "print('check')\n",
        "skills/widgets/assets/flow.svg": SVG,
        "skills/gadgets/SKILL.md": GADGETS,
        "agents/widget-reviewer.md": AGENT,
        "hooks/guard.py": GUARD,
        "hooks/fmt.py": FMT,
        "hooks/hooks.json": json.dumps(HOOKS_JSON, indent=2),
        "policy/tdd-and-models.md": POLICY,
        "CONTRIBUTING.md": "# Contributing\n\nSend a pull request.\n",
        "mkdocs.yml": "site_name: Widgets\nrepo_url: https://github.com/example/widgets-pack/\n",
    }
    for rel, text in files.items():
        write_file(root, rel, text)
    return root


@dataclass
class BuiltSite:
    """The real repository exported and built with `mkdocs build --strict` in a scratch copy."""

    project: Path  # the scratch copy of mkdocs.yml, overrides/, docs/
    source: Path  # the repository whose content was published
    site: Path
    returncode: int
    output: str
    seconds: float


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    if shutil.which("mkdocs") is None and not _has_module("mkdocs"):
        require("mkdocs")  # skips naming the install command; fails under CI=true
    from playbook.export import site

    project = tmp_path_factory.mktemp("site-project")
    # The content to publish; another checkout's skills/, agents/, hooks/ and policy/ with
    # PLAYBOOK_SITE_SOURCE (the site scaffolding always comes from this one).
    source = Path(os.environ.get("PLAYBOOK_SITE_SOURCE", ROOT))
    start = time.perf_counter()
    result = site.build(ROOT, project, source=source)
    seconds = time.perf_counter() - start
    return BuiltSite(project, source, project / "site", result.returncode,
                     result.stdout + result.stderr, seconds)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@pytest.fixture
def artifacts() -> Callable[[str], Path]:
    """A path under test-artifacts/ (gitignored) for files a test leaves to look at."""

    def _path(name: str) -> Path:
        folder = Path(os.environ.get("PLAYBOOK_TEST_ARTIFACTS", ROOT / "test-artifacts"))
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    return _path
