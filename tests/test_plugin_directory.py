"""The plugin as the official plugin directory checks it: icon, hosts, no root CLAUDE.md."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
from playbook import icon

from tests.hooks.test_hooks_json import claude_cli

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_icon_is_the_generated_square_png():
    data = (ROOT / ".claude-plugin" / "icon.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 2_000_000
    width, height = struct.unpack(">II", data[16:24])
    assert width == height and 512 <= width <= 2048
    assert icon.main(["--check"]) == 0


def test_the_icon_check_fails_on_a_changed_icon(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(icon, "ICON", tmp_path / "icon.png")
    monkeypatch.setattr(icon, "ROOT", tmp_path)
    assert icon.main(["--check"]) == 1
    assert "icon.png:1:1: ICON" in capsys.readouterr().err
    assert icon.main([str(tmp_path / "icon.png")]) == 0 and icon.main(["--check"]) == 0


def test_contributors_keep_their_claude_md_outside_the_plugin_root():
    assert not (ROOT / "CLAUDE.md").exists()
    assert (ROOT / ".claude" / "CLAUDE.md").is_file()


@pytest.mark.slow
@pytest.mark.skipif(claude_cli() is None, reason="Claude Code CLI not installed (nox -s tests)")
def test_plugin_validate_strict_directory_profile_is_clean():
    home = tempfile.mkdtemp()
    env = {**os.environ, "HOME": home, "DISABLE_AUTOUPDATER": "1",
           "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}
    done = subprocess.run([claude_cli(), "plugin", "validate", "--strict", "--profile",
                           "directory", str(ROOT)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stdout.lower(), done.stdout
    plugin = json.loads((ROOT / ".claude-plugin" / "plugin.json").read_text())
    assert set(plugin["userConfig"]) == {"coverage_floor", "tdd_mode", "autoformat",
                                         "session_policy"}
