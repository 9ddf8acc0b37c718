"""The package's own facts (name, version, description, licence), read from their one source.

In a checkout that is ``pyproject.toml``'s ``[project]`` table; an installed wheel carries no
pyproject.toml, so there they come from the distribution's metadata (``importlib.metadata``),
which the build wrote from that same table.
"""

from __future__ import annotations

import importlib.metadata
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NAME = "playbook"
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"  # scripts/playbook/meta.py


@dataclass(frozen=True)
class Meta:
    name: str
    version: str
    description: str
    license: str


def from_pyproject(path: Path) -> Meta | None:
    """The ``[project]`` table of ``path``, or None when it is not this package's."""
    project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    if project.get("name") != NAME:
        return None
    licence = project.get("license", "")
    if isinstance(licence, dict):  # the older table form, {text = "MIT"}
        licence = licence.get("text", "")
    return Meta(project["name"], project["version"], project["description"], licence)


def from_distribution(dist: importlib.metadata.Distribution) -> Meta:
    fields = dist.metadata
    licence = fields.get("License-Expression") or fields.get("License") or ""
    return Meta(fields["Name"], fields["Version"], fields["Summary"], licence)


@cache
def project() -> Meta:
    found = from_pyproject(PYPROJECT) if PYPROJECT.is_file() else None
    return found or from_distribution(importlib.metadata.distribution(NAME))
