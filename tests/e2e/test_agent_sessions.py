"""Whole sessions in the other agents' real clients, with the hook configuration
`playbook.export.agent_hooks` generates and a scripted model on loopback: the client decides
which hooks run, with what payload, and what the model reads back.

Codex CLI (`codex exec`, OpenAI's Responses API from a custom model provider in
$CODEX_HOME/config.toml): hooks from the trusted project's .codex/hooks.json, run with
--dangerously-bypass-hook-trust (the client otherwise waits for a person to review them).

Copilot CLI (`copilot -p`, offline, a BYOK provider: COPILOT_PROVIDER_BASE_URL with the
Responses wire API for a GPT model, COPILOT_PROVIDER_TYPE=anthropic for a Claude one): hooks
from the project's .github/hooks/playbook.json, run with COPILOT_ALLOW_ALL=true; it relays a
block's reason from Claude's JSON verdict (exit 0), not from stderr with exit 2. With a GPT
model it offers `bash` and a freeform `apply_patch` (its hooks see an `Edit` whose tool_input is
the patch text); with a Claude model `bash`, `create` {path, file_text} and `edit`, which its
hooks see as `Bash` and `Write`.

Gemini CLI (`gemini -p`, GEMINI_API_KEY with GOOGLE_GEMINI_BASE_URL): hooks from the trusted
project's .gemini/settings.json (GEMINI_CLI_TRUST_WORKSPACE=true), or from the extension
`export gemini-extension` builds, installed with `gemini extensions install`; a fixed model
(`-m`), since the default one first asks a router model for a JSON verdict.

OpenCode has no session here: `opencode run` with the Anthropic provider's baseURL on the
stand-in never reached it ("Cannot connect to API"); its plugin runs under node in
tests/export/test_agent_hooks.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playbook.examples.toolchains import in_ci
from playbook.export import agent_hooks
from playbook.export.__main__ import main
from playbook.export.plan import everything

from tests.e2e.model_stand_in import StandIn

ROOT = Path(__file__).resolve().parents[2]
HOOKS_DIR = ".agents/playbook/hooks"
pytestmark = [pytest.mark.slow]


def client(name: str) -> str:
    """The pinned client in .tools/, else one on PATH; skipped (failed under CI=true) without."""
    found = shutil.which(name, path=str(ROOT / ".tools" / "node_modules" / ".bin")) or \
        shutil.which(name)
    if found is None:
        message = f"{name} CLI not installed (npm install in .tools, as nox -s tests does)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if shutil.which("python3") is None:
        pytest.skip("the hooks run with python3")
    return found


def install(project: Path, agent: str) -> None:
    """What `export agents` does for one agent: the launchers, then our parts of its config."""
    shutil.copytree(ROOT / "hooks", project / HOOKS_DIR,
                    ignore=shutil.ignore_patterns("__pycache__", "hooks.json"))
    for part in agent_hooks.parts(agent, HOOKS_DIR, everything):
        target = project / part.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        current = target.read_bytes() if target.exists() else None
        target.write_bytes(part.render(current, None, False).data)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PLAYBOOK_", "CLAUDE", "OPENAI_", "CODEX_", "GIT_", "COVERAGE_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local/share"),
               GIT_CONFIG_NOSYSTEM="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
               PATH=os.pathsep.join([env.get("PATH", ""), str(Path(sys.executable).parent)]))
    env.update(extra)
    return env


def make_tested_calc(project: Path, *, ignore: str) -> None:
    """A small tested module and a gate test command, ready to commit (the exported client
    folder `ignore` stays out of the commit)."""
    python = Path(sys.executable).as_posix()
    (project / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\npythonpath = [\".\"]\n\n[tool.playbook]\n"
        f"test-command = [\"{python}\", \"-m\", \"pytest\", \"-q\", "
        "\"-p\", \"no:cacheprovider\"]\n")
    (project / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (project / "tests").mkdir()
    (project / "tests/test_calc.py").write_text(
        "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n")
    (project / ".gitignore").write_text(f".agents/\n{ignore}\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(project)], check=True)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Dev\n\temail = dev@example.com\n"
                                     "[commit]\n\tgpgsign = false\n")
    return project


def codex(project: Path, turns: list[dict]) -> StandIn:
    """Run `codex exec` through the scripted turns; the stand-in (with every request)."""
    codex_cli = client("codex")
    install(project, "codex")
    home = project.parent / "home"
    codex_home = project.parent / "codex-home"
    codex_home.mkdir(exist_ok=True)
    with StandIn(turns) as api:
        # gpt-5.5's bundled metadata offers apply_patch as a freeform tool and exec_command.
        (codex_home / "config.toml").write_text(
            'model = "gpt-5.5"\nmodel_provider = "stand-in"\n\n'
            '[model_providers.stand-in]\nname = "stand-in"\n'
            f'base_url = "{api.url}/v1"\nenv_key = "STAND_IN_KEY"\nwire_api = "responses"\n\n'
            f'[projects."{project}"]\ntrust_level = "trusted"\n')
        done = subprocess.run(
            [codex_cli, "exec", "--skip-git-repo-check",
             "--dangerously-bypass-approvals-and-sandbox", "--dangerously-bypass-hook-trust",
             "Do the task."],
            cwd=project, capture_output=True, text=True, timeout=240,
            env=clean_env(home, CODEX_HOME=str(codex_home), STAND_IN_KEY="stand-in"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert not api.turns, "the client did not play every scripted turn"
    return api


def copilot(project: Path, turns: list[dict], model: str = "gpt-5.5") -> StandIn:
    """Run `copilot -p` through the scripted turns with `model` (a GPT one on the Responses
    API, a Claude one on the Messages API); the stand-in (with every request)."""
    copilot_cli = client("copilot")
    install(project, "copilot")
    home = project.parent / "home"
    with StandIn(turns) as api:
        provider = ({"COPILOT_PROVIDER_TYPE": "anthropic", "COPILOT_PROVIDER_BASE_URL": api.url}
                    if model.startswith("claude") else
                    {"COPILOT_PROVIDER_BASE_URL": f"{api.url}/v1",
                     "COPILOT_PROVIDER_WIRE_API": "responses"})
        done = subprocess.run(
            [copilot_cli, "-p", "Do the task.", "--no-auto-update"],
            cwd=project, capture_output=True, text=True, timeout=240,
            env=clean_env(home, COPILOT_HOME=str(home / ".copilot"), COPILOT_OFFLINE="true",
                          COPILOT_AUTO_UPDATE="false", COPILOT_ALLOW_ALL="true",
                          COPILOT_PROVIDER_API_KEY="stand-in", COPILOT_MODEL=model, **provider))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert not api.turns, "the client did not play every scripted turn"
    return api


def gemini(project: Path, turns: list[dict], extension: Path | None = None) -> StandIn:
    """Run `gemini -p` through the scripted turns, with the project's hooks or, given an
    `extension` folder, with that extension installed instead; the stand-in."""
    gemini_cli = client("gemini")
    home = project.parent / "home"
    if extension is None:
        install(project, "gemini")
    else:
        subprocess.run([gemini_cli, "extensions", "install", str(extension), "--consent"],
                       cwd=project, capture_output=True, text=True, timeout=240, check=True,
                       env=clean_env(home, GEMINI_CLI_TRUST_WORKSPACE="true"))
    (home / ".gemini").mkdir(exist_ok=True)
    (home / ".gemini/settings.json").write_text(json.dumps({
        "security": {"auth": {"selectedType": "gemini-api-key"}},
        "privacy": {"usageStatisticsEnabled": False}, "general": {"disableAutoUpdate": True}}))
    with StandIn(turns) as api:
        done = subprocess.run(
            [gemini_cli, "-m", "gemini-2.5-flash", "-p", "Do the task.", "--yolo"],
            cwd=project, capture_output=True, text=True, timeout=240,
            env=clean_env(home, GEMINI_API_KEY="stand-in", GOOGLE_GEMINI_BASE_URL=api.url,
                          GEMINI_CLI_TRUST_WORKSPACE="true"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert not api.turns, "the client did not play every scripted turn"
    return api


def gemini_outputs(api: StandIn) -> list[str]:
    """The function responses the model was sent back, in order."""
    contents = api.requests[-1]["contents"]
    return [json.dumps(part["functionResponse"]) for content in contents
            for part in content.get("parts", []) if "functionResponse" in part]


def tool_results(api: StandIn) -> list[str]:
    """What each tool call returned to a Claude model, in order (Messages API tool_result)."""
    messages = api.main_requests()[-1]["messages"]
    return [json.dumps(block.get("content")) for message in messages
            if isinstance(message.get("content"), list) for block in message["content"]
            if block.get("type") == "tool_result"]


def outputs(api: StandIn) -> list[str]:
    """What each tool call returned to the model, in order (the last request holds them all)."""
    items = api.main_requests()[-1]["input"]
    return [json.dumps(item.get("output")) for item in items
            if item.get("type") in ("function_call_output", "custom_tool_call_output")]


def test_codex_apply_patch_with_a_credential_is_blocked_and_the_model_reads_why(project):
    key = "AKIA" + "Z7Q4W6X2" + "M3N5P4R2"
    secret = "wJalrXUt" + "nFEMI7K9MDENG" + "bPxRfiCYzQ3v8T2kLp"
    patch = ("*** Begin Patch\n*** Add File: ok.py\n+x=[1,2]\n*** Add File: creds.py\n"
             f"+AWS_ACCESS_KEY_ID = '{key}'\n+AWS_SECRET_ACCESS_KEY = '{secret}'\n"
             "*** End Patch\n")

    api = codex(project, [{"tool": "apply_patch", "input": patch}])

    assert not (project / "creds.py").exists() and not (project / "ok.py").exists()
    (said,) = outputs(api)
    assert "secret_guard: blocked apply_patch" in said and "aws-access-key-id" in said
    ours = said[said.index("secret_guard: blocked"):]
    ours = ours[:ours.index("How to fix")]
    assert key not in ours and secret not in ours  # Codex itself echoes the patch it refused


@pytest.mark.skipif(shutil.which("ruff", path=str(Path(sys.executable).parent)) is None,
                    reason="ruff is the formatter this case needs")
def test_codex_apply_patch_formats_each_file_it_wrote(project):
    patch = ("*** Begin Patch\n*** Add File: a.py\n+x=[1,2]\n*** Add File: pkg/b.py\n"
             "+y={'k':1}\n*** End Patch\n")

    codex(project, [{"tool": "apply_patch", "input": patch}])

    assert (project / "a.py").read_text() == "x = [1, 2]\n"
    assert (project / "pkg/b.py").read_text() == 'y = {"k": 1}\n'


def test_codex_untested_commit_is_blocked_and_the_tested_one_goes_through(project):
    make_tested_calc(project, ignore=".codex/")
    home = project.parent / "home"
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "start"], cwd=project, check=True,
                   env=clean_env(home))
    sub = "@@\n def add(a, b):\n     return a + b\n+\n+\n+def sub(a, b):\n+    return a - b\n"
    test = "+from calc import sub\n+\n+\n+def test_sub():\n+    assert sub(3, 2) == 1\n"
    commit = {"cmd": "git add -A && git commit -q -m 'Add sub'"}
    turns = [
        {"tool": "apply_patch", "input": f"*** Begin Patch\n*** Update File: calc.py\n{sub}"
                                         "*** End Patch\n"},
        {"tool": "exec_command", "input": commit},
        {"tool": "apply_patch", "input": f"*** Begin Patch\n*** Add File: tests/test_sub.py\n"
                                         f"{test}*** End Patch\n"},
        {"tool": "exec_command", "input": commit},
    ]

    api = codex(project, turns)

    said = outputs(api)
    assert "tdd-gate: commit blocked" in said[1] and "calc.py" in said[1], said[1]
    assert "tdd-gate" not in said[3], said[3]
    log = subprocess.run(["git", "log", "--format=%s", "--name-only", "-1"], cwd=project,
                         capture_output=True, text=True, check=True).stdout
    assert log.split() == ["Add", "sub", "calc.py", "tests/test_sub.py"]


def test_copilot_apply_patch_with_a_credential_is_blocked(project):
    key = "AKIA" + "Z7Q4W6X2" + "M3N5P4R2"
    patch = ("*** Begin Patch\n*** Add File: creds.py\n"
             f"+AWS_ACCESS_KEY_ID = '{key}'\n*** End Patch\n")

    api = copilot(project, [{"tool": "apply_patch", "input": patch}])

    assert not (project / "creds.py").exists()
    (said,) = outputs(api)
    assert "secret_guard: blocked apply_patch" in said and "aws-access-key-id" in said


def test_copilot_untested_commit_is_blocked(project):
    (project / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (project / ".gitignore").write_text(".agents/\n.github/\n")
    commit = {"command": "git add -A && git commit -q -m 'Add calc'", "description": "Commit"}

    api = copilot(project, [{"tool": "bash", "input": commit}])

    (said,) = outputs(api)
    assert "tdd-gate: commit blocked" in said and "calc.py" in said, said
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=project,
                          capture_output=True).returncode != 0  # no commit was made


def test_copilot_create_with_a_credential_is_blocked_and_nothing_is_written(project):
    key = "AKIA" + "Z7Q4W6X2" + "M3N5P4R2"
    turns = [{"tool": "create", "input": {"path": str(project / "creds.py"),
                                          "file_text": f"AWS_ACCESS_KEY_ID = '{key}'\n"}}]

    api = copilot(project, turns, model="claude-sonnet-4.5")

    assert not (project / "creds.py").exists()
    (said,) = tool_results(api)
    assert "secret_guard: blocked Write" in said and "aws-access-key-id" in said, said
    assert key not in said


def test_copilot_tested_commit_goes_through(project):
    make_tested_calc(project, ignore=".github/")
    commit = {"command": "git add -A && git commit -q -m 'Add calc'", "description": "Commit"}

    api = copilot(project, [{"tool": "bash", "input": commit}], model="claude-sonnet-4.5")

    (said,) = tool_results(api)
    assert "tdd-gate" not in said, said
    log = subprocess.run(["git", "log", "--format=%s", "--name-only", "-1"], cwd=project,
                         capture_output=True, text=True, check=True).stdout
    assert log.split() == ["Add", "calc", ".gitignore", "calc.py", "pyproject.toml",
                           "tests/test_calc.py"]


def test_gemini_write_file_with_a_credential_is_blocked(project):
    key = "AKIA" + "Z7Q4W6X2" + "M3N5P4R2"
    turns = [{"tool": "write_file", "input": {"file_path": str(project / "creds.py"),
                                              "content": f"AWS_ACCESS_KEY_ID = '{key}'\n"}}]

    api = gemini(project, turns)

    assert not (project / "creds.py").exists()
    (said,) = gemini_outputs(api)
    assert "secret_guard: blocked write_file" in said and "aws-access-key-id" in said
    assert key not in said


def test_gemini_untested_commit_is_blocked(project):
    (project / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (project / ".gitignore").write_text(".agents/\n.gemini/\n")
    turns = [{"tool": "run_shell_command",
              "input": {"command": "git add -A && git commit -q -m 'Add calc'"}}]

    api = gemini(project, turns)

    (said,) = gemini_outputs(api)
    assert "tdd-gate: commit blocked" in said and "calc.py" in said, said
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=project,
                          capture_output=True).returncode != 0


def test_the_gemini_extension_blocks_a_credential_in_write_file(project):
    extension = project.parent / "playbook"
    assert main(["gemini-extension", "--target", str(extension)]) == 0
    key = "AKIA" + "Z7Q4W6X2" + "M3N5P4R2"
    turns = [{"tool": "write_file", "input": {"file_path": str(project / "creds.py"),
                                              "content": f"AWS_ACCESS_KEY_ID = '{key}'\n"}}]

    api = gemini(project, turns, extension=extension)

    assert not (project / ".gemini").exists()  # the extension's hooks, not the project's
    assert not (project / "creds.py").exists()
    (said,) = gemini_outputs(api)
    assert "secret_guard: blocked write_file" in said and key not in said
