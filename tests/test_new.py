"""The scaffold writes files that pass the validator and the code-block checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playbook import new, rules
from playbook.content import load
from playbook.examples import check_static
from playbook.new import Refused, main, scaffold
from playbook.validate import validate

from tests.fixtures.content import LOCATED


@pytest.mark.parametrize("kind", ["skill", "agent"])
def test_scaffold_passes_the_validator(tmp_path: Path, kind: str) -> None:
    path = scaffold(kind, "demo-topic", tmp_path, category="testing")
    assert validate([path]) == []
    doc = load(path)
    for block in doc.blocks:
        outcome = check_static(block, doc.blocks)
        assert outcome is None or outcome.ok, outcome


@pytest.mark.parametrize("category", ["languages", "infrastructure"])
def test_a_language_or_infrastructure_scaffold_puts_the_repository_first(
        tmp_path: Path, category: str) -> None:
    path = scaffold("skill", "demo-topic", tmp_path, category=category)
    assert validate([path]) == []
    assert "**Respect the repository first.**" in path.read_text()


def test_skill_scaffold_has_the_sections_of_a_good_skill(tmp_path: Path) -> None:
    text = scaffold("skill", "demo-topic", tmp_path).read_text()
    for heading in ("## When to use", "## Core principles", "## Patterns", "## Anti-patterns",
                    "## Commands", "## Checklist"):
        assert heading in text
    assert "category: patterns" in text


@pytest.mark.parametrize(("name", "code"), [
    ("Bad_Name", rules.NAME_PATTERN), ("w" * 65, rules.NAME_TOO_LONG),
    ("claude-helper", rules.NAME_RESERVED),
])
def test_scaffold_refuses_the_names_the_validator_refuses(tmp_path: Path, name: str,
                                                          code: str) -> None:
    with pytest.raises(Refused) as refused:
        scaffold("skill", name, tmp_path)
    assert refused.value.problem.code == code
    assert not (tmp_path / "skills").exists()


def test_scaffold_never_overwrites_a_skill_or_agent_of_that_name(tmp_path: Path) -> None:
    path = scaffold("skill", "taken", tmp_path)
    before = path.read_bytes()
    with pytest.raises(Refused, match="already exists") as refused:
        scaffold("agent", "taken", tmp_path)
    assert refused.value.problem.code == rules.NAME_TAKEN != rules.NAME_PATTERN
    assert refused.value.problem.path.endswith("skills/taken")
    assert path.read_bytes() == before and not (tmp_path / "agents").exists()


def test_cli_reports_errors_as_located_lines(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skill", "Bad_Name", "--root", str(tmp_path)]) == 1
    line = capsys.readouterr().err
    match = LOCATED.match(line.rstrip("\n"))
    assert match and match["code"] == rules.NAME_PATTERN, line
    assert match["path"].endswith("skills/Bad_Name/SKILL.md") and not (tmp_path / "skills").exists()


def test_the_command_prints_a_located_line_and_exits_1(tmp_path: Path) -> None:
    scaffold("agent", "taken", tmp_path)
    result = subprocess.run([sys.executable, "-m", "playbook.new", "skill", "taken"],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    match = LOCATED.match(result.stderr.rstrip("\n"))
    assert match and match["code"] == rules.NAME_TAKEN, result.stderr
    assert match["path"] == "agents/taken.md" and not (tmp_path / "skills").exists()


def test_a_write_that_fails_is_a_located_line(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def read_only(*_args: object, **_kwargs: object) -> Path:
        raise PermissionError(13, "Permission denied", "skills/fresh-name/SKILL.md")

    monkeypatch.setattr(new, "scaffold", read_only)
    assert main(["skill", "fresh-name"]) == 1
    match = LOCATED.match(capsys.readouterr().err.rstrip("\n"))
    assert match and match["code"] == rules.IO_ERROR and "Permission denied" in match["message"]
