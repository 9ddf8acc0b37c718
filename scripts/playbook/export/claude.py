"""``export claude``: skills, agents and hooks into a project's ``.claude/`` (or ``~/.claude``).

Project (``--target DIR``)::

    DIR/.claude/skills/<name>/SKILL.md (+ references/, scripts/, assets/)
    DIR/.claude/agents/<name>.md
    DIR/.claude/hooks/<name>.py
    DIR/.claude/settings.json      our hooks and "model": "opusplan", merged into the user's
    DIR/.claude/playbook.lock.json what was written, with hashes
    DIR/CLAUDE.md                  the policy as one marked section

User (``--user``): the same under ``~/.claude`` without the ``.claude/`` level, the memory file
being ``~/.claude/CLAUDE.md``. Hook commands then name ``${HOME}/.claude/hooks/...`` (exec-form
hooks, which no shell expands, the absolute path): settings in ``~/.claude`` apply in every
project, where ``$CLAUDE_PROJECT_DIR`` is the project's.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from playbook import rules
from playbook.export import claude_md, settings
from playbook.export.errors import ExportError
from playbook.export.items import Item, hook_groups, owned_files, policy_text
from playbook.export.plan import Part, Selected, Target

MANIFEST = "playbook.lock.json"


@dataclass(frozen=True)
class Layout:
    base: str  # the .claude directory, relative to the target ("" when the target is it)
    hooks_dir: str  # the hooks directory as a hook command names it
    memory: str  # CLAUDE.md, relative to the target


def project_layout() -> Layout:
    return Layout(".claude/", "${CLAUDE_PROJECT_DIR}/.claude/hooks", "CLAUDE.md")


def user_layout(target: Path) -> Layout:
    """``~/.claude`` itself, or another directory used as one (its absolute path in commands)."""
    home = Path.home() / ".claude"
    if target.resolve() == home.resolve():
        return Layout("", "${HOME}/.claude/hooks", "CLAUDE.md")
    hooks = (target.resolve() / "hooks").as_posix()
    if any(ch in hooks for ch in '"$`\\'):
        raise ExportError(target.as_posix(), "a user-level target whose path holds a quote, "
                          "$, ` or \\ cannot be named in a hook command", code=rules.HOOK_COMMAND)
    return Layout("", hooks, "CLAUDE.md")


def default_python() -> str:
    """The interpreter command this machine runs hooks with (python3; on Windows py or python,
    as python.org installs name it)."""
    if os.name == "nt":  # pragma: no cover - exercised on Windows runners
        return "py -3" if shutil.which("py") else "python"
    return "python3"


def build(target: Path, items: list[Item], layout: Layout, *, python: str,
          selected: Selected) -> tuple[Target, list[Part]]:
    base = layout.base
    parts: list[Part] = [*owned_files(items, base)]
    hooks = [item for item in items if item.kind == "hook"]
    policy = next((item for item in items if item.kind == "policy"), None)
    if hooks or policy:
        groups = hook_groups(hooks, layout.hooks_dir, python)
        parts.append(settings.SettingsPart(f"{base}settings.json", groups,
                                           settings.MODEL if policy else None, selected))
    if policy:
        parts.append(claude_md.SectionPart(layout.memory, policy_text(policy)))
    return Target(target, f"{base}{MANIFEST}", "claude"), parts
