"""agent_hooks: each client's hook configuration from hooks/hooks.json, merged into the user's."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from playbook.export import agent_hooks
from playbook.export.plan import everything
from playbook_hooks import secret_guard as sg

ROOT = Path(__file__).resolve().parents[2]
HOOKS_DIR = ".agents/playbook/hooks"


def rendered(agent: str, current: bytes | None = None, selected=everything) -> tuple[str, dict]:
    (part,) = agent_hooks.parts(agent, HOOKS_DIR, selected)
    outcome = part.render(current, None, False)
    return part.rel, json.loads(outcome.data) if part.rel.endswith(".json") else outcome.data


def commands(groups: list[dict]) -> list[str]:
    return [h["command"] for g in groups for h in g.get("hooks", [g])]


def test_codex_gets_its_tool_names_and_every_hook():
    rel, config = rendered("codex")
    assert rel == ".codex/hooks.json"
    pre = config["hooks"]["PreToolUse"]
    assert {g["matcher"] for g in pre} == {"Bash", "apply_patch|Bash"}
    assert [g["matcher"] for g in config["hooks"]["PostToolUse"]] == ["apply_patch"]
    assert any("secret_guard.py" in c for c in commands(pre))
    assert any("tdd_gate.py" in c for c in commands(pre))
    assert "SessionStart" in config["hooks"]
    assert all("if" not in h for g in pre for h in g["hooks"])  # Claude's own condition


def test_gemini_uses_its_events_tool_names_and_milliseconds():
    rel, config = rendered("gemini")
    assert rel == ".gemini/settings.json"
    before = config["hooks"]["BeforeTool"]
    assert {g["matcher"] for g in before} == {"run_shell_command",
                                              "write_file|replace|run_shell_command"}
    assert [g["matcher"] for g in config["hooks"]["AfterTool"]] == ["write_file|replace"]
    assert {h["timeout"] for g in before for h in g["hooks"]} == {10000, 300000}


def test_a_gemini_extension_gets_the_same_hooks_under_its_extension_path():
    config = agent_hooks.gemini_extension_hooks(everything)
    assert "version" not in config
    assert set(config["hooks"]) == {"SessionStart", "BeforeTool", "AfterTool"}
    assert all("${extensionPath}/hooks/" in c for c in commands(config["hooks"]["BeforeTool"]))


def test_copilot_gets_its_own_repository_hooks_file_with_claudes_names():
    # Copilot 1.0.102 loads .github/hooks/*.json; with Claude's event names it calls the hooks
    # with Claude's tool names (its create arrives as Write, bash as Bash).
    rel, config = rendered("copilot")
    assert rel == ".github/hooks/playbook.json" and config["version"] == 1
    assert {g["matcher"] for g in config["hooks"]["PreToolUse"]} == {
        "Write|Edit|MultiEdit|NotebookEdit|Bash|PowerShell", "Bash|PowerShell"}
    assert set(config["hooks"]) == {"SessionStart", "PreToolUse", "PostToolUse"}


def test_cursor_has_flat_entries_and_a_version():
    rel, config = rendered("cursor")
    assert rel == ".cursor/hooks.json" and config["version"] == 1
    hooks = config["hooks"]
    assert len(hooks["beforeShellExecution"]) == 2  # the guard and the gate
    assert [e["matcher"] for e in hooks["preToolUse"]] == ["StrReplace|Edit|Write"]
    assert "autoformat.py" in hooks["afterFileEdit"][0]["command"]
    assert "sessionStart" not in hooks


def test_the_users_config_is_kept_and_a_second_export_changes_nothing():
    mine = {"theme": "dark", "hooks": {"BeforeTool": [
        {"matcher": "x", "hooks": [{"type": "command", "command": "mine"}]}]}}
    current = json.dumps(mine, indent=4).encode()
    (part,) = agent_hooks.parts("gemini", HOOKS_DIR, everything)
    first = part.render(current, None, False)
    merged = json.loads(first.data)
    assert merged["theme"] == "dark" and "mine" in commands(merged["hooks"]["BeforeTool"])
    assert first.data.startswith(b'{\n    "theme": "dark"')  # the user's text, as it was
    again = part.render(first.data, first.record, False)
    assert again.data == first.data


def test_only_selected_hooks_are_configured():
    _rel, config = rendered("codex", selected=lambda key: key == "hook:secret_guard")
    assert set(config["hooks"]) == {"PreToolUse"}
    assert all("secret_guard.py" in c for c in commands(config["hooks"]["PreToolUse"]))
    assert agent_hooks.parts("cursor", HOOKS_DIR, lambda key: False) == []


def test_an_unknown_agent_is_refused():
    with pytest.raises(ValueError, match="unknown agent"):
        agent_hooks.parts("vim", HOOKS_DIR, everything)


def test_a_generated_command_runs_the_launcher_and_fails_open_without_it(tmp_path):
    _rel, config = rendered("codex", selected=lambda key: key == "hook:secret_guard")
    (command,) = commands(config["hooks"]["PreToolUse"])
    token = sg.expand_shape("ghp_{{N30}}{{crc}}", random.Random("cmd"))
    event = json.dumps({"tool_name": "apply_patch", "tool_input": {
        "command": f"*** Begin Patch\n*** Add File: a.py\n+T = '{token}'\n*** End Patch\n"}})
    missing = subprocess.run(command, shell=True, cwd=tmp_path, input=event, text=True,
                             capture_output=True)
    assert missing.returncode == 1 and "not run" in missing.stderr
    shutil.copytree(ROOT / "hooks", tmp_path / HOOKS_DIR)
    found = subprocess.run(command, shell=True, cwd=tmp_path, input=event, text=True,
                           capture_output=True)
    assert found.returncode == 2 and "secret_guard: blocked apply_patch" in found.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the OpenCode plugin")
def test_the_opencode_plugin_blocks_a_credential_and_lets_the_rest_through(tmp_path):
    _rel, source = rendered("opencode")
    plugin = tmp_path / ".opencode/plugins/playbook.js"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(source)
    shutil.copytree(ROOT / "hooks", tmp_path / HOOKS_DIR)
    token = sg.expand_shape("ghp_{{N30}}{{crc}}", random.Random("oc"))
    driver = tmp_path / "drive.mjs"
    driver.write_text(f"""
import {{ PlaybookGuardrails }} from "./.opencode/plugins/playbook.js";
const hooks = await PlaybookGuardrails({{ directory: process.cwd() }});
const results = [];
for (const [tool, args] of [
  ["write", {{ filePath: "a.py", content: "T = '{token}'\\n" }}],
  ["write", {{ filePath: "b.py", content: "x = 1\\n" }}],
  ["read", {{ filePath: "a.py" }}],
]) {{
  try {{ await hooks["tool.execute.before"]({{ tool, callID: tool + args.filePath }}, {{ args }});
        results.push("allowed"); }}
  catch (e) {{ results.push(e.message); }}
}}
await hooks["tool.execute.after"]({{ tool: "write", callID: "writeb.py" }}, {{}});
console.log(JSON.stringify(results));
""")
    done = subprocess.run(["node", str(driver)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    blocked, clean, read = json.loads(done.stdout)
    assert "secret_guard: blocked write" in blocked and token not in blocked
    assert clean == "allowed" and read == "allowed"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the OpenCode plugin")
def test_the_opencode_plugin_starts_the_tdd_gate_only_for_a_git_commit(tmp_path):
    _rel, source = rendered("opencode", selected=lambda key: key == "hook:tdd_gate")
    plugin = tmp_path / ".opencode/plugins/playbook.js"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(source)
    gate = tmp_path / HOOKS_DIR / "tdd_gate.py"
    gate.parent.mkdir(parents=True)
    gate.write_text("import sys\nopen('started.log', 'a').write(sys.stdin.read() + '\\n')\n")
    driver = tmp_path / "drive.mjs"
    driver.write_text("""
import { PlaybookGuardrails } from "./.opencode/plugins/playbook.js";
const hooks = await PlaybookGuardrails({ directory: process.cwd() });
for (const command of ["git status", "ls -la", "git add -A && git commit -m 'x'"]) {
  await hooks["tool.execute.before"]({ tool: "bash", callID: command }, { args: { command } });
}
""")
    done = subprocess.run(["node", str(driver)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    started = [json.loads(line)["tool_input"]["command"]
               for line in (tmp_path / "started.log").read_text().splitlines() if line]
    assert started == ["git add -A && git commit -m 'x'"]


def test_claudes_if_becomes_a_filter_on_the_command_in_the_opencode_plugin():
    import re

    _rel, source = rendered("opencode")
    text = source.decode()
    hooks = json.loads(text[text.index("const HOOKS = ") + 14: text.index(";\n\nfunction run")])
    (gate,) = [h for h in hooks if h["args"][-1].endswith("tdd_gate.py")]
    assert gate["tools"] == ["bash"]
    pattern = re.compile(gate["command_if"])
    assert pattern.search("git add -A && git commit -m 'x'")
    assert not pattern.search("git status") and not pattern.search("pytest -q")
    assert all("command_if" not in h for h in hooks if h is not gate)
