"""export claude: the .claude/ layout, merged settings, the CLAUDE.md section and the manifest."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.export.conftest import Run, contents, snapshot
from tests.fixtures.content import HOOKS_JSON

USER_SETTINGS = """{
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "permissions": {
        "allow": ["Bash(npm run test:*)", "Read(~/.zshrc)"],
        "deny": ["Read(./.env)"]
    },
    "env": {"FOO": "bar", "ÜBER": "naïve"},
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [{"type": "command", "command": "my-own-check.sh"}]
            }
        ]
    },
    "includeCoAuthoredBy": false
}
"""

USER_CLAUDE_MD = """# My project

Use tabs.\tReally.

<!-- a comment of mine -->
- keep this line
"""


def settings(project: Path) -> dict:
    return json.loads((project / ".claude/settings.json").read_text())


def our_groups(data: dict, event: str, script: str) -> list[dict]:
    return [g for g in data["hooks"].get(event, []) if script in json.dumps(g)]


def is_subsequence(lines: list[str], within: list[str]) -> bool:
    it = iter(within)
    return all(line in it for line in lines)


# --- layout --------------------------------------------------------------------------------


def test_exports_the_claude_layout_into_a_fresh_project(run: Run, source: Path, project: Path):
    code, out, err = run("claude", "--target", project)
    assert code == 0, err
    files = contents(project)
    skill = (source / "skills/widgets/SKILL.md").read_bytes()
    assert files[".claude/skills/widgets/SKILL.md"] == skill  # frontmatter untouched
    assert files[".claude/skills/widgets/references/deep.md"].startswith(b"# Deep")
    assert files[".claude/skills/widgets/assets/logo.png"] == (
        source / "skills/widgets/assets/logo.png").read_bytes()
    assert os.stat(project / ".claude/skills/widgets/scripts/check.sh").st_mode & stat.S_IXUSR
    assert not any("__pycache__" in rel for rel in files)
    assert ".claude/skills/gadgets/SKILL.md" in files
    agent = (source / "agents/widget-reviewer.md").read_bytes()
    assert files[".claude/agents/widget-reviewer.md"] == agent
    assert files[".claude/hooks/guard.py"] == (source / "hooks/guard.py").read_bytes()
    assert ".claude/hooks/fmt.py" in files
    assert ".claude/playbook.lock.json" in files
    data = settings(project)
    assert data["model"] == "opusplan"
    assert data["hooks"]["PreToolUse"] == [{"matcher": "Bash", "hooks": [{
        "type": "command", "command": 'python3 "${CLAUDE_PROJECT_DIR}/.claude/hooks/guard.py"',
        "timeout": 10}]}]
    assert data["hooks"]["PostToolUse"][0]["matcher"] == "Write|Edit"
    assert data["hooks"]["PostToolUse"][0]["hooks"][0]["timeout"] == 30
    claude_md = (project / "CLAUDE.md").read_text()
    assert claude_md.startswith("<!-- playbook:begin")
    assert "- Red, green, refactor." in claude_md
    assert claude_md.endswith("<!-- playbook:end -->\n")
    assert "created" in out and "changed" in out


def test_merge_keeps_every_line_of_the_users_settings_and_claude_md(run: Run, project: Path):
    (project / ".claude").mkdir()
    (project / ".claude/settings.json").write_text(USER_SETTINGS, encoding="utf-8")
    (project / "CLAUDE.md").write_text(USER_CLAUDE_MD, encoding="utf-8")
    code, _out, err = run("claude", "--target", project)
    assert code == 0, err
    text = (project / ".claude/settings.json").read_text(encoding="utf-8")
    assert is_subsequence(USER_SETTINGS.splitlines(), text.splitlines())
    data = json.loads(text)
    user = json.loads(USER_SETTINGS)
    for key in ("$schema", "permissions", "env", "includeCoAuthoredBy"):
        assert data[key] == user[key]
    assert user["hooks"]["PreToolUse"][0] in data["hooks"]["PreToolUse"]  # theirs stays
    assert len(our_groups(data, "PreToolUse", "guard.py")) == 1
    assert data["model"] == "opusplan"
    assert (project / "CLAUDE.md").read_text(encoding="utf-8").startswith(USER_CLAUDE_MD + "\n")


def test_a_second_run_writes_nothing_and_says_so(run: Run, project: Path):
    (project / "CLAUDE.md").write_text(USER_CLAUDE_MD)
    assert run("claude", "--target", project)[0] == 0
    before = snapshot(project)
    code, out, err = run("claude", "--target", project)
    assert code == 0, err
    assert snapshot(project) == before
    assert "up to date, nothing to write" in out


def test_our_hook_entries_are_added_once_even_with_force(run: Run, project: Path):
    for _ in range(3):
        assert run("claude", "--target", project, "--force")[0] == 0
    data = settings(project)
    assert len(our_groups(data, "PreToolUse", "guard.py")) == 1
    assert len(our_groups(data, "PostToolUse", "fmt.py")) == 1


def test_a_hook_the_user_registered_already_is_not_added_twice(run: Run, project: Path):
    (project / ".claude").mkdir()
    mine = {"hooks": {"PreToolUse": [{"matcher": "Bash|Write", "hooks": [{
        "type": "command", "command": 'python3 "${CLAUDE_PROJECT_DIR}/.claude/hooks/guard.py"'}]}]}}
    (project / ".claude/settings.json").write_text(json.dumps(mine, indent=2))
    code, _out, err = run("claude", "--target", project)
    assert code == 0
    assert "already registered" in err or "registered by you" in err
    assert settings(project)["hooks"]["PreToolUse"] == mine["hooks"]["PreToolUse"]
    code, _out, _err = run("claude", "--target", project, "--force")
    assert len(our_groups(settings(project), "PreToolUse", "guard.py")) == 1
    assert our_groups(settings(project), "PreToolUse", "guard.py")[0]["matcher"] == "Bash"


def test_a_new_content_version_updates_our_entries_in_place(run: Run, source: Path, project: Path):
    (project / ".claude").mkdir()
    (project / ".claude/settings.json").write_text(USER_SETTINGS)
    run("claude", "--target", project)
    changed = json.loads(json.dumps(HOOKS_JSON))
    changed["hooks"]["PreToolUse"][0]["hooks"][0]["timeout"] = 20
    changed["hooks"]["PreToolUse"][0]["matcher"] = "Bash|Write"
    del changed["hooks"]["PostToolUse"]
    (source / "hooks/hooks.json").write_text(json.dumps(changed, indent=2))
    code, _out, err = run("claude", "--target", project)
    assert code == 0, err
    data = settings(project)
    ours = our_groups(data, "PreToolUse", "guard.py")
    assert [g["hooks"][0]["timeout"] for g in ours] == [20]
    assert ours[0]["matcher"] == "Bash|Write"
    assert "PostToolUse" not in data["hooks"]  # fmt is no longer registered: its entry went
    assert json.loads(USER_SETTINGS)["hooks"]["PreToolUse"][0] in data["hooks"]["PreToolUse"]


def test_the_users_own_model_is_kept_and_reported(run: Run, project: Path):
    (project / ".claude").mkdir()
    (project / ".claude/settings.json").write_text('{\n  "model": "sonnet"\n}\n')
    code, _out, err = run("claude", "--target", project, "--force")
    assert code == 0
    assert settings(project)["model"] == "sonnet"
    assert "kept your 'model' 'sonnet'" in err


def test_a_model_the_user_changed_after_the_export_is_kept_unless_force(run: Run, project: Path):
    run("claude", "--target", project)
    path = project / ".claude/settings.json"
    path.write_text(path.read_text().replace('"opusplan"', '"haiku"'))
    code, _out, err = run("claude", "--target", project)
    assert settings(project)["model"] == "haiku"
    assert "'model' was changed to 'haiku'" in err
    run("claude", "--target", project, "--force")
    assert settings(project)["model"] == "opusplan"
    path.write_text(path.read_text().replace('  "model": "opusplan",\n', ""))
    code, _out, err = run("claude", "--target", project)
    assert "model" not in settings(project) and "'model' was removed" in err
    run("claude", "--target", project, "--force")
    assert settings(project)["model"] == "opusplan"


def test_a_hook_entry_the_user_removed_is_left_out_unless_force(run: Run, project: Path):
    run("claude", "--target", project)
    path = project / ".claude/settings.json"
    data = settings(project)
    del data["hooks"]["PostToolUse"]
    path.write_text(json.dumps(data, indent=2) + "\n")
    code, _out, err = run("claude", "--target", project)
    assert "PostToolUse" not in settings(project)["hooks"]
    assert "fmt.py" in err and "--force" in err
    run("claude", "--target", project, "--force")
    assert len(our_groups(settings(project), "PostToolUse", "fmt.py")) == 1


# --- files the user changed ------------------------------------------------------------------


def test_a_file_the_user_changed_is_left_alone_and_reported_unless_force(run: Run, project: Path):
    run("claude", "--target", project)
    skill = project / ".claude/skills/widgets/SKILL.md"
    skill.write_text(skill.read_text() + "\nMy own note.\n")
    mine = skill.read_bytes()
    code, out, err = run("claude", "--target", project)
    assert code == 0
    assert skill.read_bytes() == mine
    assert f"{skill.as_posix()}:1:1: PB205 changed since the last export" in err
    code, out, err = run("claude", "--target", project, "--force")
    assert code == 0
    assert b"My own note." not in skill.read_bytes()
    assert "overwritten (--force)" in err


def test_a_file_that_was_there_before_is_not_ours(run: Run, project: Path):
    agent = project / ".claude/agents/widget-reviewer.md"
    agent.parent.mkdir(parents=True)
    agent.write_text("my own agent\n")
    code, _out, err = run("claude", "--target", project)
    assert agent.read_text() == "my own agent\n"
    assert "was not written by an export" in err
    run("claude", "--remove", "--target", project)
    assert agent.read_text() == "my own agent\n"


def test_an_edited_claude_md_section_is_kept_unless_force(run: Run, project: Path):
    run("claude", "--target", project)
    path = project / "CLAUDE.md"
    path.write_text(path.read_text().replace("Red, green", "Green, red"))
    code, _out, err = run("claude", "--target", project)
    assert "Green, red" in path.read_text()
    assert "section was edited" in err
    run("claude", "--target", project, "--force")
    assert "Red, green" in path.read_text()


def test_a_new_policy_replaces_the_section_and_keeps_the_rest(run: Run, source: Path,
                                                              project: Path):
    (project / "CLAUDE.md").write_text(USER_CLAUDE_MD)
    run("claude", "--target", project)
    path = project / "CLAUDE.md"
    path.write_text(path.read_text() + "\n## Added after the export\n")
    (source / "policy/tdd-and-models.md").write_text("# Policy v2\n")
    code, _out, err = run("claude", "--target", project)
    assert code == 0, err
    text = path.read_text()
    assert text.startswith(USER_CLAUDE_MD + "\n<!-- playbook:begin")
    assert "# Policy v2\n<!-- playbook:end -->\n" in text
    assert text.endswith("\n## Added after the export\n")
    assert "Red, green" not in text


# --- remove ----------------------------------------------------------------------------------


def test_remove_takes_out_exactly_what_was_installed(run: Run, project: Path):
    (project / ".claude").mkdir()
    (project / ".claude/settings.json").write_text(USER_SETTINGS)
    (project / "CLAUDE.md").write_text(USER_CLAUDE_MD)
    (project / "src.py").write_text("print('mine')\n")
    before = contents(project)
    run("claude", "--target", project)
    own_skill = project / ".claude/skills/mine/SKILL.md"
    own_skill.parent.mkdir(parents=True)
    own_skill.write_text("my skill\n")
    code, out, err = run("claude", "--target", project, "--remove")
    assert code == 0, err
    after = contents(project)
    assert after.pop(".claude/skills/mine/SKILL.md") == b"my skill\n"
    assert after == before  # settings.json and CLAUDE.md byte for byte as they were
    assert "removed" in out


def test_remove_from_a_fresh_project_leaves_no_file(run: Run, project: Path):
    run("claude", "--target", project)
    code, _out, _err = run("claude", "--target", project, "--remove")
    assert code == 0
    assert contents(project) == {}
    code, out, _err = run("claude", "--target", project, "--remove")
    assert "up to date" in out


def test_remove_keeps_a_file_the_user_changed_unless_force(run: Run, project: Path):
    run("claude", "--target", project)
    agent = project / ".claude/agents/widget-reviewer.md"
    agent.write_text("changed\n")
    code, _out, err = run("claude", "--target", project, "--remove")
    assert agent.read_text() == "changed\n" and "--force removes it" in err
    assert (project / ".claude/playbook.lock.json").exists()  # still lists the kept file
    run("claude", "--target", project, "--remove", "--force")
    assert not agent.exists()
    assert not (project / ".claude/playbook.lock.json").exists()


def test_remove_leaves_changed_shared_entries_alone(run: Run, project: Path):
    run("claude", "--target", project)
    path = project / ".claude/settings.json"
    data = settings(project)
    data["hooks"]["PreToolUse"][0]["hooks"][0]["timeout"] = 99
    data["model"] = "haiku"
    path.write_text(json.dumps(data, indent=2) + "\n")
    md = project / "CLAUDE.md"
    md.write_text(md.read_text().replace("Red", "Blue"))
    code, _out, err = run("claude", "--target", project, "--remove")
    assert code == 0
    data = settings(project)
    assert data["hooks"]["PreToolUse"][0]["hooks"][0]["timeout"] == 99
    assert "PostToolUse" not in data["hooks"]
    assert data["model"] == "haiku"
    assert "Blue" in md.read_text()
    assert "guard.py" in err and "section was edited" in err
    run("claude", "--target", project, "--remove", "--force")
    assert not path.exists() and not md.exists()


def test_content_deleted_from_the_catalogue_is_removed_on_the_next_export(
        run: Run, source: Path, project: Path):
    run("claude", "--target", project)
    (source / "skills/gadgets/SKILL.md").unlink()
    (source / "skills/widgets/references/deep.md").unlink()
    code, out, _err = run("claude", "--target", project)
    assert code == 0
    assert not (project / ".claude/skills/gadgets").exists()
    assert not (project / ".claude/skills/widgets/references").exists()
    assert (project / ".claude/skills/widgets/SKILL.md").exists()
    assert "removed 2" in out


# --- --only ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("only", "expected"), [
    (["widgets"], {".claude/skills/widgets/SKILL.md"}),
    (["patterns"], {".claude/skills/widgets/SKILL.md"}),  # a skill's metadata.category
    (["languages", "widget-reviewer"], {".claude/skills/gadgets/SKILL.md",
                                        ".claude/agents/widget-reviewer.md"}),
    (["agents"], {".claude/agents/widget-reviewer.md"}),
    (["hooks"], {".claude/hooks/guard.py", ".claude/hooks/fmt.py", ".claude/settings.json"}),
    (["guard"], {".claude/hooks/guard.py", ".claude/settings.json"}),
    (["policy"], {"CLAUDE.md", ".claude/settings.json"}),
])
def test_only_selects_by_name_or_category(run: Run, project: Path, only: list[str],
                                          expected: set[str]):
    code, _out, err = run("claude", "--target", project, "--only", *only)
    assert code == 0, err
    written = set(contents(project)) - {".claude/playbook.lock.json"}
    top = {rel for rel in written if not rel.startswith(".claude/skills/widgets/")
           or rel.endswith("SKILL.md")}
    assert top == expected


def test_only_hooks_registers_no_model_and_only_policy_no_hooks(run: Run, project: Path):
    run("claude", "--target", project, "--only", "guard")
    data = settings(project)
    assert "model" not in data and list(data["hooks"]) == ["PreToolUse"]
    run("claude", "--target", project, "--only", "policy")
    data = settings(project)
    assert data["model"] == "opusplan" and len(data["hooks"]["PreToolUse"]) == 1


def test_only_leaves_the_rest_of_an_earlier_export_alone(run: Run, project: Path):
    run("claude", "--target", project)
    before = contents(project)
    code, out, _err = run("claude", "--target", project, "--only", "widgets")
    assert code == 0 and "up to date" in out
    assert contents(project) == before
    code, _out, _err = run("claude", "--target", project, "--only", "widgets", "guard",
                           "--remove")
    assert code == 0
    after = contents(project)
    assert not any(rel.startswith(".claude/skills/widgets/") for rel in after)
    assert ".claude/hooks/guard.py" not in after
    assert ".claude/skills/gadgets/SKILL.md" in after
    data = settings(project)
    assert data["model"] == "opusplan"
    assert "PreToolUse" not in data["hooks"] and "PostToolUse" in data["hooks"]
    lock = json.loads(after[".claude/playbook.lock.json"])
    assert "skill:gadgets" in {r.get("item") for r in lock["files"].values()}
    run("claude", "--target", project)  # puts them back
    assert contents(project).keys() == before.keys()


def test_only_with_an_unknown_name_is_a_usage_error(run: Run, project: Path):
    code, _out, err = run("claude", "--target", project, "--only", "nope")
    assert code == 2
    assert "nothing is named nope" in err and "widgets" in err
    assert contents(project) == {}


# --- user scope ------------------------------------------------------------------------------


def test_user_export_writes_to_home_with_home_based_commands(run: Run, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    code, _out, err = run("claude", "--user")
    assert code == 0, err
    files = contents(home)
    assert ".claude/skills/widgets/SKILL.md" in files
    assert ".claude/agents/widget-reviewer.md" in files
    assert ".claude/hooks/guard.py" in files
    assert ".claude/CLAUDE.md" in files and "CLAUDE.md" not in files
    assert ".claude/playbook.lock.json" in files
    command = json.loads(files[".claude/settings.json"])["hooks"]["PreToolUse"][0]["hooks"][0]
    assert command["command"] == 'python3 "${HOME}/.claude/hooks/guard.py"'


def test_user_export_into_another_directory_names_it_absolutely(run: Run, tmp_path: Path):
    target = tmp_path / "alt claude"
    code, _out, err = run("claude", "--user", "--target", target, "--python", "py -3")
    assert code == 0, err
    data = json.loads((target / "settings.json").read_text())
    command = data["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
    assert command == f'py -3 "{(target.resolve() / "hooks").as_posix()}/guard.py"'
    assert (target / "CLAUDE.md").exists()


def test_user_export_refuses_a_path_a_command_cannot_quote(run: Run, tmp_path: Path):
    code, _out, err = run("claude", "--user", "--target", tmp_path / 'we"ird')
    assert code == 1 and "cannot be named in a hook command" in err


# --- a Windows checkout (git autocrlf: CRLF in the working tree) -----------------------------


def test_a_crlf_checkout_of_an_export_is_up_to_date(run: Run, project: Path):
    (project / "CLAUDE.md").write_bytes(b"# Mine\r\n")
    run("claude", "--target", project)
    for path in project.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".json", ".py", ".sh"):
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    before = snapshot(project)
    code, out, err = run("claude", "--target", project)
    assert code == 0 and "up to date" in out and err == ""
    assert snapshot(project) == before
    code, _out, err = run("claude", "--target", project, "--remove")
    assert code == 0 and err == ""
    assert contents(project) == {"CLAUDE.md": b"# Mine\r\n"}


def test_entries_added_to_a_crlf_file_use_crlf(run: Run, project: Path):
    (project / ".claude").mkdir()
    (project / ".claude/settings.json").write_bytes(b'{\r\n  "env": {}\r\n}\r\n')
    (project / "CLAUDE.md").write_bytes(b"# Mine\r\nline\r\n")
    run("claude", "--target", project)
    for rel in (".claude/settings.json", "CLAUDE.md"):
        data = (project / rel).read_bytes()
        assert b"\n" not in data.replace(b"\r\n", b""), rel


# --- exec-form hooks and the hooks package ------------------------------------------------------

EXEC_HOOKS = {"description": "Exec-form fixture hooks.", "hooks": {"PreToolUse": [
    {"matcher": "Bash", "hooks": [{"type": "command", "if": "Bash(git *commit*)",
                                   "command": "python3",
                                   "args": ["-c", "boot", "${CLAUDE_PLUGIN_ROOT}/hooks/guard.py"],
                                   "timeout": 10}]}]}}


def exec_form_source(source: Path) -> None:
    (source / "hooks/hooks.json").write_text(json.dumps(EXEC_HOOKS))
    package = source / "hooks/playbook_hooks"
    package.mkdir()
    (package / "__init__.py").write_text('"""The package."""\n')
    (package / "guard.py").write_text('"""Guard: blocks bad commands.\n\nEvent: x."""\n')


def test_exec_form_hooks_keep_their_arguments_and_condition(run: Run, source: Path,
                                                           project: Path):
    exec_form_source(source)
    code, _out, err = run("claude", "--target", project, "--python", "py -3")
    assert code == 0, err
    (group,) = json.loads((project / ".claude/settings.json").read_text())["hooks"]["PreToolUse"]
    assert group["hooks"] == [{
        "type": "command", "if": "Bash(git *commit*)", "command": "py",
        "args": ["-3", "-c", "boot", "${CLAUDE_PROJECT_DIR}/.claude/hooks/guard.py"],
        "timeout": 10}]
    files = contents(project)
    assert ".claude/hooks/playbook_hooks/__init__.py" in files
    assert ".claude/hooks/playbook_hooks/guard.py" in files
    code, out, _err = run("claude", "--target", project, "--python", "py -3")
    assert code == 0 and "up to date" in out
