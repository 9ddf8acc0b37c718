"""Test blocks run by their real runner: a passing group, a failing test, and the red step
(right reason, passing, wrong reason), for pytest, go test, rustc --test, Vitest and JUnit."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playbook import rules
from playbook.content import load
from playbook.examples import Session, problems_of

from tests.toolchains import require

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    runner: str
    tools: tuple[str, ...]
    lang: str
    code: str  # the file name of the code under test
    test: str  # the file name of the test
    stub: str
    impl: str
    test_source: str
    failing: str  # a line of test_source: where a failing test is reported
    reason: str  # what the stub's failure says
    wrong: str  # what a red step says when the code under test does not exist at all


CASES = [
    Case("pytest", ("pytest",), "python", "cart.py", "test_cart.py",
         "def total(prices: list[int]) -> int:\n    return 0\n",
         "def total(prices: list[int]) -> int:\n    return sum(prices)\n",
         "from cart import total\n\n\ndef test_total_adds_prices() -> None:\n"
         "    assert total([1, 2]) == 3\n",
         "assert total", "AssertionError",
         "ModuleNotFoundError: No module named 'cart'"),
    Case("go test", ("go",), "go", "cart.go", "cart_test.go",
         "package cart\n\nfunc Total(prices []int) int {\n\treturn 0\n}\n",
         "package cart\n\nfunc Total(prices []int) int {\n\tsum := 0\n\tfor _, p := range prices "
         "{\n\t\tsum += p\n\t}\n\treturn sum\n}\n",
         'package cart\n\nimport "testing"\n\nfunc TestTotal(t *testing.T) {\n'
         '\tif got := Total([]int{1, 2}); got != 3 {\n\t\tt.Errorf("Total = %d, want 3", got)\n'
         "\t}\n}\n",
         "t.Errorf", "want 3", "undefined: Total"),
    Case("rustc --test", ("rustc",), "rust", "cart.rs", "lib.rs",
         "pub fn total(prices: &[i32]) -> i32 {\n    let _ = prices;\n    0\n}\n",
         "pub fn total(prices: &[i32]) -> i32 {\n    prices.iter().sum()\n}\n",
         "mod cart;\n\n#[cfg(test)]\nmod tests {\n    use super::cart::total;\n\n    #[test]\n"
         "    fn adds_prices() {\n        assert_eq!(total(&[1, 2]), 3);\n    }\n}\n",
         "assert_eq!", "left == right", "file not found for module"),
    Case("vitest", ("node", "vitest"), "typescript", "cart.ts", "cart.test.ts",
         "export function total(prices: number[]): number {\n  return prices.length * 0;\n}\n",
         "export function total(prices: number[]): number {\n"
         "  return prices.reduce((a, b) => a + b, 0);\n}\n",
         'import { expect, it } from "vitest";\nimport { total } from "./cart.js";\n\n'
         'it("adds prices", () => {\n  expect(total([1, 2])).toBe(3);\n});\n',
         "toBe(3)", "to be 3", "Cannot find module './cart.js' imported from cart.test.ts"),
    Case("junit", ("javac", "java", "junit"), "java", "Cart.java", "CartTest.java",
         "final class Cart {\n    static int total(int[] prices) {\n        return 0;\n    }\n}\n",
         "final class Cart {\n    static int total(int[] prices) {\n        int sum = 0;\n"
         "        for (int p : prices) {\n            sum += p;\n        }\n        return sum;\n"
         "    }\n}\n",
         "import static org.junit.jupiter.api.Assertions.assertEquals;\n\n"
         "import org.junit.jupiter.api.Test;\n\nclass CartTest {\n    @Test\n"
         "    void addsPrices() {\n        assertEquals(3, Cart.total(new int[] {1, 2}));\n"
         "    }\n}\n",
         "assertEquals(3", "expected: <3> but was: <0>", "cannot find symbol"),
]


def fence(case: Case, title: str, source: str, group: str, extra: str = "") -> str:
    return f'\n```{case.lang} group="{group}" title="{title}"{extra}\n{source}```\n'


def page(case: Case) -> str:
    red = f' expect="fail" reason="{case.reason}"'
    return "# Cart\n" + "".join([
        fence(case, case.code, case.impl, "green"), fence(case, case.test, case.test_source,
                                                          "green"),
        fence(case, case.code, case.stub, "fails"), fence(case, case.test, case.test_source,
                                                          "fails"),
        fence(case, case.code, case.stub, "red"), fence(case, case.test, case.test_source, "red",
                                                        red),
        fence(case, case.code, case.impl, "red"),
        fence(case, case.code, case.impl, "passes"),
        fence(case, case.test, case.test_source, "passes", red),
        fence(case, case.test, case.test_source, "wrong", red),
        fence(case, case.code, case.impl, "wrong"),
    ])


def checked(path: Path) -> list[tuple[object, object]]:
    blocks = load(path).blocks
    session = Session(blocks)
    try:
        return [(block, session.check(block)) for block in blocks]
    finally:
        session.close()


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.runner)
def test_a_runner_runs_the_group_and_checks_the_red_step(write, case: Case) -> None:  # noqa: ANN001
    for tool in case.tools:
        require(tool)
    path = write("docs/cart.md", page(case))
    results = checked(path)
    assert [v.tier for _, v in results] == ["tested"] * 11, [v.reason for _, v in results]
    assert {v.runner for _, v in results} == {case.runner}
    (_, impl), (_, green) = results[0], results[1]
    assert impl.ok and "run by" in impl.reason and green.ok, green.errors

    # a failing test: one PB063 on the failing line of the test block, the runner's lines below
    test_block, failed = results[3]
    [problem] = problems_of(test_block, failed)
    failing = case.test_source.splitlines().index(
        next(ln for ln in case.test_source.splitlines() if case.failing in ln))
    assert (problem.code, problem.line) == (rules.BLOCK_CHECK, test_block.first_line + failing)
    assert problem.message.startswith(f"{case.runner}: test failed: "), problem.message
    assert case.reason in problem.message and failed.details
    assert len(failed.details) <= 12
    assert any(case.reason in ln or case.failing in ln for ln in failed.details), failed.details

    # the red step fails for its reason, then the implementation makes it green
    (_, stub), (_, red), (_, done) = results[4:7]
    assert stub.ok and red.ok and done.ok, (red.checks, done.errors)
    [check] = red.checks
    assert check.reason == case.reason and case.reason in check.seen and check.ok

    # a red step that passes
    passing_block, passing = results[8]
    [problem] = problems_of(passing_block, passing)
    assert (problem.code, problem.message) == (rules.RED_STEP, "red step passed; it must fail")

    # a red step that breaks before any test runs: the code under test does not exist
    wrong_block, wrong = results[9]
    [problem] = problems_of(wrong_block, wrong)
    assert problem.code == rules.RED_STEP
    assert problem.message.startswith("red step failed for the wrong reason: it broke before "
                                      "any test ran: "), problem.message
    assert case.wrong in problem.message and problem.message.endswith(f"(expected {case.reason})")
    assert results[10][1].ok  # the implementation written after it makes the group green


@pytest.mark.slow
def test_a_red_step_that_fails_on_a_name_error_is_the_wrong_reason(write) -> None:  # noqa: ANN001
    require("pytest")
    path = write("docs/cart.md", "# Cart\n\n```python title=\"test_cart.py\" expect=\"fail\" "
                 'reason="total"\ndef test_total() -> None:\n    assert total([1]) == 1  # noqa: '
                 "F821\n```\n")
    [(block, verdict)] = checked(path)
    [problem] = problems_of(block, verdict)
    assert problem.message == ("red step failed for the wrong reason: NameError: name 'total' "
                               "is not defined (expected total)")


@pytest.mark.slow
def test_a_red_step_without_a_reason_is_not_proven_by_any_failure(write) -> None:  # noqa: ANN001
    require("pytest")
    path = write("docs/cart.md", '# Cart\n\n```python title="test_cart.py" expect="fail"\n'
                 "def test_total() -> None:\n    assert 1 == 2\n```\n")
    [(block, verdict)] = checked(path)
    [problem] = problems_of(block, verdict)
    assert problem.code == rules.RED_STEP
    assert problem.message == ('red step names no reason="..." to check the failure against '
                               "(seen: AssertionError: assert 1 == 2)")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "playbook.examples", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=600, env=env)


PYTEST_PAGE = CASES[0]


@pytest.mark.slow
def test_the_report_counts_tested_blocks_and_prints_the_runners_lines(write) -> None:  # noqa: ANN001
    require("pytest")
    case = PYTEST_PAGE
    path = write("docs/cart.md", "# Cart\n" + fence(case, case.code, case.stub, "fails")
                 + fence(case, case.test, case.test_source, "fails")
                 + "\n```json\n{}\n```\n")
    result = run_cli(str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{path}:13:1: PB063 pytest: test failed: AssertionError: assert 0 == 3")
    assert "    E   assert 0 == 3" in lines[1:-1]
    assert lines[-1] == "code blocks: total=3 tested=2 executed=0 compiled=0 parsed=1 skipped=0"
    report = json.loads(run_cli("--format", "json", str(path)).stdout)
    assert [(r["tier"], r["runner"]) for r in report["blocks"]] == [
        ("tested", "pytest"), ("tested", "pytest"), ("parsed", "")]


def test_a_missing_runner_lowers_the_tier_and_fails_under_ci(write) -> None:  # noqa: ANN001
    case = PYTEST_PAGE
    path = write("docs/cart.md", "# Cart\n" + fence(case, case.code, case.stub, "red")
                 + fence(case, case.test, case.test_source, "red",
                         f' expect="fail" reason="{case.reason}"')
                 + fence(case, case.code, case.impl, "red"))
    bare = {k: v for k, v in os.environ.items() if k != "CI"}
    bare["PLAYBOOK_NO_TOOLCHAINS"] = "1"
    result = run_cli(str(path), env=bare)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "pytest: missing (pip install pytest (dependency group `examples`; nox installs it)): "
        "3 blocks checked at a lower tier",
        "code blocks: total=3 tested=0 executed=0 compiled=0 parsed=3 skipped=0",
    ]
    result = run_cli(str(path), env={**bare, "CI": "true"})
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{path}:3:1: PB064 pytest: missing (pip install pytest (dependency group `examples`; "
        "nox installs it)): CI checks every block at its strongest tier")


def test_a_group_that_needs_a_crate_is_compiled_and_says_why(write) -> None:  # noqa: ANN001
    path = write("docs/serde.md", "# Serde\n\n```rust\nuse serde::Serialize;\n\n"
                 "#[derive(Serialize)]\npub struct A;\n\n#[test]\nfn t() {}\n```\n")
    [(_, verdict)] = checked(path)
    assert verdict.tier == "parsed" and verdict.ok
    assert verdict.reason == ("not run by rustc --test: uses the crate serde: crates.io is not "
                              "reachable here, so the tests build against std only")


def test_expect_without_a_test_to_run_is_an_error(write) -> None:  # noqa: ANN001
    path = write("docs/x.md", '# X\n\n```json expect="pass"\n{}\n```\n')
    [(block, verdict)] = checked(path)
    [problem] = problems_of(block, verdict)
    assert problem.code == rules.BLOCK_CHECK and "no test runs here" in problem.message


def test_a_red_step_in_a_language_no_package_source_can_run_says_so(write) -> None:  # noqa: ANN001
    """C#: no .NET SDK comes from Debian, PyPI or npm. The red step is written the same way and
    the report says it was not run, instead of failing the block or pretending."""
    path = write("docs/x.md", '# X\n\n```csharp title="SlugTests.cs" expect="fail" '
                 'reason="Assert.Equal() Failure"\npublic class SlugTests { }\n```\n')
    [(block, verdict)] = checked(path)
    assert problems_of(block, verdict) == []
    assert verdict.tier == "parsed"
    assert "red step not run" in verdict.reason and ".NET SDK" in verdict.reason


@pytest.mark.parametrize(("info", "code", "says"), [
    ('python title="test_a.py" expect="maybe"', rules.BLOCK_SETTING,
     'expect="maybe" is not one of fail, pass'),
    ('python title="test_a.py" expect="fail"', rules.BLOCK_REASON,
     'expect="fail" needs a reason="..."'),
    ('python runner="nose"', rules.BLOCK_SETTING,
     'runner="nose" is not one of pytest, go test, rustc --test, vitest, junit'),
])
def test_the_validator_rejects_malformed_test_settings(write, info: str, code: str,
                                                       says: str) -> None:  # noqa: ANN001
    path = write("docs/x.md", f"# X\n\n```{info}\nx = 1\n```\n")
    result = subprocess.run([sys.executable, "-m", "playbook.validate", str(path)], cwd=ROOT,
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 1
    assert f"{path}:3:1: {code} {says}" in result.stdout, result.stdout


def test_a_test_that_needs_a_missing_plugin_or_files_is_not_run_and_says_why(write) -> None:  # noqa: ANN001
    if importlib.util.find_spec("pytest_httpx") is not None:
        pytest.skip("pytest-httpx is installed here: the httpx_mock fixture exists")
    path = write("docs/p.md", '# P\n\n```python title="test_client.py"\n'
                 "def test_fetch(httpx_mock) -> None:\n"
                 '    assert httpx_mock is not None\n```\n\n'
                 '```go title="report_test.go"\npackage report\n\n'
                 'import (\n\t"os"\n\t"testing"\n)\n\nfunc TestGolden(t *testing.T) {\n'
                 '\tif _, err := os.ReadFile("testdata/a.golden"); err != nil {\n'
                 "\t\tt.Fatal(err)\n\t}\n}\n```\n")
    [(_, python), (_, go)] = checked(path)
    assert python.tier == "parsed" and python.ok
    assert python.reason == ("not run by pytest: uses the `httpx_mock` fixture of pytest-httpx, "
                             "which is not installed here")
    assert go.reason == ("not run by go test: reads files under testdata/ that no block of the "
                         "group writes")


PAGE_TEST = """from playwright.sync_api import Page, expect


def test_the_heading_greets(page: Page) -> None:
    page.set_content("<h1>{heading}</h1>")
    expect(page.get_by_role("heading")).to_have_text("Hello")
"""


@pytest.mark.slow
@pytest.mark.needs("chromium")
def test_pytest_playwright_fixtures_run_in_this_machines_chromium(write) -> None:  # noqa: ANN001
    """A block keeps to the plain `page` fixture; the checker points pytest-playwright at the
    Chromium that is installed, and the red step fails on the page's real text."""
    if importlib.util.find_spec("pytest_playwright") is None:
        pytest.skip("pytest-playwright is not installed (nox -s tests installs it)")
    red = PAGE_TEST.format(heading="Bye")
    green = PAGE_TEST.format(heading="Hello")
    path = write("docs/p.md", '# P\n\n```python group="g" title="test_page.py" expect="fail" '
                 f'reason="Locator expected to have text"\n{red}```\n\n'
                 f'```python group="g" title="test_page.py"\n{green}```\n')
    [(red_block, red_verdict), (green_block, green_verdict)] = checked(path)
    assert problems_of(red_block, red_verdict) == [] and red_verdict.tier == "tested"
    assert problems_of(green_block, green_verdict) == [] and green_verdict.tier == "tested"


def test_the_browser_plugin_loads_where_playbook_is_not_on_pythonpath(write, monkeypatch) -> None:  # noqa: ANN001
    """nox sets PYTHONPATH; a plain pytest run or an installed checker may not."""
    if importlib.util.find_spec("pytest_playwright") is None:
        pytest.skip("pytest-playwright is not installed (nox -s tests installs it)")
    require("chromium")
    monkeypatch.delenv("PYTHONPATH", raising=False)
    path = write("docs/p.md", '# P\n\n```python title="test_page.py"\n'
                 f'{PAGE_TEST.format(heading="Hello")}```\n')
    [(block, verdict)] = checked(path)
    assert problems_of(block, verdict) == [] and verdict.tier == "tested"


def test_a_browser_test_without_chromium_names_it_and_fails_under_ci(
        write, monkeypatch, request) -> None:  # noqa: ANN001
    from playbook.examples import toolchains

    monkeypatch.setenv("PLAYWRIGHT_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("PATH", "/nonexistent")
    toolchains.which.cache_clear()  # tools found by earlier tests are looked up again
    request.addfinalizer(toolchains.which.cache_clear)
    path = write("docs/p.md", '# P\n\n```python title="test_page.py"\n'
                 + PAGE_TEST.format(heading="Hello") + "```\n")
    monkeypatch.delenv("CI", raising=False)
    [(block, verdict)] = checked(path)
    assert verdict.tier == "parsed" and verdict.missing == ["chromium"]
    assert problems_of(block, verdict) == []
    monkeypatch.setenv("CI", "true")
    assert [p.code for p in problems_of(block, verdict)] == [rules.TOOLCHAIN_MISSING]
