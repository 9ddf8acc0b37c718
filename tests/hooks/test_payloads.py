"""Every client's tool call, read once (playbook_hooks/payloads.py) and blocked by the guard.

Credentials are built at run time from the guard's own shapes; never a literal here.
"""

from __future__ import annotations

import io
import json
import random

import pytest
from playbook_hooks import payloads, tdd_gate
from playbook_hooks import secret_guard as sg


def token(seed: str = "p") -> str:
    return sg.expand_shape("ghp_{{N30}}{{crc}}", random.Random(seed))


def guard(event: dict) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = sg.main([], io.StringIO(json.dumps(event)), out, err)
    return code, out.getvalue(), err.getvalue()


def patch(*lines: str) -> str:
    return "\n".join(["*** Begin Patch", *lines, "*** End Patch", ""])


def shapes(value: str) -> dict[str, dict]:
    """One call per client and tool that writes `value` (to a file or in a command)."""
    line = f'TOKEN = "{value}"\n'
    shell = f"echo 'GITHUB_TOKEN={value}' > .env"
    return {
        "codex apply_patch add": {"tool_name": "apply_patch", "tool_input": {
            "command": patch("*** Add File: app/config.py", "+" + line.rstrip())}},
        "codex apply_patch update": {"tool_name": "apply_patch", "tool_input": {
            "command": patch("*** Update File: config.py", "@@ def x():", "-old = 1",
                             "+" + line.rstrip())}},
        "codex Bash": {"tool_name": "Bash", "tool_input": {"command": shell}},
        "copilot create": {"tool_name": "create", "tool_input": {"path": "c.py",
                                                                 "file_text": line}},
        "copilot Write in Claude's envelope": {"tool_name": "Write", "tool_input": {
            "path": "c.py", "file_text": line}},
        "copilot str_replace": {"tool_name": "str_replace", "tool_input": {
            "path": "c.py", "old_str": "x", "new_str": line}},
        "copilot own hook format": {"toolName": "edit", "toolArgs": json.dumps(
            {"path": "c.py", "old_str": "x", "new_str": line})},
        "copilot apply_patch as an Edit": {"tool_name": "Edit", "tool_input": patch(
            "*** Add File: c.py", "+" + line.rstrip())},
        "copilot bash": {"toolName": "bash", "toolArgs": {"command": shell}},
        "gemini write_file": {"tool_name": "write_file", "tool_input": {
            "file_path": "g.py", "content": line}},
        "gemini replace": {"tool_name": "replace", "tool_input": {
            "file_path": "g.py", "old_string": "x", "new_string": line}},
        "gemini run_shell_command": {"tool_name": "run_shell_command",
                                     "tool_input": {"command": shell}},
        "cursor preToolUse Write": {"hook_event_name": "preToolUse", "tool_name": "Write",
                                    "tool_input": {"file_path": "k.py", "contents": line}},
        "opencode write": {"tool_name": "write", "tool_input": {"filePath": "o.py",
                                                                "content": line}},
        "opencode edit": {"tool_name": "edit", "tool_input": {
            "filePath": "o.py", "oldString": "x", "newString": line}},
        "opencode bash": {"tool_name": "bash", "tool_input": {"command": shell}},
        "opencode patch": {"tool_name": "patch", "tool_input": {
            "patchText": patch("*** Add File: o.py", "+" + line.rstrip())}},
    }


@pytest.mark.parametrize("name", list(shapes("x")))
def test_a_credential_written_through_any_client_is_blocked(name, tmp_path):
    value = token(name)
    event = {**shapes(value)[name], "cwd": str(tmp_path)}

    code, _out, err = guard(event)

    assert code == 2, err
    assert "github-pat" in err or "github" in err
    assert value not in err


@pytest.mark.parametrize("name", list(shapes("x")))
def test_the_same_calls_without_a_credential_pass(name, tmp_path):
    event = {**shapes("${GITHUB_TOKEN}")[name], "cwd": str(tmp_path)}
    assert guard(event)[0] == 0


def test_only_the_added_lines_of_a_patch_count(tmp_path):
    removed = patch("*** Update File: config.py", "@@", f'-TOKEN = "{token()}"',
                    '+TOKEN = os.environ["TOKEN"]')
    deleted = patch("*** Delete File: old.py", f"-{token('d')}")
    for text in (removed, deleted):
        event = {"tool_name": "apply_patch", "tool_input": {"command": text},
                 "cwd": str(tmp_path)}
        assert guard(event)[0] == 0


def test_a_patch_names_each_file_it_writes_and_follows_a_move():
    text = patch("*** Add File: a.py", "+a = 1", "*** Update File: b.py", "*** Move to: c.py",
                 "@@", " keep", "+b = 2", "*** End of File", "*** Delete File: d.py", "-gone")
    assert payloads.patch_files(text) == [("a.py", "a = 1\n"), ("c.py", "b = 2\n")]
    event = {"tool_name": "apply_patch", "tool_input": {"command": text}}
    assert payloads.written_paths(event) == ["a.py", "c.py"]


def test_cursor_reads_a_json_deny_on_stdout(tmp_path):
    value = token("cursor")
    event = {"hook_event_name": "beforeShellExecution", "cursor_version": "1.7",
             "command": f"export GITHUB_TOKEN={value}", "cwd": str(tmp_path)}

    code, out, err = guard(event)

    assert code == 2 and "secret_guard: blocked Shell" in err
    verdict = json.loads(out)
    assert verdict["permission"] == "deny" and "github" in verdict["agent_message"]
    assert value not in out


def test_cursor_file_edits_are_written_paths():
    event = {"hook_event_name": "afterFileEdit", "file_path": "/p/a.py",
             "edits": [{"old_string": "x", "new_string": "y"}]}
    assert payloads.written_paths(event) == ["/p/a.py"]


@pytest.mark.parametrize("event", [
    {"tool_name": "Write", "tool_input": "text"},
    {"tool_name": "write_file", "tool_input": {"file_path": 3, "content": "x"}},
    {"toolName": "edit", "toolArgs": "{not json"},
    {"tool_name": "Edit", "tool_input": {"file_path": "a", "edits": "x"}},
    {"tool_name": "Bash", "tool_input": {"command": 5}},
])
def test_a_payload_with_wrong_types_is_not_checked_and_never_blocks(event):
    code, _out, err = guard(event)
    assert code == 1 and "unreadable hook input" in err
    assert payloads.command(event) is None and payloads.written_paths(event) == []


def test_reads_and_unknown_tools_are_no_change():
    assert payloads.changes({"tool_name": "read_file", "tool_input": {"file_path": "a"}}) == []
    assert payloads.changes({}) == []


def test_a_codex_argv_command_is_one_command():
    event = {"tool_name": "shell", "tool_input": {"command": ["git", "commit", "-m", "x"]}}
    assert payloads.command(event) == "git commit -m x"


@pytest.mark.parametrize("event", [
    {"tool_name": "run_shell_command", "tool_input": {"command": "git commit -m x"}},
    {"toolName": "bash", "toolArgs": {"command": "git commit -m x"}},
    {"hook_event_name": "beforeShellExecution", "command": "git commit -m x"},
    {"tool_name": "bash", "tool_input": {"command": "git commit -m x"}},
])
def test_the_gate_judges_a_commit_from_every_client(event):
    assert not tdd_gate.nothing_to_judge(json.dumps(event))
    other = json.loads(json.dumps(event).replace("git commit -m x", "ls"))
    assert tdd_gate.nothing_to_judge(json.dumps(other))


def test_copilot_reads_claudes_json_verdict_with_exit_0(tmp_path):
    value = token("copilot")
    event = {"hook_event_name": "PreToolUse", "timestamp": "2026-12-02T01:19:55.744Z",
             "tool_name": "Bash", "tool_input": {"command": f"export GITHUB_TOKEN={value}"},
             "cwd": str(tmp_path)}

    code, out, err = guard(event)

    assert code == 0 and "secret_guard: blocked Bash" in err
    verdict = json.loads(out)["hookSpecificOutput"]
    assert verdict["permissionDecision"] == "deny"
    assert "secret_guard: blocked Bash" in verdict["permissionDecisionReason"]
    assert value not in out
