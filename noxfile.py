"""Contributor sessions. Each one is thin: the logic lives in `python -m playbook.*` modules.

    nox -s build    validate, check every code block, export dist/ and build the site
    nox -s tests    the test suite with the 80% coverage floor on scripts/ and hooks/
    nox -s docs     export the site tree and run `mkdocs build --strict`
    nox -s serve    live preview of the site (not run by default)
    nox -s lint     ruff and the validator
    nox -s freshness  every pinned version against PyPI and npm (weekly in CI; not run by default)
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["build"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
RUNTIME = PYPROJECT["project"]["dependencies"]

# Real clients from npm, pinned: the TypeScript compiler and Vitest for code blocks and the
# Claude Code CLI whose `claude plugin validate` checks our exports offline.
NPM_TOOLS = ["typescript@6.0.3", "@types/node@24", "@types/react@19.3.3",
             "@anthropic-ai/claude-code@2.1.330",
             "vitest@4.1.12",  # the newest Vitest that runs on Node 20 (5.x needs Node 22)
             # the agents `export agents` writes for (tests/export/test_agent_clients.py)
             "@openai/codex@0.171.0", "@github/copilot@1.0.102", "opencode-ai@1.18.33",
             "@google/gemini-cli@0.61.0"]


def newest_python() -> str | None:
    """A CPython 3.12+ on this machine (PATH, then pyenv's installs), or None for the running
    interpreter. The skills teach Python 3.12: on an older one, blocks with 3.12-only syntax
    are parsed instead of executed."""
    names = ["python3.12", "python3.13"]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for version in ("3.12", "3.13"):
        names += sorted(str(p) for p in pyenv.glob(f"{version}*/bin/python{version}"))
    for name in names:
        try:
            found = subprocess.run([name, "-c", "import sys; print(sys.executable)"],
                                   capture_output=True, text=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    return None


PYTHON = newest_python()


SCRIPTS = str(Path(__file__).resolve().parent / "scripts")
sys.path.insert(0, SCRIPTS)
from playbook.plugin_copy import copy_plugin  # noqa: E402 (standard library only)


def install(session: nox.Session, *groups: str) -> None:
    """The groups' dependencies; the `playbook` package itself is imported from scripts/ (the
    same source the wheel is built from), so no session runs a stale installed copy."""
    session.env["PYTHONPATH"] = SCRIPTS
    deps = list(RUNTIME)
    for group in groups:
        deps += nox.project.dependency_groups(PYPROJECT, group)
    session.install(*deps)


def install_npm_tools(session: nox.Session) -> None:
    """Install the npm clients into .tools/ (gitignored). Without npm, the TypeScript blocks
    stay at the parsed tier and the client tests skip, each naming what is missing; under
    CI=true, which checks everything at its strongest tier, that is an error."""
    if shutil.which("npm") is None:
        message = ("npm: missing (apt-get install npm): TypeScript blocks stay at the parsed "
                   "tier and the Claude Code CLI tests skip")
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            session.error(message)
        session.warn(message)
        return
    session.run(
        "npm", "install", "--prefix", ".tools", "--no-audit", "--no-fund",
        "--loglevel=error", *NPM_TOOLS, external=True,
    )


@nox.session(python=PYTHON, tags=["check"])
def tests(session: nox.Session) -> None:
    """Run pytest with the coverage floor."""
    install(session, "test")
    install_npm_tools(session)
    session.run("python", "-m", "coverage", "erase")
    session.run(
        "python", "-m", "pytest", "--cov", "--cov-report=term", "-p", "no:cacheprovider",
        *session.posargs,
    )


@nox.session(python=PYTHON, tags=["check"])
def lint(session: nox.Session) -> None:
    """Ruff on our code and the content validator on everything."""
    install(session, "examples")
    session.run("ruff", "check", "scripts", "hooks", "tests", "benchmarks", "noxfile.py")
    session.run("python", "-m", "playbook.validate")


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Validate, check every code block, then write dist/ and the site."""
    install(session, "examples", "docs")
    install_npm_tools(session)
    session.run("python", "-m", "playbook.validate")
    session.run("python", "-m", "playbook.examples")
    session.run("python", "-m", "playbook.export", "claude", "--target", "dist/claude", "--force")
    session.run("python", "-m", "playbook.export", "plugin", "--target", "dist/plugin", "--force")
    session.run("python", "-m", "playbook.export", "gemini-extension", "--target",
                "dist/gemini-extension", "--force")
    session.run("python", "-m", "playbook.export", "cursor-plugin", "--target",
                "dist/cursor-plugin", "--force")
    session.run("python", "-m", "playbook.export", "agents", "--target", "dist/agents", "--force")
    session.run("python", "-m", "playbook.export", "zip", "--target", "dist/skills")
    _docs(session)


def _docs(session: nox.Session) -> None:
    # The pre-build export writes the git-ignored folders of docs/ (content.GENERATED_DOCS);
    # moving to Zensical, which reads the same mkdocs.yml and tree, changes the second line.
    session.run("python", "-m", "playbook.export", "site", "--target", "docs")
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def docs(session: nox.Session) -> None:
    """Export the site tree and build it into site/ with zero warnings."""
    install(session, "docs")
    _docs(session)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Preview the site; re-exports when skills/, agents/, hooks/ or policy/ change and
    rebuilds when docs/ changes. Arguments go to `mkdocs serve`."""
    install(session, "docs")
    session.run("python", "-m", "playbook.export.site", "--serve", "--", *session.posargs)


@nox.session(default=False)
def freshness(session: nox.Session) -> None:
    """Resolve every pin (the version table, code blocks) against PyPI and npm; exit 1 on a pin
    that does not exist. Answers are cached in .cache/freshness.json for registry outages."""
    install(session)
    session.run("python", "-m", "playbook.freshness", *session.posargs)


EVAL_CREDENTIALS = ("ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN")


@nox.session(default=False)
def evals(session: nox.Session) -> None:
    """The eval suite (evals/) through the real client, each case against a no-plugin baseline.

    First the offline trigger check (benchmarks/triggers.py, free), then `claude plugin eval`,
    which spends model tokens: it needs ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN. Without
    one it says so and stops with success on a workstation; with CI=true it fails, because a CI
    job that asked for evals and ran none must not look green. Arguments go to the client, e.g.
    `nox -s evals -- --tag triggers --runs 1` or `-- --case 'python-*'`; a case passes at 2 of 3
    runs (--threshold 0.66) unless you pass another --threshold. Results and the HTML report go
    to evals/results/<time>/ (git-ignored)."""
    install(session)
    session.run("python", "benchmarks/triggers.py", "--min-top1", "0.9", "--min-top3", "0.98")
    if not any(os.environ.get(name) for name in EVAL_CREDENTIALS):
        message = ("the eval runs need a credential: set ANTHROPIC_API_KEY or "
                   "CLAUDE_CODE_OAUTH_TOKEN (`claude setup-token` makes one); "
                   "the offline trigger check above passed")
        if os.environ.get("CI") == "true":
            session.error(message)
        session.log(message)
        return
    install_npm_tools(session)
    claude = Path(".tools/node_modules/.bin/claude").resolve()
    if not claude.exists():
        session.error(f"{claude} is missing: install npm, then rerun (the session installs "
                      "@anthropic-ai/claude-code@2.1.330 there)")
    out = Path("evals/results") / datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="playbook-evals-") as tmp:
        plugin = copy_plugin(Path.cwd(), Path(tmp) / "playbook")
        # Our own suite: its scaffolds stage fixtures, and its behaviour cases write files.
        session.run(str(claude), "plugin", "eval", str(plugin), "--trust-plugin", "--scaffold",
                    "--allow-tools", "Write", "Edit", "--no-publish", "--threshold", "0.66",
                    "--output-dir", str(out.resolve()), "--report",
                    str((out / "report.html").resolve()), *session.posargs,
                    external=True, env={"DISABLE_AUTOUPDATER": "1"})
