"""``export gemini-extension``: a Gemini CLI extension folder, for
``gemini extensions install DIR`` (or ``link``)::

    gemini-extension.json   name, version (the plugin's content version), description,
                            contextFileName
    GEMINI.md               the policy, which Gemini loads as the extension's context
    skills/<name>/          every skill, its SKILL.md portable (as in ``export agents``)
    agents/<name>.md        the subagents in Gemini's format (:func:`.subagents.gemini`)
    hooks/hooks.json        our hooks in Gemini's events and tool names, each command naming
                            ${extensionPath}/hooks/<name>.py, which Gemini fills in
                            (:func:`.agent_hooks.gemini_extension_hooks`)
    hooks/<name>.py, hooks/playbook_hooks/
                            the hook programs
    LICENSE
"""

from __future__ import annotations

import json
from pathlib import Path

from playbook.content import Catalogue
from playbook.export import agent_hooks, plugin, subagents
from playbook.export.agents import skill_files
from playbook.export.items import Item, owned_files, policy_text
from playbook.export.plan import OwnedFile, Part, Target, everything

MANIFEST = ".playbook.lock.json"
CONTEXT = "GEMINI.md"
HOOKS_CONFIG = "hooks/hooks.json"


def manifest(catalogue: Catalogue, items: list[Item]) -> bytes:
    body = {"name": plugin.NAME,
            "version": plugin.content_version(plugin.source_entries(catalogue.root, items)),
            "description": plugin.DESCRIPTION, "contextFileName": CONTEXT}
    return (json.dumps(body, indent=2) + "\n").encode()


def hook_parts(items: list[Item]) -> list[Part]:
    """The hook programs under hooks/ and hooks/hooks.json that runs them."""
    hooks = [item for item in items if item.kind == "hook"]
    if not hooks:
        return []
    config = agent_hooks.gemini_extension_hooks(everything, hooks)
    return [*owned_files(hooks), OwnedFile(HOOKS_CONFIG, (json.dumps(config, indent=2) + "\n"
                                                          ).encode(), plugin.GENERATED)]


def build(target: Path, catalogue: Catalogue, items: list[Item]) -> tuple[Target, list[Part]]:
    parts: list[Part] = [OwnedFile("gemini-extension.json", manifest(catalogue, items),
                                   plugin.GENERATED)]
    parts += skill_files(items)
    parts += subagents.parts(items, ("gemini",), {"gemini": "agents/{name}.md"})
    parts += hook_parts(items)
    policy = next((item for item in items if item.kind == "policy"), None)
    if policy is not None:
        parts.append(OwnedFile(CONTEXT, policy_text(policy).encode("utf-8"), policy.key))
    licence = catalogue.root / "LICENSE"
    if licence.is_file():
        parts.append(OwnedFile("LICENSE", licence.read_bytes(), plugin.GENERATED))
    return Target(target, MANIFEST, "gemini-extension"), parts
