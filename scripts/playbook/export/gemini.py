"""``export gemini-extension``: a Gemini CLI extension folder, for
``gemini extensions install DIR`` (or ``link``)::

    gemini-extension.json   name, version (the plugin's content version), description,
                            contextFileName
    GEMINI.md               the policy, which Gemini loads as the extension's context
    skills/<name>/          every skill, its SKILL.md portable (as in ``export agents``)
    agents/<name>.md        the subagents in Gemini's format (:func:`.subagents.gemini`)
    LICENSE

Hooks: an extension can carry ``hooks/hooks.json``; the per-client hook configuration is
:mod:`playbook.export.agent_hooks`'s, so none is written here yet.
"""

from __future__ import annotations

import json
from pathlib import Path

from playbook.content import Catalogue
from playbook.export import plugin, subagents
from playbook.export.agents import skill_files
from playbook.export.items import Item, policy_text
from playbook.export.plan import OwnedFile, Part, Target

MANIFEST = ".playbook.lock.json"
CONTEXT = "GEMINI.md"


def manifest(catalogue: Catalogue, items: list[Item]) -> bytes:
    body = {"name": plugin.NAME,
            "version": plugin.content_version(plugin.source_entries(catalogue.root, items)),
            "description": plugin.DESCRIPTION, "contextFileName": CONTEXT}
    return (json.dumps(body, indent=2) + "\n").encode()


def build(target: Path, catalogue: Catalogue, items: list[Item]) -> tuple[Target, list[Part]]:
    parts: list[Part] = [OwnedFile("gemini-extension.json", manifest(catalogue, items),
                                   plugin.GENERATED)]
    parts += skill_files(items)
    parts += subagents.parts(items, ("gemini",), {"gemini": "agents/{name}.md"})
    policy = next((item for item in items if item.kind == "policy"), None)
    if policy is not None:
        parts.append(OwnedFile(CONTEXT, policy_text(policy).encode("utf-8"), policy.key))
    licence = catalogue.root / "LICENSE"
    if licence.is_file():
        parts.append(OwnedFile("LICENSE", licence.read_bytes(), plugin.GENERATED))
    return Target(target, MANIFEST, "gemini-extension"), parts
