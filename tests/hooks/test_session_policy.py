"""hooks/session_policy.py: the policy as SessionStart context, once, where no CLAUDE.md has it."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playbook.export import claude_md
from playbook_hooks import session_policy

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "hooks" / "session_policy.py"
POLICY = ROOT / "policy" / "tdd-and-models.md"
START = {"session_id": "s", "hook_event_name": "SessionStart", "source": "startup"}


def estimated_tokens(text: str) -> int:
    """A conservative estimate for English markdown: 3.5 characters a token (Claude's tokenizer
    averages nearer 4 on prose; code spans and tables cost more, hence the margin)."""
    return -(-len(text) // 3.5)


def run(project: Path, home: Path, **env: str):
    environ = {"HOME": str(home), "CLAUDE_PROJECT_DIR": str(project), **env}
    stdout, stderr = io.StringIO(), io.StringIO()
    code = session_policy.main(io.StringIO(json.dumps({**START, "cwd": str(project)})), stdout,
                               stderr, environ)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    project, home = tmp_path / "project", tmp_path / "home"
    project.mkdir()
    home.mkdir()
    return project, home


def test_it_adds_the_policy_file_as_session_context(dirs):
    code, out, err = run(*dirs)
    assert (code, err) == (0, "")
    output = json.loads(out)["hookSpecificOutput"]
    assert output["hookEventName"] == "SessionStart"
    assert output["additionalContext"] == POLICY.read_text(encoding="utf-8").strip()


def test_the_policy_is_within_400_tokens():
    assert estimated_tokens(POLICY.read_text(encoding="utf-8")) <= 400


def test_its_marker_is_the_one_export_claude_writes():
    assert claude_md.BEGIN == session_policy.MARKER
    assert claude_md.section("x").startswith(session_policy.MARKER)


@pytest.mark.parametrize("where", ["CLAUDE.md", ".claude/CLAUDE.md", "HOME/.claude/CLAUDE.md"])
def test_nothing_where_a_claude_md_holds_the_section(dirs, where):
    project, home = dirs
    path = home / where[5:] if where.startswith("HOME/") else project / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Mine\n\n" + claude_md.section("policy"))
    assert run(project, home) == (0, "", "")


def test_a_claude_md_without_the_section_keeps_it(dirs):
    project, home = dirs
    (project / "CLAUDE.md").write_text("# Our notes\n")
    assert run(project, home)[1]


@pytest.mark.parametrize(("env", "added"), [
    ({"CLAUDE_PLUGIN_OPTION_SESSION_POLICY": "false"}, False),
    ({"CLAUDE_PLUGIN_OPTION_SESSION_POLICY": "true"}, True),
    ({"PLAYBOOK_SESSION_POLICY": "off"}, False),
    ({"CLAUDE_PLUGIN_OPTION_SESSION_POLICY": "false", "PLAYBOOK_SESSION_POLICY": "on"}, True),
])
def test_the_option_and_the_environment_turn_it_off(dirs, env, added):
    assert bool(run(*dirs, **env)[1]) is added


def test_a_missing_policy_file_adds_nothing(dirs, tmp_path):
    assert run(*dirs, CLAUDE_PLUGIN_ROOT=str(tmp_path / "elsewhere")) == (0, "", "")


def test_unreadable_input_is_one_line_and_no_block(dirs):
    stderr = io.StringIO()
    code = session_policy.main(io.StringIO("not json"), io.StringIO(), stderr, {})
    assert code == 1 and re.fullmatch(r"session_policy: policy not added \(.+\)\n",
                                      stderr.getvalue())


def test_the_launcher_runs_it(dirs):
    project, home = dirs
    done = subprocess.run([sys.executable, str(LAUNCHER)], input=json.dumps(START),
                          capture_output=True, text=True, timeout=60,
                          env={"HOME": str(home), "CLAUDE_PROJECT_DIR": str(project)})
    assert done.returncode == 0 and "Engineering policy" in done.stdout, done.stderr
