"""Code blocks: each language reaches its tier, failures are located, the report is exact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from playbook.content import load
from playbook.examples import check_static, checkers, collect
from playbook.examples.toolchains import which

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
    ("sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);", "CREATE TABLE (;", "compiled"),
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
    if which(tool) is None:
        pytest.skip(f"{tool} is not installed on this machine")
    ok = outcome(write, info, good)
    assert ok.ok and ok.tier == tier, ok.errors
    failed = outcome(write, info, bad)
    assert not failed.ok and failed.tier == tier
    assert failed.errors[0][0] >= 3


@pytest.mark.parametrize(("info", "good", "bad"), [
    (i, g, b) for i, _t, g, b, _tier in TOOLCHAIN_CASES
])
def test_without_toolchains_code_is_parsed(write, monkeypatch, info, good, bad) -> None:  # noqa: ANN001
    monkeypatch.setattr(checkers, "which", lambda name: None)
    ok = outcome(write, info, good)
    assert ok.ok and ok.tier == "parsed", ok.errors
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
    assert not unknown.ok and "no checker" in unknown.errors[0][1]
    assert outcome(write, "python", "x = 1") is None  # executed under pytest


def test_groups_compile_together(write) -> None:  # noqa: ANN001
    blocks = blocks_of(write, "\n```sql group=\"db\"\nCREATE TABLE t (id INTEGER);\n```\n"
                              "\n```sql group=\"db\"\nINSERT INTO t VALUES (1);\n```\n")
    assert check_static(blocks[1], blocks).tier == "compiled"


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
    assert lines[-1] == "code blocks: total=7 executed=5 compiled=0 parsed=1 skipped=1"
    assert any(line.startswith(f"{path}:20: Print output changed") for line in lines)
    assert any(line.startswith(f"{path}:25: ValueError: boom") for line in lines)


def test_cli_json_and_update(write) -> None:  # noqa: ANN001
    path = write("docs/sample.md", SAMPLE.replace('raise ValueError("boom")', "x = 1"))
    rows = json.loads(run_cli("--format", "json", str(path)).stdout)
    assert [r["tier"] for r in rows] == ["executed"] * 5 + ["parsed", "skipped"]
    assert rows[-1]["reason"] == "sample output" and rows[0]["language"] == "python"
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
    if which(tool) is None:
        pytest.skip(f"{tool} is not installed on this machine")
    ok = outcome(write, "yaml", good)
    assert ok.ok and ok.tier == "compiled", ok.errors
    failed = outcome(write, "yaml", bad)
    assert not failed.ok and failed.tier == "compiled"


def test_kubernetes_kinds_without_a_schema_stay_parsed(write) -> None:  # noqa: ANN001
    if which("kubernetes-validate") is None:
        pytest.skip("kubernetes-validate is not installed on this machine")
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
