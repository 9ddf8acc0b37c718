#!/usr/bin/env python3
"""Format the file Claude just wrote, with the formatter the project already uses.

Event: PostToolUse. Matcher: `Write|Edit|MultiEdit` (registered in hooks/hooks.json).

After each write or edit, this hook formats that one file, picking the formatter by extension:

- Python (`.py`, `.pyi`): black where the project configures black (`[tool.black]`),
  otherwise `ruff format`.
- JavaScript, TypeScript, JSON, CSS, Markdown, YAML: prettier when the project has it, that is its
  own `node_modules/.bin/prettier`, or a prettier on PATH when the project has a prettier config.
- Go: gofmt. Rust: rustfmt, with the edition from the nearest `Cargo.toml`.
  Terraform (`.tf`, `.tfvars`): `terraform fmt`. Shell (`.sh`, `.bash`): shfmt.
- C#: csharpier, else `dotnet format whitespace`. Java: google-java-format.

Tools are looked up in the project first (`.venv`, `venv`, `node_modules/.bin`), then on PATH.
No formatter found: nothing happens. When the file changed, Claude is told in
`additionalContext`, so it re-reads the file before its next edit. When the formatter fails (a
syntax error, say) or runs longer than its time limit, the file is put back byte for byte and
Claude gets one line saying so. The hook always exits 0: formatting never blocks anything.

It never touches a file outside the project (`CLAUDE_PROJECT_DIR`), under `.git`,
`node_modules`, a vendored directory (`vendor`, `third_party`, ...) or a git-ignored path.

Exceptions: set `PLAYBOOK_AUTOFORMAT=off` (for example in the `env` block of
`.claude/settings.json`), or the plugin option `autoformat` to false (`claude plugin configure`;
the variable wins over the option), to switch it off; add a path to `.gitignore`, or use the
formatter's own exclude settings, to keep one file or directory as it is.
`PLAYBOOK_FORMAT_TIMEOUT` sets the time limit per run in seconds (default 10).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import TextIO

from .common import is_off, plugin_option, run_bounded
from .payloads import written_paths

FORMAT_TIMEOUT_SECONDS = 10.0  # hooks.json gives the whole hook 30 s
PROTECTED_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "vendor",
    "vendored",
    "third_party",
    "third-party",
    "site-packages",
}
PRETTIER_EXTENSIONS = {
    ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts",
    ".json", ".jsonc", ".css", ".scss", ".less", ".md", ".markdown", ".yaml", ".yml",
}  # fmt: skip
PRETTIER_CONFIGS = (
    ".prettierrc",
    ".prettierrc.json",
    ".prettierrc.yaml",
    ".prettierrc.yml",
    ".prettierrc.json5",
    ".prettierrc.js",
    ".prettierrc.cjs",
    ".prettierrc.mjs",
    ".prettierrc.toml",
    "prettier.config.js",
    "prettier.config.cjs",
    "prettier.config.mjs",
    "prettier.config.ts",
)


def main(
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    environ = os.environ if environ is None else environ
    try:
        message = format_written_file(json.loads(stdin.read() or "null"), environ)
    except Exception as error:  # never a traceback, never a non-zero exit
        print(f"autoformat: skipped ({type(error).__name__}: {error})", file=stderr)
        return 0
    if message:
        context = {"hookEventName": "PostToolUse", "additionalContext": message}
        json.dump({"hookSpecificOutput": context}, stdout)
    return 0


def format_written_file(payload: object, environ: Mapping[str, str]) -> str | None:
    """Format each file the call wrote (an apply_patch may write several, payloads.py reads any
    client's call); return what the model should be told, if anything."""
    if not isinstance(payload, dict):
        return None
    paths = written_paths(payload)
    if not paths:
        return None
    setting = environ.get("PLAYBOOK_AUTOFORMAT", "").strip() or plugin_option(environ, "autoformat")
    if is_off(setting):
        return None
    messages = [format_one(payload, path, environ) for path in paths]
    return " ".join(message for message in messages if message) or None


def format_one(payload: dict, written: str, environ: Mapping[str, str]) -> str | None:
    cwd = Path(payload.get("cwd") or os.getcwd())
    root = Path(environ.get("CLAUDE_PROJECT_DIR") or cwd)
    path = cwd / written  # an absolute path replaces cwd
    if not path.is_file() or not root.is_dir():
        return None
    path, root = path.resolve(), root.resolve()  # symlinks cannot lead outside the project
    if skip_reason(path, root):
        return None
    chosen = choose_formatter(path, root, environ)
    if chosen is None or git_ignored(path, root, environ):
        return None
    name, argv = chosen
    shown = path.relative_to(root).as_posix()

    before = path.read_bytes()
    outcome, detail = run_formatter(argv, root, format_timeout(environ))
    if outcome != "ok":
        if path.read_bytes() != before:
            path.write_bytes(before)  # byte-identical, whatever the formatter left behind
        why = f"timed out after {format_timeout(environ):g} s" if outcome == "timeout" else detail
        return f"autoformat: {name} could not format {shown} ({why}); the file was left unchanged."
    if path.read_bytes() == before:
        return None
    return (
        f"autoformat: {name} reformatted {shown}. "
        "Re-read it before editing it again: its text on disk changed."
    )


# --- Where it must not go ----------------------------------------------------------------------


def skip_reason(path: PurePath, root: PurePath) -> str | None:
    """Why `path` must not be formatted, or None. Pure path logic, so Windows paths work too."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return "outside the project"
    for part in relative.parts[:-1]:
        if part.lower() in PROTECTED_DIRS:
            return f"inside {part.lower()}"
    return None


def git_ignored(path: Path, root: Path, environ: Mapping[str, str]) -> bool:
    try:
        done = subprocess.run(
            ["git", "check-ignore", "-q", "--", str(path)],
            cwd=root,
            env=dict(environ),
            capture_output=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no git, or a hung one: nothing tells us it is ignored
    return done.returncode == 0


# --- Which formatter ---------------------------------------------------------------------------


def choose_formatter(
    path: Path, root: Path, environ: Mapping[str, str]
) -> tuple[str, list[str]] | None:
    """The formatter's display name and command line for this file, or None."""
    ext, file = path.suffix.lower(), str(path)

    def tool(name: str) -> str | None:
        return find_tool(name, path, root, environ)

    if ext in {".py", ".pyi"}:
        if uses_black(path, root):
            black = tool("black")
            return ("black", [black, "-q", file]) if black else None
        if ruff := tool("ruff"):
            return "ruff format", [ruff, "format", "--force-exclude", "--quiet", file]
        return None
    if ext in PRETTIER_EXTENSIONS:
        prettier = local_prettier(path, root)
        if prettier is None and has_prettier_config(path, root):
            prettier = tool("prettier")
        return ("prettier", [prettier, "--write", file]) if prettier else None
    if ext == ".go" and (gofmt := tool("gofmt")):
        return "gofmt", [gofmt, "-w", file]
    if ext == ".rs" and (rustfmt := tool("rustfmt")):
        edition = rust_edition(path, root)
        return "rustfmt", [rustfmt, *(["--edition", edition] if edition else []), file]
    if ext in {".tf", ".tfvars"} and (terraform := tool("terraform")):
        return "terraform fmt", [terraform, "fmt", file]
    if ext in {".sh", ".bash"} and (shfmt := tool("shfmt")):
        return "shfmt", [shfmt, "-w", file]
    if ext == ".cs":
        if csharpier := tool("csharpier"):
            return "csharpier", [csharpier, "format", file]
        if dotnet := tool("dotnet"):
            relative = path.relative_to(root).as_posix()
            command = [dotnet, "format", "whitespace", str(root), "--folder", "--include", relative]
            return "dotnet format", command
    if ext == ".java" and (google_java_format := tool("google-java-format")):
        return "google-java-format", [google_java_format, "--replace", file]
    return None


def find_tool(name: str, path: Path, root: Path, environ: Mapping[str, str]) -> str | None:
    """The project's own copy of a tool first (.venv, venv), then the one on PATH."""
    scripts = "Scripts" if os.name == "nt" else "bin"
    for env_dir in (root / ".venv" / scripts, root / "venv" / scripts):
        if env_dir.is_dir() and (found := shutil.which(name, path=str(env_dir))):
            return found
    return shutil.which(name, path=environ.get("PATH", ""))


def ancestors(path: Path, root: Path) -> list[Path]:
    """The file's directory and each parent up to the project root, nearest first."""
    directory, found = path.parent, []
    while True:
        found.append(directory)
        if directory == root or directory.parent == directory:
            return found
        directory = directory.parent


def nearest(path: Path, root: Path, name: str) -> Path | None:
    return next((d / name for d in ancestors(path, root) if (d / name).is_file()), None)


def uses_black(path: Path, root: Path) -> bool:
    pyproject = nearest(path, root, "pyproject.toml")
    if pyproject and re.search(r"^\[tool\.black\]", read_text(pyproject), re.MULTILINE):
        return True
    precommit = root / ".pre-commit-config.yaml"
    return precommit.is_file() and "psf/black" in read_text(precommit)


def local_prettier(path: Path, root: Path) -> str | None:
    for directory in ancestors(path, root):
        bin_dir = directory / "node_modules" / ".bin"
        if bin_dir.is_dir() and (found := shutil.which("prettier", path=str(bin_dir))):
            return found
    return None


def has_prettier_config(path: Path, root: Path) -> bool:
    for directory in ancestors(path, root):
        if any((directory / name).is_file() for name in PRETTIER_CONFIGS):
            return True
        package = directory / "package.json"
        if package.is_file() and '"prettier"' in read_text(package):
            return True
    return False


def rust_edition(path: Path, root: Path) -> str | None:
    """rustfmt alone assumes Rust 2015; cargo would pass the crate's edition, so we do too."""
    for directory in ancestors(path, root):
        cargo = directory / "Cargo.toml"
        if cargo.is_file():
            match = re.search(r'^\s*edition\s*=\s*"(\d{4})"', read_text(cargo), re.MULTILINE)
            if match:
                return match.group(1)
    return None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# --- Running it, bounded in time ---------------------------------------------------------------


def format_timeout(environ: Mapping[str, str]) -> float:
    try:
        seconds = float(environ.get("PLAYBOOK_FORMAT_TIMEOUT", ""))
    except ValueError:
        return FORMAT_TIMEOUT_SECONDS
    return seconds if seconds > 0 else FORMAT_TIMEOUT_SECONDS


def run_formatter(argv: list[str], cwd: Path, timeout: float) -> tuple[str, str]:
    """Run one formatter: ("ok", ""), ("failed", first line of its output) or ("timeout", "")."""
    code, output = run_bounded(argv, cwd, None, timeout)
    if code is None:
        return "timeout", ""
    if code == 0:
        return "ok", ""
    lines = output.strip().splitlines()
    return "failed", f"exit {code}: {lines[0].strip()[:200]}" if lines else f"exit {code}"
