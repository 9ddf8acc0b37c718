"""The `playbook` command: one entry point that dispatches to each tool."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playbook import cli
from playbook.content import ROOT


def test_version_is_the_one_the_plugin_manifest_carries(capsys: pytest.CaptureFixture[str]) -> None:
    manifest = json.loads((ROOT / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"playbook {manifest['version']}\n"


def test_each_command_reaches_its_tool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "skill", "demo-topic", "--root", str(tmp_path)]) == 0
    assert (tmp_path / "skills" / "demo-topic" / "SKILL.md").is_file()
    assert capsys.readouterr().out == "created skills/demo-topic/SKILL.md\n"
    assert cli.main(["validate", str(tmp_path / "skills")]) == 0


def test_subcommand_errors_name_the_playbook_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["export", "nonsense"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.startswith("playbook export: error: ")


@pytest.mark.parametrize("argv", [[], ["bogus"]])
def test_no_or_unknown_command_exits_2_without_a_traceback(argv: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "playbook", *argv], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "validate" in result.stderr and "export" in result.stderr


def test_a_missing_library_is_one_line_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def absent(name: str) -> None:
        raise ModuleNotFoundError(f"No module named '{name}'", name="pytest")

    monkeypatch.setattr(cli.importlib, "import_module", absent)
    assert cli.main(["blocks"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("playbook blocks: error: needs the Python package 'pytest'")


def test_a_missing_module_of_our_own_is_a_bug_and_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str) -> None:
        raise ModuleNotFoundError("No module named 'playbook.gone'", name="playbook.gone")

    monkeypatch.setattr(cli.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        cli.main(["validate"])
