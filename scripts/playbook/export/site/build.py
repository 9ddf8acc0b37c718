"""A whole build in a scratch directory, for the tests and ``benchmarks/site.py``: the site
scaffolding staged, the export written into it, ``mkdocs build --strict`` run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from playbook import content
from playbook.content import load_catalogue
from playbook.export.site.write import Echo, export_site

SCAFFOLD = ("mkdocs.yml", "overrides", "CONTRIBUTING.md")


def stage(root: Path, project: Path) -> None:
    """Copy what mkdocs needs besides the export into ``project``: the config, the theme
    overrides, CONTRIBUTING.md and the hand-written docs (not the generated folders)."""
    project.mkdir(parents=True, exist_ok=True)
    for name in SCAFFOLD:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, project / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, project / name)
    docs = root / "docs"
    ignore = shutil.ignore_patterns(*content.GENERATED_DOCS)
    shutil.copytree(docs, project / "docs", dirs_exist_ok=True,
                    ignore=lambda d, names: ignore(d, names) if Path(d) == docs else [])


def build(root: Path, project: Path, *, source: Path | None = None,
          echo: Echo = lambda _line: None) -> subprocess.CompletedProcess[str]:
    """Stage ``root``'s site scaffolding in ``project``, export the catalogue of ``source``
    (default ``root``) into it and run ``mkdocs build --strict``; the site is project/site."""
    stage(root, project)
    export_site(load_catalogue(source or root), project / "docs", echo=echo)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
         str(project / "site")], cwd=project, env=env, capture_output=True, text=True,
        check=False)
