"""The scaffold writes files that pass the validator and the code-block checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from playbook.content import load
from playbook.examples import check_static
from playbook.new import main, scaffold
from playbook.validate import validate


@pytest.mark.parametrize("kind", ["skill", "agent"])
def test_scaffold_passes_the_validator(tmp_path: Path, kind: str) -> None:
    path = scaffold(kind, "demo-topic", tmp_path, category="testing")
    assert validate([path]) == []
    doc = load(path)
    for block in doc.blocks:
        outcome = check_static(block, doc.blocks)
        assert outcome is None or outcome.ok, outcome


def test_skill_scaffold_has_the_sections_of_a_good_skill(tmp_path: Path) -> None:
    text = scaffold("skill", "demo-topic", tmp_path).read_text()
    for heading in ("## When to use", "## Core principles", "## Patterns", "## Anti-patterns",
                    "## Commands", "## Checklist"):
        assert heading in text
    assert "category: patterns" in text


def test_scaffold_refuses_bad_names_and_clashes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must match"):
        scaffold("skill", "Bad_Name", tmp_path)
    with pytest.raises(ValueError, match="reserved"):
        scaffold("skill", "claude-helper", tmp_path)
    path = scaffold("skill", "taken", tmp_path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="already exists"):
        scaffold("agent", "taken", tmp_path)
    assert path.read_bytes() == before


def test_cli_reports_errors_as_located_lines(capsys) -> None:  # noqa: ANN001
    assert main(["skill", "Bad_Name"]) == 1
    assert capsys.readouterr().err.startswith("Bad_Name:1:1: PB022")
