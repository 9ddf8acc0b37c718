"""Frontmatter schemas for skills and agents, as data that the checks and the scaffold share."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NAME_MAX = 64
RESERVED_WORDS = ("claude", "anthropic")
DESCRIPTION_MAX = 1024
COMPATIBILITY_MAX = 500
BODY_MAX_LINES = 500
# Claude Code's own estimate of what a loaded skill costs: about four characters a token.
CHARS_PER_TOKEN = 4
BODY_MAX_TOKENS = 4000  # any one skill
BODY_MEDIAN_TOKENS = 3000  # the typical skill

# The six Agent Skills keys (agentskills.io specification); anything else breaks portability.
SKILL_KEYS = {
    "name": "str",
    "description": "str",
    "license": "str",
    "compatibility": "str",
    "metadata": "map[str,str]",
    "allowed-tools": "str",
}
SKILL_REQUIRED = ("name", "description")
# The values of a skill's metadata.category, in the order the catalogue lists them.
CATEGORIES = ("languages", "infrastructure", "testing", "patterns")
# Categories whose skills must put the repository's own tools first (rules.REPOSITORY_FIRST).
REPOSITORY_FIRST_CATEGORIES = ("languages", "infrastructure")
REPOSITORY_FIRST = "respect the repository"  # what the body says, in any case

# Subagent fields documented for Claude Code (sub-agents page, "Supported frontmatter fields").
AGENT_KEYS = {
    "name": "str",
    "description": "str",
    "tools": "tools",
    "disallowedTools": "tools",
    "model": "str",
    "color": "str",
    "permissionMode": "str",
    "maxTurns": "int",
    "skills": "list[str]",
    "mcpServers": "any",
    "hooks": "any",
    "memory": "str",
    "background": "bool",
    "effort": "str",
    "isolation": "str",
    "initialPrompt": "str",
}
AGENT_REQUIRED = ("name", "description")
AGENT_MODELS = ("sonnet", "opus", "haiku", "inherit")
AGENT_MODEL_ID = re.compile(r"^claude-[a-z0-9][a-z0-9.\-\[\]]*$")
AGENT_COLORS = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")
AGENT_ENUMS = {
    "permissionMode": ("default", "acceptEdits", "auto", "dontAsk", "bypassPermissions",
                       "plan", "manual"),
    "memory": ("user", "project", "local"),
    "effort": ("low", "medium", "high", "xhigh", "max"),
    "isolation": ("worktree",),
}
MCP_TOOL = re.compile(r"^mcp__[A-Za-z0-9_-]+(__[A-Za-z0-9_*-]+)?$")


@cache
def claude_tools() -> dict[str, list[str]]:
    """Tool names Claude Code knows, with their source (scripts/playbook/data/claude_tools.json)."""
    path = Path(__file__).parent / "data" / "claude_tools.json"
    return json.loads(path.read_text(encoding="utf-8"))


def tool_base(entry: str) -> str:
    """`Bash(git:*)` -> `Bash`; `Agent(reviewer)` -> `Agent`."""
    return entry.split("(", 1)[0].strip()


def is_known_tool(entry: str) -> bool:
    base = tool_base(entry)
    data = claude_tools()
    return base in data["tools"] or base in data["legacy"] or bool(MCP_TOOL.match(base))
