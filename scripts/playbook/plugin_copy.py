"""A clean copy of the repository as a plugin, for running the real client on it.

``claude plugin eval`` refuses every case when anything under the plugin is a symbolic link to a
directory, as a virtualenv's ``lib64`` in ``.nox/`` or ``.venv/`` is; so the eval session and
its tests run on a copy of just the parts a clone of the plugin holds. Standard library only:
the noxfile imports it before any session has installed anything.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PLUGIN_PARTS = ("skills", "agents", "hooks", "policy", ".claude-plugin", "evals", "README.md",
                "LICENSE")


def copy_plugin(root: Path, target: Path) -> Path:
    """Copy the plugin parts of ``root`` to ``target`` (no bytecode, no eval results)."""
    for name in PLUGIN_PARTS:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", "results"))
        elif source.exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / name)
    return target
