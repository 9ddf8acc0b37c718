"""``export agents``: the skills, the policy and the subagents for the coding agents other than
Claude Code, in the places they read (``--target DIR``, a project)::

    DIR/.agents/skills/<name>/       every skill (SKILL.md with the Agent Skills keys only, plus
                                     references/, scripts/, assets/): Codex, Copilot, Cursor,
                                     OpenCode and Gemini CLI all read .agents/skills
    DIR/AGENTS.md                    the policy as one marked section (Codex, Copilot, Cursor,
                                     OpenCode)
    DIR/GEMINI.md                    the same section (Gemini CLI reads GEMINI.md, not AGENTS.md)
    DIR/.codex/agents/, .opencode/agents/, .gemini/agents/, .cursor/agents/, .github/agents/
                                     the subagents in each client's format (:mod:`.subagents`)
    DIR/.agents/playbook/hooks/      the hook launchers and hooks/playbook_hooks/
    DIR/.codex/hooks.json, .github/hooks/playbook.json, .gemini/settings.json,
    .cursor/hooks.json, .opencode/plugins/playbook.js
                                     each client's hook configuration (:mod:`.agent_hooks`)
    DIR/.agents/playbook.lock.json   what was written, with hashes

The two memory files are merged exactly as ``export claude`` merges CLAUDE.md
(:class:`playbook.export.claude_md.SectionPart`): the user's text is kept, a second export
writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from playbook.export import agent_hooks, claude_md, frontmatter, subagents
from playbook.export.items import Item, owned_files, policy_text
from playbook.export.plan import OwnedFile, Part, Selected, Target

MANIFEST = ".agents/playbook.lock.json"
SKILLS_BASE = ".agents/"  # + items.FOLDERS["skill"]: .agents/skills/<name>/
HOOKS_BASE = ".agents/playbook/"  # + items.FOLDERS["hook"]: .agents/playbook/hooks/
HOOKS_DIR = HOOKS_BASE + "hooks"
MEMORY_FILES = ("AGENTS.md", "GEMINI.md")
CLIENTS = ("codex", "copilot", "cursor", "opencode", "gemini")


def skill_files(items: list[Item], base: str = "") -> list[OwnedFile]:
    """Every skill's folder, ``skills/<name>/``, under ``base``, its SKILL.md made portable."""
    found = []
    for part in owned_files([item for item in items if item.kind == "skill"], base):
        if part.rel.endswith("/SKILL.md"):
            part = OwnedFile(part.rel, frontmatter.portable_skill(part.data), part.item)
        found.append(part)
    return found


def hook_parts(items: list[Item], selected: Selected) -> list[Part]:
    """The launchers and their package, then each client's hook configuration."""
    hooks = [item for item in items if item.kind == "hook"]
    found: list[Part] = [*owned_files(hooks, HOOKS_BASE)]
    for client in CLIENTS if hooks else ():
        found += agent_hooks.parts(client, HOOKS_DIR, selected, hooks)
    return found


def build(target: Path, items: list[Item], selected: Selected) -> tuple[Target, list[Part]]:
    parts: list[Part] = [*skill_files(items, SKILLS_BASE), *subagents.parts(items)]
    parts += hook_parts(items, selected)
    policy = next((item for item in items if item.kind == "policy"), None)
    if policy is not None:
        text = policy_text(policy)
        parts += [claude_md.SectionPart(rel, text, "agents") for rel in MEMORY_FILES]
    return Target(target, MANIFEST, "agents"), parts
