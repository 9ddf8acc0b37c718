"""The exports of the real repository, checked by the real clients: skills-ref (`agentskills
validate`) on every exported skill, and Claude Code's `claude plugin validate --strict` on the
.claude export, the plugin export and the repository root; then a marketplace install in a
temporary HOME, whose `plugin details` must count every component.

Claude Code runs offline with HOME set to a temporary directory. Without the pinned CLI in
.tools/ (`nox -s tests` installs it with npm) or without skills-ref, the tests skip and say how
to install it; under CI=true, which installs both, they fail: there a missing checker is never a
pass (tests/toolchains.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import zipfile
from pathlib import Path

import pytest
from playbook import schema
from playbook.content import ROOT, load_catalogue
from playbook.examples.toolchains import which
from playbook.export.__main__ import main

from tests.export.conftest import build_source

pytestmark = pytest.mark.slow

# The pinned client (nox npm-installs it into .tools/) and skills-ref's CLI, from the tool
# registry: without them these tests skip saying how to install them, and fail under CI=true.
CLAUDE = which("claude") or str(ROOT / ".tools" / "node_modules" / ".bin" / "claude")
AGENTSKILLS = which("agentskills") or "agentskills"
needs_claude = pytest.mark.needs("claude")
needs_skills_ref = pytest.mark.needs("agentskills")

# The repository's CLAUDE.md is for people working on Playbook; Claude Code does not load a
# plugin's CLAUDE.md and says so. Everything else must pass --strict (see the test below, which
# proves the root is strict-clean apart from that file).
ROOT_CLAUDE_MD = "CLAUDE.md at the plugin root is not loaded as project context"

USER_SETTINGS = '{\n  "permissions": {"allow": ["Bash(ls:*)"]},\n  "env": {"A": "1"}\n}\n'


def export(*argv: str | Path) -> None:
    assert main([str(a) for a in argv]) == 0


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository exported once per format."""
    base = tmp_path_factory.mktemp("exports")
    project = base / "project"
    (project / ".claude").mkdir(parents=True)
    (project / ".claude/settings.json").write_text(USER_SETTINGS)
    (project / "CLAUDE.md").write_text("# My project\n")
    export("claude", "--target", project)
    export("plugin", "--target", base / "plugin")
    export("zip", "--target", base / "zips")
    return {"project": project, "plugin": base / "plugin", "zips": base / "zips", "base": base}


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env.update(HOME=str(tmp_path / "home"), DISABLE_AUTOUPDATER="1",
               CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1")
    (tmp_path / "home").mkdir()
    return env


def claude(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLAUDE), *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def validate(env: dict[str, str], path: Path) -> tuple[int, dict]:
    result = claude(env, "plugin", "validate", "--strict", "--json", path)
    return result.returncode, json.loads(result.stdout)


def findings(report: dict) -> list[str]:
    out = []
    for entry in [report.get("manifest") or {}, *report.get("contents", [])]:
        for kind in ("errors", "warnings"):
            out += [f"{entry.get('file')}: {kind[:-1]}: {item['path']}: {item['message']}"
                    for item in entry.get(kind, [])]
    return out


# --- skills-ref ------------------------------------------------------------------------------


@needs_skills_ref
def test_skills_ref_accepts_every_exported_skill(exports: dict[str, Path]):
    skills = sorted((exports["project"] / ".claude/skills").iterdir())
    assert len(skills) == len(load_catalogue().skills)
    unzipped = exports["base"] / "unzipped"
    for archive in sorted(exports["zips"].glob("*.zip")):
        with zipfile.ZipFile(archive) as handle:
            handle.extractall(unzipped)
    skills += sorted(unzipped.iterdir())
    skills += sorted((exports["plugin"] / "skills").iterdir())
    for skill in skills:
        result = subprocess.run([AGENTSKILLS, "validate", str(skill)], capture_output=True,
                                text=True, timeout=60, check=False)
        assert result.returncode == 0, f"{skill}: {result.stdout}{result.stderr}"
        assert result.stdout.startswith("Valid skill:")


@needs_skills_ref
def test_skills_ref_has_teeth(tmp_path: Path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "SKILL.md").write_text("---\nname: bad\ndescription: x\ncategory: y\n---\nBody\n")
    result = subprocess.run([AGENTSKILLS, "validate", str(bad)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1 and "Unexpected fields" in result.stdout + result.stderr


# --- claude plugin validate --------------------------------------------------------------------


@needs_claude
def test_claude_validates_the_claude_export(exports: dict[str, Path], home: dict[str, str]):
    code, report = validate(home, exports["project"] / ".claude")
    assert code == 0 and report["success"], findings(report)
    assert findings(report) == []


@needs_claude
def test_claude_validate_has_teeth_on_a_claude_export(exports: dict[str, Path],
                                                      home: dict[str, str], tmp_path: Path):
    broken = tmp_path / ".claude"
    shutil.copytree(exports["project"] / ".claude", broken)
    agent = next((broken / "agents").glob("*.md"))
    agent.write_text("---\nname: x\ndescription: a: b: c\n  - y\n---\nBody\n")
    code, report = validate(home, broken)
    assert code == 1 and any("failed to parse" in f for f in findings(report))


@needs_claude
def test_claude_validates_a_user_export(home: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", home["HOME"])
    export("claude", "--user")
    code, report = validate(home, Path(home["HOME"]) / ".claude")
    assert code == 0 and findings(report) == []


@needs_claude
def test_claude_validates_the_plugin_export(exports: dict[str, Path], home: dict[str, str]):
    code, report = validate(home, exports["plugin"])
    assert code == 0 and report["success"], findings(report)
    assert findings(report) == []
    catalogue = load_catalogue()
    provides = report["provides"]
    assert sorted(provides["skills"]) == sorted(f"playbook:{d.name}" for d in catalogue.skills)
    assert sorted(provides["agents"]) == sorted(f"playbook:{d.name}" for d in catalogue.agents)
    registrations = sum(len(h.registrations) for h in catalogue.hooks)
    assert len(provides["hooks"]) == registrations
    assert all(h["command"] == "python3"
               and h["args"][-1].startswith("${CLAUDE_PLUGIN_ROOT}/hooks/")
               for h in provides["hooks"]), provides["hooks"]


def root_copy(tmp_path: Path) -> Path:
    """What a clone holds of the plugin: its folders, manifests, README and LICENSE."""
    copy = tmp_path / "root"
    for name in ("skills", "agents", "hooks", "policy", ".claude-plugin"):
        shutil.copytree(ROOT / name, copy / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("README.md", "LICENSE"):
        shutil.copy(ROOT / name, copy / name)  # the plugin ships both: missing is a failure
    return copy


@needs_claude
def test_claude_validates_the_repository_root(home: dict[str, str], tmp_path: Path):
    code, report = validate(home, ROOT)
    unexpected = [f for f in findings(report) if ROOT_CLAUDE_MD not in f]
    assert unexpected == []
    assert report["manifest"]["type"] == "marketplace" and report["manifest"]["errors"] == []
    # Without the contributors' CLAUDE.md, the root passes --strict outright.
    code, report = validate(home, root_copy(tmp_path))
    assert code == 0 and findings(report) == [], findings(report)


# --- install through a marketplace ---------------------------------------------------------


def details(env: dict[str, str]) -> tuple[dict[str, int], str]:
    result = claude(env, "plugin", "details", "playbook")
    assert result.returncode == 0, result.stdout + result.stderr
    counts = {kind: int(n) for kind, n in
              re.findall(r"^\s*(Skills|Agents|Hooks) \((\d+)\)", result.stdout, re.M)}
    return counts, result.stdout


ALWAYS_ON_BUDGET = 1500


def on_invoke(details_text: str, names: set[str]) -> dict[str, int]:
    """The client's per-component on-invoke estimate (``~4.9k``, ``~630``) for ``names``."""
    found = {}
    for name, amount, thousands in re.findall(
            r"^\s+([a-z0-9-]+)\s+~[\d.,]+k?\s+~([\d.,]+)(k?)\s*$", details_text, re.M):
        if name in names:
            found[name] = round(float(amount.replace(",", "")) * (1000 if thousands else 1))
    return found


def test_on_invoke_reads_the_clients_rounded_figures():
    text = ("Per-component (rounded)\n  component  always-on  on-invoke\n"
            "  gcp        ~70      ~4.9k\n  go   ~60   ~4k\n  tdd-guardian   ~40   ~1,100\n"
            "  refactor-scan   ~30   ~630\n")
    assert on_invoke(text, {"gcp", "go", "refactor-scan", "tdd-guardian"}) == {
        "gcp": 4900, "go": 4000, "refactor-scan": 630, "tdd-guardian": 1100}


@needs_claude
def test_marketplace_install_counts_every_component(exports: dict[str, Path],
                                                    home: dict[str, str]):
    added = claude(home, "plugin", "marketplace", "add", exports["plugin"])
    assert added.returncode == 0, added.stdout + added.stderr
    installed = claude(home, "plugin", "install", "playbook@playbook")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    counts, text = details(home)
    catalogue = load_catalogue()
    events = {r["event"] for h in catalogue.hooks for r in h.registrations}
    assert counts == {"Skills": len(catalogue.skills), "Agents": len(catalogue.agents),
                      "Hooks": len(events)}
    cost = re.search(r"Always-on:\s+~?([\d,]+) tok", text)
    assert cost, text
    # Every session pays for the descriptions: the whole pack stays within ~1,500 tokens.
    assert int(cost.group(1).replace(",", "")) <= ALWAYS_ON_BUDGET, text
    # A task loads several skills: the client's own on-invoke estimate stays lean.
    skills = on_invoke(text, {s.name for s in catalogue.skills})
    assert len(skills) == len(catalogue.skills), text
    assert statistics.median(skills.values()) <= schema.BODY_MEDIAN_TOKENS, text
    assert max(skills.values()) <= schema.BODY_MAX_TOKENS, text
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "plugin-details.txt").write_text(text)
    print(f"\nplugin details (also in test-artifacts/plugin-details.txt):\n{text}")


@needs_claude
def test_an_update_reaches_installed_users_when_the_content_changes(
        tmp_path: Path, home: dict[str, str]):
    """The stale-content problem: Claude Code fetches new files only when the version string
    changes. Change one skill, re-export, update: the installed copy has the new text."""
    source = build_source(tmp_path / "src")
    target = tmp_path / "plugin"
    export("plugin", "--target", target, "--source", source)
    assert claude(home, "plugin", "marketplace", "add", target).returncode == 0
    assert claude(home, "plugin", "install", "playbook@playbook").returncode == 0
    skill = source / "skills/widgets/SKILL.md"
    skill.write_text(skill.read_text() + "\nNew advice.\n")
    export("plugin", "--target", target, "--source", source)
    assert claude(home, "plugin", "marketplace", "update", "playbook").returncode == 0
    updated = claude(home, "plugin", "update", "playbook@playbook")
    assert updated.returncode == 0 and "updated from" in updated.stdout, updated.stdout
    listed = json.loads(claude(home, "plugin", "list", "--json").stdout)
    version = json.loads((target / ".claude-plugin/plugin.json").read_text())["version"]
    assert listed[0]["version"] == version
    installed = Path(listed[0]["installPath"]) / "skills/widgets/SKILL.md"
    assert "New advice." in installed.read_text()


@needs_claude
def test_the_repository_installs_as_a_marketplace_with_no_build_step(
        home: dict[str, str], tmp_path: Path):
    """`/plugin marketplace add <owner>/<repo>` reads the committed root; a local copy of it
    stands in for the clone."""
    copy = root_copy(tmp_path)
    added = claude(home, "plugin", "marketplace", "add", copy)
    assert added.returncode == 0, added.stdout + added.stderr
    assert claude(home, "plugin", "install", "playbook@playbook").returncode == 0
    counts, _text = details(home)
    catalogue = load_catalogue()
    assert counts["Skills"] == len(catalogue.skills)
    assert counts["Agents"] == len(catalogue.agents)
    listed = json.loads(claude(home, "plugin", "list", "--json").stdout)
    manifest = json.loads((ROOT / ".claude-plugin/plugin.json").read_text())
    assert listed[0]["version"] == manifest["version"]
