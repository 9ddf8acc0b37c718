"""What an export can contain, read from the content model, and how ``--only`` picks from it.

An *item* is one skill (its folder: ``SKILL.md`` plus ``references/``, ``scripts/``, ``assets/``
and any other file beside it), one agent, one hook (its program and its registrations in
``hooks/hooks.json``) or the policy (``policy/tdd-and-models.md``). Its key (``skill:python``,
``agent:code-reviewer``, ``hook:secret_guard``, ``policy``) is what the manifest records, so
``--only`` and ``--remove`` agree on what belongs to what.

Text is exported normalised (UTF-8, LF, no BOM): a Windows checkout exports the same bytes.
Skills keep their frontmatter untouched, so they stay portable Agent Skills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook import rules
from playbook.content import Catalogue, Document, Hook
from playbook.export import files
from playbook.export.errors import ExportError, UsageError
from playbook.export.plan import OwnedFile

POLICY_FILE = "policy/tdd-and-models.md"
PLUGIN_HOOKS = re.compile(r"\$\{CLAUDE_PLUGIN_ROOT\}/hooks\b|\$CLAUDE_PLUGIN_ROOT/hooks\b")
PLUGIN_ROOT = re.compile(r"\$\{?CLAUDE_PLUGIN_ROOT\b")

# Where an item's files stand: in this repository, in a plugin and in a .claude folder alike.
FOLDERS = {"skill": "skills/{name}/", "agent": "agents/", "hook": "hooks/", "policy": "policy/"}

# Problems the content model records when a file cannot be read as a skill or agent at all.
# Clients drop such a file silently, so exporting it would ship something that does not load.
UNREADABLE = {rules.IO_ERROR, rules.NOT_UTF8, rules.EMPTY_FILE, rules.NO_FRONTMATTER,
              rules.FRONTMATTER_UNCLOSED, rules.YAML_SYNTAX, rules.DUPLICATE_KEY,
              rules.FRONTMATTER_NOT_MAPPING}


@dataclass(frozen=True)
class SourceFile:
    rel: str  # inside the item: "SKILL.md", "references/x.md"; "<name>.md"; "<name>.py"
    data: bytes
    executable: bool = False


@dataclass(frozen=True)
class Item:
    key: str
    kind: str  # "skill", "agent", "hook" or "policy"
    name: str
    category: str
    description: str
    files: tuple[SourceFile, ...]
    registrations: tuple[dict[str, Any], ...] = ()

    def names(self) -> set[str]:
        return {self.name, self.name.replace("_", "-"), self.category, f"{self.kind}s"}

    @property
    def folder(self) -> str:
        return FOLDERS[self.kind].format(name=self.name)


def owned_files(items: list[Item], base: str = "", *, policy: bool = False) -> list[OwnedFile]:
    """The files of the skills, agents and hooks, each at its folder under ``base``, once each
    (every hook carries the shared hooks package). The policy is a file only with ``policy``
    (the plugin's SessionStart hook reads it); the ``.claude/`` export makes it a section of
    CLAUDE.md instead."""
    parts: dict[str, OwnedFile] = {}
    for item in items:
        if item.kind == "policy" and not policy:
            continue
        for f in item.files:
            rel = base + item.folder + f.rel
            parts.setdefault(rel, OwnedFile(rel, f.data, item.key, f.executable))
    return list(parts.values())


def _readable(doc: Document) -> None:
    for problem in sorted(doc.problems):
        if problem.code in UNREADABLE:
            raise ExportError(problem.path, f"cannot export: {problem.message}", problem.line,
                              problem.col, problem.code)


def _file(path: Path, rel: str) -> SourceFile:
    data = path.read_bytes()
    return SourceFile(rel, files.normalise(data), bool(path.stat().st_mode & 0o111))


def skill_item(doc: Document) -> Item:
    _readable(doc)
    folder = doc.path.parent
    found = [SourceFile("SKILL.md", doc.text.encode("utf-8"))]
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if any(files.is_junk(part) for part in rel.split("/")) or rel == "SKILL.md":
            continue
        if path.is_symlink():
            raise ExportError(f"{doc.rel.rsplit('/', 1)[0]}/{rel}", "cannot export a symlink "
                              "beside a skill: it could point anywhere; copy the file instead",
                              code=rules.SKILL_FILE)
        if path.is_file():
            found.append(_file(path, rel))
    metadata = doc.get("metadata")
    category = str(metadata.get("category", "")) if isinstance(metadata, dict) else ""
    return Item(f"skill:{doc.name}", "skill", doc.name, category or "skills",
                str(doc.get("description", "")), tuple(found))


def agent_item(doc: Document) -> Item:
    _readable(doc)
    return Item(f"agent:{doc.name}", "agent", doc.name, "agents",
                str(doc.get("description", "")),
                (SourceFile(f"{doc.name}.md", doc.text.encode("utf-8")),))


def hook_item(hook: Hook) -> Item:
    """The launcher and the hooks package beside it (every hook needs the shared modules; the
    exporters write a file two hooks share once)."""
    package = tuple(_file(path, f"{path.parent.name}/{path.name}") for path in hook.package)
    return Item(f"hook:{hook.name}", "hook", hook.name, "hooks", hook.title,
                (_file(hook.path, f"{hook.name}.py"), *package), tuple(hook.registrations))


def policy_item(root: Path) -> Item | None:
    path = root / POLICY_FILE
    if not path.is_file():
        return None
    return Item("policy", "policy", "policy", "policy", "TDD and model policy",
                (_file(path, path.name),))


def policy_text(policy: Item) -> str:
    """The policy as text, for the sections of CLAUDE.md, AGENTS.md and GEMINI.md."""
    try:
        return policy.files[0].data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExportError(POLICY_FILE, "is not UTF-8", code=rules.NOT_UTF8) from exc


def all_items(catalogue: Catalogue) -> list[Item]:
    found = [skill_item(d) for d in catalogue.skills]
    found += [agent_item(d) for d in catalogue.agents]
    found += [hook_item(h) for h in catalogue.hooks]
    policy = policy_item(catalogue.root)
    if policy is not None:
        found.append(policy)
    return found


def select(items: list[Item], only: list[str] | None) -> list[Item]:
    """The items ``--only`` names: by name (skill, agent, hook) or category
    (a skill's ``metadata.category``, ``skills``, ``agents``, ``hooks``, ``policy``)."""
    if not only:
        return items
    unknown = [word for word in only if not any(word in item.names() for item in items)]
    if unknown:
        known = sorted({name for item in items for name in (item.name, item.category)})
        raise UsageError(f"--only: nothing is named {', '.join(unknown)} "
                         f"(names and categories: {', '.join(known)})")
    return [item for item in items if any(word in item.names() for word in only)]


def hook_groups(items: list[Item], hooks_dir: str | None = None,
                python: str | None = None) -> list[tuple[str, str, dict]]:
    """``(item, event, group)`` per registration, in the shape of a hooks.json group.

    The commands are the ones hooks/hooks.json gives. With ``hooks_dir``, the plugin's
    ``${CLAUDE_PLUGIN_ROOT}/hooks`` in them becomes that directory (settings.json has no plugin
    root); with ``python``, a leading ``python3`` becomes that interpreter command.
    """
    groups = []
    for item in items:
        for reg in item.registrations:
            command = str(reg["command"])
            args = [str(arg) for arg in reg.get("args", [])]
            if hooks_dir is not None:
                command = PLUGIN_HOOKS.sub(lambda _m: hooks_dir, command)
                # Claude Code expands ${CLAUDE_PROJECT_DIR} in exec-form arguments, not ${HOME}.
                args = [PLUGIN_HOOKS.sub(lambda _m: hooks_dir, arg).replace(
                    "${HOME}", Path.home().as_posix()) for arg in args]
                if any(PLUGIN_ROOT.search(word) for word in [command, *args]):
                    raise ExportError("hooks/hooks.json", f"hook {item.name}: {command!r} uses "
                                      "${CLAUDE_PLUGIN_ROOT} outside hooks/, which a "
                                      "settings.json export cannot place", code=rules.HOOK_COMMAND)
            if python is not None and "args" in reg and command == "python3":
                command, *extra = python.split()
                args = [*extra, *args]
            elif python is not None and command.startswith("python3 "):
                command = python + command[len("python3"):]
            handler: dict[str, Any] = {"type": "command"}
            if reg.get("if") is not None:
                handler["if"] = reg["if"]
            handler["command"] = command
            if "args" in reg:
                handler["args"] = args
            if reg.get("timeout") is not None:
                handler["timeout"] = reg["timeout"]
            groups.append((item.key, str(reg["event"]),
                           {"matcher": reg["matcher"], "hooks": [handler]}))
    return groups


def hooks_config(groups: list[tuple[str, str, dict]], description: str) -> dict[str, Any]:
    """A hooks.json document (plugin format) from :func:`hook_groups`."""
    by_event: dict[str, list[dict]] = {}
    for _item, event, group in groups:
        by_event.setdefault(event, []).append(group)
    return {"description": description, "hooks": by_event}
