"""The version table (policy/versions.toml) and its check: every kind of mismatch is reported on
its line and column, content that agrees passes, and the real tree agrees with the table."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playbook import freshness, rules, versions
from playbook.content import ROOT
from playbook.validate import validate

Write = Callable[[str, str], Path]

FM = """---
name: widgets
description: Checks widgets. Use when a widget needs checking.
license: MIT
metadata:
  category: patterns
  versions: "{versions}"
---
"""


def skill(versions_field: str = "Python 3.12, pytest 9", body: str = "\n# Widgets\n") -> str:
    return FM.format(versions=versions_field) + body


def fence(info: str, code: str) -> str:
    return f"\n```{info}\n{code}\n```\n"


def mismatches(paths: list[Path]) -> list[tuple[str, int, int]]:
    return [(Path(p.path).name, p.line, p.col) for p in validate(paths)
            if p.code == rules.VERSION_MISMATCH]


# (body, the line and column of the version in the written file); the frontmatter is 8 lines
MISMATCHES = {
    "prose": ("\nTests run on Vitest 4 here.\n", (10, 21)),
    "uses tag": (fence("yaml", "steps:\n  - uses: actions/checkout@v6"), (12, 29)),
    "uses sha comment": (fence("yaml", "- uses: actions/setup-node@" + "a" * 40 + "  # v6.0.0"),
                         (11, 73)),
    "package.json": (fence("json", '{"devDependencies": {"vitest": "^4.0.0"}}'), (11, 34)),
    "base image": (fence("dockerfile", "FROM python:3.11-slim"), (11, 13)),
    "named minor": ("\nChecked with TypeScript 5.9 under --strict.\n", (10, 25)),
    "dotnet": ("\n| .NET 8 | coverlet 6 |\n", (10, 8)),
    "pytest major": ("\nUse pytest 8 for this.\n", (10, 12)),
}


@pytest.mark.parametrize("kind", sorted(MISMATCHES))
def test_each_kind_of_mismatch_is_reported_where_it_stands(kind: str, write: Write) -> None:
    body, (line, col) = MISMATCHES[kind]
    path = write("skills/widgets/SKILL.md", skill(body=body))
    assert mismatches([path]) == [("SKILL.md", line, col)]


def test_a_mismatch_in_the_frontmatter_versions_is_located_in_it(write: Write) -> None:
    path = write("skills/widgets/SKILL.md", skill("Python 3.12, pytest 8"))
    assert mismatches([path]) == [("SKILL.md", 7, 34)]


def test_references_agents_and_policy_are_checked(write: Write) -> None:
    write("skills/widgets/SKILL.md", skill())
    ref = write("skills/widgets/references/ci.md", "# CI\n\nNode 18 everywhere.\n")
    agent = write("agents/widget-reviewer.md", "---\nname: widget-reviewer\ndescription: "
                  "Reviews. Use after changes.\ntools: Read\n---\n\nRun on Java 11.\n")
    policy = write("policy/rules.md", "# Policy\n\nKubernetes 1.25 clusters.\n")
    assert mismatches([ref, agent, policy]) == [
        ("widget-reviewer.md", 7, 13), ("rules.md", 3, 12), ("ci.md", 3, 6)]


AGREEING = (
    "\nPython 3.12+ and Vitest 5; Node 22.12+ works too; checked with TypeScript 6.0.\n"
    + fence("yaml", "- uses: actions/checkout@v7\n- uses: actions/setup-python@" + "b" * 40
            + "  # v7.0.0")
    + fence("dockerfile", "FROM python:3.12-slim-bookworm")
    + fence("json", '{"devDependencies": {"vitest": "^5.1.2", "typescript": "^6.0.3"}}')
)

ON_PURPOSE = (
    "\n.NET 8 support ended on 2026-11-10: move to .NET 10.\n"  # says the version is old
    "\nPostgreSQL 12+ can skip the scan (a floor at or below the taught 16).\n"
    "\n## Iterators (Go 1.23)\n"  # a feature label
    "\nSince Go 1.25 the WaitGroup has a Go method.\n"
    + fence('yaml example="bad"', "- uses: actions/checkout@v2")  # an anti-pattern
)


@pytest.mark.parametrize("body", [AGREEING, ON_PURPOSE], ids=["agreeing", "on-purpose"])
def test_content_that_agrees_or_names_an_old_version_on_purpose_passes(body: str,
                                                                      write: Write) -> None:
    path = write("skills/widgets/SKILL.md", skill(body=body))
    assert mismatches([path]) == []


def test_a_floor_above_the_taught_version_is_still_a_mismatch(write: Write) -> None:
    path = write("skills/widgets/SKILL.md", skill(body="\nNeeds .NET 12+.\n"))
    assert mismatches([path]) == [("SKILL.md", 10, 12)]


def test_guide_pages_are_not_held_to_the_table(write: Write) -> None:
    page = write("docs/history.md", "# History\n\nWe once taught Vitest 3.\n")
    assert mismatches([page]) == []


def test_two_skills_that_disagree_on_an_unlisted_tool_are_reported(write: Write) -> None:
    a = write("skills/alpha/SKILL.md", skill("Jest 30, zod 4").replace("widgets", "alpha"))
    b = write("skills/beta/SKILL.md", skill("zod 3, Jest 30").replace("widgets", "beta"))
    found = [p for p in validate([a, b]) if p.code == rules.VERSION_DISAGREE]
    assert [(p.path.split("/")[-2], p.line, p.message.split(":")[0]) for p in found] == [
        ("beta", 7, "zod 3")]
    c = write("skills/gamma/SKILL.md", skill("zod 4.6").replace("widgets", "gamma"))
    assert not [p for p in validate([a, c]) if p.code == rules.VERSION_DISAGREE]


def test_the_table_lists_what_the_pack_teaches() -> None:
    tools = {t.key: t for t in versions.table()}
    assert {"python", "node", "typescript", "vitest", "pytest", "pytest-cov", "ruff", "uv",
            "mypy", "terraform", "kubernetes", "helm", "go", "rust", "java", "dotnet",
            "postgresql", "actions-checkout", "actions-setup-node", "actions-setup-python",
            "setup-uv"} <= set(tools)
    assert tools["vitest"].version == "5" and tools["typescript"].version == "6.0"


def test_the_real_tree_agrees_with_the_table() -> None:
    found = [str(p) for p in validate([ROOT / "skills", ROOT / "agents", ROOT / "policy"])
             if p.code in (rules.VERSION_MISMATCH, rules.VERSION_DISAGREE)]
    assert found == []


@pytest.mark.parametrize(("text", "line", "says"), [
    ("this is = not [ toml\n", 1, "not TOML"),
    ("", 1, "no [tools."),
    ('[tools.python]\nversion = "3.12"\n', 1, "patterns"),
    ('[tools.uv]\nversion = "0.9"\npatterns = ["uv \\\\d+"]\n', 1, "(group)"),
    ('\n[tools.uv]  # the installer\nversion = "0.9"\npatterns = "uv"\n', 2, "list"),
])
def test_a_broken_table_is_one_located_problem_not_a_traceback(
        tmp_path: Path, text: str, line: int, says: str) -> None:
    table = tmp_path / "policy" / "versions.toml"
    table.parent.mkdir()
    table.write_text(text)
    tools, problem = versions.load(table)
    assert tools == ()
    assert problem is not None and problem.code == rules.VERSION_TABLE
    assert (problem.line, problem.col) == (line, 1) or problem.line == line
    assert says in problem.message


def test_freshness_reports_a_broken_table(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "policy").mkdir(parents=True)
    (root / "policy" / "versions.toml").write_text("this is = not [ toml\n")
    freshness = subprocess.run(
        [sys.executable, "-m", "playbook.freshness", "--root", str(root),
         "--cache", str(tmp_path / "cache.json")],
        capture_output=True, text=True, check=False, timeout=120)
    assert freshness.returncode == 1, freshness.stdout + freshness.stderr
    assert "Traceback" not in freshness.stderr
    assert re.search(r"versions\.toml:1:\d+: PB075 ", freshness.stdout + freshness.stderr)


@pytest.mark.parametrize(("text", "line", "col"), [
    ('[tools.uv]  # the installer\nversion = "0.9"\npatterns = [\'uv (\\d+)\']\npypi = "uv"\n',
     2, 12),
    ("[tools.uv]\n  version = '0.9'\npatterns = ['uv (\\d+)']\npypi = \"uv\"\n", 2, 14),
    ('[tools]\nuv = { version = "0.9", patterns = [\'uv (\\d+)\'], pypi = "uv" }\n', 1, 1),
])
def test_the_tables_pins_are_located_however_the_toml_is_laid_out(
        tmp_path: Path, text: str, line: int, col: int) -> None:
    table = tmp_path / "policy" / "versions.toml"
    table.parent.mkdir()
    table.write_text(text)
    [pin] = freshness.table_pins(table)
    assert (pin.name, pin.version, pin.line, pin.col) == ("uv", "0.9", line, col)


def test_a_root_without_a_table_has_no_table_pins(tmp_path: Path) -> None:
    assert freshness.all_pins(tmp_path) == []
