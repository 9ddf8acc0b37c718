"""`playbook new skill` also scaffolds the skill's trigger eval cases."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from playbook.content import ROOT
from playbook.new import scaffold

spec = importlib.util.spec_from_file_location("triggers", ROOT / "benchmarks" / "triggers.py")
triggers = importlib.util.module_from_spec(spec)
sys.modules.setdefault("triggers", triggers)
spec.loader.exec_module(triggers)


def test_a_new_skill_gets_six_requests_and_three_near_misses(tmp_path: Path) -> None:
    scaffold("skill", "demo-topic", tmp_path)
    cases = triggers.load_cases(["demo-topic", "python"], tmp_path / "evals" / "triggers")
    positives = [c for c in cases if c.loads == {"demo-topic"} and not c.near_miss]
    near = [c for c in cases if c.skips == {"demo-topic"}]
    assert len(positives) == 6 and len(near) == 3
    # The requests are the author's to write: the trigger test fails on a TODO.
    assert all(c.request.startswith("TODO:") for c in cases)


def test_the_cases_are_not_clobbered(tmp_path: Path) -> None:
    (tmp_path / "evals" / "triggers" / "demo-topic").mkdir(parents=True)
    with pytest.raises(ValueError, match="already exists"):
        scaffold("skill", "demo-topic", tmp_path)
    assert not (tmp_path / "skills" / "demo-topic").exists()


def test_an_agent_gets_no_trigger_cases(tmp_path: Path) -> None:
    scaffold("agent", "demo-agent", tmp_path)
    assert not (tmp_path / "evals").exists()
