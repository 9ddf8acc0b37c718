"""``export cursor-plugin``: a Cursor plugin folder (Cursor has no CLI to check it with, so its
shape is tested against Cursor's plugin reference, cursor.com/docs/reference/plugins)::

    .cursor-plugin/plugin.json   name, version, description, author, license, keywords and the
                                 component folders below
    rules/playbook.mdc           the policy as an always-applied rule
    skills/<name>/               every skill, its SKILL.md portable
    agents/<name>.md             the subagents in Cursor's format (:func:`.subagents.cursor`)
    LICENSE

Hooks are :mod:`playbook.export.agent_hooks`'s; none are written here.
"""

from __future__ import annotations

import json
from pathlib import Path

from playbook.content import Catalogue
from playbook.export import frontmatter, plugin, subagents
from playbook.export.agents import skill_files
from playbook.export.items import Item, policy_text
from playbook.export.plan import OwnedFile, Part, Target

MANIFEST = ".playbook.lock.json"
RULE = "rules/playbook.mdc"


def manifest(catalogue: Catalogue, items: list[Item]) -> bytes:
    body = {"name": plugin.NAME,
            "version": plugin.content_version(plugin.source_entries(catalogue.root, items)),
            "description": plugin.DESCRIPTION, "author": plugin.AUTHOR,
            "license": plugin.LICENSE, "keywords": plugin.KEYWORDS,
            "skills": "./skills/", "agents": "./agents/", "rules": "./rules/"}
    return (json.dumps(body, indent=2) + "\n").encode()


def rule(policy: str) -> str:
    head = {"description": "Playbook's TDD and model policy", "alwaysApply": True}
    return frontmatter.dump(head, "\n" + policy.lstrip("\n"))


def build(target: Path, catalogue: Catalogue, items: list[Item]) -> tuple[Target, list[Part]]:
    parts: list[Part] = [OwnedFile(".cursor-plugin/plugin.json", manifest(catalogue, items),
                                   plugin.GENERATED)]
    parts += skill_files(items)
    parts += subagents.parts(items, ("cursor",), {"cursor": "agents/{name}.md"})
    policy = next((item for item in items if item.kind == "policy"), None)
    if policy is not None:
        parts.append(OwnedFile(RULE, rule(policy_text(policy)).encode("utf-8"), policy.key))
    licence = catalogue.root / "LICENSE"
    if licence.is_file():
        parts.append(OwnedFile("LICENSE", licence.read_bytes(), plugin.GENERATED))
    return Target(target, MANIFEST, "cursor-plugin"), parts
