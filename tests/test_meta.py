"""The package's name, version, description and licence have one source: pyproject.toml in a
checkout, the installed distribution's metadata in a wheel (which carries no pyproject.toml)."""

from __future__ import annotations

import importlib.metadata
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playbook import meta
from playbook.content import ROOT
from playbook.export import plugin

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# What a build backend writes for this package's [project] table (core metadata 2.4).
METADATA = """Metadata-Version: 2.4
Name: playbook
Version: 7.8.9
Summary: Guidance, installed from a wheel.
Author: The Playbook authors
License-Expression: Apache-2.0
License-File: LICENSE
Requires-Python: >=3.10
Requires-Dist: pyyaml>=6.0

The README.
"""


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    meta.project.cache_clear()
    yield
    meta.project.cache_clear()


def test_in_a_checkout_the_facts_come_from_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta.PYPROJECT == ROOT / "pyproject.toml"
    assert meta.project() == meta.Meta(project["name"], project["version"],
                                       project["description"], project["license"])


def test_the_plugin_manifests_carry_them():
    manifest = json.loads((ROOT / ".claude-plugin/plugin.json").read_text(encoding="utf-8"))
    facts = meta.project()
    assert manifest["name"] == facts.name and manifest["license"] == facts.license
    assert manifest["description"] == facts.description
    assert manifest["version"].split("+")[0] == facts.version
    assert (plugin.NAME, plugin.BASE_VERSION) == (facts.name, facts.version)


def test_a_pyproject_of_another_project_is_not_read(tmp_path: Path):
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "other"\nversion = "1"\ndescription = "x"\n')
    assert meta.from_pyproject(other) is None
    table = tmp_path / "table.toml"
    table.write_text('[project]\nname = "playbook"\nversion = "2.0"\ndescription = "d"\n'
                     'license = {text = "MIT"}\n')
    assert meta.from_pyproject(table) == meta.Meta("playbook", "2.0", "d", "MIT")


def test_installed_from_a_wheel_the_facts_come_from_its_metadata(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    info = tmp_path / "site-packages" / "playbook-7.8.9.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(METADATA, encoding="utf-8")
    monkeypatch.syspath_prepend(str(info.parent))
    monkeypatch.setattr(meta, "PYPROJECT", tmp_path / "no-checkout" / "pyproject.toml")
    assert meta.project() == meta.Meta("playbook", "7.8.9", "Guidance, installed from a wheel.",
                                       "Apache-2.0")


def test_older_metadata_names_the_licence_in_license(tmp_path: Path):
    info = tmp_path / "playbook-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(METADATA.replace("License-Expression", "License")
                                   .replace("Metadata-Version: 2.4", "Metadata-Version: 2.1"))
    found = meta.from_distribution(importlib.metadata.Distribution.at(info))
    assert found.license == "Apache-2.0"
