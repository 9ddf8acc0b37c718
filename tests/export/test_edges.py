"""Edges of the export: normalised bytes, a repository without policy, commands the settings
export cannot place, files deleted by the user, and plans that contradict themselves."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playbook.export import files, plan
from playbook.export.errors import ExportError
from playbook.export.files import Change

from tests.export.conftest import Run, contents


def test_normalise_text_but_never_binary():
    assert files.normalise(b"\xef\xbb\xbfa\r\nb\rc\n") == b"a\nb\nc\n"
    assert files.normalise(b"\x89PNG\r\n\x00") == b"\x89PNG\r\n\x00"
    assert files.normalise(b"caf\xe9\r\n") == b"caf\xe9\r\n"  # Latin-1: left as it is
    assert not files.is_text(b"caf\xe9") and files.is_text("café".encode())


def test_a_repository_without_policy_exports_no_section_and_no_model(
        run: Run, source: Path, project: Path):
    (source / "policy/tdd-and-models.md").unlink()
    code, _out, err = run("claude", "--target", project)
    assert code == 0, err
    assert not (project / "CLAUDE.md").exists()
    assert "model" not in json.loads((project / ".claude/settings.json").read_text())
    code, _out, err = run("claude", "--target", project, "--only", "policy")
    assert code == 2


def test_a_policy_that_is_not_utf8_is_an_error(run: Run, source: Path, project: Path):
    (source / "policy/tdd-and-models.md").write_bytes(b"caf\xe9\n")
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and "policy/tdd-and-models.md:1:1: PB001 is not UTF-8" in err


def test_a_command_outside_the_plugins_hooks_folder_cannot_go_to_settings(
        run: Run, source: Path, project: Path, tmp_path: Path):
    config = json.loads((source / "hooks/hooks.json").read_text())
    config["hooks"]["PreToolUse"][0]["hooks"][0]["command"] = (
        'python3 "${CLAUDE_PLUGIN_ROOT}/scripts/guard.py"')
    (source / "hooks/hooks.json").write_text(json.dumps(config))
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and "outside hooks/" in err
    assert contents(project) == {}
    assert run("plugin", "--target", tmp_path / "plugin")[0] == 0  # a plugin has the root


def test_a_file_the_user_deleted_is_written_again(run: Run, project: Path):
    run("claude", "--target", project)
    agent = project / ".claude/agents/widget-reviewer.md"
    agent.unlink()
    code, out, _err = run("claude", "--target", project)
    assert agent.exists() and "created 1" in out


def test_remove_after_the_user_deleted_our_files_and_section(run: Run, project: Path):
    (project / "CLAUDE.md").write_text("# Mine\n")
    run("claude", "--target", project)
    (project / ".claude/agents/widget-reviewer.md").unlink()
    (project / ".claude/settings.json").unlink()
    (project / "CLAUDE.md").write_text("# Mine, rewritten\n")
    code, _out, err = run("claude", "--target", project, "--remove")
    assert code == 0
    assert "section is gone already" in err
    assert contents(project) == {"CLAUDE.md": b"# Mine, rewritten\n"}


def test_remove_only_hooks_keeps_the_policy_section(run: Run, project: Path):
    run("claude", "--target", project)
    code, _out, _err = run("claude", "--target", project, "--remove", "--only", "hooks")
    assert code == 0
    assert (project / "CLAUDE.md").exists()
    data = json.loads((project / ".claude/settings.json").read_text())
    assert data == {"model": "opusplan"}


def test_a_plan_writing_one_path_twice_is_refused(tmp_path: Path):
    target = plan.Target(tmp_path, "lock.json", "test")
    twice = [plan.OwnedFile("a", b"1", "x"), plan.OwnedFile("a", b"2", "x")]
    with pytest.raises(ExportError, match="same path"):
        plan.execute(target, twice)
    with pytest.raises(ExportError, match="overwrite the export manifest"):
        plan.execute(target, [plan.OwnedFile("lock.json", b"1", "x")])


def test_a_failing_write_removes_its_temporary_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    def fsync(_fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", fsync)
    with pytest.raises(ExportError, match="Input/output error; nothing was changed"):
        files.commit(tmp_path, [Change("a/b.txt", None, b"x")])
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "a").write_text("x")

    def read_bytes(_self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(ExportError, match="cannot read: Permission denied"):
        files.read(tmp_path, "a")


def test_new_files_honour_the_umask(tmp_path: Path):
    old = os.umask(0o027)
    try:
        files.commit(tmp_path, [Change("a", None, b"x"), Change("b", None, b"x", True)])
    finally:
        os.umask(old)
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "b").stat().st_mode & 0o777 == 0o750
