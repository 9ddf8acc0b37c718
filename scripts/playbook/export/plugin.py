"""``export plugin`` (a standalone plugin folder) and ``export root`` (the repository as one).

A plugin folder::

    .claude-plugin/plugin.json       name "playbook", version derived from the content
    .claude-plugin/marketplace.json  so that `/plugin marketplace add <folder>` installs it
    skills/<name>/...  agents/<name>.md  hooks/<name>.py  hooks/hooks.json
    README.md  LICENSE

The repository root is a plugin too (its skills/, agents/ and hooks/hooks.json are the plugin's
default directories); ``export root`` writes only its two manifests, which are committed.

Claude Code keeps an installed plugin's files in a cache keyed by its version and only fetches
new files when the version string changes. So the version is ``BASE_VERSION+<hash>``, the hash
covering every source byte the plugin ships (paths and normalised bytes of the skills, agents,
hooks, hooks.json and the policy): any content change gives a new version, and the same content
always gives the same one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from playbook import meta
from playbook.content import Catalogue
from playbook.export import files
from playbook.export.items import Item, hook_groups, hooks_config, owned_files
from playbook.export.plan import OwnedFile, Part, Target

# Name, base version (bumped in pyproject.toml for a release; the +hash part follows the
# content), description and licence are the package's: pyproject.toml says them once.
PACKAGE = meta.project()
NAME, BASE_VERSION = PACKAGE.name, PACKAGE.version
DESCRIPTION, LICENSE = PACKAGE.description, PACKAGE.license
AUTHOR = {"name": "The Playbook authors"}
KEYWORDS = ["skills", "agents", "hooks", "tdd", "testing", "code-quality"]
MANIFEST = ".playbook.lock.json"
GENERATED = "plugin"  # the manifest item of files made from the whole selection


def source_entries(root: Path, items: list[Item]) -> list[tuple[str, bytes]]:
    """Every source file of the items as (repository path, normalised bytes)."""
    entries = [(item.folder + f.rel, f.data) for item in items for f in item.files]
    hooks_json = root / "hooks" / "hooks.json"
    if any(item.kind == "hook" for item in items) and hooks_json.is_file():
        entries.append(("hooks/hooks.json", files.normalise(hooks_json.read_bytes())))
    return entries


def content_version(entries: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for rel, data in sorted(entries):
        digest.update(rel.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0" + data)
    return f"{BASE_VERSION}+{digest.hexdigest()[:12]}"


# Plugin options (`claude plugin configure playbook`): the hooks read them as
# CLAUDE_PLUGIN_OPTION_<KEY>; environment variables and [tool.playbook] keep working
# (docs/guide/hooks.md gives the order).
USER_CONFIG = {
    "coverage_floor": {"type": "number", "title": "Coverage floor (%)", "min": 0, "max": 100,
                       "description": "Lowest total line coverage the TDD gate lets a commit "
                       "through with, where the repository sets no coverage-floor."},
    "tdd_mode": {"type": "string", "title": "TDD gate", "options": ["on", "refactor", "off"],
                 "default": "on", "description": "on: commits need tests and the floor; "
                 "refactor: tests and floor only; off: no gate."},
    "autoformat": {"type": "boolean", "title": "Autoformat", "default": True,
                   "description": "Format each file Claude writes with the project's formatter."},
    "session_policy": {"type": "boolean", "title": "Policy at session start", "default": True,
                       "description": "Give Claude Playbook's engineering policy when a "
                       "session starts (skipped where CLAUDE.md holds it already)."},
}
NETWORK = {"hosts": []}  # the hooks, skills and agents reach no host of their own


def plugin_json(version: str) -> dict[str, Any]:
    return {"name": NAME, "version": version, "description": DESCRIPTION, "author": AUTHOR,
            "license": LICENSE, "keywords": KEYWORDS, "userConfig": USER_CONFIG,
            "network": NETWORK}


def marketplace_json() -> dict[str, Any]:
    return {"name": NAME, "owner": AUTHOR, "description": DESCRIPTION,
            "plugins": [{"name": NAME, "source": "./", "description": DESCRIPTION,
                         "license": LICENSE, "keywords": KEYWORDS}]}


def dumps(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def root_parts(catalogue: Catalogue, items: list[Item]) -> list[Part]:
    version = content_version(source_entries(catalogue.root, items))
    return [OwnedFile(".claude-plugin/plugin.json", dumps(plugin_json(version)), GENERATED),
            OwnedFile(".claude-plugin/marketplace.json", dumps(marketplace_json()), GENERATED)]


def root_target(catalogue: Catalogue) -> Target:
    return Target(catalogue.root, None, "root")


def build(target: Path, catalogue: Catalogue, items: list[Item]) -> tuple[Target, list[Part]]:
    parts: list[Part] = [*owned_files(items, policy=True)]
    hooks = [item for item in items if item.kind == "hook"]
    if hooks:
        config = hooks_config(hook_groups(hooks), "Playbook hooks: " + "; ".join(
            f"{item.name}: {item.description}" for item in hooks))
        parts.append(OwnedFile("hooks/hooks.json", dumps(config), GENERATED))
    parts.append(OwnedFile("README.md", readme(items).encode("utf-8"), GENERATED))
    licence = catalogue.root / "LICENSE"
    if licence.is_file():
        parts.append(OwnedFile("LICENSE", files.normalise(licence.read_bytes()), GENERATED))
    parts += root_parts(catalogue, items)
    return Target(target, MANIFEST, "plugin"), parts


def readme(items: list[Item]) -> str:
    """The plugin's README: what it holds and how to install it (40 words at least)."""
    lines = [f"# {NAME}", "", DESCRIPTION, "",
             "Generated by `python -m playbook.export plugin` from the Playbook repository; "
             "change the source there, not these files.", "", "## Install", "",
             "```bash",
             "claude plugin marketplace add ./path/to/this/folder",
             f"claude plugin install {NAME}@{NAME}",
             "```", ""]
    for kind, title in (("skill", "Skills"), ("agent", "Agents"), ("hook", "Hooks")):
        chosen = [item for item in items if item.kind == kind]
        if chosen:
            lines += [f"## {title}", ""]
            lines += [f"- **{item.name}**: {' '.join(item.description.split())}"
                      for item in chosen]
            lines.append("")
    return "\n".join(lines)
