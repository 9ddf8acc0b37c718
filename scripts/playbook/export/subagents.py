"""Our subagents (``agents/*.md``, written for Claude Code) in each other agent's own format.

One source, five renderings; the body (the agent's instructions) is kept word for word::

    .codex/agents/<name>.toml        Codex: name, description, developer_instructions
    .opencode/agents/<name>.md       OpenCode: mode: subagent, permission
    .gemini/agents/<name>.md         Gemini CLI: kind: local, tools in Gemini's names
    .cursor/agents/<name>.md         Cursor: readonly
    .github/agents/<name>.agent.md   Copilot CLI: tools as Copilot's aliases

What the fields become, and why:

- ``tools``: none of our agents edits files. Where an agent can say so it does (Codex
  ``sandbox_mode = "read-only"``, OpenCode ``permission: edit: deny``, Cursor ``readonly``);
  Gemini and Copilot get the tool list in their own names.
- ``model``: our values are Claude aliases (opus, sonnet, haiku), which name no model in the
  other clients. Codex gets the same intent as a reasoning effort (opus: high, sonnet: medium,
  haiku: low); Cursor runs haiku agents on its ``fast`` model and the rest on the session's
  (``inherit``); OpenCode, Gemini and Copilot inherit the session's model (no field): a
  provider-specific id chosen for the user would be wrong for most of them.
- ``color``: a Claude Code display hint; dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playbook.export import frontmatter
from playbook.export.items import Item
from playbook.export.plan import OwnedFile
from playbook.schema import tool_base

EDIT_TOOLS = {"Edit", "Write", "MultiEdit", "NotebookEdit"}
EFFORT = {"opus": "high", "sonnet": "medium", "haiku": "low"}
# Gemini CLI 0.61's tool names (the *_TOOL_NAME constants of its bundle).
GEMINI_TOOLS = {"Read": "read_file", "Write": "write_file", "Edit": "replace",
                "MultiEdit": "replace", "Bash": "run_shell_command", "Glob": "glob",
                "Grep": "grep_search", "LS": "list_directory", "WebFetch": "web_fetch",
                "WebSearch": "google_web_search", "TodoWrite": "write_todos"}
# Copilot's primary tool aliases (docs.github.com, "Custom agents configuration", Tool aliases).
COPILOT_TOOLS = {"Read": "read", "Write": "edit", "Edit": "edit", "MultiEdit": "edit",
                 "NotebookEdit": "edit", "Bash": "execute", "Glob": "search", "Grep": "search",
                 "LS": "read", "WebFetch": "web", "WebSearch": "web", "Task": "agent",
                 "TodoWrite": "todo"}


class Agent:
    """One of our subagents, read once: name, description, tools, model and the body."""

    def __init__(self, item: Item) -> None:
        data, self.body = frontmatter.load(item.files[0].data.decode("utf-8"))
        self.key = item.key
        self.name = item.name
        self.description = str(data.get("description", ""))
        raw = data.get("tools", "")
        words = raw if isinstance(raw, list) else str(raw).split(",")
        self.tools = [tool_base(str(word)) for word in words if str(word).strip()]
        self.model = str(data.get("model", "inherit"))

    @property
    def readonly(self) -> bool:
        return bool(self.tools) and not EDIT_TOOLS & set(self.tools)

    def mapped(self, table: dict[str, str]) -> list[str]:
        """The tools in another client's names, each once, in our order (unknown ones dropped:
        a tool the client lacks cannot be granted)."""
        return list(dict.fromkeys(table[t] for t in self.tools if t in table))


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's for every character JSON emits here."""
    return json.dumps(text, ensure_ascii=False)


def codex(agent: Agent) -> str:
    lines = [f"name = {_toml_string(agent.name)}",
             f"description = {_toml_string(agent.description)}"]
    if agent.model in EFFORT:
        lines.append(f'model_reasoning_effort = "{EFFORT[agent.model]}"')
    if agent.readonly:
        lines.append('sandbox_mode = "read-only"')
    lines.append(f"developer_instructions = {_toml_string(agent.body.strip())}")
    return "\n".join(lines) + "\n"


def opencode(agent: Agent) -> str:
    head: dict[str, Any] = {"description": agent.description, "mode": "subagent"}
    if agent.readonly:
        head["permission"] = {"edit": "deny"}
    return frontmatter.dump(head, agent.body)


def gemini(agent: Agent) -> str:
    head: dict[str, Any] = {"name": agent.name, "description": agent.description,
                            "kind": "local"}
    if agent.tools:
        head["tools"] = agent.mapped(GEMINI_TOOLS)
    return frontmatter.dump(head, agent.body)


def cursor(agent: Agent) -> str:
    head: dict[str, Any] = {"name": agent.name, "description": agent.description,
                            "model": "fast" if agent.model == "haiku" else "inherit"}
    if agent.readonly:
        head["readonly"] = True
    return frontmatter.dump(head, agent.body)


def copilot(agent: Agent) -> str:
    head: dict[str, Any] = {"name": agent.name, "description": agent.description}
    if agent.tools:
        head["tools"] = agent.mapped(COPILOT_TOOLS)
    return frontmatter.dump(head, agent.body)


# client -> (path of an agent, rendering)
FORMATS: dict[str, tuple[str, Callable[[Agent], str]]] = {
    "codex": (".codex/agents/{name}.toml", codex),
    "opencode": (".opencode/agents/{name}.md", opencode),
    "gemini": (".gemini/agents/{name}.md", gemini),
    "cursor": (".cursor/agents/{name}.md", cursor),
    "copilot": (".github/agents/{name}.agent.md", copilot),
}


def parts(items: list[Item], clients: tuple[str, ...] = tuple(FORMATS),
          layout: dict[str, str] | None = None) -> list[OwnedFile]:
    """Every agent in every client's format; ``layout`` overrides a client's path pattern."""
    agents = [Agent(item) for item in items if item.kind == "agent"]
    found = []
    for client in clients:
        pattern, render = FORMATS[client]
        pattern = (layout or {}).get(client, pattern)
        found += [OwnedFile(pattern.format(name=a.name), render(a).encode("utf-8"), a.key)
                  for a in agents]
    return found
