"""Whole sessions in the pinned Claude Code client, with the plugin installed from this checkout
and a scripted stand-in for the model API on loopback: the client itself decides which hooks
run, with what, and what the model reads back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from playbook.plugin_copy import copy_plugin

from tests.e2e.model_stand_in import StandIn
from tests.hooks.test_hooks_json import claude_cli

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(claude_cli() is None, reason="Claude Code CLI not installed (nox -s tests)"),
    pytest.mark.skipif(shutil.which("python3") is None, reason="the hooks run with python3"),
]
POLICY_TITLE = "# Engineering policy (Playbook)"


def client_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PLAYBOOK_", "CLAUDE", "ANTHROPIC_", "GIT_", "COVERAGE_"))}
    tools = str(Path(sys.executable).parent)  # ruff for autoformat, pytest for the gate
    env.update(HOME=str(home), DISABLE_AUTOUPDATER="1",
               CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1", GIT_CONFIG_NOSYSTEM="1",
               PATH=os.pathsep.join([env.get("PATH", ""), tools]))
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a clone of the plugin holds. Adding this checkout itself would copy its .tools/ and
    .nox/ (gigabytes) into every test's HOME."""
    return copy_plugin(ROOT, tmp_path_factory.mktemp("checkout") / "playbook")


@pytest.fixture
def home(tmp_path: Path, checkout: Path) -> Path:
    """A HOME with the plugin installed from a clone of this checkout, as a user installs it."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Dev\n\temail = dev@example.com\n"
                                     "[commit]\n\tgpgsign = false\n")
    env = client_env(home)
    for args in (["plugin", "marketplace", "add", str(checkout)],
                 ["plugin", "install", "playbook@playbook"]):
        done = subprocess.run([claude_cli(), *args], env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    return home


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(project)], check=True)
    return project


def session(home: Path, project: Path, turns: list[dict], **env: str) -> tuple[dict, StandIn]:
    """Run `claude -p` through the scripted turns; (the client's JSON result, the stand-in)."""
    with StandIn(turns) as api:
        done = subprocess.run(
            [claude_cli(), "-p", "Do the task.", "--output-format", "json",
             "--permission-mode", "acceptEdits", "--allowedTools", "Bash"],
            cwd=project, capture_output=True, text=True, timeout=240,
            env=client_env(home, ANTHROPIC_BASE_URL=api.url, ANTHROPIC_API_KEY="sk-stand-in",
                           **env))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert not api.turns, "the client did not play every scripted turn"
    return json.loads(done.stdout), api


def tool_results(api: StandIn) -> list[dict]:
    """The tool results the model was sent back, in order."""
    last = api.main_requests()[-1]["messages"]
    return [block for message in last if message["role"] == "user"
            and isinstance(message["content"], list)
            for block in message["content"] if block.get("type") == "tool_result"]


def text_of(result: dict) -> str:
    content = result.get("content")
    if isinstance(content, list):
        return "\n".join(part.get("text", "") for part in content)
    return str(content)


def bytecode(home: Path, module: str) -> list[Path]:
    """The cached bytecode of one hook module: it exists once the client ran that hook."""
    return list(home.rglob(f"pycache/**/playbook_hooks/{module}.*.pyc"))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# --- the cases ---------------------------------------------------------------------------------


def test_a_write_holding_a_credential_is_denied_and_the_model_reads_why(home, project):
    key = "AKIA" + "Z7Q4W6X2" + "M3N5P4R2"  # base32, as AWS key IDs are
    secret = "wJalrXUt" + "nFEMI7K9MDENG" + "bPxRfiCYzQ3v8T2kLp"
    content = f"AWS_ACCESS_KEY_ID = '{key}'\nAWS_SECRET_ACCESS_KEY = '{secret}'\n"
    turns = [{"tool": "Write", "input": {"file_path": str(project / "creds.py"),
                                         "content": content}}]

    result, api = session(home, project, turns)

    assert [d["tool_name"] for d in result["permission_denials"]] == ["Write"]
    assert not (project / "creds.py").exists()
    (denied,) = tool_results(api)
    assert denied["is_error"] is True
    reason = text_of(denied)
    assert reason.startswith("PreToolUse:Write hook error")
    assert "secret_guard: blocked Write" in reason and "aws-access-key-id" in reason
    assert key not in reason and secret not in reason


def test_an_untested_commit_is_denied_and_the_tested_one_goes_through(home, project):
    python = Path(sys.executable).as_posix()
    write(project / "pyproject.toml", "[tool.pytest.ini_options]\npythonpath = [\".\"]\n\n"
          f"[tool.playbook]\ntest-command = [\"{python}\", \"-m\", \"pytest\", \"-q\", "
          "\"-p\", \"no:cacheprovider\"]\n")
    write(project / "calc.py", "def add(a, b):\n    return a + b\n")
    write(project / "tests/test_calc.py",
          "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "start"], cwd=project, check=True,
                   env=client_env(home))
    sub = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    test = "from calc import sub\n\n\ndef test_sub():\n    assert sub(3, 2) == 1\n"
    commit = {"command": "git add -A && git commit -q -m 'Add sub'", "description": "Commit"}
    turns = [
        {"tool": "Write", "input": {"file_path": str(project / "calc.py"), "content": sub}},
        {"tool": "Bash", "input": commit},
        {"tool": "Write", "input": {"file_path": str(project / "tests/test_sub.py"),
                                    "content": test}},
        {"tool": "Bash", "input": commit},
    ]

    result, api = session(home, project, turns, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")

    assert [d["tool_name"] for d in result["permission_denials"]] == ["Bash"]
    results = tool_results(api)
    assert "tdd-gate: commit blocked" in text_of(results[1]) and "calc.py" in text_of(results[1])
    assert results[3].get("is_error") is not True, text_of(results[3])
    log = subprocess.run(["git", "log", "--format=%s", "--name-only", "-1"], cwd=project,
                         capture_output=True, text=True, check=True).stdout
    assert log.split() == ["Add", "sub", "calc.py", "tests/test_sub.py"]


@pytest.mark.skipif(shutil.which("ruff", path=str(Path(sys.executable).parent)) is None,
                    reason="ruff is the formatter this case needs")
def test_a_written_file_is_formatted_and_the_model_is_told(home, project):
    target = project / "app.py"
    turns = [{"tool": "Write", "input": {"file_path": str(target), "content": "x=[1,2]\n"}}]

    _result, api = session(home, project, turns)

    assert target.read_text() == "x = [1, 2]\n"
    assert "autoformat: ruff format reformatted app.py" in json.dumps(api.main_requests()[-1])


def test_the_session_policy_reaches_the_first_request(home, project):
    _result, api = session(home, project, [])

    first = json.dumps(api.main_requests()[0])
    assert "SessionStart hook additional context: " + POLICY_TITLE in first
    policy = (ROOT / "policy" / "tdd-and-models.md").read_text().strip()
    assert json.dumps(policy)[1:-1] in first  # the same text export claude writes to CLAUDE.md


def test_no_session_policy_where_claude_md_holds_it_or_the_user_turned_it_off(home, project):
    write(project / "CLAUDE.md", "# Us\n\n<!-- playbook:begin: written by export -->\n"
          "policy\n<!-- playbook:end -->\n")
    _result, api = session(home, project, [])
    assert POLICY_TITLE not in json.dumps(api.main_requests()[0])

    (project / "CLAUDE.md").unlink()
    configured = subprocess.run(
        [claude_cli(), "plugin", "install", "playbook@playbook", "--config",
         "session_policy=false"], env=client_env(home), capture_output=True, text=True)
    _result, api = session(home, project, [], **(
        {} if configured.returncode == 0 else {"PLAYBOOK_SESSION_POLICY": "off"}))
    assert POLICY_TITLE not in json.dumps(api.main_requests()[0])


def test_a_bash_call_that_is_not_a_commit_starts_no_gate(home, project):
    turns = [{"tool": "Bash", "input": {"command": "ls -la && git status", "description": "Look"}}]

    session(home, project, turns)

    assert bytecode(home, "secret_guard"), "the secret guard ran on the Bash call"
    assert not bytecode(home, "tdd_gate"), "the TDD gate started for a call that is no commit"
    # The same client does start it for a commit (so the check above can fail).
    commit = {"command": "git commit --allow-empty -q -m empty", "description": "Commit"}
    session(home, project, [{"tool": "Bash", "input": commit}])
    assert bytecode(home, "tdd_gate")


def test_plugin_details_lists_the_session_start_hook(home):
    done = subprocess.run([claude_cli(), "plugin", "details", "playbook@playbook"],
                          env=client_env(home), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    (hooks,) = [line for line in done.stdout.splitlines() if line.strip().startswith("Hooks (")]
    assert "SessionStart" in hooks and "PreToolUse" in hooks and "PostToolUse" in hooks


def agent_frontmatter(name: str) -> dict:
    text = (ROOT / "agents" / f"{name}.md").read_text()
    return yaml.safe_load(text.split("---\n")[1])


def texts(value: object) -> list[str]:
    """Every string in a request body: what the model was shown, unescaped."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in texts(item)]
    if isinstance(value, list):
        return [s for item in value for s in texts(item)]
    return []


def test_each_agent_runs_on_its_own_model_and_tdd_guardian_starts_with_the_tdd_skill(
        home, project):
    names = sorted(path.stem for path in (ROOT / "agents").glob("*.md"))
    turns = [{"tool": "Agent", "input": {
        "description": f"ask {name}", "prompt": "Is there a failing test for add()?",
        "subagent_type": f"playbook:{name}", "run_in_background": False}} for name in names]

    _result, api = session(home, project, turns)

    tdd_heading = "## What red means"
    assert tdd_heading in (ROOT / "skills" / "tdd" / "SKILL.md").read_text()
    for name in names:
        front = agent_frontmatter(name)
        body = (ROOT / "agents" / f"{name}.md").read_text().split("---\n", 2)[2]
        first_line = body.strip().splitlines()[0]
        started = [body for body in api.requests if first_line in "\n".join(texts(body))]
        assert started, f"the client never started {name}"
        assert front["model"] in started[0]["model"], (name, started[0]["model"])
        wants_tdd = "tdd" in front.get("skills", [])
        assert wants_tdd or name != "tdd-guardian", "tdd-guardian must preload the tdd skill"
        assert (tdd_heading in "\n".join(texts(started[0]))) == wants_tdd, name
