"""``export agents``, ``export gemini-extension`` and ``export cursor-plugin`` on the fixture
repository: where each client's files land, the portable SKILL.md, the subagents in each
client's format, the AGENTS.md / GEMINI.md sections merged like CLAUDE.md, and the edges
(second run, user's text, --dry-run, a broken file in the target)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tomllib
import yaml
from playbook.export import frontmatter

from tests.export.conftest import POLICY, Run, contents, snapshot
from tests.fixtures.content import write_file

USER_AGENTS_MD = "# Our project\n\nRun `make test` before pushing.\n"
CLIENT_AGENT_PATHS = (".codex/agents/widget-reviewer.toml", ".opencode/agents/widget-reviewer.md",
                      ".gemini/agents/widget-reviewer.md", ".cursor/agents/widget-reviewer.md",
                      ".github/agents/widget-reviewer.agent.md")
# Gemini CLI 0.61's tool names (the *_TOOL_NAME constants of its bundle).
GEMINI_TOOL_NAMES = {"read_file", "write_file", "replace", "run_shell_command", "glob",
                     "grep_search", "list_directory", "web_fetch", "google_web_search",
                     "write_todos", "read_many_files"}


def head(data: bytes) -> tuple[dict, str]:
    return frontmatter.load(data.decode("utf-8"))


def test_one_export_gives_every_client_the_skills_policy_and_subagents(run: Run, source: Path,
                                                                       project: Path):
    code, out, err = run("agents", "--target", project)
    assert code == 0, err
    files = contents(project)
    assert files[".agents/skills/widgets/SKILL.md"] == (source / "skills/widgets/SKILL.md"
                                                       ).read_bytes()
    assert files[".agents/skills/widgets/references/deep.md"].startswith(b"# Deep")
    assert ".agents/skills/gadgets/SKILL.md" in files
    assert not any(rel.startswith(".agents/skills/skills/") for rel in files)
    for memory in ("AGENTS.md", "GEMINI.md"):
        text = files[memory].decode()
        assert text.startswith("<!-- playbook:begin: written by `python -m playbook.export "
                               "agents`")
        assert "- Red, green, refactor." in text and text.endswith("<!-- playbook:end -->\n")
    for rel in CLIENT_AGENT_PATHS:
        assert rel in files
    assert files[".agents/playbook/hooks/guard.py"] == (source / "hooks/guard.py").read_bytes()
    assert not any(rel.startswith(".claude/") or rel == "CLAUDE.md" for rel in files)
    assert ".agents/playbook.lock.json" in files
    assert "created" in out


def test_skill_md_keeps_only_the_agent_skills_keys(run: Run, source: Path, project: Path):
    original = (source / "skills/widgets/SKILL.md").read_text()
    claude_only = original.replace(
        "license: MIT\n",
        "license: MIT\ndisable-model-invocation: true\nwhen_to_use: |\n  Widgets.\n  More.\n")
    (source / "skills/widgets/SKILL.md").write_text(claude_only)
    assert run("agents", "--target", project)[0] == 0
    exported = (project / ".agents/skills/widgets/SKILL.md").read_text()
    assert exported == original  # the other keys and the body byte for byte
    data, _body = frontmatter.load(exported)
    assert set(data) == {"name", "description", "license", "metadata"}


def test_user_text_is_kept_and_a_second_export_writes_nothing(run: Run, project: Path):
    (project / "AGENTS.md").write_text(USER_AGENTS_MD)
    assert run("agents", "--target", project)[0] == 0
    text = (project / "AGENTS.md").read_text()
    assert text.startswith(USER_AGENTS_MD + "\n<!-- playbook:begin")
    before = snapshot(project)
    code, out, err = run("agents", "--target", project)
    assert code == 0, err
    assert snapshot(project) == before
    assert "up to date, nothing to write" in out


def test_a_new_policy_replaces_only_the_section(run: Run, source: Path, project: Path):
    (project / "AGENTS.md").write_text(USER_AGENTS_MD)
    assert run("agents", "--target", project)[0] == 0
    (source / "policy/tdd-and-models.md").write_text(POLICY + "- Review every change.\n")
    assert run("agents", "--target", project)[0] == 0
    text = (project / "AGENTS.md").read_text()
    assert text.startswith(USER_AGENTS_MD) and text.count("playbook:begin") == 1
    assert "- Review every change." in text


def test_dry_run_writes_nothing_and_shows_the_diff(run: Run, project: Path):
    code, out, _err = run("agents", "--target", project, "--dry-run")
    assert code == 0
    assert list(project.iterdir()) == []
    assert "+++ b/.codex/agents/widget-reviewer.toml" in out and "would change" in out


def test_a_broken_agents_md_is_reported_as_path_line_col_and_nothing_is_written(
        run: Run, project: Path):
    (project / "AGENTS.md").write_text("# Mine\n<!-- playbook:begin -->\n<!-- playbook:begin "
                                       "-->\n")
    code, _out, err = run("agents", "--target", project)
    assert code == 1
    assert re.search(r"AGENTS\.md:3:1: PB\d+ the playbook:begin / playbook:end markers", err)
    assert sorted(p.name for p in project.iterdir()) == ["AGENTS.md"]


def test_a_file_the_user_changed_is_kept_and_reported(run: Run, project: Path):
    assert run("agents", "--target", project)[0] == 0
    mine = project / ".codex/agents/widget-reviewer.toml"
    mine.write_text('name = "mine"\n')
    code, _out, err = run("agents", "--target", project)
    assert code == 0
    assert mine.read_text() == 'name = "mine"\n'
    assert "widget-reviewer.toml:1:1:" in err and "--force" in err
    assert run("agents", "--target", project, "--force")[0] == 0
    assert mine.read_text() != 'name = "mine"\n'


def test_subagents_in_each_clients_format(run: Run, source: Path, project: Path):
    assert run("agents", "--target", project)[0] == 0
    body = "\nYou review widgets.\n"
    codex = tomllib.loads((project / CLIENT_AGENT_PATHS[0]).read_text())
    assert codex == {"name": "widget-reviewer",
                     "description": "Reviews widgets. Use proactively after widget changes.",
                     "model_reasoning_effort": "medium", "sandbox_mode": "read-only",
                     "developer_instructions": "You review widgets."}
    opencode, text = head((project / CLIENT_AGENT_PATHS[1]).read_bytes())
    assert opencode["mode"] == "subagent" and opencode["permission"] == {"edit": "deny"}
    assert "model" not in opencode and text == body
    gemini, text = head((project / CLIENT_AGENT_PATHS[2]).read_bytes())
    assert gemini["kind"] == "local" and gemini["name"] == "widget-reviewer"
    assert gemini["tools"] == ["read_file", "grep_search", "glob"]
    assert set(gemini["tools"]) <= GEMINI_TOOL_NAMES and text == body
    cursor, _text = head((project / CLIENT_AGENT_PATHS[3]).read_bytes())
    assert cursor == {"name": "widget-reviewer", "description": codex["description"],
                      "model": "inherit", "readonly": True}
    copilot, _text = head((project / CLIENT_AGENT_PATHS[4]).read_bytes())
    assert copilot["tools"] == ["read", "search"]


def test_an_agent_that_edits_is_not_made_read_only_and_haiku_runs_fast(run: Run, source: Path,
                                                                        project: Path):
    text = (source / "agents/widget-reviewer.md").read_text()
    text = text.replace("tools: Read, Grep, Glob", "tools: Read, Edit, Bash").replace(
        "model: sonnet", "model: haiku")
    (source / "agents/widget-reviewer.md").write_text(text)
    assert run("agents", "--target", project)[0] == 0
    codex = tomllib.loads((project / CLIENT_AGENT_PATHS[0]).read_text())
    assert "sandbox_mode" not in codex and codex["model_reasoning_effort"] == "low"
    assert "permission" not in head((project / CLIENT_AGENT_PATHS[1]).read_bytes())[0]
    cursor = head((project / CLIENT_AGENT_PATHS[3]).read_bytes())[0]
    assert cursor["model"] == "fast" and "readonly" not in cursor
    gemini = head((project / CLIENT_AGENT_PATHS[2]).read_bytes())[0]
    assert gemini["tools"] == ["read_file", "replace", "run_shell_command"]


def test_only_agents_writes_the_subagents_alone(run: Run, project: Path):
    assert run("agents", "--target", project, "--only", "agents")[0] == 0
    files = contents(project)
    assert all(rel in files for rel in CLIENT_AGENT_PATHS)
    assert not any(rel.startswith(".agents/skills/") for rel in files)
    assert "AGENTS.md" not in files


def test_every_client_gets_the_exported_hooks_in_its_own_file(run: Run, project: Path):
    assert run("agents", "--target", project)[0] == 0
    files = contents(project)
    launcher = ".agents/playbook/hooks/guard.py"
    codex = json.loads(files[".codex/hooks.json"])
    assert [g["matcher"] for g in codex["hooks"]["PreToolUse"]] == ["Bash"]
    assert launcher in codex["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
    copilot = json.loads(files[".github/hooks/playbook.json"])
    assert copilot["version"] == 1 and set(copilot["hooks"]) == {"PreToolUse", "PostToolUse"}
    gemini = json.loads(files[".gemini/settings.json"])
    assert [g["matcher"] for g in gemini["hooks"]["BeforeTool"]] == ["run_shell_command"]
    cursor = json.loads(files[".cursor/hooks.json"])
    assert launcher in cursor["hooks"]["beforeShellExecution"][0]["command"]
    assert b"hooks/guard.py" in files[".opencode/plugins/playbook.js"]
    assert ".claude/settings.json" not in files  # export claude's, not ours


def test_only_the_selected_hook_is_configured(run: Run, project: Path):
    assert run("agents", "--target", project, "--only", "fmt")[0] == 0
    codex = json.loads((project / ".codex/hooks.json").read_text())
    assert set(codex["hooks"]) == {"PostToolUse"}
    assert not (project / ".agents/playbook/hooks/guard.py").exists()


def test_without_hooks_no_hook_config_is_written(run: Run, project: Path):
    assert run("agents", "--target", project, "--only", "widgets")[0] == 0
    files = contents(project)
    for config in (".codex/hooks.json", ".gemini/settings.json", ".cursor/hooks.json",
                   ".github/hooks/playbook.json", ".opencode/plugins/playbook.js"):
        assert config not in files


# --- packages ------------------------------------------------------------------------------


def test_gemini_extension_carries_context_skills_and_agents(run: Run, source: Path,
                                                            tmp_path: Path):
    target = tmp_path / "gemini"
    assert run("gemini-extension", "--target", target)[0] == 0
    files = contents(target)
    manifest = json.loads(files["gemini-extension.json"])
    assert manifest["name"] == "playbook" and manifest["contextFileName"] == "GEMINI.md"
    assert re.match(r"^\d+\.\d+\.\d+\+[0-9a-f]{12}$", manifest["version"])
    assert files["GEMINI.md"].decode() == POLICY
    assert "skills/widgets/references/deep.md" in files
    assert head(files["agents/widget-reviewer.md"])[0]["kind"] == "local"
    assert files["hooks/guard.py"] == (source / "hooks/guard.py").read_bytes()
    hooks = json.loads(files["hooks/hooks.json"])["hooks"]
    assert [g["matcher"] for g in hooks["BeforeTool"]] == ["run_shell_command"]
    assert "${extensionPath}/hooks/guard.py" in hooks["BeforeTool"][0]["hooks"][0]["command"]
    assert [g["matcher"] for g in hooks["AfterTool"]] == ["write_file|replace"]


def test_cursor_plugin_manifest_has_the_documented_shape(run: Run, tmp_path: Path):
    target = tmp_path / "cursor"
    assert run("cursor-plugin", "--target", target)[0] == 0
    files = contents(target)
    manifest = json.loads(files[".cursor-plugin/plugin.json"])
    # cursor.com/docs/reference/plugins: name required, kebab-case; no other keys than these.
    documented = {"name", "displayName", "description", "version", "author", "publisher",
                  "homepage", "repository", "license", "logo", "keywords", "category", "tags",
                  "rules", "agents", "skills", "commands", "hooks", "mcpServers"}
    assert set(manifest) <= documented
    assert re.match(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", manifest["name"])
    assert isinstance(manifest["author"]["name"], str)
    for key in ("skills", "agents", "rules"):
        folder = manifest[key].removeprefix("./")
        assert any(rel.startswith(folder) for rel in files), key
    rule, text = head(files["rules/playbook.mdc"])
    assert rule["alwaysApply"] is True and "- Red, green, refactor." in text
    assert yaml.safe_load(files["agents/widget-reviewer.md"].decode().split("---")[1])[
        "readonly"] is True


def test_console_cli_runs_the_agents_export(source: Path, project: Path,
                                            capsys: pytest.CaptureFixture[str]):
    from playbook.cli import main

    write_file(project, "AGENTS.md", USER_AGENTS_MD)
    assert main(["export", "agents", "--target", str(project), "--source", str(source)]) == 0
    assert (project / ".agents/skills/widgets/SKILL.md").is_file()
    assert "created" in capsys.readouterr().out


def test_a_target_that_is_a_file_is_reported_and_fails(run: Run, tmp_path: Path):
    target = tmp_path / "plain-file"
    target.write_text("x")
    code, _out, err = run("agents", "--target", target)
    assert code == 1
    assert re.match(rf"^{re.escape(target.as_posix())}:1:1: PB\d+ the target is not a "
                    "directory", err)


def test_remove_takes_out_what_the_export_wrote_and_keeps_the_users_text(run: Run,
                                                                         project: Path):
    (project / "AGENTS.md").write_text(USER_AGENTS_MD)
    assert run("agents", "--target", project)[0] == 0
    code, _out, err = run("agents", "--target", project, "--remove")
    assert code == 0, err
    assert contents(project) == {"AGENTS.md": USER_AGENTS_MD.encode()}
