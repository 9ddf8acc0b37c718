"""hooks/autoformat.py: real PostToolUse payloads, real formatters where the machine has them.

Each test builds a small project in a temporary directory, writes a badly formatted file into
it, and runs the hook the way Claude Code does: JSON on stdin, `CLAUDE_PROJECT_DIR` set, a
PATH that holds exactly the tools the test wants the hook to find.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from playbook.examples.toolchains import which

from tests.toolchains import require

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "hooks" / "autoformat.py"  # the launcher
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="fake tools are shebang scripts")


from playbook_hooks import autoformat  # noqa: E402

# --- helpers -------------------------------------------------------------------------------


def tool_dir(name: str) -> Path | None:
    """The directory of a real tool (the registry's lookup: PATH, the venv, toolchain homes)."""
    found = which(name)
    return Path(found).parent if found else None


@pytest.fixture
def bin_with_git(tmp_path: Path) -> Path:
    """A directory holding only `git`, so PATH can be exactly what a test asks for."""
    bin_dir = tmp_path / "bin-git"
    bin_dir.mkdir()
    git = require("git")
    (bin_dir / "git").symlink_to(git) if os.name != "nt" else shutil.copy(git, bin_dir)
    return bin_dir


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def payload(file_path: str | Path, cwd: str | Path, tool: str = "Write") -> dict:
    """A PostToolUse payload as Claude Code sends it for Write, Edit or MultiEdit."""
    tool_input: dict = {"file_path": str(file_path)}
    if tool == "Write":
        tool_input["content"] = "..."
    elif tool == "Edit":
        tool_input.update(old_string="a", new_string="b", replace_all=False)
    elif tool == "MultiEdit":
        tool_input["edits"] = [{"old_string": "a", "new_string": "b", "replace_all": False}]
    return {
        "session_id": "3f1c6a2e-5b7d-4c1e-9a0b-1d2e3f4a5b6c",
        "transcript_path": "/home/dev/.claude/projects/p/3f1c6a2e.jsonl",
        "cwd": str(cwd),
        "permission_mode": "acceptEdits",
        "hook_event_name": "PostToolUse",
        "tool_name": tool,
        "tool_input": tool_input,
        "tool_response": {"filePath": str(file_path), "success": True},
        "tool_use_id": "toolu_01ABCDEF",
    }


def run_hook(
    data: dict | str,
    project_dir: Path | str,
    path_dirs: list[Path],
    extra_env: dict | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(str(d) for d in path_dirs)
    env["CLAUDE_PROJECT_DIR"] = str(project_dir)
    env.pop("PLAYBOOK_AUTOFORMAT", None)
    env.pop("PLAYBOOK_FORMAT_TIMEOUT", None)
    env.update(extra_env or {})
    stdin = data if isinstance(data, str) else json.dumps(data)
    return subprocess.run(
        [sys.executable, str(HOOK)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def context_of(proc: subprocess.CompletedProcess) -> str:
    """The additionalContext the hook gave Claude ('' when it printed nothing)."""
    if not proc.stdout.strip():
        return ""
    out = json.loads(proc.stdout)
    assert out["hookSpecificOutput"]["hookEventName"] == "PostToolUse"
    return out["hookSpecificOutput"]["additionalContext"]


def fake_tool(bin_dir: Path, name: str, body: str = "") -> Path:
    """A stand-in formatter: logs its arguments, appends a line to the file it was given."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / name
    log = bin_dir / f"{name}.log"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib\n"
        f"pathlib.Path({str(log)!r}).write_text(' '.join(sys.argv[1:]))\n"
        + (
            body
            or "for arg in sys.argv[1:]:\n"
            "    p = pathlib.Path(arg)\n"
            "    if p.is_file():\n"
            f"        p.write_text(p.read_text() + '# formatted by {name}\\n')\n"
        ),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return log


MESSY_PY = "import os\ndef f( a,b ):\n  return a+b\nx = {'k':1}\n"

RUFF = tool_dir("ruff")
BLACK = tool_dir("black")
GOFMT = tool_dir("gofmt")
RUSTFMT = tool_dir("rustfmt")
TERRAFORM = tool_dir("terraform")
# Skips without the tool, naming its install command; fails under CI=true (tests/toolchains.py).
needs = {name: pytest.mark.needs(name) for name in ("ruff", "black", "gofmt", "rustfmt",
                                                    "terraform")}


# --- real formatters -----------------------------------------------------------------------


@needs["ruff"]
def test_ruff_formats_the_written_python_file_and_tells_claude(project, bin_with_git):
    target = project / "src" / "app.py"
    target.parent.mkdir()
    target.write_text(MESSY_PY)

    proc = run_hook(payload(target, project), project, [bin_with_git, RUFF])

    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == (
        'import os\n\n\ndef f(a, b):\n    return a + b\n\n\nx = {"k": 1}\n'
    )
    context = context_of(proc)
    assert "ruff format" in context and "src/app.py" in context
    assert "re-read" in context.lower()


@needs["ruff"]
@pytest.mark.parametrize("tool", ["Edit", "MultiEdit"])
def test_edit_and_multiedit_payloads_are_formatted_too(project, bin_with_git, tool):
    target = project / "app.py"
    target.write_text(MESSY_PY)

    proc = run_hook(payload(target, project, tool=tool), project, [bin_with_git, RUFF])

    assert proc.returncode == 0
    assert "def f(a, b):" in target.read_text()
    assert "app.py" in context_of(proc)


@needs["ruff"]
def test_an_already_formatted_file_gives_no_output(project, bin_with_git):
    target = project / "tidy.py"
    target.write_text("x = 1\n")
    before = target.stat().st_mtime_ns

    proc = run_hook(payload(target, project), project, [bin_with_git, RUFF])

    assert proc.returncode == 0
    assert proc.stdout == "" and proc.stderr == ""
    assert target.read_text() == "x = 1\n"
    assert target.stat().st_mtime_ns == before


@needs["ruff"]
def test_syntax_error_leaves_the_file_byte_identical_with_one_line_of_note(project, bin_with_git):
    target = project / "broken.py"
    original = b"def f(:\r\n    return  1   \r\n\tx=[\n"
    target.write_bytes(original)

    proc = run_hook(payload(target, project), project, [bin_with_git, RUFF])

    assert proc.returncode == 0
    assert target.read_bytes() == original
    context = context_of(proc)
    assert "\n" not in context
    assert "broken.py" in context and "unchanged" in context
    assert "Traceback" not in proc.stderr


@needs["ruff"]
@needs["black"]
def test_black_is_used_where_the_project_configures_black(project, bin_with_git):
    (project / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    target = project / "pkg" / "mod.py"
    target.parent.mkdir()
    target.write_text(MESSY_PY)

    proc = run_hook(payload(target, project), project, [bin_with_git, RUFF, BLACK])

    assert proc.returncode == 0, proc.stderr
    assert "def f(a, b):" in target.read_text()
    context = context_of(proc)
    assert context.startswith("autoformat: black ")


@needs["gofmt"]
def test_gofmt_formats_go(project, bin_with_git):
    target = project / "main.go"
    target.write_text("package main\nfunc main(){\nx:=1\n_ = x}\n")

    proc = run_hook(payload(target, project), project, [bin_with_git, GOFMT])

    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == "package main\n\nfunc main() {\n\tx := 1\n\t_ = x\n}\n"
    assert "gofmt" in context_of(proc)


@needs["rustfmt"]
def test_rustfmt_uses_the_crate_edition(project, bin_with_git):
    # `async fn` does not parse as Rust 2015, rustfmt's default: the hook must pass the edition.
    (project / "Cargo.toml").write_text(
        '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    target = project / "src" / "lib.rs"
    target.parent.mkdir()
    target.write_text("pub async fn add(a:i32,b:i32)->i32{a+b}\n")

    proc = run_hook(payload(target, project), project, [bin_with_git, RUSTFMT])

    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == "pub async fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n"
    assert "rustfmt" in context_of(proc)


@needs["terraform"]
def test_terraform_fmt_formats_terraform(project, bin_with_git):
    target = project / "main.tf"
    target.write_text('resource "null_resource" "x" {\ntriggers = {\na = "1"\n  bbb = "2"\n}\n}\n')

    proc = run_hook(payload(target, project), project, [bin_with_git, TERRAFORM])

    assert proc.returncode == 0, proc.stderr
    assert '  triggers = {\n    a   = "1"\n    bbb = "2"\n  }\n' in target.read_text()
    assert "terraform fmt" in context_of(proc)


# --- which formatter, by extension and by what the project has --------------------------------


def test_no_formatter_is_a_silent_no_op(project, bin_with_git):
    target = project / "app.py"
    target.write_text(MESSY_PY)

    proc = run_hook(payload(target, project), project, [bin_with_git])

    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert target.read_text() == MESSY_PY


@POSIX_ONLY
def test_prettier_in_node_modules_wins_over_the_one_on_path(project, bin_with_git, tmp_path):
    local_log = fake_tool(project / "node_modules" / ".bin", "prettier")
    global_log = fake_tool(tmp_path / "global-bin", "prettier")
    target = project / "web" / "app.ts"
    target.parent.mkdir()
    target.write_text("const x = {a:1}\n")

    proc = run_hook(payload(target, project), project, [bin_with_git, tmp_path / "global-bin"])

    assert proc.returncode == 0, proc.stderr
    assert local_log.read_text().split() == ["--write", str(target)]
    assert not global_log.exists()
    assert "prettier" in context_of(proc)


@POSIX_ONLY
def test_prettier_on_path_needs_a_prettier_config_in_the_project(project, bin_with_git, tmp_path):
    log = fake_tool(tmp_path / "global-bin", "prettier")
    target = project / "app.json"
    target.write_text('{"a":1}\n')

    proc = run_hook(payload(target, project), project, [bin_with_git, tmp_path / "global-bin"])
    assert proc.stdout == "" and not log.exists()

    (project / ".prettierrc.json").write_text("{}\n")
    proc = run_hook(payload(target, project), project, [bin_with_git, tmp_path / "global-bin"])
    assert "prettier" in context_of(proc) and log.exists()


@POSIX_ONLY
@pytest.mark.parametrize(
    ("filename", "tool", "expected_args"),
    [
        ("deploy.sh", "shfmt", ["-w", "{file}"]),
        ("Program.cs", "csharpier", ["format", "{file}"]),
        ("Main.java", "google-java-format", ["--replace", "{file}"]),
        ("main.go", "gofmt", ["-w", "{file}"]),
        ("vars.tfvars", "terraform", ["fmt", "{file}"]),
    ],
)
def test_formatter_command_by_extension(
    project, bin_with_git, tmp_path, filename, tool, expected_args
):
    log = fake_tool(tmp_path / "fake-bin", tool)
    target = project / filename
    target.write_text("x\n")

    proc = run_hook(payload(target, project), project, [bin_with_git, tmp_path / "fake-bin"])

    assert proc.returncode == 0, proc.stderr
    assert log.read_text().split() == [a.format(file=target) for a in expected_args]
    assert f"formatted by {tool}" in target.read_text()
    assert filename in context_of(proc)


@POSIX_ONLY
def test_dotnet_format_when_csharpier_is_absent(project, bin_with_git, tmp_path):
    log = fake_tool(tmp_path / "fake-bin", "dotnet")
    target = project / "src" / "Program.cs"
    target.parent.mkdir()
    target.write_text("class P{}\n")

    proc = run_hook(payload(target, project), project, [bin_with_git, tmp_path / "fake-bin"])

    assert proc.returncode == 0, proc.stderr
    assert log.read_text().split() == [
        "format",
        "whitespace",
        str(project),
        "--folder",
        "--include",
        "src/Program.cs",
    ]


@POSIX_ONLY
def test_ruff_from_the_project_venv_is_found_without_path(project, bin_with_git):
    log = fake_tool(project / ".venv" / "bin", "ruff")
    target = project / "app.py"
    target.write_text("x=1\n")

    proc = run_hook(payload(target, project), project, [bin_with_git])

    assert log.read_text().split() == ["format", "--force-exclude", "--quiet", str(target)]
    assert "ruff format" in context_of(proc)


@POSIX_ONLY
def test_black_configured_but_not_installed_does_not_fall_back_to_ruff(
    project, bin_with_git, tmp_path
):
    (project / "pyproject.toml").write_text("[tool.black]\n")
    log = fake_tool(tmp_path / "fake-bin", "ruff")
    target = project / "app.py"
    target.write_text("x=1\n")

    proc = run_hook(payload(target, project), project, [bin_with_git, tmp_path / "fake-bin"])

    assert proc.stdout == "" and not log.exists()


def test_unknown_extension_is_left_alone(project, bin_with_git):
    target = project / "notes.txt"
    target.write_text("  spaced   out  \n")

    proc = run_hook(payload(target, project), project, [bin_with_git, RUFF or bin_with_git])

    assert (proc.returncode, proc.stdout) == (0, "")


# --- never touches what it must not ----------------------------------------------------------


@POSIX_ONLY
@pytest.mark.parametrize(
    "relative",
    [
        ".git/hooks/helper.py",
        "node_modules/left-pad/index.py",
        "vendor/lib/util.py",
        "third_party/x/mod.py",
        "build/generated.py",  # git-ignored below
        "pkg/Node_Modules/x.py",  # case differs: still a node_modules directory
    ],
)
def test_protected_paths_are_never_touched(project, bin_with_git, tmp_path, relative):
    (project / ".gitignore").write_text("build/\n")
    log = fake_tool(tmp_path / "fake-bin", "ruff")
    target = project / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(MESSY_PY)

    proc = run_hook(payload(target, project), project, [bin_with_git, tmp_path / "fake-bin"])

    assert (proc.returncode, proc.stdout) == (0, "")
    assert target.read_text() == MESSY_PY
    assert not log.exists()


@POSIX_ONLY
def test_a_file_outside_the_project_is_never_touched(project, bin_with_git, tmp_path):
    log = fake_tool(tmp_path / "fake-bin", "ruff")
    elsewhere = tmp_path / "elsewhere" / "app.py"
    elsewhere.parent.mkdir()
    elsewhere.write_text(MESSY_PY)

    proc = run_hook(payload(elsewhere, project), project, [bin_with_git, tmp_path / "fake-bin"])

    assert (proc.returncode, proc.stdout) == (0, "")
    assert elsewhere.read_text() == MESSY_PY and not log.exists()


@POSIX_ONLY
def test_a_symlink_inside_pointing_outside_is_never_touched(project, bin_with_git, tmp_path):
    log = fake_tool(tmp_path / "fake-bin", "ruff")
    outside = tmp_path / "outside.py"
    outside.write_text(MESSY_PY)
    link = project / "link.py"
    link.symlink_to(outside)

    proc = run_hook(payload(link, project), project, [bin_with_git, tmp_path / "fake-bin"])

    assert proc.stdout == "" and outside.read_text() == MESSY_PY and not log.exists()


@POSIX_ONLY
def test_relative_file_path_is_taken_from_the_payload_cwd(project, bin_with_git, tmp_path):
    log = fake_tool(tmp_path / "fake-bin", "ruff")
    (project / "pkg").mkdir()
    target = project / "pkg" / "m.py"
    target.write_text("x=1\n")

    data = payload("m.py", project / "pkg")
    proc = run_hook(data, project, [bin_with_git, tmp_path / "fake-bin"])

    assert log.read_text().split()[-1] == str(target)
    assert "pkg/m.py" in context_of(proc)


def test_windows_style_paths_in_the_payload_are_handled(project, bin_with_git):
    windows_project = r"C:\Users\dev\project"
    data = payload(windows_project + r"\src\app.py", windows_project)

    proc = run_hook(data, windows_project, [bin_with_git, RUFF or bin_with_git])

    assert (proc.returncode, proc.stdout) == (0, "")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("path", "root", "reason"),
    [
        (r"C:\Proj\src\app.py", r"c:\proj", None),
        (r"C:\Proj\Node_Modules\x\i.js", r"C:\proj", "node_modules"),
        (r"C:\Proj\.GIT\x.py", r"C:\Proj", ".git"),
        (r"D:\other\app.py", r"C:\Proj", "outside the project"),
        (r"C:\Proj\vendor\a.go", r"C:\Proj", "vendor"),
    ],
)
def test_skip_reason_understands_windows_paths(path, root, reason):
    got = autoformat.skip_reason(PureWindowsPath(path), PureWindowsPath(root))
    assert (got is None) if reason is None else (reason in got)


def test_skip_reason_on_posix_paths():
    root = PurePosixPath("/home/dev/p")
    assert autoformat.skip_reason(PurePosixPath("/home/dev/p/a/b.py"), root) is None
    assert "outside" in autoformat.skip_reason(PurePosixPath("/home/dev/q/b.py"), root)


# --- bounded, always exits 0 -------------------------------------------------------------------


@POSIX_ONLY
def test_a_hanging_formatter_is_stopped_and_the_file_restored(project, bin_with_git, tmp_path):
    fake_tool(
        tmp_path / "fake-bin",
        "ruff",
        body=("import time\npathlib.Path(sys.argv[-1]).write_text('half-writ')\ntime.sleep(60)\n"),
    )
    target = project / "slow.py"
    target.write_bytes(MESSY_PY.encode())

    started = time.monotonic()
    proc = run_hook(
        payload(target, project),
        project,
        [bin_with_git, tmp_path / "fake-bin"],
        extra_env={"PLAYBOOK_FORMAT_TIMEOUT": "1"},
    )
    elapsed = time.monotonic() - started

    assert proc.returncode == 0
    assert elapsed < 15
    assert target.read_bytes() == MESSY_PY.encode()
    assert "timed out" in context_of(proc)


def test_default_time_bound_is_below_the_hook_timeout_in_hooks_json():
    hooks = json.loads((ROOT / "hooks" / "hooks.json").read_text())
    (entry,) = [
        h
        for group in hooks["hooks"]["PostToolUse"]
        for h in group["hooks"]
        if "autoformat.py" in " ".join([h["command"], *h.get("args", [])])
    ]
    assert autoformat.FORMAT_TIMEOUT_SECONDS < entry["timeout"]


@pytest.mark.parametrize("stdin", ["", "not json", "[1, 2]", '{"tool_input": "nope"}'])
def test_bad_input_exits_0_without_a_traceback(project, bin_with_git, stdin):
    proc = run_hook(stdin, project, [bin_with_git])

    assert proc.returncode == 0
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 1


def test_other_tools_and_missing_files_are_ignored(project, bin_with_git):
    notebook = payload(project / "n.ipynb", project, tool="NotebookEdit")
    missing = payload(project / "gone.py", project)
    for data in (notebook, missing):
        proc = run_hook(data, project, [bin_with_git, RUFF or bin_with_git])
        assert (proc.returncode, proc.stdout) == (0, "")


@POSIX_ONLY
@pytest.mark.parametrize("setting", [
    {"PLAYBOOK_AUTOFORMAT": "off"},
    {"CLAUDE_PLUGIN_OPTION_AUTOFORMAT": "false"},  # the plugin option, as Claude Code passes it
    {"CLAUDE_PLUGIN_OPTION_AUTOFORMAT": "true", "PLAYBOOK_AUTOFORMAT": "off"},
])
def test_it_can_be_switched_off(project, bin_with_git, tmp_path, setting):
    log = fake_tool(tmp_path / "fake-bin", "ruff")
    target = project / "app.py"
    target.write_text("x=1\n")

    proc = run_hook(
        payload(target, project),
        project,
        [bin_with_git, tmp_path / "fake-bin"],
        extra_env=setting,
    )

    assert proc.stdout == "" and not log.exists()


def test_the_environment_wins_over_the_plugin_option(project, monkeypatch):
    target = project / "app.py"
    target.write_text("x=1\n")
    monkeypatch.setattr(autoformat, "choose_formatter", lambda *a: ("fake", ["true"]))
    environ = {"CLAUDE_PLUGIN_OPTION_AUTOFORMAT": "false", "PLAYBOOK_AUTOFORMAT": "on",
               "CLAUDE_PROJECT_DIR": str(project), "PATH": os.environ["PATH"]}
    calls = []
    monkeypatch.setattr(autoformat, "run_formatter", lambda argv, cwd, t: calls.append(argv)
                        or ("ok", ""))
    autoformat.format_written_file(json.loads(json.dumps(
        {"tool_name": "Write", "tool_input": {"file_path": str(target)}, "cwd": str(project)})),
        environ)
    assert calls == [["true"]]


# --- in-process, for the parts that need no formatter ------------------------------------------


def test_main_in_process_reports_a_change(project, tmp_path, monkeypatch):
    target = project / "app.py"
    target.write_text("x=1\n")
    calls = []

    def fake_run(argv, cwd, timeout):
        calls.append(argv)
        Path(argv[-1]).write_text("x = 1\n")
        return "ok", ""

    monkeypatch.setattr(autoformat, "run_formatter", fake_run)
    stdout, stderr = io.StringIO(), io.StringIO()
    environ = {"PATH": "", "CLAUDE_PROJECT_DIR": str(project)}
    venv_bin = project / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    venv_bin.mkdir(parents=True)
    fake_ruff = venv_bin / ("ruff.exe" if os.name == "nt" else "ruff")
    fake_ruff.write_text("")
    fake_ruff.chmod(0o755)

    stdin = io.StringIO(json.dumps(payload(target, project)))
    code = autoformat.main(stdin, stdout, stderr, environ)

    assert code == 0
    assert calls and calls[0][0] == str(fake_ruff)
    assert (
        "ruff format reformatted app.py"
        in json.loads(stdout.getvalue())["hookSpecificOutput"]["additionalContext"]
    )


def test_format_timeout_setting():
    assert autoformat.format_timeout({}) == autoformat.FORMAT_TIMEOUT_SECONDS
    assert autoformat.format_timeout({"PLAYBOOK_FORMAT_TIMEOUT": "2.5"}) == 2.5
    for bad in ("abc", "-1", "0"):
        assert autoformat.format_timeout({"PLAYBOOK_FORMAT_TIMEOUT": bad}) == (
            autoformat.FORMAT_TIMEOUT_SECONDS
        )


def test_rust_edition_is_read_from_the_nearest_cargo_toml(tmp_path):
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["a"]\n')
    crate = tmp_path / "a"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "a"\nedition = "2024"\n')
    assert autoformat.rust_edition(crate / "src" / "lib.rs", tmp_path) == "2024"
    assert autoformat.rust_edition(tmp_path / "x.rs", tmp_path) is None
