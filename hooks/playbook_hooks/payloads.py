"""What a tool call writes or runs, whichever agent sent it: one reading of every client's hook
payload, used by all the hooks.

A call becomes a list of changes, each a tuple (kind, path, text, old, label):

- `("file", path, text, old, "")`: `text` is about to be written to `path` (`old` is the text it
  replaces, for an edit; "" otherwise).
- `("cell", path, text, "", label)`: a notebook cell's new source.
- `("bash", "", command, "", "")`: a shell command about to run (PowerShell too: `powershell()`).

The clients and their shapes (each checked against the real client where one runs here):

- Claude Code: `tool_name` Write {file_path, content}, Edit {file_path, old_string, new_string},
  MultiEdit {file_path, edits[]}, NotebookEdit {notebook_path, new_source}, Bash and PowerShell
  {command}.
- Codex CLI: Claude's envelope; the shell arrives as `Bash` {command}, every edit as
  `apply_patch` with the patch envelope in `tool_input.command` (`*** Add File:`, `*** Update
  File:`, `*** Move to:`; only the `+` lines are written).
- Copilot CLI (.github/hooks/*.json or .claude/settings.json, with Claude's event names):
  Claude's names; `Write` {path, file_text} (its `create`), `Edit` {path, old_str, new_str},
  and an `Edit` whose tool_input is the apply_patch envelope itself (a string; seen with GPT
  models), `Bash` {command}; with its own camelCase events it says `toolName` (`create`,
  `str_replace`, `bash`) and `toolArgs` (an object, or JSON text).
- Gemini CLI: `write_file` {file_path, content}, `replace` {file_path, old_string, new_string},
  `run_shell_command` {command}.
- Cursor: `beforeShellExecution` {command}, `afterFileEdit` {file_path, edits[]}, `preToolUse`
  with `tool_name` / `tool_input` (Shell, Write, StrReplace).
- OpenCode: the plugin `.opencode/plugins/playbook.js` forwards {tool_name, tool_input, cwd} with
  OpenCode's names: write {filePath, content}, edit {filePath, oldString, newString}, bash
  {command}, patch / apply_patch {patchText}.

A tool that is none of these (a read, a search) is no change. Cheap to import: nothing beyond
the builtins, since every hook call reads a payload.
"""

SHELL_TOOLS = frozenset({"Bash", "PowerShell", "bash", "shell", "Shell", "powershell",
                         "run_shell_command", "exec_command", "local_shell"})
POWERSHELL_TOOLS = frozenset({"PowerShell", "powershell"})
PATCH_TOOLS = frozenset({"apply_patch", "patch"})
WRITE_TOOLS = frozenset({"Write", "Edit", "MultiEdit", "create", "write", "edit", "str_replace",
                         "write_file", "replace", "StrReplace"})
PATH_KEYS = ("file_path", "path", "filePath", "notebook_path")
TEXT_KEYS = ("content", "file_text", "new_string", "new_str", "newString", "contents",
             "new_source")
OLD_KEYS = ("old_string", "old_str", "oldString")
PATCH_KEYS = ("command", "input", "patchText", "patch")
CURSOR_EVENTS = frozenset({"beforeShellExecution", "afterFileEdit", "preToolUse",
                           "postToolUse", "beforeReadFile", "beforeMCPExecution"})


class BadInput(ValueError):
    """A payload whose fields have the wrong types."""


def tool_call(event: dict) -> tuple:
    """(tool name, tool input) of any client's payload; ("", {}) when it names no tool."""
    name = event.get("hook_event_name")
    if name == "beforeShellExecution":  # Cursor
        return "Shell", {"command": event.get("command")}
    if name == "afterFileEdit":  # Cursor
        return "Edit", {"file_path": event.get("file_path"), "edits": event.get("edits")}
    tool = event.get("tool_name", event.get("toolName")) or ""
    tool_input = event.get("tool_input", event.get("toolArgs")) or {}
    if isinstance(tool_input, str) and tool_input.lstrip().startswith("*** Begin Patch"):
        return "apply_patch", {"command": tool_input}  # Copilot: an "Edit" that is a patch
    if isinstance(tool_input, str):  # Copilot's toolArgs as JSON text
        from .common import parse_json

        try:
            tool_input = parse_json(tool_input)
        except (ValueError, RecursionError):
            raise BadInput("toolArgs is not JSON") from None
    if not isinstance(tool, str) or not isinstance(tool_input, dict):
        raise BadInput("tool_name or tool_input has the wrong type")
    return tool, tool_input


def _first(tool_input: dict, keys: tuple) -> str:
    for key in keys:
        value = tool_input.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadInput(f"tool_input.{key} is not a string")
        return value
    return ""


def _command(tool_input: dict) -> str:
    value = tool_input.get("command", tool_input.get("cmd"))
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return " ".join(value)  # Codex's older shell tool: an argv
    if value is not None and not isinstance(value, str):
        raise BadInput("tool_input.command is not a string")
    return value or ""


def patch_files(patch: str) -> list:
    """The files an apply_patch envelope writes: [(path, added text)], in order. Deleted files
    and removed or context lines write nothing; `*** Move to:` renames the file being updated."""
    files = []
    for line in patch.splitlines():
        if line.startswith(("*** Add File:", "*** Update File:")):
            files.append([line.split(":", 1)[1].strip(), []])
        elif line.startswith("*** Move to:") and files:
            files[-1][0] = line.split(":", 1)[1].strip()
        elif line.startswith("*** "):
            if not line.startswith("*** End of File"):
                files.append(None)  # Delete File, End Patch: what follows belongs to no file
        elif line.startswith("+") and files and files[-1] is not None:
            files[-1][1].append(line[1:])
    return [(path, "\n".join(lines) + ("\n" if lines else "")) for path, lines in
            filter(None, files) if path]


def changes(event: dict) -> list:
    """What the call would write or run: (kind, path, text, old, label) tuples."""
    tool, tool_input = tool_call(event)
    if tool in SHELL_TOOLS:
        return [("bash", "", _command(tool_input), "", "")]
    if tool in PATCH_TOOLS:
        return [("file", path, text, "", "") for path, text in
                patch_files(_first(tool_input, PATCH_KEYS))]
    if tool == "NotebookEdit":
        if tool_input.get("edit_mode") == "delete":
            return []
        cell = tool_input.get("cell_id") or tool_input.get("cell_number")
        label = f" (cell {cell})" if cell is not None else ""
        return [("cell", _first(tool_input, PATH_KEYS), _first(tool_input, ("new_source",)), "",
                 label)]
    path = _first(tool_input, PATH_KEYS)
    edits = tool_input.get("edits")
    if edits is not None:
        if not isinstance(edits, list) or not all(isinstance(e, dict) for e in edits):
            raise BadInput("tool_input.edits is not a list of objects")
        return [("file", path, _first(e, TEXT_KEYS), _first(e, OLD_KEYS), "") for e in edits]
    if not path or (tool not in WRITE_TOOLS and not any(key in tool_input for key in TEXT_KEYS)):
        return []  # a read, a search, a tool we do not know
    return [("file", path, _first(tool_input, TEXT_KEYS), _first(tool_input, OLD_KEYS), "")]


def command(event: dict) -> str | None:
    """The shell command the call runs, else None (never raises)."""
    try:
        tool, tool_input = tool_call(event)
        return _command(tool_input) if tool in SHELL_TOOLS else None
    except BadInput:
        return None


def written_paths(event: dict) -> list:
    """The files the call wrote (for a hook after it), in order, each once (never raises)."""
    try:
        found = changes(event)
    except BadInput:
        return []
    paths = []
    for kind, path, _text, _old, _label in found:
        if kind == "file" and path and path not in paths:
            paths.append(path)
    return paths


def powershell(event: dict) -> bool:
    return event.get("tool_name", event.get("toolName")) in POWERSHELL_TOOLS


def deny(event: dict, reason: str) -> tuple:
    """How to block this client's call: (what to print on stdout or None, the exit code); the
    reason also goes to stderr. Exit 2 blocks in every client; Cursor also reads
    {"permission": "deny"} on stdout, and Copilot relays a reason to the model only from
    Claude's JSON verdict with exit 0 (on exit 2 the model reads "hook exited with code 2")."""
    if event.get("hook_event_name") in CURSOR_EVENTS or "cursor_version" in event:
        from json import dumps

        return dumps({"permission": "deny", "user_message": reason,
                      "agent_message": reason}), 2
    if "timestamp" in event and "transcript_path" not in event:  # Copilot CLI
        from json import dumps

        return dumps({"hookSpecificOutput": {"hookEventName": "PreToolUse",
                                             "permissionDecision": "deny",
                                             "permissionDecisionReason": reason}}), 0
    return None, 2
