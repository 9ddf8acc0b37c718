"""Find the real toolchains: PATH, this environment's bin folder, and npm tools in ``.tools/``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from playbook.content import ROOT

NPM_BIN = ROOT / ".tools" / "node_modules" / ".bin"


@cache
def which(name: str) -> str | None:
    """The full path of a tool, or None when this machine does not have it."""
    if os.environ.get("PLAYBOOK_NO_TOOLCHAINS"):  # forces the parsed tier, for tests
        return None
    search = os.pathsep.join([
        os.environ.get("PATH", ""), str(Path(sys.executable).parent), str(NPM_BIN),
    ])
    return shutil.which(name, path=search)


def run(args: list[str], *, cwd: Path | None = None, timeout: float = 120,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool; a time-out comes back as a failed process, never an exception."""
    full_env = {**os.environ, **(env or {})}
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env=full_env, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, "", f"timed out after {timeout:.0f} s")
