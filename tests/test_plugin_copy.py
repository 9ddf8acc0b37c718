"""The clean plugin copy the eval runs use holds the plugin's parts and nothing else."""

from __future__ import annotations

from pathlib import Path

from playbook.plugin_copy import copy_plugin


def test_copy_holds_the_plugin_parts_without_links_bytecode_or_results(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for rel in ("skills/a/SKILL.md", "hooks/x.py", "hooks/__pycache__/x.cpython-312.pyc",
                "evals/results/run.json", "evals/c/prompt.md", "README.md", ".nox/t/lib/x"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    (root / ".nox" / "t" / "lib64").symlink_to(root / ".nox" / "t" / "lib")

    copy = copy_plugin(root, tmp_path / "copy")

    found = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file())
    assert found == ["README.md", "evals/c/prompt.md", "hooks/x.py", "skills/a/SKILL.md"]
    assert not any(p.is_symlink() for p in copy.rglob("*"))
