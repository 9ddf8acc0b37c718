#!/usr/bin/env python3
"""Hold back a commit whose source changes come without tests, or whose tests fail or whose
coverage is under the floor.

Where it runs:

- As a git pre-commit hook: `python hooks/tdd_gate.py install` writes `.git/hooks/pre-commit`
  (a hook already there is kept and runs first); through the pre-commit framework (`tdd-gate` in
  this repository's `.pre-commit-hooks.yaml`); or by hand, `python hooks/tdd_gate.py check`.
  Exit 1 blocks the commit.
- As a Claude Code hook. Event: PreToolUse. Matcher: `Bash|PowerShell` (one registration each,
  with the `if` condition `Bash(git *commit*)` or `PowerShell(git *commit*)`, so that Claude
  Code starts the gate only for a command that may commit). When the command runs
  `git commit`, the gate judges what that commit would hold: the index, plus the `git add` and
  `git rm` that come before it in the same command, `-a` and paths given to `git commit`
  (replayed on a scratch copy of the index; the real one is not touched). A block is exit 2 with
  the reason on stderr, so Claude reads why before the commit fails. Any other command returns
  at once, without starting a process.

The rules, on the staged content, not the working tree:

1. Staged source changes come with staged test changes in the same language. Test files:
   Python `test_*.py`, `*_test.py`, `conftest.py`; JavaScript/TypeScript `*.test.*`, `*.spec.*`,
   `__tests__/`; Go `*_test.go`; Rust `tests/`, or `#[test]`/`#[cfg(test)]` in the changed
   lines; Java `src/test/`, `*Test.java`, `*Tests.java`, `*IT.java`; C# `*Test.cs`, `*Tests.cs`,
   projects named `*.Tests`; and anything under a `test/` or `tests/` directory. No tests are
   needed for documentation, configuration and other files that are not code, binary files,
   test-only changes, pure renames and moves, deletions, merge commits, build and config code
   (`setup.py`, `noxfile.py`, `*.config.js`, `*.d.ts`, `build.rs`, `docs/`, `examples/`,
   `migrations/`) and paths matching `tdd-exempt`.
2. When code changed, the project's tests run and total line coverage reaches the floor (80%
   unless configured). Python: `python -m coverage run -m pytest`, with the project's `.venv` or
   `venv` interpreter if it has one, else the one running the gate. Go: `go test -coverprofile`.
   Other languages: the configured `test-command`, and the `coverage-report` it writes (LCOV,
   Cobertura or JaCoCo XML, Istanbul `coverage-summary.json`, coverage.py JSON, Go cover
   profile); a command without a report is judged by its exit status alone. When there is no way
   to run the tests, only rule 1 is checked, and the output says so. When the working tree
   differs from the index, the tests run in a temporary copy of the staged files.

Settings, the first one found wins: flag, environment variable, `[tool.playbook]` in the
repository's `pyproject.toml`, the plugin option (`claude plugin configure`, read as
`CLAUDE_PLUGIN_OPTION_<KEY>`; only under Claude Code: `coverage_floor` for the floor), default.

| setting | flag | environment variable | `[tool.playbook]` key | default |
| --- | --- | --- | --- | --- |
| coverage floor, % | `--coverage-floor` | `PLAYBOOK_COVERAGE_FLOOR` | `coverage-floor` | 80 |
| test command | `--test-command` | `PLAYBOOK_TEST_COMMAND` | `test-command` | by language |
| coverage report | `--coverage-report` | `PLAYBOOK_COVERAGE_REPORT` | `coverage-report` | none |
| time limit, s | `--test-timeout` | `PLAYBOOK_TEST_TIMEOUT` | `test-timeout` | 240 |
| paths needing no tests | | | `tdd-exempt` (globs) | none |

A test command given as a string runs in the system shell; a list runs as it is.

Exceptions:

- A refactor that changes no behaviour: commit with `PLAYBOOK_TDD=refactor`, for example
  `PLAYBOOK_TDD=refactor git commit -m "refactor: split the parser"`. Rule 1 is skipped; the
  tests and the coverage floor still apply, which is what shows that behaviour did not change.
  Claude may use it too.
- The mode, on, refactor or off: `PLAYBOOK_TDD`, else (under Claude Code) the plugin option
  `tdd_mode`.
- `PLAYBOOK_TDD=off` in the environment turns the gate off; `git commit --no-verify` skips the
  git hook once. Inside the command Claude runs, `PLAYBOOK_TDD=off`, `--no-verify` and the
  settings variables are ignored: only the environment Claude Code itself runs in counts.
- Generated or vendored code: `tdd-exempt = ["generated/*"]` under `[tool.playbook]`.

A pass is remembered for the exact staged tree (`git write-tree`), the mode and the settings, in
the git directory (`playbook-tdd-gate-passed`, the last 50): the second check of the same commit
(Claude's hook, then the git hook) runs no tests. A failure of the gate itself is one line on
stderr and never a block.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TextIO

from .common import git_output, plugin_option, run_bounded, run_git
from .payloads import command as shell_command
from .payloads import deny


def nothing_to_judge(text: str) -> bool:
    """True for a valid payload that cannot hold a `git commit`: another tool, or a shell
    command without both words in it. (hooks.json's `if` keeps most Bash calls from starting
    the gate at all; this is for the calls it lets through, and for clients without `if`.)"""
    try:
        payload = json.loads(text)
    except ValueError:
        return False
    if not isinstance(payload, dict):
        return False
    command = shell_command(payload)
    if command is None:
        return True
    return "git" not in command or "commit" not in command


DEFAULT_FLOOR = 80.0
DEFAULT_TEST_TIMEOUT = 240.0  # hooks.json gives the PreToolUse hook 300 s in all

LANGUAGES = {
    ".py": "Python",
    ".go": "Go",
    ".rs": "Rust",
    ".java": "Java",
    ".cs": "C#",
    **dict.fromkeys(
        [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"], "JavaScript/TypeScript"
    ),
}
TEST_DIRS = {"test", "tests", "__tests__", "spec"}
TEST_PROJECT_SUFFIXES = (".tests", ".test", ".unittests", ".integrationtests")
TEST_NAME = re.compile(
    r"""^test_.*\.py$ | _test\.py$ | ^conftest\.py$   # Python
      | \.(test|spec)\.[cm]?[jt]sx?$                 # JavaScript, TypeScript
      | _test\.go$                                   # Go
      | (Test|Tests|IT)\.java$                       # Java
      | Tests?\.cs$                                  # C#
    """,
    re.VERBOSE,
)
RUST_TEST_LINE = re.compile(r"#\[(cfg\()?test\)?\]|#\[\w+::test\]|\bassert(_eq|_ne)?!")
EXEMPT_DIRS = {"docs", "doc", "examples", "migrations"}
EXEMPT_NAMES = {"setup.py", "noxfile.py", "manage.py", "build.rs", "assemblyinfo.cs"}
EXEMPT_NAME_PATTERNS = ("*.config.js", "*.config.cjs", "*.config.mjs", "*.config.ts",
                        "*.config.mts", "*.d.ts", "*.designer.cs")  # fmt: skip
PYTHON_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "pytest.ini", "tox.ini")
# Set by git for its hooks; a test suite that runs git must not inherit them.
GIT_LOCATION_VARIABLES = ("GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "GIT_PREFIX",
                          "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")  # fmt: skip

REFACTOR_HINT = (
    "A refactor that changes no behaviour: commit with PLAYBOOK_TDD=refactor "
    "(the tests and the coverage floor still apply)."
)


PLUGIN_OPTIONS = {"coverage-floor": "coverage_floor"}  # setting -> userConfig key in plugin.json


class GateError(Exception):
    """A problem the gate reports in one line: bad settings, an unreadable report, git failing."""


@dataclass
class Verdict:
    ok: bool
    message: str


def blocked(problem: str, *details: str, next_step: str) -> Verdict:
    lines = [f"tdd-gate: commit blocked: {problem}", *details, f"Next: {next_step}"]
    return Verdict(False, "\n".join(lines))


# --- Entry point -------------------------------------------------------------------------------


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    argv = sys.argv[1:] if argv is None else argv
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    environ = os.environ if environ is None else environ
    options = parse_args(argv)
    action = options.action
    if action is None and stdin.isatty():
        action = "check"  # run by hand without arguments
    try:
        if action == "install":
            return install(stdout, stderr, environ)
        if action == "check":
            return check(options, stdout, stderr, environ)
        return claude_hook(stdin.read(), stderr, environ, stdout)
    except GateError as error:
        print(f"tdd-gate: {error}", file=stderr)
        return 2 if action is None else 1
    except Exception as error:  # a bug of ours: one line, no traceback
        print(f"tdd-gate: internal error ({type(error).__name__}: {error})", file=stderr)
        return 1


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="tdd_gate.py",
        description="TDD gate: staged source changes need staged tests; tests pass; coverage.",
    )
    parser.add_argument(
        "action",
        nargs="?",
        choices=["check", "install"],
        help="check the staged changes, or install the git pre-commit hook "
        "(without an action: read a Claude Code hook payload on stdin)",
    )
    parser.add_argument("--coverage-floor", help="lowest total coverage, in percent")
    parser.add_argument("--test-command", help="command that runs the tests")
    parser.add_argument("--coverage-report", help="coverage report the test command writes")
    parser.add_argument("--test-timeout", help="time limit for the tests, in seconds")
    return parser.parse_args(argv)


def check(
    options: argparse.Namespace, stdout: TextIO, stderr: TextIO, environ: Mapping[str, str]
) -> int:
    """Judge the index of the repository we are in: as a git hook, pre-commit or by hand."""
    top = repo_top(Path.cwd(), environ)
    if top is None:
        raise GateError("not a git repository: run it inside the repository to check")
    settings = load_settings(top, options, environ)
    verdict = judge_once(top, settings, environ, gate_mode(environ.get("PLAYBOOK_TDD", "")))
    print(verdict.message, file=stdout if verdict.ok else stderr)
    return 0 if verdict.ok else 1


def claude_hook(
    text: str, stderr: TextIO, environ: Mapping[str, str], stdout: TextIO | None = None
) -> int:
    """PreToolUse on Bash: judge a `git commit` before it runs; anything else passes at once."""
    if nothing_to_judge(text):
        return 0
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        print("tdd-gate: expected a Claude Code hook payload on stdin (or run: check)", file=stderr)
        return 1
    command = shell_command(payload) or ""  # nothing_to_judge checked its shape
    plan = parse_commit_command(command, Path(payload.get("cwd") or os.getcwd()))
    if plan is None or not plan.cwd.is_dir():
        return 0
    top = repo_top(plan.cwd, environ)
    if top is None:
        return 0  # not a repository: the commit fails on its own
    settings = load_settings(top, parse_args([]), environ)
    with tempfile.TemporaryDirectory(prefix="tdd-gate-") as scratch:
        preview = preview_index(plan, top, Path(scratch), environ)
        verdict = judge_once(top, settings, preview, hook_mode(environ, plan))
    if verdict.ok:
        return 0
    print(verdict.message, file=stderr)
    denial, code = deny(payload, verdict.message)
    if denial is not None:
        print(denial, file=stdout or sys.stdout)
    return code


def gate_mode(value: str, source: str = "PLAYBOOK_TDD") -> str:
    mode = value.strip().lower()
    if mode in {"", "on", "refactor"}:
        return "" if mode == "on" else mode
    if mode in {"off", "0", "false", "no"}:
        return "off"
    raise GateError(f"{source} must be on, refactor or off, not {value!r}")


def claude_mode(environ: Mapping[str, str]) -> str:
    """The mode under Claude Code: PLAYBOOK_TDD, else the plugin option tdd_mode."""
    if environ.get("PLAYBOOK_TDD", "").strip():
        return gate_mode(environ["PLAYBOOK_TDD"])
    return gate_mode(plugin_option(environ, "tdd_mode") or "", "the plugin option tdd_mode")


def hook_mode(environ: Mapping[str, str], plan: CommitPlan) -> str:
    """The user's environment decides; inside Claude's own command only `refactor` counts."""
    mode = claude_mode(environ)
    if not mode and plan.assignments.get("PLAYBOOK_TDD", "").strip().lower() == "refactor":
        return "refactor"
    return mode


# --- The judgement -----------------------------------------------------------------------------

PASSED_FILE = "playbook-tdd-gate-passed"  # in the git directory: never in the work tree
PASSED_KEPT = 50


def judge_once(top: Path, settings: Settings, environ: Mapping[str, str], mode: str) -> Verdict:
    """judge(), remembering a pass for the exact staged tree and settings: when Claude commits in
    a repository that also has the git hook, the second check of the same commit runs no tests."""
    try:
        tree = git(["write-tree"], top, environ).strip()
        record = Path(git(["rev-parse", "--git-path", PASSED_FILE], top, environ).strip())
    except GateError:
        return judge(top, settings, environ, mode)  # e.g. unmerged paths: judge as usual
    record = record if record.is_absolute() else top / record
    key = f"{tree} {mode or 'on'} {json.dumps(settings.__dict__, sort_keys=True)}"
    try:
        passed = record.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        passed = []
    if key in passed:
        return Verdict(True, f"tdd-gate: ok: this staged tree ({tree[:12]}) passed already.")
    verdict = judge(top, settings, environ, mode)
    if verdict.ok:
        try:
            kept = [line for line in passed if line != key][-(PASSED_KEPT - 1):]
            temporary = record.with_name(f"{record.name}.{os.getpid()}")
            temporary.write_text("\n".join([*kept, key]) + "\n", encoding="utf-8")
            temporary.replace(record)
        except OSError:
            pass  # a read-only git directory: the next check runs the tests again
    return verdict



def judge(top: Path, settings: Settings, environ: Mapping[str, str], mode: str) -> Verdict:
    if mode == "off":
        return Verdict(True, "tdd-gate: off (PLAYBOOK_TDD=off or the plugin option tdd_mode).")
    changes = staged_changes(top, environ)
    if not changes:
        return Verdict(True, "tdd-gate: nothing staged.")
    if mode != "refactor" and not merging(top, environ):
        untested = untested_sources(changes, top, environ, settings.exempt)
        if untested:
            return blocked(
                "staged source changes come without staged test changes in the same language:",
                *(f"  {line}" for line in untested),
                next_step="write or update a test that shows the change (a failing test first), "
                "stage it with git add, and commit again. " + REFACTOR_HINT,
            )
    if not any(runs_tests(change, settings.exempt) for change in changes):
        return Verdict(True, "tdd-gate: ok: no code changes, so the tests were not run.")
    return check_tests(top, settings, environ, changes)


@dataclass
class Change:
    status: str  # git's letter: A added, M modified, D deleted, R renamed, C copied, T type
    path: str  # the path after the change, with forward slashes
    similarity: int | None = None  # renames and copies: how much of the content stayed
    binary: bool = False

    @property
    def pure_move(self) -> bool:
        return self.status == "R" and self.similarity == 100


def staged_changes(top: Path, environ: Mapping[str, str]) -> list[Change]:
    """What the commit would change, from `git diff --cached` (an unborn HEAD works too)."""
    fields = git(["diff", "--cached", "--name-status", "-z", "-M"], top, environ).split("\0")
    changes, i = [], 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status[0] in "RC":
            changes.append(Change(status[0], fields[i + 2], int(status[1:] or 0)))
            i += 3
        else:
            changes.append(Change(status[0], fields[i + 1]))
            i += 2
    binary = binary_paths(top, environ)
    for change in changes:
        change.binary = change.path in binary
    return changes


def binary_paths(top: Path, environ: Mapping[str, str]) -> set[str]:
    """Paths whose staged content git treats as binary: numstat shows '-' for their line counts."""
    fields = git(["diff", "--cached", "--numstat", "-z", "-M"], top, environ).split("\0")
    found, i = set(), 0
    while i < len(fields) and fields[i]:
        added, _deleted, path = fields[i].split("\t", 2)
        if path:
            i += 1
        else:  # a rename: the old and the new path follow
            path = fields[i + 2]
            i += 3
        if added == "-":
            found.add(path)
    return found


def merging(top: Path, environ: Mapping[str, str]) -> bool:
    """A merge commit brings changes that were judged on their own branch."""
    return run_git(["rev-parse", "-q", "--verify", "MERGE_HEAD"], top, environ).returncode == 0


def untested_sources(
    changes: list[Change], top: Path, environ: Mapping[str, str], exempt: list[str]
) -> list[str]:
    """Rule 1: each changed source file, in a language whose tests did not change."""
    sources: dict[str, list[str]] = {}
    tested: set[str] = set()
    for change in changes:
        language = language_of(change.path)
        if language is None or change.binary or change.status == "D" or change.pure_move:
            continue
        if is_test_file(change.path):
            tested.add(language)
        elif not is_exempt(change.path, exempt):
            sources.setdefault(language, []).append(change.path)
    rust = sources.get("Rust", [])
    if "Rust" not in tested and any(rust_tests_changed(top, path, environ) for path in rust):
        tested.add("Rust")  # Rust keeps unit tests in the source file itself
    return [
        f"{path} ({language})"
        for language, paths in sources.items()
        if language not in tested
        for path in paths
    ]


def runs_tests(change: Change, exempt: list[str]) -> bool:
    """Code, tests included, changed; documentation, configuration and exempt code did not count."""
    if change.binary or language_of(change.path) is None:
        return False
    return is_test_file(change.path) or not is_exempt(change.path, exempt)


def language_of(path: str) -> str | None:
    return LANGUAGES.get(PurePosixPath(path).suffix.lower())


def is_test_file(path: str) -> bool:
    parts = PurePosixPath(path).parts
    for directory in (part.lower() for part in parts[:-1]):
        if directory in TEST_DIRS or directory.endswith(TEST_PROJECT_SUFFIXES):
            return True
    return TEST_NAME.search(parts[-1]) is not None


def is_exempt(path: str, patterns: list[str]) -> bool:
    pure = PurePosixPath(path)
    name = pure.name.lower()
    if any(part.lower() in EXEMPT_DIRS for part in pure.parts[:-1]):
        return True
    if name in EXEMPT_NAMES or any(fnmatch.fnmatchcase(name, p) for p in EXEMPT_NAME_PATTERNS):
        return True
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


def rust_tests_changed(top: Path, path: str, environ: Mapping[str, str]) -> bool:
    diff = git(["diff", "--cached", "-U0", "--no-color", "--", path], top, environ)
    changed = (
        line
        for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    )
    return any(RUST_TEST_LINE.search(line) for line in changed)


# --- Rule 2: the tests pass and coverage reaches the floor --------------------------------------


@dataclass
class TestRun:
    command: str | list[str]  # a string runs in the shell
    env: dict[str, str]
    report: Path | None = None  # the coverage report to read afterwards
    after: list[list[str]] = field(default_factory=list)  # e.g. coverage combine, coverage json

    @property
    def shown(self) -> str:
        return self.command if isinstance(self.command, str) else " ".join(self.command)


def check_tests(
    top: Path, settings: Settings, environ: Mapping[str, str], changes: list[Change]
) -> Verdict:
    with tempfile.TemporaryDirectory(prefix="tdd-gate-") as scratch_name:
        scratch = Path(scratch_name)
        in_place = worktree_matches_index(top, environ)
        workdir = top if in_place else export_index(top, scratch / "staged", environ)
        run = plan_tests(top, workdir, scratch, settings, environ, changes)
        if isinstance(run, str):
            return Verdict(
                True,
                f"tdd-gate: ok, tests not run: {run}. To have them run before each commit, "
                "set test-command (and coverage-report) under [tool.playbook] in "
                "pyproject.toml, or PLAYBOOK_TEST_COMMAND.",
            )
        where = "" if in_place else " (run on a copy of the staged files: the work tree differs)"
        report_before = stamp(run.report)
        code, output = run_bounded(run.command, workdir, run.env, settings.test_timeout)
        if code is None:
            return blocked(
                f"the tests ran longer than {settings.test_timeout:g} s{where}.",
                next_step="make them faster, or raise test-timeout under [tool.playbook] "
                "(or PLAYBOOK_TEST_TIMEOUT).",
            )
        if code != 0:
            tail = [f"  {line}" for line in output.rstrip().splitlines()[-25:]]
            return blocked(
                f"the tests fail (exit {code} from: {run.shown}){where}.",
                *(["Last lines of their output:", *tail] if tail else []),
                next_step="make the tests pass, stage the fix, and commit again.",
            )
        for command in run.after:
            if "combine" in command and not any(scratch.glob(".coverage.*")):
                continue  # only coverage's parallel = true leaves data files to combine
            run_bounded(command, workdir, run.env, 120)
        if run.report is None:
            return Verdict(
                True,
                f"tdd-gate: ok: the tests pass ({run.shown}); "
                "no coverage-report is configured, so coverage was not read.",
            )
        if stamp(run.report) in {None, report_before}:
            return blocked(
                f"the tests pass, but they wrote no coverage report at {run.report}.",
                next_step="make the test command write its coverage report there, or set "
                "coverage-report to where it does.",
            )
        percent = read_coverage_report(run.report)
    if percent < settings.floor:
        where_listed = (
            "`python -m coverage report --show-missing` lists them"
            if run.after
            else "the coverage report lists them"
        )
        return blocked(
            f"total coverage is {percent:.2f}%, under the floor of {settings.floor:g}% "
            f"(from {settings.floor_from}){where}.",
            next_step=f"add tests for the lines left uncovered ({where_listed}), "
            "stage them, and commit again.",
        )
    return Verdict(
        True, f"tdd-gate: ok: the tests pass, coverage {percent:.2f}% (floor {settings.floor:g}%)."
    )


def plan_tests(
    top: Path,
    workdir: Path,
    scratch: Path,
    settings: Settings,
    environ: Mapping[str, str],
    changes: list[Change],
) -> TestRun | str:
    """How to run this project's tests, or why they cannot be run."""
    env = {
        key: value
        for key, value in environ.items()
        if key not in GIT_LOCATION_VARIABLES and not key.startswith("COVERAGE_PROCESS")
    }
    if settings.test_command:
        report = workdir / settings.coverage_report if settings.coverage_report else None
        return TestRun(settings.test_command, env, report)

    path = environ.get("PATH", os.defpath)
    if any(language_of(c.path) == "Python" for c in changes) or any(
        (top / name).is_file() for name in PYTHON_MARKERS
    ):
        python = project_python(top) or sys.executable
        if not can_import(python, ["pytest", "coverage"], workdir, env):
            return f"pytest and coverage are not installed for {python} (nor in a .venv)"
        env["COVERAGE_FILE"] = str(scratch / ".coverage")
        if workdir != top:  # the copy's code comes first, even for an editable install
            first = [str(workdir), str(workdir / "src")]
            env["PYTHONPATH"] = os.pathsep.join([*first, *filter(None, [env.get("PYTHONPATH")])])
        report = scratch / "coverage.json"
        return TestRun(
            [python, "-m", "coverage", "run", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            env,
            report,
            after=[
                [python, "-m", "coverage", "combine", "-q"],
                [python, "-m", "coverage", "json", "-q", "-o", str(report)],
            ],
        )
    if (top / "go.mod").is_file() and (go := shutil.which("go", path=path)):
        report = scratch / "cover.out"
        return TestRun([go, "test", f"-coverprofile={report}", "./..."], env, report)
    return "no test command is configured for this project"


def can_import(python: str, modules: list[str], cwd: Path, env: Mapping[str, str]) -> bool:
    if Path(python) == Path(sys.executable):  # our own interpreter: no need to start another
        import importlib.util

        return all(importlib.util.find_spec(module) for module in modules)
    return run_bounded([python, "-c", f"import {', '.join(modules)}"], cwd, env, 60)[0] == 0


def project_python(top: Path) -> str | None:
    scripts = Path("Scripts", "python.exe") if os.name == "nt" else Path("bin", "python")
    for venv in (".venv", "venv"):
        if (top / venv / scripts).is_file():
            return str(top / venv / scripts)
    return None


def worktree_matches_index(top: Path, environ: Mapping[str, str]) -> bool:
    """True when running the tests in place would test exactly the staged content."""
    if run_git(["diff", "--quiet", "--no-ext-diff"], top, environ).returncode != 0:
        return False
    untracked = git(["ls-files", "--others", "--exclude-standard", "-z"], top, environ)
    return not any(language_of(path) for path in untracked.split("\0") if path)


def export_index(top: Path, destination: Path, environ: Mapping[str, str]) -> Path:
    """Write the staged files to a temporary directory, to run the tests there."""
    destination.mkdir(parents=True)
    git(["checkout-index", "--all", "--force", f"--prefix={destination.as_posix()}/"], top, environ)
    modules = top / "node_modules"
    if modules.is_dir() and not (destination / "node_modules").exists():
        try:  # JavaScript tests need their packages; where symlinks are not allowed, no matter
            (destination / "node_modules").symlink_to(modules, target_is_directory=True)
        except OSError:
            pass
    return destination


def stamp(path: Path | None) -> int | None:
    try:
        return path.stat().st_mtime_ns if path else None
    except OSError:
        return None


# --- Coverage reports --------------------------------------------------------------------------


def read_coverage_report(path: Path) -> float:
    """Total line coverage in percent, from any of the report formats the docstring lists."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise GateError(f"cannot read the coverage report {path}: {error.strerror}") from None
    start = text.lstrip()[:1]
    try:
        if start == "{":
            return percent_from_json(json.loads(text))
        if start == "<":
            return percent_from_xml(text)
        if text.startswith("mode:"):
            return percent_from_go_profile(text)
        if re.search(r"^(LF|LH):\d+", text, re.MULTILINE):
            found = sum(map(int, re.findall(r"^LF:(\d+)", text, re.MULTILINE)))
            hit = sum(map(int, re.findall(r"^LH:(\d+)", text, re.MULTILINE)))
            return ratio(hit, found)
    except (ValueError, KeyError, TypeError, ZeroDivisionError):
        pass
    raise GateError(f"{path} is not a coverage report the gate can read")


def percent_from_json(data: dict) -> float:
    if "totals" in data:  # coverage.py
        return float(data["totals"]["percent_covered"])
    return float(data["total"]["lines"]["pct"])  # Istanbul's json-summary


def percent_from_xml(text: str) -> float:
    import xml.etree.ElementTree as ElementTree  # only needed here

    root = ElementTree.fromstring(text)
    if root.tag == "coverage":  # Cobertura, also written by coverage.py, coverlet, tarpaulin
        return float(root.attrib["line-rate"]) * 100
    if root.tag == "report":  # JaCoCo: the report's own LINE counter is the total
        line = next(c for c in root.findall("counter") if c.get("type") == "LINE")
        covered, missed = int(line.attrib["covered"]), int(line.attrib["missed"])
        return ratio(covered, covered + missed)
    raise ValueError(root.tag)


def percent_from_go_profile(text: str) -> float:
    blocks: dict[str, tuple[int, bool]] = {}  # a block listed twice counts once
    for line in text.splitlines()[1:]:
        if line.strip():
            block, statements, count = line.rsplit(" ", 2)
            seen = blocks.get(block, (0, False))[1]
            blocks[block] = (int(statements), seen or int(count) > 0)
    total = sum(statements for statements, _ in blocks.values())
    return ratio(sum(statements for statements, hit in blocks.values() if hit), total)


def ratio(part: int, whole: int) -> float:
    if whole <= 0:
        raise ValueError("nothing measured")
    return 100.0 * part / whole


# --- Settings ----------------------------------------------------------------------------------


@dataclass
class Settings:
    floor: float = DEFAULT_FLOOR
    floor_from: str = "the default"
    test_command: str | list[str] | None = None
    coverage_report: str | None = None
    test_timeout: float = DEFAULT_TEST_TIMEOUT
    exempt: list[str] = field(default_factory=list)


def load_settings(top: Path, options: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    """Each setting from the flag, else the environment, else pyproject.toml, else the plugin
    option, else the default."""
    table = read_playbook_table(top / "pyproject.toml")

    def pick(key: str) -> tuple[object, str]:
        flag = getattr(options, key.replace("-", "_"), None)
        if flag is not None:
            return flag, f"--{key}"
        variable = "PLAYBOOK_" + key.upper().replace("-", "_")
        if environ.get(variable, "").strip():
            return environ[variable], variable
        if key in table:
            return table[key], f"pyproject.toml [tool.playbook] {key}"
        option = PLUGIN_OPTIONS.get(key)
        if option and plugin_option(environ, option):
            return plugin_option(environ, option), f"the plugin option {option}"
        return None, "the default"

    settings = Settings()
    floor, settings.floor_from = pick("coverage-floor")
    if floor is not None:
        settings.floor = number(floor, "coverage-floor", settings.floor_from, 0, 100)
    timeout, source = pick("test-timeout")
    if timeout is not None:
        settings.test_timeout = number(timeout, "test-timeout", source, 1, 24 * 3600)
    command, source = pick("test-command")
    if command is not None and not (
        isinstance(command, str) or all(isinstance(word, str) for word in command)
    ):
        raise GateError(f"test-command from {source} must be a string or a list of strings")
    settings.test_command = command or None
    report, _ = pick("coverage-report")
    settings.coverage_report = str(report) if report else None
    exempt = table.get("tdd-exempt", [])
    settings.exempt = [str(item) for item in exempt] if isinstance(exempt, list) else [str(exempt)]
    return settings


def number(value: object, key: str, source: str, lowest: float, highest: float) -> float:
    try:
        if isinstance(value, bool):
            raise ValueError
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        result = float("nan")
    if not lowest <= result <= highest:
        raise GateError(
            f"{key} from {source} must be a number from {lowest:g} to {highest:g}, not {value!r}"
        )
    return result


def read_playbook_table(pyproject: Path) -> dict:
    """The [tool.playbook] table of pyproject.toml, or {}."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return {}
    try:
        import tomllib  # Python 3.11 and later
    except ModuleNotFoundError:
        return read_playbook_table_by_hand(text)
    try:
        table = tomllib.loads(text).get("tool", {}).get("playbook", {})
    except tomllib.TOMLDecodeError as error:
        raise GateError(f"{pyproject} is not valid TOML: {error}") from None
    return table if isinstance(table, dict) else {}


def read_playbook_table_by_hand(text: str) -> dict:
    """Python 3.10 has no tomllib: read the one-line `key = value` entries of [tool.playbook]."""
    table: dict = {}
    inside = False
    for line in (raw.strip() for raw in text.splitlines()):
        if line.startswith("["):
            inside = re.match(r"\[\s*tool\s*\.\s*playbook\s*\]", line) is not None
        elif inside and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            table[key.strip().strip("\"'")] = toml_value(value)
    return table


TOML_TOKEN = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|\[[^\]]*\]|[^\s#,]+)""")


def toml_value(text: str) -> object:
    token = TOML_TOKEN.match(text)
    value = token.group(1) if token else text.strip()
    if value.startswith('"'):
        return json.loads(value)
    if value.startswith("'"):
        return value[1:-1]
    if value.startswith("["):
        return [toml_value(item.group(1)) for item in TOML_TOKEN.finditer(value[1:-1])]
    if value in {"true", "false"}:
        return value == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


# --- Reading the Bash command: what would this `git commit` hold? -----------------------------


@dataclass
class Step:
    """A `git add` or `git rm` before the commit in the same command, replayed on a copy."""

    cwd: Path
    git_options: list[str]
    verb: str
    args: list[str]


@dataclass
class CommitPlan:
    cwd: Path
    git_options: list[str]
    args: list[str]  # what follows `git commit`
    assignments: dict[str, str]  # VAR=value words before `git`
    steps: list[Step]


SEPARATOR_CHARS = set("();|&\n")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
WRAPPERS = {"env", "command", "time", "nohup", "exec"}
GIT_OPTIONS_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"}
COMMIT_SHORT_WITH_VALUE = set("mFCct")
COMMIT_LONG_WITH_VALUE = {
    "--message", "--file", "--reuse-message", "--reedit-message", "--template", "--author",
    "--date", "--cleanup", "--fixup", "--squash", "--trailer", "--pathspec-from-file",
}  # fmt: skip
INTERACTIVE_ADD = {"-p", "--patch", "-i", "--interactive", "-e", "--edit"}
UNPARSED_COMMIT = re.compile(r"\bgit\b[^\n;&|]*\scommit(\s|$)")


def parse_commit_command(command: str, cwd: Path) -> CommitPlan | None:
    """Find `git commit` in a shell command line, following `cd`, `git -C` and earlier adds."""
    try:
        words = shell_words(command)
    except ValueError:  # unbalanced quotes: judge the index as it is
        return CommitPlan(cwd, [], [], {}, []) if UNPARSED_COMMIT.search(command) else None
    steps: list[Step] = []
    for segment in simple_commands(words):
        assignments, words = leading_assignments(segment)
        if not words:
            continue
        if words[0] == "cd":
            if len(words) > 1 and words[1] != "-":
                cwd = cwd / os.path.expanduser(words[1])
            continue
        if not re.search(r"(^|[/\\])git(\.exe)?$", words[0]):
            continue
        options, run_cwd, verb, rest = split_git_words(words[1:], cwd)
        if verb == "commit":
            if "--dry-run" in rest:
                return None
            return CommitPlan(run_cwd, options, rest, assignments, steps)
        if verb in {"add", "rm"}:
            steps.append(Step(run_cwd, options, verb, rest))
    return None


def shell_words(command: str) -> list[str]:
    """Split like a POSIX shell; operators and newlines come out as words of their own."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="();<>|&\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def simple_commands(words: list[str]) -> list[list[str]]:
    """Cut the words at ;, &&, ||, |, & and newlines; drop redirections and comments."""
    commands: list[list[str]] = []
    current: list[str] = []
    skip_target = in_comment = False
    for word in words:
        if in_comment and word != "\n":
            continue  # a comment runs to the end of its line
        if word and set(word) <= SEPARATOR_CHARS:
            commands.append(current)
            current, skip_target, in_comment = [], False, False
        elif skip_target:
            skip_target = False
        elif word and set(word) <= set("<>&|"):  # a redirection such as >, 2>&1 or <<
            if current and current[-1].isdigit():
                current.pop()  # the 2 of 2>&1
            skip_target = True
        elif word.startswith("#"):
            in_comment = True
        else:
            current.append(word)
    commands.append(current)
    return [command for command in commands if command]


def leading_assignments(words: list[str]) -> tuple[dict[str, str], list[str]]:
    assignments: dict[str, str] = {}
    words = list(words)
    while words:
        if ASSIGNMENT.match(words[0]):
            name, _, value = words.pop(0).partition("=")
            assignments[name] = value
        elif words[0] in WRAPPERS:
            words.pop(0)
        else:
            break
    return assignments, words


def split_git_words(words: list[str], cwd: Path) -> tuple[list[str], Path, str | None, list[str]]:
    """git's own options (following -C), its subcommand, and the subcommand's arguments."""
    options: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in GIT_OPTIONS_WITH_VALUE and i + 1 < len(words):
            if word == "-C":
                cwd = cwd / os.path.expanduser(words[i + 1])
            else:
                options += [word, words[i + 1]]
            i += 2
        elif word.startswith("-"):
            options.append(word)
            i += 1
        else:
            return options, cwd, word, words[i + 1 :]
    return options, cwd, None, []


def commit_options(args: list[str]) -> tuple[bool, bool, list[str]]:
    """From `git commit`'s arguments: (-a given, -i given, the paths named)."""
    all_files = include = False
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            paths += args[i:]
            break
        if arg.startswith("--"):
            name = arg.split("=", 1)[0]
            all_files |= name == "--all"
            include |= name == "--include"
            if name in COMMIT_LONG_WITH_VALUE and "=" not in arg:
                i += 1
        elif arg.startswith("-") and len(arg) > 1:
            for position, letter in enumerate(arg[1:], start=1):
                all_files |= letter == "a"
                include |= letter == "i"
                if letter in COMMIT_SHORT_WITH_VALUE:
                    i += position == len(arg) - 1  # -m msg: the value is the next word
                    break
                if letter in "Su":  # optional values, always attached
                    break
        else:
            paths.append(arg)
    return all_files, include, paths


def preview_index(
    plan: CommitPlan, top: Path, scratch: Path, environ: Mapping[str, str]
) -> dict[str, str]:
    """A copy of the index with the command's adds replayed; git sees it via GIT_INDEX_FILE."""
    index = scratch / "index"
    real = Path(git(["rev-parse", "--git-path", "index"], top, environ).strip())
    real = real if real.is_absolute() else top / real
    if real.is_file():
        shutil.copyfile(real, index)
    env = {**environ, "GIT_INDEX_FILE": str(index)}
    for step in plan.steps:
        if not step.cwd.is_dir() or repo_top(step.cwd, environ) != top:
            continue
        if step.verb == "add" and not INTERACTIVE_ADD.intersection(step.args):
            run_git([*step.git_options, "add", *step.args], step.cwd, env)
        elif step.verb == "rm":  # --cached: the scratch index changes, the files stay
            run_git([*step.git_options, "rm", "--cached", *step.args], step.cwd, env)
    all_files, include, paths = commit_options(plan.args)
    if paths:
        if not include:  # `git commit paths` commits those paths only, as they are on disk
            has_head = run_git(["rev-parse", "-q", "--verify", "HEAD"], top, env).returncode == 0
            git(["read-tree", "HEAD" if has_head else "--empty"], top, env)
        run_git(["add", "-A", "--", *paths], plan.cwd, env)
    if all_files:
        run_git(["add", "-u"], top, env)
    return env


# --- Installing the git hook -------------------------------------------------------------------

HOOK_MARKER = "# Written by tdd_gate.py install"
KEPT_HOOK = "pre-commit.before-tdd-gate"


def install(stdout: TextIO, stderr: TextIO, environ: Mapping[str, str]) -> int:
    """Write the pre-commit hook; a hook already there is kept beside it and runs first."""
    top = repo_top(Path.cwd(), environ)
    if top is None:
        raise GateError("not a git repository: run install inside the repository")
    hooks = Path(git(["rev-parse", "--git-path", "hooks"], top, environ).strip())
    hooks = hooks if hooks.is_absolute() else top / hooks  # core.hooksPath is honoured
    hooks.mkdir(parents=True, exist_ok=True)
    hook, kept = hooks / "pre-commit", hooks / KEPT_HOOK
    ours = hook.is_file() and HOOK_MARKER in hook.read_text(encoding="utf-8", errors="replace")
    if hook.exists() and not ours:
        if kept.exists():
            raise GateError(f"both {hook} and {kept} exist: merge them by hand, then install")
        hook.rename(kept)
    hook.write_text(hook_script(top), encoding="utf-8", newline="\n")
    hook.chmod(0o755)
    if ours:
        print(f"tdd-gate: already installed in {hook}; brought up to date.", file=stdout)
    elif kept.exists():
        kept_note = f"the hook that was there is now {KEPT_HOOK} and runs first"
        print(f"tdd-gate: installed {hook}; {kept_note}.", file=stdout)
    else:
        print(f"tdd-gate: installed {hook}.", file=stdout)
    return 0


def hook_script(top: Path) -> str:
    """A POSIX sh script: git runs hooks with sh on every platform, Git for Windows included."""
    here = Path(__file__).resolve().parents[1] / "tdd_gate.py"  # the launcher beside us
    try:
        gate = here.relative_to(top.resolve()).as_posix()  # git runs hooks from the top
    except ValueError:
        gate = here.as_posix()
    pythons = " ".join(
        shlex.quote(p) for p in (Path(sys.executable).as_posix(), "python3", "python")
    )
    return f"""#!/bin/sh
{HOOK_MARKER} (Playbook's TDD gate). Git runs it before each commit, from
# the top of the work tree. A hook that was here before is kept as {KEPT_HOOK} and
# runs first. To skip both once: git commit --no-verify.
kept="$(dirname "$0")/{KEPT_HOOK}"
if [ -x "$kept" ]; then
    "$kept" "$@" || exit $?
fi
for python in {pythons}; do
    if command -v "$python" >/dev/null 2>&1; then
        exec "$python" {shlex.quote(gate)} check
    fi
done
echo "tdd-gate: no Python to run {gate}; install Python 3.10+ or commit with --no-verify" >&2
exit 1
"""


# --- git ---------------------------------------------------------------------------------------


def git(args: list[str], cwd: Path, environ: Mapping[str, str]) -> str:
    try:
        return git_output(args, cwd, environ)
    except OSError as error:
        raise GateError(str(error)) from None


def repo_top(cwd: Path, environ: Mapping[str, str]) -> Path | None:
    try:
        done = run_git(["rev-parse", "--show-toplevel"], cwd, environ)
    except OSError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None
