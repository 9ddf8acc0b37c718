"""hooks/hooks.json and .pre-commit-hooks.yaml: what registers each hook, checked against the
hooks themselves and against the real Claude Code client."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from playbook.examples.toolchains import which

ROOT = Path(__file__).resolve().parents[2]
HOOKS_JSON = ROOT / "hooks" / "hooks.json"
PRE_COMMIT_HOOKS = ROOT / ".pre-commit-hooks.yaml"
COMMAND = re.compile(r'^python3 "\$\{CLAUDE_PLUGIN_ROOT\}/hooks/(?P<script>[a-z_]+\.py)"$')

# The registrations the issue asks for: script -> (event, matcher).
EXPECTED = {
    "secret_guard.py": ("PreToolUse", "Write|Edit|MultiEdit|NotebookEdit|Bash"),
    "tdd_gate.py": ("PreToolUse", "Bash"),
    "autoformat.py": ("PostToolUse", "Write|Edit|MultiEdit"),
}


def registrations() -> list[tuple[str, str, dict]]:
    """(event, matcher, handler) for every handler in hooks.json."""
    config = json.loads(HOOKS_JSON.read_text(encoding="utf-8"))
    return [
        (event, group.get("matcher", ""), handler)
        for event, groups in config["hooks"].items()
        for group in groups
        for handler in group["hooks"]
    ]


def script_of(handler: dict) -> str:
    match = COMMAND.match(handler["command"])
    assert match, f"unexpected command form: {handler['command']}"
    return match.group("script")


def test_the_file_is_a_plugin_hooks_object_with_a_description():
    config = json.loads(HOOKS_JSON.read_text(encoding="utf-8"))
    assert set(config) == {"description", "hooks"}
    assert "python3" in config["description"] and "Windows" in config["description"]


def test_each_hook_is_registered_once_with_its_event_and_matcher():
    found = {script_of(handler): (event, matcher) for event, matcher, handler in registrations()}
    assert found == EXPECTED
    assert len(registrations()) == len(EXPECTED)


@pytest.mark.parametrize(("event", "matcher", "handler"), registrations())
def test_commands_are_portable(event, matcher, handler):
    # No shell syntax beyond the quoted plugin root: no jq, pipes, `||` fallbacks or $(...).
    assert handler["type"] == "command"
    assert COMMAND.match(handler["command"])
    assert (ROOT / "hooks" / script_of(handler)).name in EXPECTED
    # Exact tool names only: anything else is an unanchored regular expression.
    assert re.fullmatch(r"[A-Za-z|]+", matcher)


@pytest.mark.parametrize(("event", "matcher", "handler"), registrations())
def test_each_handler_has_a_timeout_in_seconds(event, matcher, handler):
    assert isinstance(handler.get("timeout"), int) and 5 <= handler["timeout"] <= 600


def hook_module_text(script: str) -> str:
    path = ROOT / "hooks" / script
    if not path.exists():
        pytest.skip(f"hooks/{script} is not written yet")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_each_docstring_names_its_event_matcher_and_exceptions(script):
    text = hook_module_text(script)
    docstring = re.match(r'#![^\n]*\n"""(.*?)"""', text, re.DOTALL)
    assert docstring, f"{script} starts with a shebang and a module docstring"
    event, matcher = EXPECTED[script]
    assert f"Event: {event}" in docstring.group(1)
    assert f"Matcher: `{matcher}`" in docstring.group(1)
    assert re.search(r"exception", docstring.group(1), re.IGNORECASE)


def load_hook(name: str):
    spec = importlib.util.spec_from_file_location(f"playbook_{name}", ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_time_limits_inside_the_hooks_are_under_the_hook_timeouts():
    autoformat, tdd_gate = load_hook("autoformat"), load_hook("tdd_gate")
    timeouts = {script_of(handler): handler["timeout"] for _, _, handler in registrations()}
    assert autoformat.FORMAT_TIMEOUT_SECONDS < timeouts["autoformat.py"]
    assert tdd_gate.DEFAULT_TEST_TIMEOUT < timeouts["tdd_gate.py"]


@pytest.mark.skipif(os.name == "nt" or shutil.which("python3") is None, reason="POSIX sh")
@pytest.mark.parametrize(("event", "matcher", "handler"), registrations())
def test_each_command_runs_as_written(event, matcher, handler, tmp_path):
    """Run the command string through sh, as Claude Code does, with a harmless payload."""
    if not (ROOT / "hooks" / script_of(handler)).exists():
        pytest.skip(f"{script_of(handler)} is not written yet")
    tool = "Bash" if matcher == "Bash" else "Write"
    tool_input = (
        {"command": "ls -la"}
        if tool == "Bash"
        else {"file_path": str(tmp_path / "notes.txt"), "content": "hello\n"}
    )
    payload = {
        "session_id": "s",
        "transcript_path": str(tmp_path / "t.jsonl"),
        "cwd": str(tmp_path),
        "hook_event_name": event,
        "tool_name": tool,
        "tool_input": tool_input,
    }
    (tmp_path / "notes.txt").write_text("hello\n")
    env = {**os.environ, "CLAUDE_PLUGIN_ROOT": str(ROOT), "CLAUDE_PROJECT_DIR": str(tmp_path)}
    command = handler["command"].replace("${CLAUDE_PLUGIN_ROOT}", str(ROOT))

    done = subprocess.run(
        ["sh", "-c", command], input=json.dumps(payload), env=env, capture_output=True, text=True
    )

    assert (done.returncode, done.stderr) == (0, "")


# --- .pre-commit-hooks.yaml --------------------------------------------------------------------


def pre_commit_hooks() -> list[dict]:
    return yaml.safe_load(PRE_COMMIT_HOOKS.read_text(encoding="utf-8"))


def test_pre_commit_hooks_offers_tdd_gate_and_secret_guard():
    hooks = {hook["id"]: hook for hook in pre_commit_hooks()}
    assert set(hooks) == {"tdd-gate", "secret-guard"}
    assert hooks["tdd-gate"]["entry"] == "hooks/tdd_gate.py check"
    assert hooks["tdd-gate"]["pass_filenames"] is False
    assert hooks["tdd-gate"]["stages"] == ["pre-commit"]
    assert hooks["secret-guard"]["entry"] == "hooks/secret_guard.py --scan"
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "script"  # entry is a path inside this repository


@pytest.mark.skipif(os.name == "nt", reason="the executable bit is a POSIX notion")
@pytest.mark.parametrize("hook", pre_commit_hooks(), ids=lambda hook: hook["id"])
def test_pre_commit_script_entries_are_executable_python_scripts(hook):
    # pre-commit runs a `script` entry directly: it needs the executable bit and a shebang.
    script = ROOT / hook["entry"].split()[0]
    first_line = hook_module_text(script.name).splitlines()[0]
    assert first_line == "#!/usr/bin/env python3"
    assert os.access(script, os.X_OK), f"chmod +x {script.relative_to(ROOT)} (git: mode 100755)"


# --- The real client -------------------------------------------------------------------------


def claude_cli() -> str | None:
    """The pinned client in .tools/ (or CLAUDE_CLI, or one on PATH): the tool registry's."""
    return which("claude")


@pytest.mark.slow
@pytest.mark.needs("claude")
def test_claude_plugin_validate_strict_accepts_hooks_json(tmp_path):
    plugin = tmp_path / "plugin"
    (plugin / ".claude-plugin").mkdir(parents=True)
    (plugin / ".claude-plugin" / "plugin.json").write_text(
        json.dumps(
            {"name": "x", "version": "0.0.0", "description": "test plugin", "author": {"name": "t"}}
        )
    )
    shutil.copytree(ROOT / "hooks", plugin / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    home = Path(tempfile.mkdtemp(dir=tmp_path))
    env = {
        **os.environ,
        "HOME": str(home),
        "DISABLE_AUTOUPDATER": "1",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    }

    done = subprocess.run(
        [claude_cli(), "plugin", "validate", "--strict", "--json", str(plugin)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["success"] is True
    problems = [
        item
        for part in [report["manifest"], *report["contents"]]
        for item in part["errors"] + part["warnings"]
    ]
    assert problems == []
    provided = {(h["event"], h["matcher"], h["command"]) for h in report["provides"]["hooks"]}
    assert provided == {(e, m, h["command"]) for e, m, h in registrations()}
