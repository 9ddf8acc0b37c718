"""hooks/hooks.json and .pre-commit-hooks.yaml: what registers each hook, checked against the
hooks themselves and against the real Claude Code client."""

from __future__ import annotations

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
LAUNCHER = re.compile(r"^\$\{CLAUDE_PLUGIN_ROOT\}/hooks/(?P<script>[a-z_]+\.py)$")

# The registrations the issues ask for: (script, event, matcher, if).
EXPECTED = {
    ("session_policy.py", "SessionStart", "startup|clear|compact", None),
    ("secret_guard.py", "PreToolUse", "Write|Edit|MultiEdit|NotebookEdit|Bash|PowerShell", None),
    ("tdd_gate.py", "PreToolUse", "Bash", "Bash(git *commit*)"),
    ("tdd_gate.py", "PreToolUse", "PowerShell", "PowerShell(git *commit*)"),
    ("autoformat.py", "PostToolUse", "Write|Edit|MultiEdit", None),
}
SCRIPTS = sorted({script for script, *_ in EXPECTED})


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
    match = LAUNCHER.match(handler["args"][-1])
    assert match, f"unexpected launcher path: {handler['args'][-1]}"
    return match.group("script")


def test_the_file_is_a_plugin_hooks_object_with_a_description():
    config = json.loads(HOOKS_JSON.read_text(encoding="utf-8"))
    assert set(config) == {"description", "hooks"}
    assert "python3" in config["description"] and "Windows" in config["description"]


def test_each_hook_is_registered_once_with_its_event_and_matcher():
    found = [(script_of(h), event, matcher, h.get("if")) for event, matcher, h in registrations()]
    assert sorted(found, key=str) == sorted(EXPECTED, key=str)


def test_every_launcher_is_registered_and_every_registered_launcher_exists():
    launchers = {path.name for path in (ROOT / "hooks").glob("*.py")}
    assert launchers == set(SCRIPTS)


@pytest.mark.parametrize(("event", "matcher", "handler"), registrations())
def test_commands_run_in_exec_form_through_one_bootstrap(event, matcher, handler):
    # No shell parses them: python3 with arguments, the same four-line bootstrap for all.
    assert handler["type"] == "command"
    assert handler["command"] == "python3"
    options, (flag, boot, _launcher) = handler["args"][:-3], handler["args"][-3:]
    assert flag == "-c" and boot == registrations()[0][2]["args"][-2]
    # -S (no site-packages) for all but the gate, which looks for pytest there.
    assert options == ([] if script_of(handler) == "tdd_gate.py" else ["-S"])
    # Exact names only: anything else is an unanchored regular expression.
    assert re.fullmatch(r"[A-Za-z|]+", matcher)


@pytest.mark.parametrize(("event", "matcher", "handler"), registrations())
def test_each_handler_has_a_timeout_in_seconds(event, matcher, handler):
    assert isinstance(handler.get("timeout"), int) and 5 <= handler["timeout"] <= 600


def hook_module_text(script: str) -> str:
    """A hook's code (in the package), which must exist: a missing hook fails, never skips."""
    path = ROOT / "hooks" / "playbook_hooks" / script
    assert path.is_file(), f"hooks/playbook_hooks/{script} is missing"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_docstring_names_its_event_matcher_and_exceptions(script):
    for text in (hook_module_text(script), (ROOT / "hooks" / script).read_text("utf-8")):
        docstring = re.match(r'#![^\n]*\n"""(.*?)"""', text, re.DOTALL)
        assert docstring, f"{script} starts with a shebang and a module docstring"
        for _, event, _matcher, _if in (e for e in EXPECTED if e[0] == script):
            assert f"Event: {event}" in docstring.group(1)
        assert re.search(r"Matcher: `[^`]+`", docstring.group(1))
        assert re.search(r"exception|fails|failure", docstring.group(1), re.IGNORECASE)


@pytest.mark.parametrize("script", SCRIPTS)
def test_launchers_stay_a_few_lines(script):
    code = [line for line in (ROOT / "hooks" / script).read_text("utf-8").split('"""')[-1]
            .splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert len(code) <= 12, code


def test_time_limits_inside_the_hooks_are_under_the_hook_timeouts():
    from playbook_hooks import autoformat, tdd_gate

    timeouts = {script_of(handler): handler["timeout"] for _, _, handler in registrations()}
    assert autoformat.FORMAT_TIMEOUT_SECONDS < timeouts["autoformat.py"]
    assert tdd_gate.DEFAULT_TEST_TIMEOUT < timeouts["tdd_gate.py"]


def harmless_payload(event: str, matcher: str, tmp_path: Path) -> dict:
    tool = "Bash" if "Bash" in matcher.split("|")[0] else matcher.split("|")[0]
    tool_input = (
        {"command": "git commit --dry-run"}
        if tool in {"Bash", "PowerShell"}
        else {"file_path": str(tmp_path / "notes.txt"), "content": "hello\n"}
    )
    payload = {"session_id": "s", "transcript_path": str(tmp_path / "t.jsonl"),
               "cwd": str(tmp_path), "hook_event_name": event}
    if event == "SessionStart":
        return {**payload, "source": "startup"}
    return {**payload, "tool_name": tool, "tool_input": tool_input}


def run_registered(handler: dict, root: Path, payload: dict, tmp_path: Path):
    """Run the handler exactly as hooks.json gives it, as Claude Code does: no shell."""
    (tmp_path / "notes.txt").write_text("hello\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAYBOOK_", "CLAUDE_"))}
    env.update(CLAUDE_PLUGIN_ROOT=str(root), CLAUDE_PROJECT_DIR=str(tmp_path),
               CLAUDE_PLUGIN_DATA=str(tmp_path / "data"))
    args = [arg.replace("${CLAUDE_PLUGIN_ROOT}", str(root)) for arg in handler["args"]]
    return subprocess.run([handler["command"], *args], input=json.dumps(payload), env=env,
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)


@pytest.mark.skipif(shutil.which("python3") is None, reason="python3 is what hooks.json names")
@pytest.mark.parametrize(("event", "matcher", "handler"), registrations())
def test_each_command_runs_as_written(event, matcher, handler, tmp_path):
    done = run_registered(handler, ROOT, harmless_payload(event, matcher, tmp_path), tmp_path)

    assert done.returncode == 0 and done.stderr == ""
    script = script_of(handler).removesuffix(".py")
    cached = list((tmp_path / "data" / "pycache").rglob(f"playbook_hooks/{script}.*.pyc"))
    assert cached, "the hook's code is cached under CLAUDE_PLUGIN_DATA"
    assert not list(tmp_path.rglob("__pycache__")), "bytecode must not land in the project"


# --- Fail open: a broken install never blocks ------------------------------------------------


def broken_copy(tmp_path: Path, script: str, how: str) -> Path:
    root = tmp_path / "plugin"
    shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    code = root / "hooks" / "playbook_hooks" / script
    launcher = root / "hooks" / script
    if how == "code missing":
        code.unlink()
    elif how == "package missing":
        shutil.rmtree(root / "hooks" / "playbook_hooks")
    elif how == "launcher missing":
        launcher.unlink()
    elif how == "launcher unreadable":  # a directory where the file should be: root reads all
        launcher.unlink()
        launcher.mkdir()
    elif how == "code unreadable":
        code.write_bytes(b"\xff\xfe not python \x00")
    elif how == "code raises on import":
        code.write_text("raise RuntimeError('broken\\ninstall')\n")
    elif how == "main raises":
        code.write_text("def main():\n    raise KeyError('boom')\n")
    elif how == "syntax error":
        launcher.write_text("this is not python\n")
    return root


BREAKAGES = ["code missing", "package missing", "launcher missing", "launcher unreadable",
             "code unreadable", "code raises on import", "main raises", "syntax error"]


@pytest.mark.skipif(shutil.which("python3") is None, reason="python3 is what hooks.json names")
@pytest.mark.parametrize("how", BREAKAGES)
@pytest.mark.parametrize(("event", "matcher", "handler"), registrations())
def test_a_broken_hook_fails_open_with_one_line(event, matcher, handler, how, tmp_path):
    root = broken_copy(tmp_path, script_of(handler), how)

    done = run_registered(handler, root, harmless_payload(event, matcher, tmp_path), tmp_path)

    assert done.returncode == 1, (done.returncode, done.stderr)  # 2 would block the tool call
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.endswith("\n"), done.stderr
    assert script_of(handler).removesuffix(".py") in done.stderr or "hook" in done.stderr


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
    first_line = script.read_text(encoding="utf-8").splitlines()[0]
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
    provided = {(h["event"], h["matcher"]) for h in report["provides"]["hooks"]}
    assert provided == {(e, m) for e, m, h in registrations()}


def test_without_a_plugin_data_directory_bytecode_goes_to_the_users_cache(tmp_path):
    """As `export claude` installs them: the hooks inside the user's repository."""
    hooks = tmp_path / "project" / ".claude" / "hooks"
    shutil.copytree(ROOT / "hooks", hooks, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAYBOOK_", "CLAUDE_"))}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONDONTWRITEBYTECODE="1")
    payload = {"hook_event_name": "PreToolUse", "tool_name": "Write", "cwd": str(hooks.parent),
               "tool_input": {"file_path": "a.txt", "content": "hello\n"}}

    done = subprocess.run([sys.executable, str(hooks / "secret_guard.py")], env=env, text=True,
                          input=json.dumps(payload), capture_output=True, timeout=60)

    assert (done.returncode, done.stderr) == (0, "")
    assert list((tmp_path / "cache" / "playbook" / "pycache").rglob("secret_guard.*.pyc"))
    assert not list((tmp_path / "project").rglob("__pycache__"))
