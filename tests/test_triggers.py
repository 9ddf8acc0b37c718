"""The offline trigger check (benchmarks/triggers.py) and the trigger evals it reads.

The floors hold the repository's own requests (evals/triggers/) ranked by name and description
alone: top-1 at least 90%, top-3 at least 98% (benchmarks/triggers.py defines both)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from playbook.content import ROOT

spec = importlib.util.spec_from_file_location("triggers", ROOT / "benchmarks" / "triggers.py")
triggers = importlib.util.module_from_spec(spec)
sys.modules["triggers"] = triggers
spec.loader.exec_module(triggers)

SKILLS = triggers.skills_at()
NAMES = [s.name for s in SKILLS]
CASES = triggers.load_cases(NAMES)


def test_the_repository_requests_rank_their_skill_first():
    report = triggers.evaluate(SKILLS, CASES)
    worst = "\n".join(f"{c.name}: {c.request!r} ranked {r[:3]}" for c, r in report.misses)
    assert report.top1 >= 0.90, f"top-1 {report.top1:.1%}\n{worst}"
    assert report.top3 >= 0.98, f"top-3 {report.top3:.1%}\n{worst}"


@pytest.mark.parametrize("skill", NAMES)
def test_every_skill_has_six_requests_and_three_near_misses(skill: str):
    positives = [c for c in CASES if c.loads == {skill} and not c.near_miss]
    near = [c for c in CASES if c.skips == {skill}]
    assert len(positives) >= 6, [c.name for c in positives]
    assert len(near) >= 3, [c.name for c in near]
    # A near miss belongs to a named neighbour or to no skill, never to the one it excludes.
    assert all(skill not in c.loads and len(c.loads) <= 1 for c in near)


def test_every_case_names_real_skills():
    assert len(CASES) == len(list(triggers.EVALS.rglob("prompt.md")))
    for case in CASES:
        assert case.loads or case.skips, f"{case.name}: no Skill grader names a skill"
        assert case.request and "TODO" not in case.request


def test_a_grader_names_the_skills_its_pattern_accepts():
    graders = [{"type": "tool_used", "tool": "Skill", "input_match": '"skill":"(playbook:)?go"'},
               {"type": "tool_used", "tool": "Skill", "min": 0, "max": 0, "arm": "both",
                "input_match": '"skill":"(playbook:)?rust"'},
               {"type": "tool_used", "tool": "Skill(python)"}]
    assert triggers.skills_named(graders, NAMES, loads=True) == {"go"}
    assert triggers.skills_named(graders, NAMES, loads=False) == {"rust"}


def test_bm25_prefers_the_rarer_matching_word_and_the_name():
    skills = [triggers.Skill("kube", "Pods, CrashLoopBackOff, probes. Use when pods fail."),
              triggers.Skill("tests", "Tests, tests and more tests. Use when testing pods.")]
    ranker = triggers.Ranker(skills)
    assert ranker.rank("my pod is in CrashLoopBackOff")[0] == "kube"
    assert ranker.rank("kube pods")[0] == "kube"
    assert ranker.rank("what is a tuple") == []


def test_a_not_for_clause_is_not_a_match():
    skills = [triggers.Skill("python", "Python code. Use when writing .py. Not for test-first."),
              triggers.Skill("tdd", "Test-driven: red, green, refactor. Use when adding code.")]
    assert triggers.Ranker(skills).rank("test-first please") == ["tdd"]


def test_a_near_miss_fails_only_when_the_excluded_skill_ranks_first():
    near = triggers.Case("n", "x", loads={"tdd"}, skips={"python"})
    assert near.hit(["tdd", "python"], 1)
    assert near.hit([], 1)
    assert not near.hit(["python", "tdd"], 3)
    positive = triggers.Case("p", "x", loads={"go"})
    assert not positive.hit(["rust", "python", "go"], 1)
    assert positive.hit(["rust", "python", "go"], 3)


def test_swapped_descriptions_break_the_floor():
    """The check has teeth: with two descriptions swapped, their requests go elsewhere."""
    by_name = {s.name: s for s in SKILLS}
    swapped = [triggers.Skill(s.name, by_name["terraform" if s.name == "rust" else
                                              "rust" if s.name == "terraform" else
                                              s.name].description) for s in SKILLS]
    theirs = [c for c in CASES if c.loads & {"rust", "terraform"} and not c.near_miss]
    before = triggers.evaluate(SKILLS, theirs)
    after = triggers.evaluate(swapped, theirs)
    assert after.top1 < before.top1 - 0.2


def test_the_cli_prints_rates_and_fails_below_a_floor(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path):
    requests = tmp_path / "held-out.tsv"
    requests.write_text("# skill<TAB>request\nterraform\tterraform plan shows drift\n"
                        "rust\tlifetime error in my struct impl\n")
    assert triggers.main(["--requests", str(requests), "--min-top1", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 requests, top-1 100.0%, top-3 100.0%" in out
    requests.write_text("rust\tterraform plan shows drift\n")
    assert triggers.main(["--requests", str(requests), "--min-top1", "1"]) == 1
    assert "1x rust -> terraform" in capsys.readouterr().out


@pytest.mark.parametrize("skill", SKILLS, ids=NAMES)
def test_a_not_for_clause_names_real_neighbours(skill):
    for clause in triggers.NOT_FOR.findall(skill.description):
        named = re.findall(r"\(([^)]*)\)", clause)
        assert named, f"{skill.name}: '{clause}' names no neighbour in parentheses"
        for name in ", ".join(named).split(", "):
            assert name in NAMES and name != skill.name, f"{skill.name}: {name}"
