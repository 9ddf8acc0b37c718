"""The wheel, installed outside the repository, exports what the checkout exports.

Builds the wheel once, installs it three ways a user would (pip into a fresh virtual environment,
`uvx --from`, `pipx run --spec`), runs `playbook` from a temp directory that is not the
repository, and compares the `.claude/` tree byte for byte with the in-repo export.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playbook import rules
from playbook.content import ROOT
from playbook.export.__main__ import main as export_main

pytestmark = pytest.mark.slow

Runner = Callable[..., subprocess.CompletedProcess[str]]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
         ) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600,
                            env={**clean, **(env or {})}, check=False)
    return result


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mode & 0o777)
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


def _git_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = _run([_tool("uv"), "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)],
                 cwd=out)
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("playbook-*.whl")
    return found


@pytest.fixture(scope="module")
def pip_playbook(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    assert _run([sys.executable, "-m", "venv", str(venv)], cwd=venv).returncode == 0
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    installed = _run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=venv)
    assert installed.returncode == 0, installed.stderr
    return bindir / "playbook"


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        message = f"{name}: missing (pip install {name})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def launchers(wheel: Path, pip_playbook: Path, tmp: Path) -> dict[str, list[str]]:
    return {
        "pip": [str(pip_playbook)],
        "uvx": [_tool("uv"), "tool", "run", "--from", str(wheel), "playbook"],
        "pipx": [_tool("pipx"), "run", "--spec", str(wheel), "playbook"],
    }


def _env(tmp: Path) -> dict[str, str]:
    return {"PIPX_HOME": str(tmp / "pipx"), "UV_TOOL_DIR": str(tmp / "uv-tools")}


def _in_repo_export(target: Path) -> None:
    assert export_main(["claude", "--target", str(target)]) == 0


@pytest.mark.parametrize("how", ["pip", "uvx", "pipx"])
def test_installed_export_is_the_in_repo_export_byte_for_byte(
        how: str, wheel: Path, pip_playbook: Path, tmp_path: Path) -> None:
    command = launchers(wheel, pip_playbook, tmp_path)[how]
    theirs, ours = _git_repo(tmp_path / "theirs"), _git_repo(tmp_path / "ours")
    result = _run([*command, "export", "claude", "--target", "."], cwd=theirs, env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    _in_repo_export(ours)
    exported = _tree(theirs)
    assert ".claude/skills/tdd/SKILL.md" in exported and "CLAUDE.md" in exported
    assert exported == _tree(ours)


def test_installed_version_is_the_content_version(pip_playbook: Path, tmp_path: Path) -> None:
    from playbook.cli import version

    result = _run([str(pip_playbook), "--version"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"playbook {version()}\n"


def test_export_again_updates_in_place_and_keeps_the_users_change(
        pip_playbook: Path, tmp_path: Path) -> None:
    repo = _git_repo(tmp_path / "repo")
    older = tmp_path / "older"  # the pack as it was at the user's first export
    shutil.copytree(ROOT / "skills", older / "skills")
    for name in ("agents", "hooks", "policy"):
        shutil.copytree(ROOT / name, older / name)
    go = older / "skills" / "go" / "SKILL.md"
    go.write_text(go.read_text(encoding="utf-8") + "\nAn older paragraph.\n", encoding="utf-8")
    assert export_main(["claude", "--source", str(older), "--target", str(repo)]) == 0
    mine = repo / ".claude" / "skills" / "rust" / "SKILL.md"
    mine.write_text(mine.read_text(encoding="utf-8") + "\nMy own note.\n", encoding="utf-8")

    result = _run([str(pip_playbook), "export", "claude", "--target", "."], cwd=repo)

    assert result.returncode == 0, result.stderr
    assert "update .claude/skills/go/SKILL.md" in result.stdout
    assert (repo / ".claude/skills/go/SKILL.md").read_bytes() == (
        ROOT / "skills/go/SKILL.md").read_bytes()
    assert mine.read_text(encoding="utf-8").endswith("My own note.\n")
    assert (f".claude/skills/rust/SKILL.md:1:1: {rules.USER_CHANGED} changed since the last "
            "export") in result.stderr


def test_installed_new_writes_into_the_current_repository(pip_playbook: Path,
                                                          tmp_path: Path) -> None:
    repo = _git_repo(tmp_path / "repo")
    result = _run([str(pip_playbook), "new", "skill", "widget-checks"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "skills" / "widget-checks" / "SKILL.md").is_file()
    checked = _run([str(pip_playbook), "validate", "skills"], cwd=repo)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("fmt", ["agents", "gemini-extension", "cursor-plugin"])
def test_installed_exports_for_other_agents_match_the_in_repo_export(
        fmt: str, pip_playbook: Path, tmp_path: Path) -> None:
    theirs, ours = _git_repo(tmp_path / "theirs"), _git_repo(tmp_path / "ours")
    result = _run([str(pip_playbook), "export", fmt, "--target", "."], cwd=theirs)
    assert result.returncode == 0, result.stderr
    assert export_main([fmt, "--target", str(ours)]) == 0
    exported = _tree(theirs)
    assert any(rel.endswith("skills/tdd/SKILL.md") for rel in exported)
    assert {rel: data for rel, (data, _mode) in exported.items()} == {
        rel: data for rel, (data, _mode) in _tree(ours).items()}
