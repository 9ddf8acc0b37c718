"""Test blocks, run by their real test runner: the ``tested`` tier.

A **test block** is one its runner would pick up: by its ``title`` (``test_*.py`` or
``*_test.py``: pytest; ``*_test.go``: ``go test``; ``*.test.ts(x)`` or ``*.spec.ts(x)``: Vitest;
``*Test.java``: JUnit 5; a Rust block titled ``*.rs`` or untitled that holds ``#[test]``:
``rustc --test``), or by ``runner="..."``. Its **group** is the blocks of the same ``group`` in
the same file (a test block without a group is a group of one). The blocks of a group are the
files of one small project, written in order into a fresh temporary folder as the files their
``title`` names; a later block with the same title replaces the earlier file (that is how a stub
is replaced by its implementation). Untitled blocks get a name of their own, except in Rust,
where they continue the crate root (``lib.rs``). Blocks marked ``test="skip"``,
``test="parse"`` or ``example="bad"`` are not part of the project.

**When the tests run.** The files as written so far are run:

- at every block with ``expect="fail" reason="..."``, the red step: the runner must report a
  test failure (not a collection, import, compile or setup error, and not a ``NameError``,
  missing module or missing symbol inside the test) whose first line, or the name of its
  exception, contains the reason;
- at every block with ``expect="pass"``, which must pass;
- at the last block of the group (the test block itself when it is alone), the green step,
  which must pass (unless it says ``expect="fail"`` itself).

A block between two run points is only written: its verdict is the one of the run that covers
it (the next run point), ``tested`` by that runner, and its problems are reported at that run
point. When the runner is missing, or the group needs what cannot be fetched here (a crate, a
third-party Go module, an npm package besides ``vitest``, a Java library besides JUnit), every
block of the group gets its language's own check instead (``compiled`` or ``parsed``), with the
missing tool named, or the reason it was not run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playbook.content import ROOT, CodeBlock
from playbook.examples.checkers import (
    CHECKERS,
    GO_MOD,
    _go_imports,
    _java_name,
    check_python_parse,
    external_crates,
)
from playbook.examples.toolchains import go_env, run, scratch, which
from playbook.examples.verdict import TESTED, RedCheck, Verdict

PASSED, FAILED, BROKEN = "passed", "failed", "broken"
MAX_LINES = 12  # the runner's own lines shown under a problem


@dataclass
class Failure:
    """One failing test (or what broke before any test ran), located in a written file."""

    first: str  # its first line, e.g. "AssertionError: assert 0 == 3"
    file: str = ""  # the written file it points into
    line: int = 0  # the line in that file (0: unknown)
    lines: list[str] = field(default_factory=list)  # the runner's own lines, trimmed


@dataclass
class Outcome:
    status: str  # PASSED, FAILED (a test failed) or BROKEN (no test ran: the code did not load)
    failures: list[Failure] = field(default_factory=list)


@dataclass(frozen=True)
class Project:
    """The group's files as written so far, in a scratch folder."""

    folder: Path
    files: list[str]  # every file written, in order
    tests: list[str]  # the test files among them


Execute = Callable[[Project, list[str]], Outcome]


@dataclass(frozen=True)
class TestRunner:
    name: str  # as `runner="..."` and the JSON report name it
    languages: tuple[str, ...]
    tools: tuple[str, ...]  # what it needs from the tool registry
    is_test: Callable[[CodeBlock], bool]
    execute: Execute  # runs a written project with the tools' paths
    default_name: Callable[[CodeBlock, int], str]  # the file name of an untitled block
    # Why the block cannot run here ("" when it can), given the file names of its group.
    cannot_run: Callable[[CodeBlock, set[str]], str] = lambda block, files: ""
    # A failure inside a test that means the code did not load, not that it misbehaves.
    code_error: re.Pattern[str] = re.compile(r"(?!)")
    prepare: Callable[[Path, list[str]], None] = lambda folder, files: None
    append_untitled: bool = False  # untitled blocks continue one file (Rust's crate root)
    # Tools a block needs beyond the runner's own (a browser for pytest-playwright's page).
    needs: Callable[[CodeBlock], tuple[str, ...]] = lambda block: ()


def _titled(pattern: str) -> Callable[[CodeBlock], bool]:
    regex = re.compile(pattern)
    return lambda block: bool(regex.search(Path(block.settings.get("title", "")).name))


def _untitled(ext: str) -> Callable[[CodeBlock, int], str]:
    return lambda block, i: f"block{i}.{ext}"


def _combined(result_stdout: str, result_stderr: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", f"{result_stdout}\n{result_stderr}")


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "no output")


# --- pytest ---------------------------------------------------------------------------------

_PY_SECTION = re.compile(r"^_{3,} (.+?) _{3,}$", re.M)
_PY_LOCATION = re.compile(r"^(\S+?\.py):(\d+): ", re.M)


def run_pytest(project: Project, tools: list[str]) -> Outcome:
    env, browser = {"PYTHONDONTWRITEBYTECODE": "1"}, []
    chromium = which("chromium")
    if chromium and importlib.util.find_spec("pytest_playwright") is not None:
        env["PLAYWRIGHT_CHROMIUM"] = chromium  # pytest-playwright's fixtures launch this one
        browser = ["-p", "playbook.examples.chromium_launch"]
        here = str(Path(__file__).resolve().parents[2])  # where `playbook` imports from
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *browser,
                  "--tb=short", "-rfE", "--color=no", "-o", "console_output_style=classic",
                  *project.tests], cwd=project.folder, env=env, timeout=300)
    if result.returncode == 0:
        return Outcome(PASSED)
    out = _combined(result.stdout, result.stderr)
    parts = _PY_SECTION.split(out)
    failures, broken = [], result.returncode != 1
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        body = body.split("\n=====", 1)[0]
        said = [ln[1:].strip() for ln in body.splitlines() if ln.startswith("E ")]
        first = said[0] if said else _first_line(body)
        if first.startswith("assert "):
            first = f"AssertionError: {first}"
        places = [(Path(m.group(1)).name, int(m.group(2))) for m in _PY_LOCATION.finditer(body)
                  if Path(m.group(1)).name in project.files]
        file, line = places[0] if places else ("", 0)
        lines = [ln.rstrip() for ln in body.strip("\n").splitlines() if ln.strip()]
        failures.append(Failure(first, file, line, lines[-MAX_LINES:]))
        broken = broken or title.startswith("ERROR")
    if not failures:
        failures = [Failure(_first_line("\n".join(reversed(out.splitlines()))))]
    return Outcome(BROKEN if broken else FAILED, failures)


# Fixtures that pytest plugins provide: a test asking for one needs the plugin installed.
_PLUGIN_FIXTURES = {"page": "pytest_playwright", "browser": "pytest_playwright",
                    "context": "pytest_playwright", "mocker": "pytest_mock",
                    "benchmark": "pytest_benchmark", "httpx_mock": "pytest_httpx"}


_TEST_ARGS = re.compile(r"^\s*(?:async\s+)?def test\w*\(([^)]*)\)", re.M)


def _plugin_fixtures(block: CodeBlock) -> set[str]:
    """The fixtures of pytest plugins that the block's tests ask for."""
    names = {arg.split(":")[0].strip() for args in _TEST_ARGS.findall(block.source)
             for arg in args.split(",")}
    return names & set(_PLUGIN_FIXTURES)


def _py_cannot_run(block: CodeBlock, files: set[str]) -> str:
    for fixture in sorted(_plugin_fixtures(block)):
        plugin = _PLUGIN_FIXTURES[fixture]
        if importlib.util.find_spec(plugin) is None and "conftest.py" not in files:
            return (f"uses the `{fixture}` fixture of {plugin.replace('_', '-')}, which is not "
                    "installed here")
    return ""


def _py_needs(block: CodeBlock) -> tuple[str, ...]:
    wants_browser = any(_PLUGIN_FIXTURES[f] == "pytest_playwright" for f in _plugin_fixtures(block))
    return ("chromium",) if wants_browser else ()


def _py_name(block: CodeBlock, i: int) -> str:
    return f"block{i}.py"


# --- go test --------------------------------------------------------------------------------

_GO_LOCATION = re.compile(r"^\s*(?:\./)?(\S+?\.go):(\d+)(?::\d+)?: (.*)$", re.M)


def run_go(project: Project, tools: list[str]) -> Outcome:
    result = run([tools[0], "test", "-count=1", "./..."], cwd=project.folder, env=go_env(),
                 timeout=300)
    if result.returncode == 0:
        return Outcome(PASSED)
    out = _combined(result.stdout, result.stderr)
    tests = re.split(r"^\s*--- FAIL: (\S+).*$", out, flags=re.M)
    if "[build failed]" in out or "[setup failed]" in out or len(tests) == 1:
        m = _GO_LOCATION.search(out)
        lines = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith("FAIL")]
        if m:
            return Outcome(BROKEN, [Failure(m.group(3), Path(m.group(1)).name, int(m.group(2)),
                                            lines[:MAX_LINES])])
        return Outcome(BROKEN, [Failure(_first_line("\n".join(lines) or out), "", 0,
                                        lines[:MAX_LINES])])
    failures = []
    for body in tests[2::2]:
        lines = [ln.strip() for ln in body.splitlines()
                 if ln.startswith((" ", "\t", "panic")) and ln.strip()]
        m = _GO_LOCATION.search(body)
        if m:
            failures.append(Failure(m.group(3), Path(m.group(1)).name, int(m.group(2)),
                                    lines[:MAX_LINES]))
        elif lines:
            failures.append(Failure(lines[0], "", 0, lines[:MAX_LINES]))
    return Outcome(FAILED, failures)  # a subtest's parent fails without lines of its own


def _go_name(block: CodeBlock, i: int) -> str:
    return f"block{i}_test.go" if re.search(r"func Test\w*\(", block.source) else f"block{i}.go"


def _go_cannot_run(block: CodeBlock, files: set[str]) -> str:
    third_party = sorted(i for i in _go_imports(block.source) if "." in i.split("/")[0])
    if third_party:
        return f"imports {', '.join(third_party)}: the Go module proxy is not reachable here"
    if "testdata" in block.source and not any(f.startswith("testdata/") for f in files):
        return "reads files under testdata/ that no block of the group writes"
    return ""


def _go_prepare(folder: Path, files: list[str]) -> None:
    if "go.mod" not in files:
        (folder / "go.mod").write_text(GO_MOD, encoding="utf-8")


# --- rustc --test ---------------------------------------------------------------------------

_RUST_ERROR = re.compile(r"^(error(?:\[\w+\])?: .*)\n\s*--> ([^:\n]+):(\d+):(\d+)", re.M)
_RUST_PANIC = re.compile(r"panicked at ([^:\n]+):(\d+):(\d+):\n(.*)")


def run_rust(project: Project, tools: list[str]) -> Outcome:
    rust_files = [f for f in project.files if f.endswith(".rs")]
    tested = [f for f in reversed(rust_files) if "#[test]" in (project.folder / f).read_text()]
    root = "lib.rs" if "lib.rs" in rust_files else (tested or rust_files)[0]
    binary = project.folder / "tests.bin"
    built = run([tools[0], "--edition", "2021", "--test", "-o", str(binary), root],
                cwd=project.folder, timeout=300)
    if built.returncode != 0:
        lines = [ln for ln in built.stderr.splitlines() if ln.strip()]
        m = _RUST_ERROR.search(built.stderr)
        if m:
            return Outcome(BROKEN, [Failure(m.group(1), Path(m.group(2)).name, int(m.group(3)),
                                            lines[:MAX_LINES])])
        return Outcome(BROKEN, [Failure(_first_line(built.stderr), "", 0, lines[:MAX_LINES])])
    result = run([str(binary), "--test-threads=1"], cwd=project.folder,
                 env={"RUST_BACKTRACE": "0"}, timeout=300)
    if result.returncode == 0:
        return Outcome(PASSED)
    out = _combined(result.stdout, result.stderr)
    sections = re.split(r"^---- (\S+) stdout ----$", out, flags=re.M)
    failures = []
    for body in sections[2::2]:
        body = body.split("\nfailures:", 1)[0]
        lines = [ln for ln in body.splitlines() if ln.strip()
                 and not ln.startswith("note: run with")]
        m = _RUST_PANIC.search(body)
        if m:
            failures.append(Failure(m.group(4).strip(), Path(m.group(1)).name, int(m.group(2)),
                                    lines[:MAX_LINES]))
        elif lines:
            failures.append(Failure(lines[0].strip(), "", 0, lines[:MAX_LINES]))
    if not failures:  # the binary died outside any test
        return Outcome(BROKEN, [Failure(_first_line(out), "", 0, out.splitlines()[:MAX_LINES])])
    return Outcome(FAILED, failures)


def _is_rust_test(block: CodeBlock) -> bool:
    title = block.settings.get("title", "")
    return (not title or title.endswith(".rs")) and "#[test]" in block.source


def _rust_cannot_run(block: CodeBlock, files: set[str]) -> str:
    crates = sorted(external_crates(block.source))
    return (f"uses the crate{'s' if len(crates) > 1 else ''} {', '.join(crates)}: crates.io is "
            "not reachable here, so the tests build against std only" if crates else "")


# --- vitest ---------------------------------------------------------------------------------

_TS_IMPORT = re.compile(r"""^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?"""
                        r"""["']([^"']+)["']""", re.M)
_JS_AT = re.compile(r"at (?:.*?\()?(?:file://)?(/[^:()]+):(\d+):(\d+)\)?")


def run_vitest(project: Project, tools: list[str]) -> Outcome:
    node, vitest = tools
    report = project.folder / ".vitest-report.json"
    result = run([node, vitest, "run", "--root", str(project.folder), "--reporter=json",
                  "--outputFile", str(report), *project.tests], cwd=project.folder,
                 env={"NO_COLOR": "1", "CI": "true"}, timeout=300)
    if not report.is_file():
        out = _combined(result.stdout, result.stderr)
        return Outcome(BROKEN, [Failure(_first_line(out), "", 0, out.splitlines()[:MAX_LINES])])
    data = json.loads(report.read_text(encoding="utf-8"))
    failures, broken = [], False
    for suite in data.get("testResults", []):
        name = Path(suite.get("name", "")).name
        if suite.get("message"):  # the file failed to load: no test in it ran
            broken = True
            failures.append(_js_failure(suite["message"], name, project))
        for test in suite.get("assertionResults", []):
            for message in test.get("failureMessages", [])[:1]:
                failures.append(_js_failure(message, name, project))
    if result.returncode == 0 and not failures:
        return Outcome(PASSED)
    if not failures:
        out = _combined(result.stdout, result.stderr)
        return Outcome(BROKEN, [Failure(_first_line(out), "", 0, out.splitlines()[:MAX_LINES])])
    return Outcome(BROKEN if broken else FAILED, failures)


def _js_failure(message: str, suite: str, project: Project) -> Failure:
    lines = [ln for ln in message.splitlines() if ln.strip() and "node_modules" not in ln]
    for m in _JS_AT.finditer(message):
        if Path(m.group(1)).name in project.files:
            return Failure(_first_line(message), Path(m.group(1)).name, int(m.group(2)),
                           lines[:MAX_LINES])
    return Failure(_first_line(message), suite, 0, lines[:MAX_LINES])


def _ts_name(block: CodeBlock, i: int) -> str:
    return f"block{i}.tsx" if block.lang == "tsx" else f"block{i}.ts"


def _ts_cannot_run(block: CodeBlock, files: set[str]) -> str:
    packages = sorted({m.group(3) for m in _TS_IMPORT.finditer(block.source)
                       if not m.group(2) and not m.group(3).startswith((".", "/", "node:"))
                       and m.group(3) != "vitest"})
    return (f"imports {', '.join(packages)}: only vitest and the group's own files are "
            "installed for the tests here" if packages else "")


def _vitest_prepare(folder: Path, files: list[str]) -> None:
    """`vitest` resolves for the tests; Vite's cache stays in the scratch folder."""
    modules = folder / "node_modules"
    modules.mkdir(exist_ok=True)
    (modules / "vitest").symlink_to(ROOT / ".tools" / "node_modules" / "vitest")


# --- JUnit 5 --------------------------------------------------------------------------------

_JAVA_ERROR = re.compile(r"^(\S+?\.java):(\d+): error: (.*)$", re.M)
_JAVA_AT = re.compile(r"\((\w+\.java):(\d+)\)")
_JAVA_LIBRARIES = ("java.", "javax.", "org.junit.", "org.opentest4j.")


def run_junit(project: Project, tools: list[str]) -> Outcome:
    javac, java, jar = tools
    sources = [f for f in project.files if f.endswith(".java")]
    built = run([javac, "-d", "classes", "-cp", jar, *sources], cwd=project.folder, timeout=300)
    if built.returncode != 0:
        lines = [ln for ln in built.stderr.splitlines() if ln.strip()]
        m = _JAVA_ERROR.search(built.stderr)
        if m:
            return Outcome(BROKEN, [Failure(f"error: {m.group(3)}", Path(m.group(1)).name,
                                            int(m.group(2)), lines[:MAX_LINES])])
        return Outcome(BROKEN, [Failure(_first_line(built.stderr), "", 0, lines[:MAX_LINES])])
    result = run([java, "-jar", jar, "--class-path", "classes", "--scan-class-path",
                  "--disable-banner", "--disable-ansi-colors", "--details=summary",
                  "--fail-if-no-tests"], cwd=project.folder, timeout=300)
    if result.returncode == 0:
        return Outcome(PASSED)
    out = _combined(result.stdout, result.stderr)
    listed = out.split("Failures (", 1)
    if len(listed) == 1:
        return Outcome(BROKEN, [Failure(_first_line(out), "", 0, out.splitlines()[:MAX_LINES])])
    body = listed[1].split("\nTest run finished", 1)[0]
    failures = []
    for entry in re.split(r"^  (?=\S)", body, flags=re.M)[1:]:
        lines = [ln.strip() for ln in entry.splitlines() if ln.strip()
                 and not ln.strip().startswith(("org.junit.", "java.base/", "[...]"))]
        said = next((ln[2:].strip() for ln in lines if ln.startswith("=>")), lines[0])
        at = [m for m in _JAVA_AT.finditer(entry) if m.group(1) in project.files]
        failures.append(Failure(said, at[0].group(1) if at else "",
                                int(at[0].group(2)) if at else 0, lines[:MAX_LINES]))
    return Outcome(FAILED, failures)


def _java_file_name(block: CodeBlock, i: int) -> str:
    return _java_name(block.source, f"Block{i}.java")


def _java_cannot_run(block: CodeBlock, files: set[str]) -> str:
    imports = re.findall(r"^\s*import\s+(?:static\s+)?([\w.]+)", block.source, re.M)
    foreign = sorted({i for i in imports if not i.startswith(_JAVA_LIBRARIES)})
    return (f"imports {', '.join(foreign)}: only the JDK and JUnit 5 are on the class path here"
            if foreign else "")


RUNNERS: dict[str, TestRunner] = {r.name: r for r in [
    TestRunner("pytest", ("python",), ("pytest",), _titled(r"^(test_.*|.*_test)\.py$"),
               run_pytest, _py_name, _py_cannot_run, needs=_py_needs,
               code_error=re.compile(r"^(NameError|ImportError|ModuleNotFoundError|SyntaxError|"
                                     r"IndentationError|UnboundLocalError)\b")),
    TestRunner("go test", ("go",), ("go",), _titled(r"_test\.go$"), run_go, _go_name,
               _go_cannot_run, prepare=_go_prepare),
    TestRunner("rustc --test", ("rust",), ("rustc",), _is_rust_test, run_rust,
               lambda block, i: "lib.rs", _rust_cannot_run, append_untitled=True),
    TestRunner("vitest", ("typescript", "tsx"), ("node", "vitest"),
               _titled(r"\.(test|spec)\.tsx?$"), run_vitest, _ts_name, _ts_cannot_run,
               code_error=re.compile(r"^(ReferenceError|SyntaxError)\b|is not a (function|"
                                     r"constructor)|Failed to load|does not provide an export"),
               prepare=_vitest_prepare),
    TestRunner("junit", ("java",), ("javac", "java", "junit"), _titled(r"Test\.java$"),
               run_junit, _java_file_name, _java_cannot_run,
               code_error=re.compile(r"(NoClassDefFoundError|NoSuchMethodError|"
                                     r"ClassNotFoundException)\b")),
]}


# Languages whose test runner no package source this project installs from (Debian, PyPI,
# npm) provides: their red steps are written the same way and reported as not run.
NOT_RUNNABLE = {
    "csharp": "no .NET SDK comes from Debian, PyPI or npm, so xUnit/NUnit tests cannot run here",
}


def runner_of(block: CodeBlock) -> TestRunner | None:
    """The runner that picks this block up as a test, if any."""
    named = block.settings.get("runner")
    if named:
        return RUNNERS.get(named)
    return next((r for r in RUNNERS.values()
                 if block.lang in r.languages and r.is_test(block)), None)


# --- one group: write, run, judge ---------------------------------------------------------


def _written(block: CodeBlock) -> bool:
    return block.settings.get("test") not in ("skip", "parse") and not block.is_bad_example


@dataclass
class Group:
    runner: TestRunner
    blocks: list[CodeBlock]  # the files of the project, in order
    run_points: list[CodeBlock]
    results: dict[int, Verdict] = field(default_factory=dict)  # by run point start line

    def is_file(self, block: CodeBlock) -> bool:
        return any(b is block for b in self.blocks)


class TestGroups:
    """The test groups of one run, each run at its run points once (results are kept)."""

    def __init__(self, blocks: list[CodeBlock]) -> None:
        self.groups: dict[tuple[str, str], Group] = {}
        by_group: dict[tuple[str, str], list[CodeBlock]] = {}
        for block in blocks:
            key = (block.rel, block.group or f"@{block.start_line}")
            by_group.setdefault(key, []).append(block)
        for key, members in by_group.items():
            runner = next((r for b in members if _written(b) and (r := runner_of(b))), None)
            if runner is None:
                continue
            files = [b for b in members if _written(b)
                     and (b.lang in runner.languages or b.settings.get("title"))]
            if not files:
                continue
            points = [b for b in files if b.settings.get("expect") or b is files[-1]]
            self.groups[key] = Group(runner, files, points)

    def group_of(self, block: CodeBlock) -> Group | None:
        group = self.groups.get((block.rel, block.group or f"@{block.start_line}"))
        return group if group is not None and group.is_file(block) else None

    def check(self, block: CodeBlock, group: Group) -> Verdict:
        """The verdict of a block of a test group: its run point's, or the one of the run
        that covers it."""
        point = next(p for p in group.run_points if p.start_line >= block.start_line)
        blocker = self._blocker(group)
        if blocker is not None:
            return blocker(block)
        if point.start_line not in group.results:
            group.results[point.start_line] = self._run(group, point)
        result = group.results[point.start_line]
        if point is block:
            return _with_types(block, group, result)
        return _with_types(block, group, Verdict(
            TESTED, [], group.runner.name,
            reason=f"written as {file_name(group, block)}; run by "
                   f"{group.runner.name} at line {point.start_line}"))

    def _blocker(self, group: Group) -> Callable[[CodeBlock], Verdict] | None:
        """The fallback when the group cannot run here: each block's own check, with the
        missing tool or the reason named."""
        wanted = [*group.runner.tools, *(t for b in group.blocks for t in group.runner.needs(b))]
        tools = [t for t in dict.fromkeys(wanted) if which(t) is None]
        files = {b.settings.get("title", "") for b in group.blocks}
        reason = next((why for b in group.blocks if (why := group.runner.cannot_run(b, files))),
                      "")
        if not tools and not reason:
            return None

        def fallback(block: CodeBlock) -> Verdict:
            earlier = [b for b in group.blocks if b.start_line < block.start_line]
            checker = CHECKERS.get(block.lang, check_python_parse)
            verdict = checker(block, earlier)
            verdict.missing += [t for t in tools if t not in verdict.missing]
            if reason:
                verdict.reason = f"not run by {group.runner.name}: {reason}"
            return verdict

        return fallback

    def _run(self, group: Group, point: CodeBlock) -> Verdict:
        files = layout(group, point)
        with scratch() as tmp:
            folder = Path(tmp)
            for name, parts in files.items():
                path = folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("\n".join(b.source for _, b in parts), encoding="utf-8")
            group.runner.prepare(folder, list(files))
            tests = [n for n, parts in files.items() if runner_of(parts[-1][1]) is group.runner]
            tools = [which(t) or t for t in group.runner.tools]
            outcome = group.runner.execute(Project(folder, list(files), tests), tools)
        for failure in outcome.failures:  # the scratch folder means nothing to a reader
            failure.first = failure.first.replace(f"{folder}/", "")
            failure.lines = [ln.replace(f"{folder}/", "") for ln in failure.lines]
        return judge(point, group.runner, outcome, files)


def file_name(group: Group, block: CodeBlock) -> str:
    """The file a block of the group is written as: its title, or its runner's default."""
    index = next(i for i, b in enumerate(group.blocks) if b is block)
    return block.settings.get("title") or group.runner.default_name(block, index)


Layout = dict[str, list[tuple[int, CodeBlock]]]  # file name: (its line where a block starts)


def layout(group: Group, point: CodeBlock) -> Layout:
    """The files of the group as written up to the run point: a later block with the same
    name replaces the file, except an untitled block that continues one (Rust)."""
    files: Layout = {}
    for block in group.blocks:
        if block.start_line > point.start_line:
            break
        name = file_name(group, block)
        parts = files.get(name, [])
        continues = group.runner.append_untitled and not block.settings.get("title") \
            and parts and not parts[-1][1].settings.get("title")
        if continues:
            start, last = parts[-1]
            files[name] = [*parts, (start + last.source.count("\n") + 1, block)]
        else:
            files[name] = [(1, block)]
    return files


def _markdown_line(failure: Failure, point: CodeBlock, files: Layout) -> int:
    """The failing line in the markdown file, or the run point's first line."""
    if failure.line and failure.file in files:
        start, block = next(((s, b) for s, b in reversed(files[failure.file])
                             if s <= failure.line), files[failure.file][0])
        return block.first_line + failure.line - start
    return point.first_line


def judge(point: CodeBlock, runner: TestRunner, outcome: Outcome, files: Layout) -> Verdict:
    """The run point's verdict: a red step must fail as a test for its reason, any other run
    point must pass."""
    verdict = Verdict(TESTED, [], runner.name)
    failure = outcome.failures[0] if outcome.failures else None
    if point.settings.get("expect") == "fail":
        reason = point.settings.get("reason", "")
        seen = failure.first if failure else "passed"
        check = RedCheck(point.start_line, reason, seen)
        if outcome.status == PASSED:
            check.problem = "red step passed; it must fail"
        elif outcome.status == BROKEN:
            check.problem = (f"red step failed for the wrong reason: it broke before any test "
                             f"ran: {seen} (expected {reason})")
        elif not reason.strip():  # validate says so too (rules.BLOCK_REASON); "" is in any line
            check.problem = (f'red step names no reason="..." to check the failure against '
                             f"(seen: {seen})")
        else:
            fitting = [f for f in outcome.failures
                       if reason in f.first and not runner.code_error.search(f.first)]
            if fitting:
                check.seen = fitting[0].first
            else:
                check.problem = f"red step failed for the wrong reason: {seen} (expected {reason})"
        verdict.checks.append(check)
        if check.problem and failure:
            verdict.details = failure.lines
        return verdict
    if outcome.status == PASSED:
        return verdict
    assert failure is not None
    what = "broke before any test ran" if outcome.status == BROKEN else "test failed"
    verdict.errors.append((_markdown_line(failure, point, files), 1,
                           f"{runner.name}: {what}: {failure.first}"))
    verdict.details = failure.lines
    return verdict


def _with_types(block: CodeBlock, group: Group, verdict: Verdict) -> Verdict:
    """Vitest strips the types without checking them: tsc still checks each TypeScript block."""
    if block.lang not in ("typescript", "tsx"):
        return verdict
    earlier = [b for b in group.blocks if b.start_line < block.start_line]
    typed = CHECKERS[block.lang](block, earlier)
    verdict.errors = [*typed.errors, *verdict.errors]
    verdict.missing += [t for t in typed.missing if t not in verdict.missing]
    return verdict
