"""Our hooks for the other agents: each client's hook configuration, generated from
hooks/hooks.json (the one source), merged into the user's file without clobbering it.

``parts(agent, hooks_dir, selected)`` gives the planner parts for one client; ``hooks_dir`` is
where the launchers are, relative to the repository root (the hooks run from there):

=========  =========================  ==================================================
agent      file                       events and tool names
=========  =========================  ==================================================
codex      ``.codex/hooks.json``      Claude's events; shell ``Bash``, edits ``apply_patch``
copilot    ``.github/hooks/           Claude's events and names: Copilot 1.0 loads a
           playbook.json``            repository's .github/hooks/*.json and, for these
                                      events, names its tools as Claude does (create is Write)
gemini     ``.gemini/settings.json``  BeforeTool / AfterTool / SessionStart; write_file,
                                      replace, run_shell_command (timeouts in ms); an
                                      extension's hooks/hooks.json: gemini_extension_hooks()
cursor     ``.cursor/hooks.json``     beforeShellExecution, preToolUse (Write, StrReplace,
                                      Edit), afterFileEdit; no session policy
opencode   ``.opencode/plugins/       a JS plugin: tool.execute.before / after run the same
           playbook.js``              launchers with the call on stdin; exit 2 throws
=========  =========================  ==================================================

Every handler is the exec form of hooks.json joined into one shell command (these clients run
a string), so a missing or broken launcher still fails open. Claude's ``if`` conditions are
Claude's own: the OpenCode plugin applies them to the command itself (:func:`command_filter`);
the other clients match on the tool name only, so there the TDD gate starts for every shell call
and returns at once for one that is no commit. What the hooks read from each client's payload
is playbook_hooks/payloads.py's.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from playbook.export.items import Item, hook_groups, hook_item
from playbook.export.plan import OwnedFile, Part, Selected
from playbook.export.settings import SettingsPart

AGENTS = ("codex", "copilot", "gemini", "cursor", "opencode")
SHELLS = {"Bash", "PowerShell"}

# Claude's tool names in hooks.json's matchers -> each client's (None: the client has no such
# tool).
TOOLS: dict[str, dict[str, str | None]] = {
    "codex": {"Write": "apply_patch", "Edit": "apply_patch", "MultiEdit": "apply_patch",
              "NotebookEdit": None, "Bash": "Bash", "PowerShell": None},
    "copilot": {tool: tool for tool in ("Write", "Edit", "MultiEdit", "NotebookEdit", "Bash",
                                         "PowerShell")},
    "gemini": {"Write": "write_file", "Edit": "replace", "MultiEdit": "replace",
               "NotebookEdit": None, "Bash": "run_shell_command", "PowerShell": None},
    "cursor": {"Write": "Write", "Edit": "StrReplace|Edit", "MultiEdit": "Edit",
               "NotebookEdit": None, "Bash": "Shell", "PowerShell": None},
    "opencode": {"Write": "write", "Edit": "edit|patch|apply_patch", "MultiEdit": "edit",
                 "NotebookEdit": None, "Bash": "bash", "PowerShell": None},
}
EVENTS = {
    "codex": {"PreToolUse": "PreToolUse", "PostToolUse": "PostToolUse",
              "SessionStart": "SessionStart"},
    "copilot": {"PreToolUse": "PreToolUse", "PostToolUse": "PostToolUse",
                "SessionStart": "SessionStart"},
    "gemini": {"PreToolUse": "BeforeTool", "PostToolUse": "AfterTool",
               "SessionStart": "SessionStart"},
}
FILES = {"codex": ".codex/hooks.json", "copilot": ".github/hooks/playbook.json",
         "gemini": ".gemini/settings.json", "cursor": ".cursor/hooks.json"}
SKELETONS = {"copilot": {"version": 1}, "cursor": {"version": 1}}  # a file we create
PLUGIN = ".opencode/plugins/playbook.js"


def hook_items(selected: Selected, hooks: list[Item] | None = None) -> list[Item]:
    """The selected hooks: of `hooks` (what an export loaded), else of this repository."""
    if hooks is None:
        from playbook.content import load_hooks

        hooks = [hook_item(hook) for hook in load_hooks()]
    return [item for item in hooks if item.kind == "hook" and selected(item.key)]


def parts(agent: str, hooks_dir: str, selected: Selected,
          hooks: list[Item] | None = None) -> list[Part]:
    """The planner parts that give `agent` our hooks (launchers under `hooks_dir`), for
    `hooks` (default: this repository's)."""
    if agent not in AGENTS:
        raise ValueError(f"unknown agent {agent!r}: one of {', '.join(AGENTS)}")
    groups = hook_groups(hook_items(selected, hooks), hooks_dir.rstrip("/"))
    if agent == "opencode":
        return [OwnedFile(PLUGIN, plugin(groups), "hooks")] if groups else []
    entries = cursor_entries(groups) if agent == "cursor" else mapped(agent, groups)
    return ([SettingsPart(FILES[agent], entries, None, selected, SKELETONS.get(agent))]
            if entries else [])


def gemini_extension_hooks(selected: Selected, hooks: list[Item] | None = None,
                           hooks_dir: str = "${extensionPath}/hooks") -> dict[str, Any]:
    """A Gemini extension's `hooks/hooks.json` ({"hooks": {...}} in Gemini's events and names;
    Gemini hydrates ${extensionPath} in it): for an extension directory an export builds, never
    the repository's own hooks/hooks.json, which is Claude's."""
    by_event: dict[str, list[dict]] = {}
    groups = hook_groups(hook_items(selected, hooks), hooks_dir)
    for _item, event, group in mapped("gemini", groups):
        by_event.setdefault(event, []).append(group)
    return {"hooks": by_event}


def matcher(agent: str, claude: str) -> str:
    """A hooks.json matcher in the client's tool names ("" when it has none of them)."""
    names: list[str] = []
    for tool in claude.split("|"):
        for name in (TOOLS[agent].get(tool) or "").split("|"):
            if name and name not in names:
                names.append(name)
    return "|".join(names)


def shell_command(handler: dict[str, Any]) -> str:
    """An exec-form handler as one shell command."""
    return shlex.join([str(handler["command"]), *map(str, handler.get("args", []))])


def mapped(agent: str, groups: list[tuple[str, str, dict]]) -> list[tuple[str, str, dict]]:
    """Claude-shaped groups ({matcher, hooks: [...]}) in the client's events and names. Without
    Claude's `if`, two groups of one hook and event (the gate's Bash and PowerShell) are one
    group for both tools."""
    entries: list[tuple[str, str, dict]] = []
    for item, event, group in groups:
        tools = matcher(agent, group["matcher"]) if event != "SessionStart" else group["matcher"]
        if not tools or event not in EVENTS[agent]:
            continue
        handlers = []
        for handler in group["hooks"]:
            new: dict[str, Any] = {"type": "command", "command": shell_command(handler)}
            if "timeout" in handler:
                new["timeout"] = handler["timeout"] * (1000 if agent == "gemini" else 1)
            handlers.append(new)
        same = next((group for key, name, group in entries
                     if (key, name) == (item, EVENTS[agent][event]) and group["hooks"] == handlers),
                    None)
        if same is not None:
            same["matcher"] = "|".join(dict.fromkeys([*same["matcher"].split("|"),
                                                      *tools.split("|")]))
            continue
        entries.append((item, EVENTS[agent][event], {"matcher": tools, "hooks": handlers}))
    return entries


def cursor_entries(groups: list[tuple[str, str, dict]]) -> list[tuple[str, str, dict]]:
    """Cursor's flat entries: shell calls before they run, file tools before, edits after."""
    entries = []
    for item, event, group in groups:
        claude = set(group["matcher"].split("|"))
        for handler in group["hooks"]:
            entry: dict[str, Any] = {"command": shell_command(handler)}
            if event == "PreToolUse" and claude & SHELLS:
                entries.append((item, "beforeShellExecution", dict(entry)))
            if event == "PreToolUse" and claude - SHELLS:
                tools = matcher("cursor", "|".join(sorted(claude - SHELLS)))
                if tools:
                    entries.append((item, "preToolUse", {**entry, "matcher": tools}))
            if event == "PostToolUse":
                entries.append((item, "afterFileEdit", entry))
    return entries


PLUGIN_JS = """\
// Playbook's guardrails in OpenCode, generated from hooks/hooks.json: the same launchers that
// Claude Code runs, with the tool call on stdin ({tool_name, tool_input, cwd}, read by
// playbook_hooks/payloads.py). Exit 2 is a finding and blocks the call; anything else (no
// python3, a broken hook) lets it through.
import { spawnSync } from "node:child_process";
import path from "node:path";

const HOOKS = __HOOKS__;

function run(hook, directory, event) {
  const last = hook.args.length - 1;
  const args = hook.args.map((arg, i) => (i === last ? path.resolve(directory, arg) : arg));
  return spawnSync(hook.command, args, {
    input: JSON.stringify(event), cwd: directory, encoding: "utf8", timeout: hook.timeout * 1000,
  });
}

export const PlaybookGuardrails = async ({ directory }) => {
  const calls = new Map();
  const each = (when, tool, args) => HOOKS.filter((h) => h.when === when &&
    h.tools.includes(tool) &&
    (!h.command_if || new RegExp(h.command_if).test(args?.command ?? "")));
  return {
    "tool.execute.before": async (input, output) => {
      calls.set(input.callID, output.args);
      const event = { hook_event_name: "PreToolUse", tool_name: input.tool,
                      tool_input: output.args, cwd: directory };
      for (const hook of each("before", input.tool, output.args)) {
        const done = run(hook, directory, event);
        if (done.status === 2) {
          throw new Error((done.stderr || "").trim() || `playbook: blocked ${input.tool}`);
        }
      }
    },
    "tool.execute.after": async (input) => {
      const args = calls.get(input.callID) ?? input.args ?? {};
      calls.delete(input.callID);
      const event = { hook_event_name: "PostToolUse", tool_name: input.tool,
                      tool_input: args, cwd: directory };
      for (const hook of each("after", input.tool, args)) run(hook, directory, event);
    },
  };
};
"""


def command_filter(condition: str) -> str:
    """Claude's `if` ("Bash(git *commit*)") as a regular expression on the command: its glob
    anywhere in it, so that "git add -A && git commit" is a commit too."""
    glob = condition[condition.index("(") + 1: condition.rindex(")")]
    return r"[\s\S]*".join(re.escape(part) for part in glob.strip("*").split("*"))


def plugin(groups: list[tuple[str, str, dict]]) -> bytes:
    """The OpenCode plugin with the hooks it runs, before and after a tool call."""
    hooks = []
    for _item, event, group in groups:
        when = {"PreToolUse": "before", "PostToolUse": "after"}.get(event)
        tools = matcher("opencode", group["matcher"]).split("|")
        for handler in group["hooks"] if when and tools != [""] else []:
            hook = {"when": when, "tools": tools, "command": handler["command"],
                    "args": handler.get("args", []), "timeout": handler.get("timeout", 30)}
            if handler.get("if"):
                hook["command_if"] = command_filter(handler["if"])
            hooks.append(hook)
    return PLUGIN_JS.replace("__HOOKS__", json.dumps(hooks, indent=2)).encode("utf-8")
