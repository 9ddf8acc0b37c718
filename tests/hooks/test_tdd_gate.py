"""hooks/tdd_gate.py: real git repositories in temporary directories, real pytest and coverage.

Most tests stage something in a fresh repository and run the gate as git would (`tdd_gate.py
check`) or as Claude Code would (a PreToolUse payload for a Bash `git commit` on stdin). A small
Python project with pytest tests covers the coverage part. Pure helpers (file classification,
coverage report parsers, settings, command parsing) are tested in process.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playbook.examples.toolchains import which

ROOT = Path(__file__).resolve().parents[2]
GATE = ROOT / "hooks" / "tdd_gate.py"  # the launcher

from playbook_hooks import tdd_gate as gate  # noqa: E402

CALC = "def add(a, b):\n    return a + b\n"
CALC_WITH_SUB = CALC + "\n\ndef sub(a, b):\n    return a - b\n"
TEST_CALC = "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
TEST_SUB = "from calc import sub\n\n\ndef test_sub():\n    assert sub(3, 2) == 1\n"
PYPROJECT = (
    '[tool.pytest.ini_options]\npythonpath = ["."]\n\n'
    '[tool.coverage.run]\nomit = ["tests/*"]\n\n'
    "[tool.playbook]\ncoverage-floor = 80\n"
)
PASSING = f'"{sys.executable}" -c "pass"'  # a test command that always passes, fast


# --- helpers -------------------------------------------------------------------------------


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAYBOOK_", "GIT_"))}
    # The sample projects need no pytest plugins; loading this venv's takes a second a run.
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    env.update(extra)
    return env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return clean_env(home)


def git(repo: Path, *args: str, env: dict | None = None, check: bool = True) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def write(repo: Path, relative: str, text: str | bytes) -> Path:
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def new_repo(tmp_path: Path, env: dict, name: str = "repo") -> Path:
    repo = tmp_path / name
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main", env=env)
    git(repo, "config", "user.email", "dev@example.com", env=env)
    git(repo, "config", "user.name", "Dev", env=env)
    git(repo, "config", "commit.gpgsign", "false", env=env)
    return repo


@pytest.fixture
def py_repo(tmp_path: Path, env: dict) -> Path:
    """A committed Python project: calc.py with a pytest test, coverage floor 80."""
    repo = new_repo(tmp_path, env)
    write(repo, "pyproject.toml", PYPROJECT)
    write(repo, "calc.py", CALC)
    write(repo, "tests/test_calc.py", TEST_CALC)
    write(repo, "README.md", "# calc\n")
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "-q", "-m", "start", env=env)
    return repo


def run_gate(repo: Path, *args: str, env: dict, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, str(GATE), *args],
        cwd=repo,
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
    )


def bash_payload(command: str, cwd: Path | str) -> str:
    """A PreToolUse payload as Claude Code sends it for the Bash tool."""
    return json.dumps(
        {
            "session_id": "3f1c6a2e-5b7d-4c1e-9a0b-1d2e3f4a5b6c",
            "transcript_path": "/home/dev/.claude/projects/p/3f1c6a2e.jsonl",
            "cwd": str(cwd),
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "Commit the change"},
            "tool_use_id": "toolu_01ABCDEF",
        }
    )


def run_pretooluse(command: str, cwd: Path | str, env: dict):
    where = Path(cwd) if Path(cwd).is_dir() else ROOT
    return run_gate(where, env=env, stdin=bash_payload(command, cwd))


# --- rule (a): staged source changes come with staged test changes -----------------------------


def test_source_without_tests_is_blocked_with_the_files_and_what_to_do(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    write(py_repo, "pkg/util.py", "X = 1\n")
    git(py_repo, "add", "calc.py", "pkg/util.py", env=env)

    proc = run_gate(py_repo, "check", env=env)

    assert proc.returncode == 1
    assert "calc.py" in proc.stderr and "pkg/util.py" in proc.stderr
    assert "Python" in proc.stderr
    assert "Next" in proc.stderr and "PLAYBOOK_TDD=refactor" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_source_with_tests_passes_and_the_tests_run_with_coverage(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    write(py_repo, "tests/test_sub.py", TEST_SUB)
    git(py_repo, "add", "-A", env=env)

    proc = run_gate(py_repo, "check", env=env)

    assert proc.returncode == 0, proc.stderr
    assert "100.00%" in proc.stdout and "80%" in proc.stdout


def test_docs_and_config_only_pass_without_running_tests(py_repo, env):
    write(py_repo, "README.md", "# calc\n\nMore words.\n")
    write(py_repo, ".github/workflows/ci.yml", "on: push\n")
    write(py_repo, "docs/conf.py", "project = 'calc'\n")
    git(py_repo, "add", "-A", env=env)
    failing = f'"{sys.executable}" -c "raise SystemExit(1)"'

    proc = run_gate(py_repo, "check", "--test-command", failing, env=env)

    assert proc.returncode == 0, proc.stderr
    assert "no code" in proc.stdout


def test_test_only_changes_pass(py_repo, env):
    write(
        py_repo,
        "tests/test_calc.py",
        TEST_CALC + "\n\ndef test_zero():\n    assert add(0, 0) == 0\n",
    )
    git(py_repo, "add", "-A", env=env)

    assert run_gate(py_repo, "check", "--test-command", PASSING, env=env).returncode == 0


def test_pure_renames_moves_and_deletions_pass(py_repo, env):
    write(py_repo, "pkg/old_name.py", "X = 1\n")
    git(py_repo, "add", "-A", env=env)
    git(py_repo, "commit", "-q", "-m", "more", env=env)
    (py_repo / "lib").mkdir()
    git(py_repo, "mv", "pkg/old_name.py", "lib/new_name.py", env=env)
    git(py_repo, "rm", "-q", "calc.py", env=env)

    proc = run_gate(py_repo, "check", "--test-command", PASSING, env=env)

    assert proc.returncode == 0, proc.stderr


def test_a_rename_with_edits_is_a_source_change(py_repo, env):
    write(py_repo, "pkg/mod.py", "".join(f"V{i} = {i}\n" for i in range(20)))
    git(py_repo, "add", "-A", env=env)
    git(py_repo, "commit", "-q", "-m", "more", env=env)
    git(py_repo, "mv", "pkg/mod.py", "pkg/renamed.py", env=env)
    write(py_repo, "pkg/renamed.py", "".join(f"V{i} = {i}\n" for i in range(20)) + "NEW = 1\n")
    git(py_repo, "add", "-A", env=env)

    proc = run_gate(py_repo, "check", "--test-command", PASSING, env=env)

    assert proc.returncode == 1 and "pkg/renamed.py" in proc.stderr


def test_binary_files_pass(py_repo, env):
    write(py_repo, "assets/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    write(py_repo, "data/blob.py", b"\x00\x01\x02binary\x00")
    git(py_repo, "add", "-A", env=env)

    assert run_gate(py_repo, "check", "--test-command", PASSING, env=env).returncode == 0


def test_first_commit_is_judged_like_any_other(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "pyproject.toml", PYPROJECT)
    write(repo, "calc.py", CALC)
    git(repo, "add", "-A", env=env)

    blocked = run_gate(repo, "check", env=env)
    assert blocked.returncode == 1 and "calc.py" in blocked.stderr

    write(repo, "tests/test_calc.py", TEST_CALC)
    git(repo, "add", "-A", env=env)
    passed = run_gate(repo, "check", env=env)
    assert passed.returncode == 0, passed.stderr
    assert "100.00%" in passed.stdout


def test_it_judges_what_is_staged_not_the_working_tree(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "calc.py", env=env)
    write(py_repo, "tests/test_sub.py", TEST_SUB)  # written, never staged

    proc = run_gate(py_repo, "check", env=env)

    assert proc.returncode == 1 and "calc.py" in proc.stderr


def test_nothing_staged_passes(py_repo, env):
    proc = run_gate(py_repo, "check", env=env)
    assert proc.returncode == 0 and "nothing staged" in proc.stdout


@pytest.mark.parametrize(
    ("path", "language", "is_test"),
    [
        ("src/app/models.py", "Python", False),
        ("tests/test_models.py", "Python", True),
        ("app/models_test.py", "Python", True),
        ("conftest.py", "Python", True),
        ("web/src/cart.ts", "JavaScript/TypeScript", False),
        ("web/src/cart.test.ts", "JavaScript/TypeScript", True),
        ("web/src/cart.spec.jsx", "JavaScript/TypeScript", True),
        ("web/src/__tests__/cart.js", "JavaScript/TypeScript", True),
        ("svc/handler.go", "Go", False),
        ("svc/handler_test.go", "Go", True),
        ("src/lib.rs", "Rust", False),
        ("tests/integration.rs", "Rust", True),
        ("src/main/java/com/x/Cart.java", "Java", False),
        ("src/test/java/com/x/CartTest.java", "Java", True),
        ("lib/CartIT.java", "Java", True),
        ("src/Shop/Cart.cs", "C#", False),
        ("src/Shop.Tests/CartTests.cs", "C#", True),
        ("Shop.UnitTests/Checkout.cs", "C#", True),
        ("README.md", None, False),
        ("config/settings.yaml", None, False),
        ("types/stubs.pyi", None, False),
    ],
)
def test_file_classification(path, language, is_test):
    assert gate.language_of(path) == language
    if language:
        assert gate.is_test_file(path) is is_test


@pytest.mark.parametrize(
    "path",
    ["setup.py", "noxfile.py", "docs/conf.py", "web/vite.config.ts", "types/global.d.ts",
     "app/migrations/0002_auto.py", "build.rs", "Properties/AssemblyInfo.cs"],
)  # fmt: skip
def test_build_and_config_code_is_exempt(path):
    assert gate.is_exempt(path, [])


def test_exempt_patterns_from_settings():
    assert gate.is_exempt("generated/api_pb2.py", ["generated/*"])
    assert not gate.is_exempt("src/api.py", ["generated/*"])


def test_rust_tests_inside_the_source_file_count(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "src/lib.rs", "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n")
    git(repo, "add", "-A", env=env)
    assert run_gate(repo, "check", "--test-command", PASSING, env=env).returncode == 1

    write(
        repo,
        "src/lib.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n"
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {\n"
        "        assert_eq!(super::add(1, 2), 3);\n    }\n}\n",
    )
    git(repo, "add", "-A", env=env)
    assert run_gate(repo, "check", "--test-command", PASSING, env=env).returncode == 0


def test_a_test_in_another_language_does_not_count(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "svc/handler.go", "package svc\n")
    write(repo, "web/cart.test.ts", "test('x', () => {})\n")
    git(repo, "add", "-A", env=env)

    proc = run_gate(repo, "check", "--test-command", PASSING, env=env)

    assert proc.returncode == 1 and "svc/handler.go (Go)" in proc.stderr


# --- rule (b): the tests run and total coverage reaches the floor ------------------------------


def stage_half_tested_sub(repo: Path, env: dict) -> None:
    """calc.py gains sub(), tests only touch add(): 4 statements, 3 covered = 75%."""
    write(repo, "calc.py", CALC_WITH_SUB)
    write(
        repo, "tests/test_calc.py", TEST_CALC + "\n\ndef test_more():\n    assert add(2, 2) == 4\n"
    )
    git(repo, "add", "-A", env=env)


def test_coverage_under_the_floor_blocks_with_the_numbers(py_repo, env):
    stage_half_tested_sub(py_repo, env)

    proc = run_gate(py_repo, "check", env=env)

    assert proc.returncode == 1
    assert "75.00%" in proc.stderr and "80%" in proc.stderr
    assert "pyproject.toml [tool.playbook] coverage-floor" in proc.stderr
    assert "Next" in proc.stderr


def test_coverage_is_measured_on_the_staged_content(py_repo, env):
    stage_half_tested_sub(py_repo, env)
    write(py_repo, "tests/test_sub.py", TEST_SUB)  # would make it 100%, but is not staged

    proc = run_gate(py_repo, "check", env=env)

    assert proc.returncode == 1 and "75.00%" in proc.stderr
    assert (py_repo / "tests" / "test_sub.py").exists()  # the working tree is left as it was
    assert "tests/test_sub.py" in git(py_repo, "status", "--porcelain", env=env)


def test_floor_from_the_environment_and_from_the_flag(py_repo, env):
    stage_half_tested_sub(py_repo, env)

    lowered = run_gate(py_repo, "check", env={**env, "PLAYBOOK_COVERAGE_FLOOR": "70"})
    assert lowered.returncode == 0, lowered.stderr
    assert "75.00%" in lowered.stdout

    raised = run_gate(
        py_repo, "check", "--coverage-floor", "90", env={**env, "PLAYBOOK_COVERAGE_FLOOR": "70"}
    )
    assert raised.returncode == 1 and "--coverage-floor" in raised.stderr


def test_settings_precedence_flag_then_environment_then_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.playbook]\ncoverage-floor = 85\ntest-command = "make test"\ntdd-exempt = ["gen/*"]\n'
    )
    options = gate.parse_args(["check"])
    settings = gate.load_settings(tmp_path, options, {})
    assert (settings.floor, settings.test_command, settings.exempt) == (85, "make test", ["gen/*"])
    assert "pyproject.toml" in settings.floor_from

    settings = gate.load_settings(tmp_path, options, {"PLAYBOOK_COVERAGE_FLOOR": "60"})
    assert (settings.floor, settings.floor_from) == (60, "PLAYBOOK_COVERAGE_FLOOR")

    options = gate.parse_args(["check", "--coverage-floor", "95"])
    settings = gate.load_settings(tmp_path, options, {"PLAYBOOK_COVERAGE_FLOOR": "60"})
    assert (settings.floor, settings.floor_from) == (95, "--coverage-floor")

    settings = gate.load_settings(tmp_path / "nowhere", gate.parse_args([]), {})
    assert (settings.floor, settings.floor_from) == (80, "the default")


@pytest.mark.parametrize("bad", ["abc", "101", "-5"])
def test_a_bad_floor_is_reported_not_a_traceback(py_repo, env, bad):
    stage_half_tested_sub(py_repo, env)
    proc = run_gate(py_repo, "check", env={**env, "PLAYBOOK_COVERAGE_FLOOR": bad})
    assert proc.returncode == 1
    assert "coverage-floor" in proc.stderr and "Traceback" not in proc.stderr


def test_pyproject_is_read_without_tomllib(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.playbook]  # ours\n"
        "coverage-floor = 72.5\ntest-command = 'npm test'   # trailing comment\n"
        'tdd-exempt = ["gen/*", "vendor/*"]\ntest-timeout = 30\n\n[tool.other]\nx = 1\n'
    )
    text = (tmp_path / "pyproject.toml").read_text()
    assert gate.read_playbook_table_by_hand(text) == {
        "coverage-floor": 72.5,
        "test-command": "npm test",
        "tdd-exempt": ["gen/*", "vendor/*"],
        "test-timeout": 30,
    }


def test_failing_tests_block_and_show_their_output(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    write(
        py_repo,
        "tests/test_sub.py",
        "from calc import sub\n\n\ndef test_sub():\n    assert sub(3, 2) == 5\n",
    )
    git(py_repo, "add", "-A", env=env)

    proc = run_gate(py_repo, "check", env=env)

    assert proc.returncode == 1
    assert "tests fail" in proc.stderr
    assert "assert 1 == 5" in proc.stderr


def test_a_configured_command_with_an_lcov_report(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "src/cart.js", "export const total = (xs) => xs.reduce((a, b) => a + b, 0)\n")
    write(repo, "src/cart.test.js", "test('total', () => {})\n")
    git(repo, "add", "-A", env=env)
    writes_lcov = (
        f'"{sys.executable}" -c "import pathlib; pathlib.Path(\'coverage\').mkdir(exist_ok=True); '
        "pathlib.Path('coverage/lcov.info').write_text('SF:src/cart.js\\nLF:10\\nLH:6\\nend_of_record\\n')\""
    )
    configured = {
        **env,
        "PLAYBOOK_TEST_COMMAND": writes_lcov,
        "PLAYBOOK_COVERAGE_REPORT": "coverage/lcov.info",
    }

    proc = run_gate(repo, "check", env=configured)

    assert proc.returncode == 1
    assert "60.00%" in proc.stderr and "80%" in proc.stderr

    assert run_gate(repo, "check", "--coverage-floor", "50", env=configured).returncode == 0


def test_a_configured_command_that_does_not_write_its_report_blocks(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "src/cart.js", "export const x = 1\n")
    write(repo, "src/cart.test.js", "test('x', () => {})\n")
    git(repo, "add", "-A", env=env)

    proc = run_gate(
        repo, "check", "--test-command", PASSING, "--coverage-report", "lcov.info", env=env
    )

    assert proc.returncode == 1 and "lcov.info" in proc.stderr


def test_a_configured_command_without_a_report_is_trusted_on_its_exit_status(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "svc/a.go", "package svc\n")
    write(repo, "svc/a_test.go", "package svc\n")
    git(repo, "add", "-A", env=env)
    failing = f'"{sys.executable}" -c "raise SystemExit(3)"'

    assert run_gate(repo, "check", "--test-command", PASSING, env=env).returncode == 0
    failed = run_gate(repo, "check", "--test-command", failing, env=env)
    assert failed.returncode == 1 and "exit 3" in failed.stderr


def test_a_test_command_that_runs_too_long_is_stopped(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "a.py", "X = 1\n")
    write(repo, "tests/test_a.py", "def test_a():\n    pass\n")
    git(repo, "add", "-A", env=env)
    sleeper = f'"{sys.executable}" -c "import time; time.sleep(60)"'

    started = time.monotonic()
    proc = run_gate(repo, "check", "--test-command", sleeper, "--test-timeout", "1", env=env)

    assert time.monotonic() - started < 20
    assert proc.returncode == 1 and "longer than 1 s" in proc.stderr


def test_without_a_way_to_run_tests_only_rule_a_is_checked(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "src/Cart.java", "class Cart {}\n")
    write(repo, "src/test/java/CartTest.java", "class CartTest {}\n")
    git(repo, "add", "-A", env=env)

    proc = run_gate(repo, "check", env=env)

    assert proc.returncode == 0
    assert "tests not run" in proc.stdout and "test-command" in proc.stdout


GO = which("go")


@pytest.mark.needs("go")
def test_go_projects_use_go_test_coverage_by_default(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "go.mod", "module example.com/calc\n\ngo 1.21\n")
    write(repo, "calc.go", "package calc\n\nfunc Add(a, b int) int { return a + b }\n")
    write(repo, "sub.go", "package calc\n\nfunc Sub(a, b int) int { return a - b }\n")
    test = "func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal()\n\t}\n}\n"
    write(repo, "calc_test.go", f'package calc\n\nimport "testing"\n\n{test}')
    git(repo, "add", "-A", env=env)
    go_env = {
        **env,
        "PATH": f"{Path(GO).parent}{os.pathsep}{env['PATH']}",
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
        "GOCACHE": go_cache(),
    }

    proc = run_gate(repo, "check", env=go_env)

    assert proc.returncode == 1, proc.stdout
    assert "50.00%" in proc.stderr


def go_cache() -> str:
    """The machine's Go build cache, so the test does not compile the standard library again."""
    done = subprocess.run([GO, "env", "GOCACHE"], capture_output=True, text=True)
    return done.stdout.strip() or str(Path.home() / ".cache" / "go-build")


LCOV = "TN:\nSF:a.js\nLF:4\nLH:3\nend_of_record\nSF:b.js\nLF:6\nLH:6\nend_of_record\n"
COBERTURA = '<?xml version="1.0" ?>\n<coverage line-rate="0.8125" branch-rate="0"></coverage>'
JACOCO = (
    '<report name="x"><package name="p"><counter type="LINE" missed="1" covered="1"/>'
    '</package><counter type="INSTRUCTION" missed="5" covered="5"/>'
    '<counter type="LINE" missed="3" covered="7"/></report>'
)
ISTANBUL = '{"total": {"lines": {"total": 8, "covered": 6, "pct": 75}}}'
GO_PROFILE = "mode: set\nx/a.go:1.1,2.2 3 1\nx/a.go:3.1,4.2 1 0\nx/a.go:1.1,2.2 3 0\n"


@pytest.mark.parametrize(
    ("name", "text", "percent"),
    [
        ("lcov.info", LCOV, 90.0),
        ("coverage.xml", COBERTURA, 81.25),
        ("jacoco.xml", JACOCO, 70.0),
        ("coverage-summary.json", ISTANBUL, 75.0),
        ("coverage.json", '{"meta": {}, "totals": {"percent_covered": 66.5}}', 66.5),
        ("cover.out", GO_PROFILE, 75.0),
    ],
)
def test_coverage_report_formats(tmp_path, name, text, percent):
    report = tmp_path / name
    report.write_text(text)
    assert gate.read_coverage_report(report) == pytest.approx(percent)


@pytest.mark.parametrize(
    "text", ["hello", "<html></html>", '{"x": 1}', "mode: set\n", "LF:0\nLH:0\n"]
)
def test_unreadable_coverage_reports_raise_a_gate_error(tmp_path, text):
    report = tmp_path / "report"
    report.write_text(text)
    with pytest.raises(gate.GateError):
        gate.read_coverage_report(report)


# --- escapes -----------------------------------------------------------------------------------


def test_refactor_escape_skips_the_pairing_but_still_runs_tests(py_repo, env):
    write(py_repo, "calc.py", "def add(a, b):\n    total = a + b\n    return total\n")
    git(py_repo, "add", "-A", env=env)
    refactor = {**env, "PLAYBOOK_TDD": "refactor"}

    proc = run_gate(py_repo, "check", env=refactor)
    assert proc.returncode == 0, proc.stderr
    assert "100.00%" in proc.stdout

    write(py_repo, "calc.py", "def add(a, b):\n    return a - b\n")  # changes behaviour
    git(py_repo, "add", "-A", env=env)
    proc = run_gate(py_repo, "check", env=refactor)
    assert proc.returncode == 1 and "tests fail" in proc.stderr


def test_off_escape_passes_everything(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "-A", env=env)
    proc = run_gate(py_repo, "check", env={**env, "PLAYBOOK_TDD": "off"})
    assert proc.returncode == 0 and "PLAYBOOK_TDD=off" in proc.stdout


def test_outside_a_git_repository_check_says_so(tmp_path, env):
    proc = run_gate(tmp_path, "check", env=env)
    assert proc.returncode == 1
    assert "not a git repository" in proc.stderr and "Traceback" not in proc.stderr


# --- install: .git/hooks/pre-commit, chaining an existing hook ---------------------------------


def commit(repo: Path, env: dict, message: str = "change") -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=repo, env=env, capture_output=True, text=True
    )


def test_install_writes_a_pre_commit_hook_that_gates_real_commits(py_repo, env):
    proc = run_gate(py_repo, "install", env=env)
    assert proc.returncode == 0, proc.stderr
    hook = py_repo / ".git" / "hooks" / "pre-commit"
    assert hook.is_file() and os.access(hook, os.X_OK)
    assert "tdd_gate.py" in hook.read_text()

    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "-A", env=env)
    blocked = commit(py_repo, env)
    assert blocked.returncode != 0 and "calc.py" in blocked.stderr

    write(py_repo, "tests/test_sub.py", TEST_SUB)
    git(py_repo, "add", "-A", env=env)
    assert commit(py_repo, env).returncode == 0


def test_install_chains_an_existing_hook_and_is_idempotent(py_repo, env):
    hooks = py_repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    marker = py_repo / "earlier-hook-ran"
    earlier = hooks / "pre-commit"
    earlier.write_text(
        f'#!/bin/sh\necho ran > "{marker.as_posix()}"\nexit "${{EARLIER_EXIT:-0}}"\n'
    )
    earlier.chmod(0o755)

    assert run_gate(py_repo, "install", env=env).returncode == 0
    again = run_gate(py_repo, "install", env=env)
    assert again.returncode == 0 and "already" in again.stdout
    kept = hooks / "pre-commit.before-tdd-gate"
    assert "earlier-hook-ran" in kept.read_text()

    write(py_repo, "README.md", "# calc\n\nDocs only.\n")
    git(py_repo, "add", "-A", env=env)
    assert commit(py_repo, {**env, "EARLIER_EXIT": "1"}).returncode != 0  # earlier hook says no
    assert marker.exists()
    assert commit(py_repo, env).returncode == 0


def test_install_outside_a_repository_fails_cleanly(tmp_path, env):
    proc = run_gate(tmp_path, "install", env=env)
    assert proc.returncode == 1 and "not a git repository" in proc.stderr


# --- PreToolUse on Bash: the same gate before `git commit` runs --------------------------------


@pytest.mark.parametrize(
    "command",
    [
        "ls -la",
        "git status",
        "git log --grep commit",
        "echo 'git commit -m x'",
        'grep -rn "commit" src/',
        "gh pr create --body 'run git commit first'",
        "git commit-tree HEAD^{tree} -m x",
        "pytest -q && git push",
    ],
)
def test_non_commit_commands_return_at_once_without_running_git(command, monkeypatch):
    def no_subprocess(*args, **kwargs):
        raise AssertionError("a non-commit command must not start any process")

    monkeypatch.setattr("subprocess.run", no_subprocess)
    monkeypatch.setattr("subprocess.Popen", no_subprocess)
    stdout, stderr = io.StringIO(), io.StringIO()

    code = gate.main([], io.StringIO(bash_payload(command, "/home/dev/p")), stdout, stderr, {})

    assert (code, stdout.getvalue(), stderr.getvalue()) == (0, "", "")


def test_non_commit_bash_calls_start_no_process(py_repo, env, monkeypatch):
    # Its cost when idle is one interpreter start at most (benchmarks/hooks.py measures it):
    # for a command that is not a commit the gate runs neither git nor the tests.
    started = []

    def no_process(*args, **kwargs):
        started.append(args)
        raise AssertionError(f"the gate started a process: {args}")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    monkeypatch.chdir(py_repo)
    for command in ("npm run build", "git status && git log -1", "echo 'git commit'"):
        out, err = io.StringIO(), io.StringIO()
        code = gate.main([], io.StringIO(bash_payload(command, py_repo)), out, err, env)
        assert (code, out.getvalue(), err.getvalue()) == (0, "", ""), command
    assert started == []


def test_commit_of_untested_source_is_blocked_with_the_reason_on_stderr(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "-A", env=env)

    proc = run_pretooluse('git commit -m "feat: subtraction"', py_repo, env)

    assert proc.returncode == 2
    assert "calc.py" in proc.stderr and "PLAYBOOK_TDD=refactor" in proc.stderr


def test_git_add_in_the_same_command_is_taken_into_account(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)  # modified, not staged yet

    blocked = run_pretooluse('git add calc.py && git commit -m "feat: sub"', py_repo, env)
    assert blocked.returncode == 2 and "calc.py" in blocked.stderr
    assert git(py_repo, "diff", "--cached", "--name-only", env=env) == ""  # real index untouched

    write(py_repo, "tests/test_sub.py", TEST_SUB)
    heredoc = (
        "git add -A && git commit -m \"$(cat <<'EOF'\nfeat: subtraction\n\nIt's tested.\nEOF\n)\""
    )
    passed = run_pretooluse(heredoc, py_repo, env)
    assert passed.returncode == 0, passed.stderr
    assert git(py_repo, "diff", "--cached", "--name-only", env=env) == ""


def test_commit_all_flag_is_taken_into_account(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    proc = run_pretooluse('git commit -am "feat: sub"', py_repo, env)
    assert proc.returncode == 2 and "calc.py" in proc.stderr


def test_commit_with_paths_judges_only_those_paths(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "calc.py", env=env)  # staged, but the commit names README.md only
    write(py_repo, "README.md", "# calc\n\nOnly this.\n")

    proc = run_pretooluse('git commit -m "docs" -- README.md', py_repo, env)

    assert proc.returncode == 0, proc.stderr


def test_cd_and_dash_c_find_the_repository(py_repo, env, tmp_path):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "-A", env=env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    by_cd = run_pretooluse(f'cd "{py_repo}" && git commit -m x', elsewhere, env)
    by_dash_c = run_pretooluse(f'git -C "{py_repo}" commit -m x', elsewhere, env)

    assert by_cd.returncode == 2 and by_dash_c.returncode == 2


def test_refactor_in_the_command_is_honoured_but_off_is_not(py_repo, env):
    write(py_repo, "calc.py", "def add(a, b):\n    total = a + b\n    return total\n")
    git(py_repo, "add", "-A", env=env)

    refactor = run_pretooluse(
        'PLAYBOOK_TDD=refactor git commit -m "refactor: name it"', py_repo, env
    )
    assert refactor.returncode == 0, refactor.stderr

    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "-A", env=env)
    off_in_command = run_pretooluse("PLAYBOOK_TDD=off git commit --no-verify -m x", py_repo, env)
    assert off_in_command.returncode == 2

    off_by_the_user = run_pretooluse("git commit -m x", py_repo, {**env, "PLAYBOOK_TDD": "off"})
    assert off_by_the_user.returncode == 0


def test_a_command_that_cannot_be_parsed_is_still_judged(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "-A", env=env)

    proc = run_pretooluse('git commit -m "unterminated', py_repo, env)

    assert proc.returncode == 2


def test_windows_style_paths_in_the_payload(env, tmp_path):
    for command in ("git status", "git commit -m x", 'git -C "C:\\Users\\dev\\repo" commit -m x'):
        proc = run_gate(tmp_path, env=env, stdin=bash_payload(command, "C:\\Users\\dev\\repo"))
        assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
        assert "Traceback" not in proc.stderr


def test_other_tools_are_ignored(py_repo, env):
    payload = json.loads(bash_payload("git commit -m x", py_repo))
    payload.update(tool_name="Write", tool_input={"file_path": str(py_repo / "a.py")})
    assert run_gate(py_repo, env=env, stdin=json.dumps(payload)).returncode == 0


@pytest.mark.parametrize("stdin", ["not json", "[]", ""])
def test_bad_payload_is_a_one_line_non_blocking_error(env, tmp_path, stdin):
    proc = run_gate(tmp_path, env=env, stdin=stdin)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("git commit -m x", {"args": ["-m", "x"]}),
        ("cd sub && FOO=1 git -c user.name=x commit -q", {"cwd": "base/sub", "args": ["-q"]}),
        ("git add a b; git rm c\ngit commit", {"steps": [("add", ["a", "b"]), ("rm", ["c"])]}),
        ("git commit -m 'x' 2>&1 | tail -5", {"args": ["-m", "x"]}),
        ("PLAYBOOK_TDD=refactor git commit", {"assignments": {"PLAYBOOK_TDD": "refactor"}}),
        ("env PLAYBOOK_TDD=refactor git commit", {"assignments": {"PLAYBOOK_TDD": "refactor"}}),
        ("git commit -m x # note", {"args": ["-m", "x"]}),
        ("echo git commit", None),
        ("git log --oneline", None),
        ("git commit --dry-run", None),
    ],
)
def test_commit_command_parsing(command, expected):
    plan = gate.parse_commit_command(command, Path("base"))
    if expected is None:
        assert plan is None
        return
    assert plan is not None
    if "cwd" in expected:
        assert plan.cwd == Path(expected["cwd"])
    if "args" in expected:
        assert plan.args == expected["args"]
    if "steps" in expected:
        assert [(s.verb, s.args) for s in plan.steps] == expected["steps"]
    if "assignments" in expected:
        assert plan.assignments == expected["assignments"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-am", "msg"], (True, False, [])),
        (["-a", "-m", "msg", "--author", "A <a@b>"], (True, False, [])),
        (["-m", "msg", "--", "a.py", "b.py"], (False, False, ["a.py", "b.py"])),
        (["-i", "-mmsg", "a.py"], (False, True, ["a.py"])),
        (["--all", "--message=x", "-S", "-uno"], (True, False, [])),
        (["-F", "msg.txt", "-C", "HEAD", "x.py"], (False, False, ["x.py"])),
    ],
)
def test_commit_options(args, expected):
    assert gate.commit_options(args) == expected


# --- odd corners -------------------------------------------------------------------------------


def test_a_merge_commit_needs_no_new_tests(py_repo, env):
    git(py_repo, "checkout", "-q", "-b", "feature", env=env)
    write(py_repo, "calc.py", CALC_WITH_SUB)
    write(py_repo, "tests/test_sub.py", TEST_SUB)
    git(py_repo, "add", "-A", env=env)
    git(py_repo, "commit", "-q", "-m", "sub", env=env)
    git(py_repo, "checkout", "-q", "main", env=env)
    write(py_repo, "README.md", "# calc\n\nOn main.\n")
    git(py_repo, "commit", "-q", "-am", "docs", env=env)
    git(py_repo, "merge", "-q", "--no-commit", "--no-ff", "feature", env=env)
    git(py_repo, "reset", "-q", "--", "tests/test_sub.py", env=env)  # only source staged now
    write(py_repo, "tests/test_sub.py", TEST_SUB)

    proc = run_gate(py_repo, "check", "--test-command", PASSING, env=env)

    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the venv's python")
def test_the_project_venv_interpreter_is_used(tmp_path, env):
    repo = new_repo(tmp_path, env)
    write(repo, "app.py", "X = 1\n")
    write(repo, "tests/test_app.py", "def test_x():\n    pass\n")
    python = write(repo, ".venv/bin/python", "#!/bin/sh\nexit 1\n")  # no pytest in it
    python.chmod(0o755)
    write(repo, ".gitignore", ".venv/\n")
    git(repo, "add", "-A", env=env)

    proc = run_gate(repo, "check", env=env)

    assert proc.returncode == 0
    assert f"not installed for {python}" in proc.stdout


def test_a_test_command_given_as_a_list_runs_without_a_shell(tmp_path, env):
    repo = new_repo(tmp_path, env)
    marker = tmp_path / "ran"
    command = json.dumps([sys.executable, "-c", f"open({str(marker)!r}, 'w').write('$HOME')"])
    write(repo, "pyproject.toml", f"[tool.playbook]\ntest-command = {command}\n")
    write(repo, "src/cart.js", "export const x = 1\n")
    write(repo, "src/cart.test.js", "test('x', () => {})\n")
    git(repo, "add", "-A", env=env)

    proc = run_gate(repo, "check", env=env)

    assert proc.returncode == 0, proc.stderr
    assert marker.read_text() == "$HOME"  # no shell expanded it


@pytest.mark.parametrize(
    ("variables", "pyproject", "expected"),
    [
        ({"PLAYBOOK_TDD": "sometimes"}, "", "PLAYBOOK_TDD must be on, refactor or off"),
        ({}, "[tool.playbook\ncoverage-floor = 1\n", "is not valid TOML"),
        ({}, "[tool.playbook]\ncoverage-floor = true\n", "coverage-floor"),
        ({}, "[tool.playbook]\ntest-command = [1, 2]\n", "list of strings"),
        ({"PLAYBOOK_TEST_TIMEOUT": "0"}, "", "test-timeout"),
    ],
)
def test_bad_settings_are_one_clear_line(tmp_path, env, variables, pyproject, expected):
    repo = new_repo(tmp_path, env)
    write(repo, "pyproject.toml", pyproject)
    write(repo, "a.py", "X = 1\n")
    git(repo, "add", "-A", env=env)

    proc = run_gate(repo, "check", env={**env, **variables})

    assert proc.returncode == 1
    assert expected in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_git_rm_in_the_command_is_replayed(py_repo, env):
    write(py_repo, "old.py", "X = 1\n")
    git(py_repo, "add", "-A", env=env)
    git(py_repo, "commit", "-q", "-m", "old", env=env)
    blocked = run_pretooluse('git rm -q calc.py && git commit -m "remove calc"', py_repo, env)
    assert blocked.returncode == 2 and "No module named 'calc'" in blocked.stderr

    passed = run_pretooluse('git rm -q old.py && git commit -m "remove old"', py_repo, env)
    assert passed.returncode == 0, passed.stderr
    assert (py_repo / "calc.py").exists() and (py_repo / "old.py").exists()  # files untouched


def test_install_refuses_when_an_earlier_hook_was_already_kept(py_repo, env):
    hooks = py_repo / ".git" / "hooks"
    (hooks / "pre-commit").write_text("#!/bin/sh\nexit 0\n")
    (hooks / "pre-commit.before-tdd-gate").write_text("#!/bin/sh\nexit 0\n")

    proc = run_gate(py_repo, "install", env=env)

    assert proc.returncode == 1 and "merge them by hand" in proc.stderr


def test_by_hand_without_arguments_checks_the_index(py_repo, env, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    write(py_repo, "calc.py", CALC_WITH_SUB)
    git(py_repo, "add", "-A", env=env)
    monkeypatch.chdir(py_repo)
    stdout, stderr = io.StringIO(), io.StringIO()

    code = gate.main([], Terminal(), stdout, stderr, env)

    assert code == 1 and "calc.py (Python)" in stderr.getvalue()


def test_an_internal_error_is_one_line_and_does_not_block_claude(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(gate, "parse_commit_command", broken)
    stderr = io.StringIO()

    code = gate.main([], io.StringIO(bash_payload("git commit", "/")), io.StringIO(), stderr, {})

    assert code == 1
    assert stderr.getvalue() == "tdd-gate: internal error (RuntimeError: boom)\n"


def test_toml_values_read_by_hand():
    assert gate.toml_value(" 85 # comment") == 85
    assert gate.toml_value(" 72.5") == 72.5
    assert gate.toml_value(' "a \\"quoted\\" word"') == 'a "quoted" word'
    assert gate.toml_value(" false") is False
    assert gate.toml_value(" bare") == "bare"


# --- One test run per staged tree ------------------------------------------------------------


def counting_command(tmp_path: Path) -> tuple[str, Path]:
    runs = tmp_path / "runs.txt"
    script = f"import pathlib; p = pathlib.Path(r'{runs}'); p.write_text(p.read_text() + 'x' " \
             "if p.exists() else 'x')"
    return f'"{sys.executable}" -c "{script}"', runs


def test_the_same_commit_checked_twice_runs_the_tests_once(py_repo, env, tmp_path,
                                                         monkeypatch):
    command, runs = counting_command(tmp_path)
    env = {**env, "PLAYBOOK_TEST_COMMAND": command}
    write(py_repo, "calc.py", CALC_WITH_SUB)
    write(py_repo, "tests/test_sub.py", TEST_SUB)

    first = run_pretooluse("git add -A && git commit -m sub", py_repo, env)
    git(py_repo, "add", "-A", env=env)
    second = run_gate(py_repo, "check", env=env)  # what the git hook runs next
    monkeypatch.chdir(py_repo)
    out, err = io.StringIO(), io.StringIO()
    third = gate.main(["check"], io.StringIO(), out, err, env)

    assert (first.returncode, second.returncode, third) == (0, 0, 0), first.stderr + second.stderr
    assert runs.read_text() == "x"  # the tests ran once
    assert "passed already" in second.stdout and "passed already" in out.getvalue()


def test_a_changed_tree_or_setting_runs_the_tests_again(py_repo, env, tmp_path):
    command, runs = counting_command(tmp_path)
    env = {**env, "PLAYBOOK_TEST_COMMAND": command}
    write(py_repo, "calc.py", CALC_WITH_SUB)
    write(py_repo, "tests/test_sub.py", TEST_SUB)
    git(py_repo, "add", "-A", env=env)
    assert run_gate(py_repo, "check", env=env).returncode == 0
    assert run_gate(py_repo, "check", env={**env, "PLAYBOOK_COVERAGE_FLOOR": "70"}).returncode == 0
    write(py_repo, "tests/test_sub.py", TEST_SUB + "\n")
    git(py_repo, "add", "-A", env=env)
    assert run_gate(py_repo, "check", env=env).returncode == 0
    assert runs.read_text() == "xxx"


def test_a_failing_run_is_not_remembered(py_repo, env, tmp_path):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    write(py_repo, "tests/test_sub.py", TEST_SUB)
    git(py_repo, "add", "-A", env=env)
    failing = {**env, "PLAYBOOK_TEST_COMMAND": f'"{sys.executable}" -c "raise SystemExit(3)"'}
    assert run_gate(py_repo, "check", env=failing).returncode == 1
    assert run_gate(py_repo, "check", env=failing).returncode == 1


# --- Plugin options and PowerShell ----------------------------------------------------------


def test_plugin_options_come_after_the_environment_and_pyproject(py_repo, env):
    options = gate.parse_args([])
    assert gate.load_settings(py_repo, options, {"CLAUDE_PLUGIN_OPTION_COVERAGE_FLOOR": "60"}
                              ).floor_from.startswith("pyproject.toml")
    (py_repo / "pyproject.toml").write_text("[tool.playbook]\n")
    option = {"CLAUDE_PLUGIN_OPTION_COVERAGE_FLOOR": "60"}
    from_option = gate.load_settings(py_repo, options, option)
    assert (from_option.floor, from_option.floor_from) == (60, "the plugin option coverage_floor")
    from_env = gate.load_settings(py_repo, options, {"CLAUDE_PLUGIN_OPTION_COVERAGE_FLOOR": "60",
                                                     "PLAYBOOK_COVERAGE_FLOOR": "90"})
    assert from_env.floor == 90


@pytest.mark.parametrize(("environ", "mode"), [
    ({"CLAUDE_PLUGIN_OPTION_TDD_MODE": "off"}, "off"),
    ({"CLAUDE_PLUGIN_OPTION_TDD_MODE": "refactor"}, "refactor"),
    ({"CLAUDE_PLUGIN_OPTION_TDD_MODE": "on"}, ""),
    ({"CLAUDE_PLUGIN_OPTION_TDD_MODE": "off", "PLAYBOOK_TDD": "refactor"}, "refactor"),
])
def test_the_tdd_mode_option_under_the_environment(environ, mode):
    assert gate.claude_mode(environ) == mode


def test_a_powershell_commit_is_judged(py_repo, env):
    write(py_repo, "calc.py", CALC_WITH_SUB)
    payload = json.loads(bash_payload("git add -A; git commit -m 'sub'", py_repo))
    payload["tool_name"] = "PowerShell"

    done = run_gate(py_repo, env=env, stdin=json.dumps(payload))

    assert done.returncode == 2 and "calc.py" in done.stderr
