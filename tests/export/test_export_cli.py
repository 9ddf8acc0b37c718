"""The command line: usage errors exit 2, problems exit 1 as path:line:col lines, never a
traceback; the site format is imported only when asked for."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest
from playbook import rules
from playbook.content import ROOT
from playbook.export import __main__ as cli
from playbook.export.errors import ExportError

from tests.export.conftest import Run
from tests.fixtures.content import LOCATED


def test_help_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "playbook.export", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    for fmt in ("claude", "plugin", "zip", "root", "site"):
        assert fmt in result.stdout


def test_the_command_prints_a_located_line_and_exits_1(tmp_path: Path):
    target = tmp_path / "file"
    target.write_text("x")
    result = subprocess.run([sys.executable, "-m", "playbook.export", "zip", "--target",
                             str(target)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    match = LOCATED.match(result.stderr.rstrip("\n"))
    assert match and match["path"] == target.as_posix(), result.stderr
    assert match["code"] == rules.UNSAFE_PATH and target.read_text() == "x"


@pytest.mark.parametrize("argv", [[], ["nope"], ["plugin"], ["claude", "--bogus"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_claude_needs_a_target_or_user(run: Run):
    code, _out, err = run("claude")
    assert code == 2 and "give --target DIR (a project) or --user" in err


def test_a_source_without_content_is_a_usage_error(run: Run, tmp_path: Path):
    code, _out, err = run("zip", "--target", tmp_path / "z", "--source", tmp_path)
    assert code == 2 and "no skills/ or agents/ folder" in err


def test_an_os_error_is_one_located_line(run: Run, project: Path,
                                         monkeypatch: pytest.MonkeyPatch):
    def boom(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", "/some/file")

    monkeypatch.setattr(cli.plan, "execute", boom)
    code, _out, err = run("claude", "--target", project)
    assert code == 1 and err == "/some/file:1:1: PB201 Permission denied\n"


def test_the_site_format_is_imported_lazily(run: Run, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch):
    calls = []
    fake = types.ModuleType("playbook.export.site")
    fake.export_site = lambda catalogue, target, **_kw: calls.append((catalogue.root, target))
    monkeypatch.setitem(sys.modules, "playbook.export.site", fake)
    code, _out, _err = run("site", "--target", tmp_path / "docs")
    assert code == 0
    assert calls and calls[0][1] == tmp_path / "docs"


def test_an_import_error_inside_the_site_module_is_not_hidden(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "playbook.export.site":
            raise ModuleNotFoundError("No module named 'mkdocs'", name="mkdocs")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ModuleNotFoundError, match="mkdocs"):
        cli._site(None, tmp_path)


def test_export_error_format():
    assert str(ExportError("a/b.json", "bad", 3, 4)) == "a/b.json:3:4: PB202 bad"
    assert str(ExportError("x", "y", code=rules.YAML_SYNTAX)) == "x:1:1: PB007 y"


def test_an_export_error_with_a_code_missing_from_the_table_is_refused():
    with pytest.raises(ValueError, match="'EXPORT' is not a rule code"):
        ExportError("x", "y", code="EXPORT")
