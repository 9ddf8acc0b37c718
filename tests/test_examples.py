"""Code blocks: each language reaches its tier, failures are located, the report is exact."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from playbook.content import load
from playbook.examples import Session, check_static, checkers, collect, python, toolchains

from tests.toolchains import require

ROOT = Path(__file__).resolve().parent.parent


def blocks_of(write, body: str):  # noqa: ANN001, ANN201
    path = write("docs/page.md", "# Page\n" + body)
    return load(path).blocks


def outcome(write, info: str, code: str):  # noqa: ANN001, ANN201
    [block] = blocks_of(write, f"\n```{info}\n{code}\n```\n")
    return check_static(block, [block])


@pytest.mark.parametrize(("info", "good", "bad", "tier"), [
    ("json", '{"a": 1}', '{"a": 1,}', "parsed"),
    ("yaml", "a: [1, 2]", "a: [1", "parsed"),
    ("toml", 'a = "b"', "a = ", "parsed"),
    ("ini", "[s]\na = 1", "a = 1", "parsed"),
    ("xml", "<a><b/></a>", "<a><b></a>", "parsed"),
    ("csharp", "// .NET 8\npublic record P(int X);", "public class {", "parsed"),
    ("hcl", 'variable "x" {\n  type = string\n}', 'variable "x" {', "parsed"),
    ("dockerfile", "FROM python:3.12-slim\nUSER app", "FROM python:3.12\nRUN [", "parsed"),
    ("sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);", "CREATE TABLE (;", "executed"),
    ("markdown", "---\nname: x\n---\n# X", "---\nname: [x\n---\n", "parsed"),
])
def test_parsers(write, info: str, good: str, bad: str, tier: str) -> None:  # noqa: ANN001
    ok = outcome(write, info, good)
    assert ok.ok and ok.tier == tier, ok.errors
    failed = outcome(write, info, bad)
    assert not failed.ok
    assert failed.errors[0][0] >= 3  # located on a body line of the file


TOOLCHAIN_CASES = [
    ("bash", "shellcheck", 'echo "$HOME"', "echo $(ls *.txt) | grep [a]", "compiled"),
    ("typescript", "tsc", "export const n: number = 1;", "export const s: string = 1;",
     "compiled"),
    ("javascript", "node", "export const a = 1;", "export const = ;", "compiled"),
    ("rust", "rustc", "pub fn add(a: i32, b: i32) -> i32 { a + b }",
     "pub fn add(a: i32) -> String { a }", "compiled"),
    ("go", "go", "package main\n\nfunc main() {}", "package main\n\nfunc main() { x := 1 }",
     "compiled"),
    ("java", "javac", "public record Point(int x, int y) {}", "public class A { int x = \"s\"; }",
     "compiled"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("info", "tool", "good", "bad", "tier"), TOOLCHAIN_CASES)
def test_toolchains(write, info: str, tool: str, good: str, bad: str, tier: str) -> None:  # noqa: ANN001
    require(tool)
    ok = outcome(write, info, good)
    assert ok.ok and ok.tier == tier, ok.errors
    failed = outcome(write, info, bad)
    assert not failed.ok and failed.tier == tier
    assert failed.errors[0][0] >= 3


@pytest.mark.parametrize(("info", "tool", "good", "bad"), [
    (i, t, g, b) for i, t, g, b, _tier in TOOLCHAIN_CASES
])
def test_without_toolchains_code_is_parsed(write, monkeypatch, info, tool, good, bad) -> None:  # noqa: ANN001
    monkeypatch.setattr(checkers, "which", lambda name: None)
    ok = outcome(write, info, good)
    assert ok.ok and ok.tier == "parsed", ok.errors
    # the tool that would have checked it is named (with no bash at all, bash itself)
    assert ok.missing == ["bash" if info == "bash" else tool]
    if info not in ("go", "java", "rust", "typescript", "bash"):  # type errors need a compiler
        assert not outcome(write, info, bad).ok


def test_third_party_imports_stay_at_the_parse_tier(write) -> None:  # noqa: ANN001
    rust = outcome(write, "rust", "use serde::Serialize;\n#[derive(Serialize)]\npub struct A;")
    go = outcome(write, "go", 'package a\n\nimport "github.com/x/y"\n\nvar _ = y.Z')
    java = outcome(write, "java",
                   "import org.junit.jupiter.api.Test;\nclass A { @Test void t() {} }")
    assert (rust.tier, go.tier, java.tier) == ("parsed", "parsed", "parsed")
    assert rust.ok and go.ok and java.ok


def test_settings_decide_the_tier(write) -> None:  # noqa: ANN001
    assert outcome(write, 'python test="skip" reason="needs a server"', "x(").tier == "skipped"
    parsed = outcome(write, 'python test="parse" reason="demo"', "import missing_module")
    assert parsed.tier == "parsed" and parsed.ok
    bad = outcome(write, 'python example="bad"', "def f(:")
    assert bad.tier == "parsed" and not bad.ok
    unknown = outcome(write, "prisma", "model A {}")
    assert not unknown.ok and "no checker" in unknown.errors[0][2]
    assert outcome(write, "python", "x = 1") is None  # executed by the Python runner


def test_groups_compile_together(write) -> None:  # noqa: ANN001
    blocks = blocks_of(write, "\n```sql group=\"db\"\nCREATE TABLE t (id INTEGER);\n```\n"
                              "\n```sql group=\"db\"\nINSERT INTO t VALUES (1);\n```\n")
    assert check_static(blocks[1], blocks).tier == "executed"


def test_collect_defaults_to_the_repository() -> None:
    assert all(b.rel for b in collect())


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "playbook.examples", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=600)


SAMPLE = '''# Sample

```python
import json

print(json.dumps({"a": 1}))
#> {"a": 1}
```

```python group="g"
total = 41
```

```python group="g"
print(total + 1)
#> 42
```

```python
print(1 + 1)
#> 3
```

```python
raise ValueError("boom")
```

```json
{"ok": true}
```

```text test="skip" reason="sample output"
anything
```
'''


def test_cli_report(write) -> None:  # noqa: ANN001
    path = write("docs/sample.md", SAMPLE)
    result = run_cli(str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "code blocks: total=7 tested=0 executed=5 compiled=0 parsed=1 skipped=1"
    assert lines[:2] == [
        f"{path}:21:1: PB063 print output differs: it printed `#> 2`, the block says `#> 3` "
        "(--update-examples rewrites it)",
        f"{path}:25:1: PB063 ValueError: boom",
    ]


def test_cli_json_and_update(write) -> None:  # noqa: ANN001
    path = write("docs/sample.md", SAMPLE.replace('raise ValueError("boom")', "x = 1"))
    report = json.loads(run_cli("--format", "json", str(path)).stdout)
    rows = report["blocks"]
    assert [r["tier"] for r in rows] == ["executed"] * 5 + ["parsed", "skipped"]
    assert rows[-1]["reason"] == "sample output" and rows[0]["language"] == "python"
    assert rows[3]["reason"].startswith("print output differs") and not rows[3]["ok"]
    assert report["missing"] == [] and len(report["problems"]) == 1
    assert run_cli("--update-examples", str(path)).returncode == 0
    assert "#> 2\n" in path.read_text() and run_cli(str(path)).returncode == 0


def test_cli_usage_errors() -> None:
    assert run_cli("/no/such.md").returncode == 2
    result = run_cli("--format", "yaml")
    assert result.returncode == 2 and "Traceback" not in result.stderr


DOMAIN_CASES = [
    ("check-jsonschema", "on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n"
     "      - run: echo hi", "on: push\njobs:\n  t:\n    steps: 3"),
    ("kubernetes-validate", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v",
     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: 3"),
    ("ansible-playbook", "- hosts: all\n  tasks:\n    - ansible.builtin.debug:\n        msg: hi",
     "- hosts: all\n  tasks:\n    - ansible.builtin.no_such_module_xyz:\n        a: 1"),
    ("cfn-lint", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n"
     "    Type: AWS::S3::Bucket", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n"
     "    Type: AWS::S3::NoSuchThing"),
    ("check-jsonschema", "services:\n  web:\n    image: nginx:1.27",
     "services:\n  web:\n    ports: 3"),
    ("check-jsonschema", "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
     "    schedule:\n      interval: weekly", "version: 2\nupdates: 3"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("tool", "good", "bad"), DOMAIN_CASES)
def test_yaml_domain_validators(write, tool: str, good: str, bad: str) -> None:  # noqa: ANN001
    require(tool)
    ok = outcome(write, "yaml", good)
    assert ok.ok and ok.tier == "compiled", ok.errors
    failed = outcome(write, "yaml", bad)
    assert not failed.ok and failed.tier == "compiled"


def test_kubernetes_kinds_without_a_schema_stay_parsed(write) -> None:  # noqa: ANN001
    require("kubernetes-validate")
    crd = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  size: 1"
    result = outcome(write, "yaml", crd)
    assert result.ok and result.tier == "parsed"


def test_newer_python_syntax_is_parsed_where_it_cannot_run(write, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(checkers, "MIN_PYTHON", (99, 0))  # pretend this interpreter is older
    ok = outcome(write, "python", "x = 1")
    assert ok is None  # compiles here: executed as usual
    monkeypatch.setattr(checkers, "ast", SimpleNamespace(parse=_reject))
    parsed = outcome(write, "python", "def first[T](items: list[T]) -> T:\n    return items[0]")
    assert parsed.ok and parsed.tier == "parsed" and "tree-sitter" in parsed.tool
    # a real syntax error is not "newer syntax": it runs, and fails, under pytest
    assert outcome(write, "python", "def first[T](:\n    return") is None


def _reject(source: str, *args: object) -> None:
    raise SyntaxError("invalid syntax")


def test_a_group_after_newer_syntax_is_parsed_too(write, monkeypatch) -> None:  # noqa: ANN001
    import ast as real_ast

    def parse(source: str, *args: object) -> object:
        if "[T]" in source:
            raise SyntaxError("invalid syntax")
        return real_ast.parse(source, *args)

    monkeypatch.setattr(checkers, "MIN_PYTHON", (99, 0))
    monkeypatch.setattr(checkers, "ast", SimpleNamespace(parse=parse))
    blocks = blocks_of(write, '\n```python group="g"\ndef first[T](xs: list[T]) -> T:\n'
                              '    return xs[0]\n```\n\n'
                              '```python group="g"\nprint(first([1]))\n```\n')
    assert check_static(blocks[1], blocks).tier == "parsed"


def test_cli_fails_on_a_file_it_cannot_read(write) -> None:  # noqa: ANN001
    path = write("docs/broken.md", b"# Title\n\xff\xfe")
    result = run_cli(str(path))
    assert result.returncode == 1
    assert f"{path}:2:1: PB001 byte 0xff is not UTF-8" in result.stdout


# --- a machine without the toolchains ------------------------------------------------------

BROWSER_AND_SHELL = '''# Browser

```python
from playwright.sync_api import sync_playwright

with sync_playwright() as playwright:
    playwright.chromium.launch().close()
```

```bash
echo "$HOME"
```
'''


def bare_machine(tmp_path: Path, **env: str) -> dict[str, str]:
    """PATH holding only bash, a Chromium that does not exist, CI unset unless given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "bash").symlink_to(require("bash"))
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "PLAYBOOK_NO_TOOLCHAINS")}
    return {**base, "PATH": str(bin_dir), "PLAYWRIGHT_CHROMIUM": str(tmp_path / "no-chromium"),
            **env}


@pytest.mark.skipif(os.name == "nt", reason="bash by symlink")
def test_a_missing_tool_lowers_the_tier_and_names_its_install_command(write, tmp_path) -> None:  # noqa: ANN001
    path = write("docs/browser.md", BROWSER_AND_SHELL)
    result = subprocess.run([sys.executable, "-m", "playbook.examples", str(path)], cwd=ROOT,
                            env=bare_machine(tmp_path), capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "chromium: missing (apt-get install chromium, or set PLAYWRIGHT_CHROMIUM): 1 block "
        "checked at a lower tier",
        "shellcheck: missing (apt-get install shellcheck): 1 block checked at a lower tier",
        "code blocks: total=2 tested=0 executed=0 compiled=0 parsed=2 skipped=0",
    ]


@pytest.mark.skipif(os.name == "nt", reason="bash by symlink")
def test_under_ci_a_missing_tool_is_a_located_failure(write, tmp_path) -> None:  # noqa: ANN001
    path = write("docs/browser.md", BROWSER_AND_SHELL)
    result = subprocess.run([sys.executable, "-m", "playbook.examples", "--format", "json",
                             str(path)], cwd=ROOT, env=bare_machine(tmp_path, CI="true"),
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == [
        f"{path}:3:1: PB064 chromium: missing (apt-get install chromium, or set "
        "PLAYWRIGHT_CHROMIUM): CI checks every block at its strongest tier",
        f"{path}:10:1: PB064 shellcheck: missing (apt-get install shellcheck): CI checks every "
        "block at its strongest tier",
    ]
    assert report["missing"] == [
        {"tool": "chromium", "install": "apt-get install chromium, or set PLAYWRIGHT_CHROMIUM",
         "blocks": 1},
        {"tool": "shellcheck", "install": "apt-get install shellcheck", "blocks": 1},
    ]
    assert [r["missing"] for r in report["blocks"]] == [["chromium"], ["shellcheck"]]


def test_every_problem_line_is_located_with_a_registered_code(write) -> None:  # noqa: ANN001
    from playbook.rules import RULES

    path = write("docs/sample.md", SAMPLE + "\n```prisma\nmodel A {}\n```\n\n```\nx\n```\n")
    lines = run_cli(str(path)).stdout.splitlines()[:-1]
    assert len(lines) == 4
    codes = set(RULES)
    for line in lines:
        m = re.match(rf"{re.escape(str(path))}:(\d+):(\d+): (PB\d+) \S", line)
        assert m and m.group(3) in codes, line


def test_a_chromium_named_by_the_environment_must_exist(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setenv("PLAYWRIGHT_CHROMIUM", str(tmp_path / "nowhere"))
    toolchains.which.cache_clear()
    try:
        assert toolchains.which("chromium") is None
        fake = tmp_path / "chromium"
        fake.write_text("")
        monkeypatch.setenv("PLAYWRIGHT_CHROMIUM", str(fake))
        toolchains.which.cache_clear()
        assert toolchains.which("chromium") == str(fake)
    finally:
        toolchains.which.cache_clear()


@pytest.mark.parametrize(("value", "ci"), [("true", True), ("1", True), ("", False),
                                           ("false", False)])
def test_ci_is_read_from_the_environment(monkeypatch, value: str, ci: bool) -> None:  # noqa: ANN001
    monkeypatch.setenv("CI", value)
    assert toolchains.in_ci() is ci


def test_tests_skip_without_a_tool_and_fail_under_ci(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no-such-tool: missing \(install "):
        require("no-such-tool")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI installs every tool"):
        require("no-such-tool")
    assert require("bash").endswith("bash")


# --- the Python runner ---------------------------------------------------------------------


def test_groups_share_globals_and_updates_rewrite_in_place(write) -> None:  # noqa: ANN001
    path = write("docs/g.md", '# G\n\n```python group="g"\nfrom dataclasses import dataclass\n\n\n'
                 '@dataclass\nclass P:\n    x: int\n```\n\n```python group="g"\n'
                 'print(P(1))\n#> wrong\n```\n')
    blocks = load(path).blocks
    session = Session(blocks, update=True)
    assert [session.check(b).ok for b in blocks] == [True, True]
    assert session.close() == [str(path)]
    assert "print(P(1))\n#> P(x=1)\n```" in path.read_text()
    checking = Session(load(path).blocks)
    assert all(checking.check(b).ok for b in load(path).blocks)
    checking.close()


def test_an_update_never_overwrites_a_file_edited_meanwhile(write) -> None:  # noqa: ANN001
    path = write("docs/u.md", "# U\n\n```python\nprint(1)\n#> 0\n```\n")
    session = Session(load(path).blocks, update=True)
    assert session.check(session.blocks[0]).ok
    path.write_text("# U\n\n```python\nprint(2)\n#> 0\n```\n")  # the user edits it
    assert session.close() == []
    assert "print(2)\n#> 0" in path.read_text()


def test_failures_are_located_on_the_failing_line(write) -> None:  # noqa: ANN001
    blocks = blocks_of(write, "\n```python\nx = 1\nassert x == 2\n```\n\n"
                              "```python\nimport os\n```\n")
    session = Session(blocks)
    failed, linted = session.check(blocks[0]), session.check(blocks[1])
    session.close()
    assert failed.errors == [(5, 1, "assert 1 == 2")]  # pytest's assertion rewriting
    assert linted.tool == "ruff" and linted.errors[0][:2] == (9, 8)
    assert "F401" in linted.errors[0][2]


def test_a_block_that_runs_too_long_is_stopped(write) -> None:  # noqa: ANN001
    [block] = blocks_of(write, "\n```python\nimport time\n\ntime.sleep(30)\n```\n")
    runner = python.Runner(time_limit=0.5)
    result = runner.run(block)
    assert result.errors == [(6, 1, "BlockTimeout: timed out after 0 s")]


def test_blocks_that_launch_a_browser_need_chromium(write, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("playbook.examples.which", lambda name: None)
    blocks = blocks_of(write, '\n```python group="e2e"\nfrom playwright.sync_api import '
                              'sync_playwright\n\n\ndef browser():\n    return sync_playwright()'
                              '\n```\n\n```python group="e2e"\nb = browser()\n```\n')
    assert [check_static(b, blocks).missing for b in blocks] == [["chromium"], ["chromium"]]


def test_k_selects_blocks_like_pytest(write) -> None:  # noqa: ANN001
    path = write("docs/sample.md", SAMPLE)
    result = run_cli("-k", "sample.md:10 or (sample.md:14 and not json)", str(path))
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("code blocks: total=2 ")
    bad = run_cli("-k", "a or", str(path))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_what_a_block_writes_stays_out_of_the_report(write) -> None:  # noqa: ANN001
    path = write("docs/noisy.md", '# Noisy\n\n```python\nimport subprocess\nimport sys\n\n'
                 'sys.stdout.write("to stdout\\n")\nsys.stderr.write("to stderr\\n")\n'
                 'subprocess.run([sys.executable, "-c", "print(\'child\')"], check=True)\n```\n')
    result = run_cli("--format", "json", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["blocks"][0]["tier"] == "executed"
    assert result.stderr == ""


def test_a_checker_that_crashes_is_one_located_problem(write, monkeypatch, capsys) -> None:  # noqa: ANN001
    from playbook.examples.__main__ import main

    def crash(block, group):  # noqa: ANN001, ANN202
        raise RuntimeError("grammar gone")

    monkeypatch.setitem(checkers.CHECKERS, "json", crash)
    path = write("docs/j.md", '# J\n\n```json\n{"a": 1}\n```\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{path}:3:1: PB063 the checker failed: RuntimeError: grammar gone")


def test_a_path_that_does_not_exist_is_a_located_io_error(tmp_path, capsys) -> None:  # noqa: ANN001
    from playbook.examples.__main__ import main

    missing = tmp_path / "gone.md"
    assert main([str(missing)]) == 2
    assert capsys.readouterr().err == f"{missing}:1:1: PB201 no such file or directory\n"


def test_a_file_that_cannot_be_read_is_a_located_io_error(write, monkeypatch, capsys) -> None:  # noqa: ANN001
    from playbook.examples.__main__ import main

    path = write("docs/locked.md", "# L\n\n```json\n{}\n```\n")
    read_bytes = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{path}:1:1: PB201 cannot read file: Permission denied")
