"""export plugin and export root: the plugin layout, a version that follows the content, and the
repository's own committed manifests kept fresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playbook.content import ROOT, load_catalogue
from playbook.export import files, plugin
from playbook.export.items import all_items

from tests.export.conftest import Run, build_source, contents


def version_of(directory: Path) -> str:
    return json.loads((directory / ".claude-plugin/plugin.json").read_text())["version"]


def test_exports_a_standalone_plugin(run: Run, source: Path, tmp_path: Path):
    target = tmp_path / "plugin"
    code, _out, err = run("plugin", "--target", target)
    assert code == 0, err
    written = contents(target)
    manifest = json.loads(written[".claude-plugin/plugin.json"])
    assert manifest["name"] == "playbook"
    assert manifest["version"].startswith(plugin.BASE_VERSION + "+")
    assert manifest["author"] == {"name": "The Playbook authors"}
    assert manifest["license"] == "MIT"
    market = json.loads(written[".claude-plugin/marketplace.json"])
    assert market["name"] == "playbook" and market["owner"]["name"]
    assert market["plugins"] == [{"name": "playbook", "source": "./",
                                  "description": plugin.DESCRIPTION, "license": "MIT",
                                  "keywords": plugin.KEYWORDS}]
    assert written["skills/widgets/SKILL.md"] == (source / "skills/widgets/SKILL.md").read_bytes()
    assert "skills/widgets/scripts/check.sh" in written
    assert "agents/widget-reviewer.md" in written
    assert written["hooks/guard.py"] == (source / "hooks/guard.py").read_bytes()
    hooks = json.loads(written["hooks/hooks.json"])
    command = hooks["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
    assert command == 'python3 "${CLAUDE_PLUGIN_ROOT}/hooks/guard.py"'  # quoted, as the CLI asks
    assert hooks["hooks"]["PostToolUse"][0]["hooks"][0]["timeout"] == 30
    assert "guard: Block bad commands." in hooks["description"]
    readme = written["README.md"].decode()
    assert len(readme.split()) >= 40  # the plugin directory's README_MISSING threshold
    assert "**widgets**: Checks widgets." in readme and "**guard**" in readme
    assert written["LICENSE"].startswith(b"MIT License")
    assert ".playbook.lock.json" in written
    # The policy ships for the SessionStart hook to give; a CLAUDE.md would not be loaded.
    assert "policy/tdd-and-models.md" in written and "CLAUDE.md" not in written


def test_a_second_plugin_export_writes_nothing(run: Run, tmp_path: Path):
    target = tmp_path / "plugin"
    run("plugin", "--target", target)
    code, out, _err = run("plugin", "--target", target)
    assert code == 0 and "up to date" in out


def version(root: Path) -> str:
    return plugin.content_version(plugin.source_entries(root, all_items(load_catalogue(root))))


@pytest.mark.parametrize("rel", [
    "skills/widgets/SKILL.md", "skills/widgets/references/deep.md",
    "skills/widgets/scripts/check.sh", "skills/widgets/assets/logo.png",
    "skills/gadgets/SKILL.md", "agents/widget-reviewer.md", "hooks/guard.py",
    "hooks/hooks.json", "policy/tdd-and-models.md",
])
def test_every_content_byte_changes_the_version(tmp_path: Path, rel: str):
    source = build_source(tmp_path / "src")
    before = version(source)
    path = source / rel
    data = path.read_bytes()
    path.write_bytes(data.replace(b"e", b"E", 1) if b"e" in data else data + b"\0")
    assert version(source) != before


def test_a_new_file_changes_the_version_and_the_same_content_keeps_it(tmp_path: Path):
    one = build_source(tmp_path / "one")
    two = build_source(tmp_path / "two")
    assert version(one) == version(two)  # the path of the checkout does not matter
    (two / "skills/widgets/SKILL.md").write_bytes(
        (two / "skills/widgets/SKILL.md").read_bytes().replace(b"\n", b"\r\n"))
    assert version(one) == version(two)  # nor do Windows line endings
    (two / "skills/widgets/references/more.md").write_text("# More\n")
    assert version(one) != version(two)


def test_the_exported_plugin_version_follows_the_content(run: Run, source: Path, tmp_path: Path):
    target = tmp_path / "plugin"
    run("plugin", "--target", target)
    first = version_of(target)
    path = source / "agents/widget-reviewer.md"
    path.write_text(path.read_text() + "\nOne more rule.\n")
    code, _out, _err = run("plugin", "--target", target)
    assert code == 0 and version_of(target) != first


def test_only_makes_a_plugin_of_just_those_items(run: Run, tmp_path: Path):
    target = tmp_path / "plugin"
    run("plugin", "--target", target)
    full = version_of(target)
    code, _out, err = run("plugin", "--target", target, "--only", "widgets")
    assert code == 0, err
    written = contents(target)
    assert "skills/gadgets/SKILL.md" not in written and "agents/widget-reviewer.md" not in written
    assert "hooks/hooks.json" not in written
    assert "skills/widgets/SKILL.md" in written
    assert version_of(target) != full


def test_remove_takes_the_plugin_out(run: Run, tmp_path: Path):
    target = tmp_path / "plugin"
    (target).mkdir()
    (target / "notes.txt").write_text("mine\n")
    run("plugin", "--target", target)
    code, _out, _err = run("plugin", "--target", target, "--remove")
    assert code == 0 and contents(target) == {"notes.txt": b"mine\n"}


# --- the repository root as a plugin and marketplace ------------------------------------------


def test_root_writes_the_two_manifests_and_check_reports_staleness(run: Run, source: Path):
    code, _out, _err = run("root", "--check")
    assert code == 1
    code, out, _err = run("root")
    assert code == 0 and "created 2" in out
    assert json.loads((source / ".claude-plugin/marketplace.json").read_text())["plugins"][0][
        "source"] == "./"
    assert run("root", "--check")[0] == 0
    code, out, _err = run("root")
    assert "up to date" in out
    (source / "hooks/guard.py").write_text("# changed\n")
    code, _out, err = run("root", "--check")
    assert code == 1 and ".claude-plugin/plugin.json:1:1: PB206 stale" in err
    code, out, _err = run("root", "--dry-run")
    assert '-  "version": ' in out and '+  "version": ' in out
    assert run("root", "--check")[0] == 1


def test_the_committed_root_manifests_match_the_content():
    """Fails when skills, agents, hooks or the policy changed without
    `python -m playbook.export root` (and a commit of .claude-plugin/)."""
    catalogue = load_catalogue(ROOT)
    for part in plugin.root_parts(catalogue, all_items(catalogue)):
        path = ROOT / part.rel
        assert path.exists(), f"{part.rel} is missing: run python -m playbook.export root"
        assert files.normalise(path.read_bytes()) == part.data, (
            f"{part.rel} is stale: run python -m playbook.export root and commit it")
