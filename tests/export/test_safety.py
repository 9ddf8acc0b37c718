"""Nothing half-written, nothing outside the target, nothing of the user's clobbered: refused
paths, unreadable inputs, read-only targets and failures in the middle of a write."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from playbook.export import files
from playbook.export.errors import ExportError
from playbook.export.files import Change

from tests.export.conftest import Run, contents, snapshot

# --- paths that would leave the target -------------------------------------------------------


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "",
                                 "C:/x", "a\\..\\b"])
def test_paths_that_could_leave_the_target_are_refused(tmp_path: Path, rel: str):
    with pytest.raises(ExportError, match="refused"):
        files.inside(tmp_path, rel)


def test_a_symlinked_directory_in_the_target_is_refused_and_nothing_written(
        run: Run, project: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / ".claude").mkdir()
    (project / ".claude/skills").symlink_to(outside, target_is_directory=True)
    before = snapshot(project)
    code, _out, err = run("claude", "--target", project)
    assert code == 1
    assert "is a symlink" in err and err.startswith(f"{project.as_posix()}/.claude/skills/")
    assert "Traceback" not in err
    assert list(outside.iterdir()) == []
    assert snapshot(project) == before


def test_a_symlinked_file_in_the_target_is_refused(run: Run, project: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me\n")
    (project / "CLAUDE.md").symlink_to(secret)
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and "CLAUDE.md is a symlink" in err
    assert secret.read_text() == "keep me\n"
    assert not (project / ".claude").exists()


def test_a_target_that_is_itself_a_symlink_is_followed(run: Run, project: Path, tmp_path: Path):
    link = tmp_path / "link"
    link.symlink_to(project, target_is_directory=True)
    code, _out, err = run("claude", "--target", link)
    assert code == 0, err
    assert (project / ".claude/skills/widgets/SKILL.md").exists()


def test_a_manifest_listing_a_path_outside_the_target_is_refused(run: Run, project: Path,
                                                                  tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("do not delete\n")
    lock = project / ".claude/playbook.lock.json"
    lock.parent.mkdir()
    lock.write_text(json.dumps({"files": {"../../victim.txt": {
        "kind": "file", "item": "skill:widgets", "sha256": files.sha256(b"do not delete\n")}}}))
    code, _out, err = run("claude", "--target", project, "--remove")
    assert code == 1 and "the export manifest lists '../../victim.txt'" in err
    assert victim.read_text() == "do not delete\n"


@pytest.mark.parametrize("text", ["{not json", '{"files": 3}', '{"files": {"a": {"kind": "x"}}}'])
def test_a_broken_manifest_is_a_clear_error(run: Run, project: Path, text: str):
    lock = project / ".claude/playbook.lock.json"
    lock.parent.mkdir()
    lock.write_text(text)
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and "export manifest" in err
    assert err.startswith(f"{lock.as_posix()}:1:")
    assert contents(project) == {".claude/playbook.lock.json": text.encode()}


def test_a_skill_with_a_symlink_beside_it_is_not_exported(run: Run, source: Path, project: Path):
    (source / "skills/widgets/references/link.md").symlink_to(source / "LICENSE")
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and "cannot export a symlink" in err
    assert contents(project) == {}


# --- inputs that do not parse ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "where"), [
    ('{\n  "model": "sonnet",\n  oops\n}\n', ":3:3: PB204 is not valid JSON"),
    ("[1, 2]\n", ":1:1: PB204 must hold a JSON object"),
    ('{"hooks": []}\n', ":1:1: PB204 'hooks' must map each event to a list"),
    ('{"hooks": {"Stop": {}}}\n', ":1:1: PB204 'hooks' must map each event to a list"),
    (b"\xff\xfe{}", ":1:1: PB204 is not UTF-8"),
])
def test_settings_that_do_not_parse_are_an_error_and_nothing_is_written(
        run: Run, project: Path, text: str | bytes, where: str):
    path = project / ".claude/settings.json"
    path.parent.mkdir()
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    before = snapshot(project)
    code, out, err = run("claude", "--target", project)
    assert code == 1
    assert err.startswith(f"{path.as_posix()}{where}")
    assert "Traceback" not in err and "nothing was written" in err
    assert snapshot(project) == before


@pytest.mark.parametrize("text", [
    "<!-- playbook:begin -->\nx\n",
    "<!-- playbook:end -->\nx\n",
    "<!-- playbook:end -->\n<!-- playbook:begin -->\n",
    "<!-- playbook:begin -->\n<!-- playbook:end -->\n<!-- playbook:begin -->\n"
    "<!-- playbook:end -->\n",
])
def test_broken_claude_md_markers_are_an_error(run: Run, project: Path, text: str):
    (project / "CLAUDE.md").write_text(text)
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and "markers are broken" in err
    assert contents(project) == {"CLAUDE.md": text.encode()}


def test_a_claude_md_that_is_not_utf8_is_an_error(run: Run, project: Path):
    (project / "CLAUDE.md").write_bytes(b"\xff\xfe#")
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and "CLAUDE.md:1:1: PB204 is not UTF-8" in err


def test_a_skill_whose_yaml_does_not_parse_is_not_exported(run: Run, source: Path,
                                                            project: Path):
    path = source / "skills/gadgets/SKILL.md"
    path.write_text("---\nname: gadgets\ndescription: [x\n---\n\nBody\n")
    code, _out, err = run("claude", "--target", project)
    assert code == 1
    assert "skills/gadgets/SKILL.md:" in err and "PB007 cannot export: YAML error" in err
    assert contents(project) == {}


# --- read-only targets and failures mid-write --------------------------------------------------


def test_a_target_that_is_a_file_is_a_clear_error(run: Run, tmp_path: Path):
    target = tmp_path / "file"
    target.write_text("x")
    code, _out, err = run("claude", "--target", target)
    assert code == 1 and ":1:1: PB202 the target is not a directory" in err
    assert "Traceback" not in err and target.read_text() == "x"


def test_a_file_where_a_directory_is_needed_fails_before_anything_is_written(
        run: Run, project: Path):
    (project / ".claude").mkdir()
    (project / ".claude/agents").write_text("a file, not a folder")
    code, _out, err = run("claude", "--target", project)
    assert code == 1
    assert "a file stands where the export needs a directory" in err
    assert contents(project) == {".claude/agents": b"a file, not a folder"}


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="root (as in this container) and Windows ignore directory "
                           "permissions; the monkeypatched tests below cover the same path")
def test_a_read_only_target_is_a_clear_error_with_nothing_written(run: Run, project: Path):
    (project / "CLAUDE.md").write_text("mine\n")
    project.chmod(0o555)
    try:
        code, _out, err = run("claude", "--target", project)
    finally:
        project.chmod(0o755)
    assert code == 1 and "permission denied" in err
    assert contents(project) == {"CLAUDE.md": b"mine\n"}


def test_permission_denied_while_staging_leaves_the_target_as_it_was(
        run: Run, project: Path, monkeypatch: pytest.MonkeyPatch):
    """What a read-only directory does, simulated (tests run as root, where chmod does not
    bite): the 5th temporary file cannot be created."""
    (project / "CLAUDE.md").write_text("mine\n")
    run("claude", "--target", project, "--only", "gadgets")
    before = snapshot(project)
    real = tempfile.mkstemp
    calls = []

    def mkstemp(*args, **kwargs):
        calls.append(kwargs.get("dir"))
        if len(calls) == 5:
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    code, _out, err = run("claude", "--target", project)
    assert code == 1
    assert "permission denied (is the target read-only?); nothing was changed" in err
    assert snapshot(project) == before  # no temporary file, no new directory, no change


def test_a_failure_while_renaming_puts_back_what_was_already_written(
        run: Run, project: Path, monkeypatch: pytest.MonkeyPatch):
    (project / "CLAUDE.md").write_text("mine\n")
    run("claude", "--target", project, "--only", "widgets")
    skill = project / ".claude/skills/widgets/SKILL.md"
    skill.write_text("changed\n")
    before = contents(project)
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    code, _out, err = run("claude", "--target", project, "--force")
    assert code == 1 and "No space left on device" in err and "put back" in err
    monkeypatch.setattr(files.os, "replace", real)
    assert contents(project) == before


def test_commit_creates_missing_parents_of_the_target(tmp_path: Path):
    root = tmp_path / "a" / "b"
    files.commit(root, [Change("c/d.txt", None, b"x")])
    assert (root / "c/d.txt").read_bytes() == b"x"


def test_commit_removes_emptied_directories_but_not_the_target(tmp_path: Path):
    files.commit(tmp_path, [Change("a/b/c.txt", None, b"x")])
    files.commit(tmp_path, [Change("a/b/c.txt", b"x", None)])
    assert tmp_path.exists() and list(tmp_path.iterdir()) == []


def test_a_directory_where_a_file_is_written_is_refused(tmp_path: Path):
    (tmp_path / "x").mkdir()
    with pytest.raises(ExportError, match="a directory stands where"):
        files.read(tmp_path, "x")


def test_updating_a_file_keeps_its_mode(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text("{}")
    path.chmod(0o600)
    files.commit(tmp_path, [Change("s.json", b"{}", b"[]")])
    assert path.stat().st_mode & 0o777 == 0o600


# --- dry run -------------------------------------------------------------------------------


def test_dry_run_prints_the_plan_as_a_diff_and_writes_nothing(run: Run, project: Path):
    (project / ".claude").mkdir()
    (project / ".claude/settings.json").write_text('{\n  "env": {"A": "1"}\n}\n')
    (project / "CLAUDE.md").write_text("# Mine")  # no newline at the end
    before = snapshot(project)
    code, out, err = run("claude", "--target", project, "--dry-run")
    assert code == 0, err
    assert snapshot(project) == before
    assert "--- /dev/null\n+++ b/.claude/skills/widgets/SKILL.md\n" in out
    assert "--- a/.claude/settings.json\n+++ b/.claude/settings.json\n" in out
    assert '+  "model": "opusplan",\n' in out
    assert ' {\n' in out  # unchanged context lines
    assert "-# Mine\n\\ No newline at end of file\n+# Mine\n" in out
    assert "Binary files /dev/null and b/.claude/skills/widgets/assets/logo.png differ" in out
    assert "would change" in out and "to create" in out


def test_dry_run_of_a_removal_shows_the_deletions(run: Run, project: Path):
    run("claude", "--target", project)
    before = snapshot(project)
    code, out, _err = run("claude", "--target", project, "--remove", "--dry-run")
    assert code == 0 and snapshot(project) == before
    assert "--- a/.claude/agents/widget-reviewer.md\n+++ /dev/null\n" in out
    assert "to remove" in out
