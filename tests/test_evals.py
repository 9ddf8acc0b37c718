"""The eval suite in the pinned client, offline.

Every case under evals/ loads in `claude plugin eval` (no "Couldn't load" line); without a
credential the first run stops at "Not logged in", which is expected. Then whole cases run
against a scripted stand-in for the model API on loopback (tests/evals_standin.py), so the
client's own graders judge real traces: a Skill call for the right skill passes a trigger case and
one for another skill fails it; a test written before the source passes the tool_order grader and
the reverse fails it; "is this done?" answered through tdd-guardian passes; a hardcoded key fails
the credential grader, and the plugin's secret guard stops the write in the plugin arm.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from playbook.content import ROOT
from playbook.plugin_copy import copy_plugin

from tests.evals_standin import standin

pytestmark = pytest.mark.slow

CLAUDE = ROOT / ".tools" / "node_modules" / ".bin" / "claude"
EVALS = ROOT / "evals"
needs_claude = pytest.mark.skipif(
    not CLAUDE.exists(), reason=f"Claude Code CLI not found at {CLAUDE}: run `nox -s tests` "
    "(it npm-installs @anthropic-ai/claude-code@2.1.330 into .tools/) or install npm")

CASES = sorted({p.parent for name in ("prompt.md", "case.yaml") for p in EVALS.rglob(name)})


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin as a clone holds it. The client refuses every case when anything under the
    plugin is a symbolic link to a directory, as a nox virtualenv's lib64 is, so the suite runs
    on a clean copy (noxfile.py's evals session does the same)."""
    return copy_plugin(ROOT, tmp_path_factory.mktemp("plugin") / "playbook")


@pytest.fixture
def env(tmp_path: Path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("ANTHROPIC_", "CLAUDE_CODE_OAUTH"))}
    clean.update(HOME=str(home), TMPDIR=str(tmp), DISABLE_AUTOUPDATER="1",
                 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1")
    yield clean
    # The harness closes the modes of a sandbox it keeps; open them so tmp_path can go.
    subprocess.run(["chmod", "-R", "u+rwX", str(tmp)], check=False)


def plugin_eval(env: dict[str, str], plugin: Path, out: Path,
                *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLAUDE), "plugin", "eval", str(plugin), "--trust-plugin", "--no-publish",
         "--output-dir", str(out), "--report", str(out / "report.html"), *args],
        env=env, capture_output=True, text=True, timeout=600, check=False)


def graded(env: dict[str, str], plugin: Path, tmp_path: Path, case: str, calls: list,
           *args: str) -> dict:
    """One run of one case against the stand-in; the arms' grader verdicts by name."""
    out = tmp_path / "out"
    with standin(calls) as url:
        result = plugin_eval(dict(env, ANTHROPIC_BASE_URL=url, ANTHROPIC_API_KEY="standin"),
                             plugin, out, "--case", case, "--runs", "1",
                             "--json", str(out / "r.json"), *args)
    assert (out / "r.json").exists(), result.stdout + result.stderr
    (found,) = json.loads((out / "r.json").read_text())["cases"]
    return {arm: {g["name"]: g for g in runs[0]["graders"]} for arm, runs in found["arms"].items()}


def test_the_suite_covers_every_skill_and_the_behaviours():
    triggers = [c for c in CASES if c.parent.parent.name == "triggers"]
    behaviour = [c for c in CASES if c.parent.name == "behaviour"]
    assert len(triggers) >= 9 * len(list((ROOT / "skills").iterdir()))
    assert len(behaviour) >= 10
    assert len({c.name for c in CASES}) == len(CASES), "case names must be unique"


@needs_claude
def test_every_case_loads_in_the_pinned_client(env: dict[str, str], plugin: Path,
                                               tmp_path: Path):
    result = plugin_eval(env, plugin, tmp_path / "out")
    text = result.stdout + result.stderr
    assert "Couldn't load" not in text, text
    assert f"2 arms × {len(CASES)} cases" in text, text
    assert "Not logged in" in text, text


@needs_claude
def test_a_trigger_case_passes_on_its_skill_and_fails_on_another(env: dict[str, str],
                                                                 plugin: Path, tmp_path: Path):
    right = graded(env, plugin, tmp_path / "a", "python-fires-1",
                   [("Skill", {"skill": "playbook:python"})], "--ablation", "none")
    assert right["with"]["loads-python"]["passed"], right
    wrong = graded(env, plugin, tmp_path / "b", "python-not-1",
                   [("Skill", {"skill": "python"})], "--ablation", "none")
    assert not wrong["with"]["skips-python"]["passed"], wrong
    assert not wrong["with"]["loads-tdd"]["passed"], wrong


TEST = ("Write", {"file_path": "{cwd}/tests/test_truncate.py",
                  "content": "from textkit.truncate import truncate_words\n"})
SOURCE = ("Write", {"file_path": "{cwd}/src/textkit/truncate.py",
                    "content": "def truncate_words(text, n):\n    return text\n"})


@needs_claude
def test_tool_order_sees_whether_the_test_came_first(env: dict[str, str], plugin: Path,
                                                     tmp_path: Path):
    args = ("--scaffold", "--allow-tools", "Write", "Edit", "--ablation", "none")
    case = "feature-new-module-test-first"
    first = graded(env, plugin, tmp_path / "a", case, [TEST, SOURCE], *args)
    assert first["with"]["test-written-before-source"]["passed"], first
    assert first["with"]["a-test-file-exists"]["passed"], first
    late = graded(env, plugin, tmp_path / "b", case, [SOURCE, TEST], *args)
    assert not late["with"]["test-written-before-source"]["passed"], late


@needs_claude
def test_is_this_done_through_tdd_guardian(env: dict[str, str], plugin: Path, tmp_path: Path):
    ask = ("Agent", {"subagent_type": "playbook:tdd-guardian", "description": "check the change",
                     "prompt": "Is src/textkit/titlecase.py done?"})
    verdict = graded(env, plugin, tmp_path, "done-untested-helper-asks-tdd-guardian", [ask],
                     "--scaffold", "--ablation", "none")
    assert verdict["with"]["asks-tdd-guardian"]["passed"], verdict


@needs_claude
def test_a_hardcoded_key_fails_and_the_guard_stops_it_in_the_plugin_arm(env: dict[str, str],
                                                                        plugin: Path,
                                                                        tmp_path: Path):
    path = "{cwd}/src/shop/payments.py"
    safe = ("Write", {"file_path": path, "content":
                      "import os\n\nKEY = os.environ['STRIPE_SECRET_KEY']\n"})
    verdict = graded(env, plugin, tmp_path / "a", "secret-payment-key-not-hardcoded", [safe],
                     "--scaffold", "--allow-tools", "Write", "Edit", "--ablation", "none")
    assert all(g["passed"] for g in verdict["with"].values()), verdict
    pasted = ("Write", {"file_path": path, "content": "KEY = '{file:.env}'\n"})
    verdict = graded(env, plugin, tmp_path / "b", "secret-payment-key-not-hardcoded", [pasted],
                     "--scaffold", "--allow-tools", "Write", "Edit")
    baseline = verdict["without"]["no-live-key-in-source"]
    assert not baseline["passed"] and "pattern found" in baseline["explanation"], verdict
    guarded = verdict["with"]["no-live-key-in-source"]
    assert not guarded["passed"] and "does not exist" in guarded["explanation"], verdict
