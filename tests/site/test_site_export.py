"""`python -m playbook.export site`: the docs tree mkdocs builds, written from the content model.

Pages per skill, reference, agent and hook with a header card, the body and an Install section;
catalogue pages; the rule table; the fragments the guide includes; edit links that name the
source file; a second run that writes nothing; stale pages removed through the one planner;
--dry-run printing the plan and leaving the target byte-identical; foreign folders left alone.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from playbook import content, rules
from playbook.content import ROOT, load_catalogue
from playbook.export import plan, site
from playbook.export.__main__ import main as export_main
from playbook.export.errors import ExportError
from playbook.export.site import serve


def front(page: bytes | str) -> tuple[dict, str]:
    """Split a generated page into its front matter and its body."""
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    assert text.startswith("---\n"), text[:80]
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


@pytest.fixture
def pages(repo: Path) -> dict[str, str]:
    rendered = site.render(load_catalogue(repo))
    return {rel: data.decode("utf-8") for rel, data in rendered.items()
            if not rel.endswith((".zip", ".svg"))}


# --- skills ------------------------------------------------------------------------------------


def test_a_skill_page_has_front_matter_for_material(pages: dict[str, str]):
    meta, _body = front(pages["skills/widgets/index.md"])
    assert meta["title"] == "Widgets"
    assert meta["description"].startswith("Checks widgets *fast*")
    assert meta["tags"] == ["widgets", "checks"]
    assert meta["source_path"] == "skills/widgets/SKILL.md"


def test_a_skill_page_opens_with_a_header_card(pages: dict[str, str]):
    _meta, body = front(pages["skills/widgets/index.md"])
    title, rest = body.lstrip("\n").split("\n", 1)
    assert title == "# Widgets"
    card, after = rest.split("</div>", 1)
    assert '<div class="pb-card" markdown>' in card
    assert "Checks widgets \\*fast\\* with widget\\_check" in card  # markdown is escaped
    assert "`widgets`" in card  # the name to install by
    assert "[Patterns](../index.md#patterns)" in card
    assert "`checks`" in card
    assert "Widget 2.0, Python 3.12" in card
    assert "2026-11-24" in card
    assert "[Deep dive](references/deep.md)" in card
    assert "## When to use" in after


def test_a_title_ending_in_a_hash_keeps_it(repo: Path):
    path = repo / "skills/gadgets/SKILL.md"
    path.write_text(path.read_text().replace("Gadget body", "# C#\n\nGadget body"))
    meta, body = front(site.render(load_catalogue(repo))["skills/gadgets/index.md"])
    assert meta["title"] == "C#" and body.lstrip("\n").startswith("# C#\n")
    meta, _ = front(site.render(load_catalogue(repo))["skills/widgets/index.md"])
    assert meta["hide"] == ["navigation"]


def test_a_skill_without_title_or_metadata_still_gets_a_card(pages: dict[str, str]):
    meta, body = front(pages["skills/gadgets/index.md"])
    assert meta["title"] == "gadgets" and "tags" not in meta
    assert body.lstrip("\n").startswith("# gadgets\n")
    assert "[Languages](../index.md#languages)" in body
    assert "Gadget body without a title." in body
    assert "References" not in body.split("</div>", 1)[0]


def test_the_install_section_gives_the_three_ways(pages: dict[str, str]):
    install = pages["skills/widgets/index.md"].split("\n## Install\n", 1)[1]
    assert "/plugin marketplace add example/widgets-pack" in install
    assert "/plugin install playbook@playbook" in install
    assert "python -m playbook.export claude --target path/to/your-project --only widgets" \
        in install
    assert "[Download widgets.zip](widgets.zip)" in install
    assert install.count("/// tab |") == 3


def test_the_skill_zip_is_published_beside_its_page(repo: Path):
    rendered = site.render(load_catalogue(repo))
    with zipfile.ZipFile(io.BytesIO(rendered["skills/widgets/widgets.zip"])) as archive:
        names = archive.namelist()
    assert names[0] == "widgets/SKILL.md"
    assert "widgets/references/deep.md" in names and "widgets/scripts/check.py" in names


def test_images_beside_a_skill_are_copied(repo: Path):
    rendered = site.render(load_catalogue(repo))
    assert rendered["skills/widgets/assets/flow.svg"] == (repo / "skills/widgets/assets/flow.svg"
                                                          ).read_bytes()
    assert "skills/widgets/scripts/check.py" not in rendered


def test_code_fences_lose_the_checker_settings(pages: dict[str, str]):
    body = pages["skills/widgets/index.md"]
    assert "```python\nimport widget" in body
    assert '```python title="ok.py"\nprint("ok")' in body
    assert "~~~text\nwidgets/" in body
    assert "test=" not in body and "reason=" not in body and "example=" not in body


def test_bad_examples_become_a_dont_block_and_good_ones_a_do(pages: dict[str, str]):
    body = pages["skills/widgets/index.md"]
    bad = body.index("curl -s https://example.com/install.sh | sh")
    opener = body.rindex("/// danger | Don't", 0, bad)
    assert "attrs: {class: pb-dont}" in body[opener:bad]
    assert body.index("\n///\n", bad) < body.index("sha256sum")
    good = body.index("sha256sum")
    assert "/// success | Do\n" in body[bad:good]


def test_links_are_rewritten_for_the_site(pages: dict[str, str]):
    body = pages["skills/widgets/index.md"]
    assert "(references/deep.md#details)" in body
    assert "[gadgets](../gadgets/index.md)" in body
    assert "[guard hook](../../hooks/guard/index.md)" in body
    assert "[reviewer](../../agents/widget-reviewer/index.md)" in body
    assert "[the script](https://github.com/example/widgets-pack/blob/main/" \
           "skills/widgets/scripts/check.py)" in body
    assert "(https://example.com/widgets)" in body
    assert "![How widgets flow](assets/flow.svg)" in body


def test_a_reference_page_points_back_to_its_skill(pages: dict[str, str]):
    meta, body = front(pages["skills/widgets/references/deep.md"])
    assert meta["title"] == "Deep dive"
    assert meta["source_path"] == "skills/widgets/references/deep.md"
    assert "[Widgets](../index.md)" in body
    assert "Back to [the skill](../index.md)." in body


def test_a_link_that_leads_nowhere_is_left_for_strict_mode(repo: Path):
    path = repo / "skills/gadgets/SKILL.md"
    path.write_text(path.read_text() + "\nSee [missing](references/nope.md), [up](../../../x).\n")
    body = site.render(load_catalogue(repo))["skills/gadgets/index.md"].decode()
    assert "[missing](references/nope.md)" in body and "[up](../../../x)" in body


# --- agents and hooks --------------------------------------------------------------------------


def test_an_agent_page_shows_model_and_tools(pages: dict[str, str]):
    meta, body = front(pages["agents/widget-reviewer/index.md"])
    assert meta["title"] == "widget-reviewer"
    assert meta["source_path"] == "agents/widget-reviewer.md"
    card = body.split("</div>", 1)[0]
    assert "Reviews widgets." in card
    assert "[sonnet](../../guide/models.md)" in card
    assert "`Read` `Grep` `Glob`" in card
    assert "## Procedure" in body
    install = body.split("\n## Install\n", 1)[1]
    assert "--only widget-reviewer" in install and ".zip" not in install


def test_a_hook_page_shows_event_matcher_and_its_docstring(pages: dict[str, str]):
    meta, body = front(pages["hooks/guard/index.md"])
    assert meta["title"] == "guard"
    assert meta["description"] == "Block commands that break widgets."
    assert meta["source_path"] == "hooks/guard.py"
    card = body.split("</div>", 1)[0]
    assert "PreToolUse" in card and "`Bash`" in card and "10 s" in card
    assert "Allowing an exception: set `WIDGET_GUARD=off`." in body
    assert "--only guard" in body.split("\n## Install\n", 1)[1]


def test_a_hook_without_registration_says_so(repo: Path):
    (repo / "hooks/loose.py").write_text('"""Not registered."""\n')
    body = site.render(load_catalogue(repo))["hooks/loose/index.md"].decode()
    assert "not registered in hooks/hooks.json" in body


# --- catalogue pages ---------------------------------------------------------------------------


def test_the_skills_catalogue_groups_by_category_in_order(pages: dict[str, str]):
    meta, body = front(pages["skills/index.md"])
    assert meta["source_path"] == ""  # made from many files: no edit button
    assert body.index("## Languages") < body.index("## Patterns")
    assert "## Testing" not in body  # empty categories are left out
    assert "[Widgets](widgets/index.md)" in body
    assert "Checks widgets \\*fast\\*" in body
    assert "[gadgets](gadgets/index.md)" in body


def test_unknown_categories_come_after_the_known_ones(repo: Path):
    path = repo / "skills/gadgets/SKILL.md"
    path.write_text(path.read_text().replace("category: languages", "category: data"))
    body = site.render(load_catalogue(repo))["skills/index.md"].decode()
    assert body.index("## Patterns") < body.index("## Data")


def test_the_agents_catalogue_lists_models(pages: dict[str, str]):
    _meta, body = front(pages["agents/index.md"])
    assert "| [widget-reviewer](widget-reviewer/index.md) | sonnet |" in body


def test_the_hooks_catalogue_lists_events(pages: dict[str, str]):
    _meta, body = front(pages["hooks/index.md"])
    assert "| [guard](guard/index.md) | PreToolUse | `Bash` |" in body
    assert "| [fmt](fmt/index.md) | PostToolUse | `Write|Edit` |" in body


def test_the_tags_page_holds_the_listing_marker(pages: dict[str, str]):
    assert "<!-- material/tags -->" in pages["catalog/tags.md"]


def test_the_rule_table_has_every_rule(pages: dict[str, str]):
    meta, body = front(pages["catalog/rules.md"])
    assert meta["source_path"] == "scripts/playbook/rules.py"
    assert "hide" not in meta  # listed in the Guide section: its sidebar stays
    for code, rule in rules.RULES.items():
        assert f"[{code}](#{code.lower()}){{ #{code.lower()} }}" in body
        assert f"`{rule.name}`" in body


def test_fragments_for_the_guide_pages(pages: dict[str, str]):
    tdd = pages["generated/policy/test-driven-development-red-green-refactor.md"]
    assert tdd.startswith("1. **Red.** A failing test first.")
    assert "Default: `opusplan`" in pages["generated/policy/models.md"]
    assert "| [widget-reviewer](../agents/widget-reviewer/index.md) | sonnet |" \
        in pages["generated/agents.md"]
    assert "| [guard](../hooks/guard/index.md) | PreToolUse | `Bash` |" \
        in pages["generated/hooks.md"]


def test_every_owned_folder_carries_the_marker(repo: Path):
    rendered = site.render(load_catalogue(repo))
    for folder in content.GENERATED_DOCS:
        assert f"{folder}/{site.MARKER}" in rendered


def test_the_repository_url_has_a_default(tmp_path: Path):
    assert site.repo_url(tmp_path) == site.DEFAULT_REPO_URL
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert site.repo_url(tmp_path) == site.DEFAULT_REPO_URL


# --- writing -----------------------------------------------------------------------------------


def test_export_writes_then_a_second_run_writes_nothing(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    catalogue = load_catalogue(repo)
    first = site.export_site(catalogue, target, echo=lambda _line: None)
    assert "skills/widgets/index.md" in first.written and not first.removed
    assert (target / "skills/widgets/index.md").is_file()
    assert (target / "skills/widgets/widgets.zip").is_file()
    stamp = (target / "skills/widgets/index.md").stat().st_mtime_ns
    second = site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    assert second.written == [] and second.removed == []
    assert second.unchanged == len(first.written)
    assert (target / "skills/widgets/index.md").stat().st_mtime_ns == stamp


def test_a_change_rewrites_only_what_it_touches(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    agent = repo / "agents/widget-reviewer.md"
    agent.write_text(agent.read_text().replace("You review widgets.", "You review gizmos."))
    result = site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    assert result.written == ["agents/widget-reviewer/index.md"]


def test_a_removed_skill_loses_its_pages(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    for path in sorted((repo / "skills/widgets").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (repo / "skills/widgets").rmdir()
    result = site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    assert "skills/widgets/index.md" in result.removed
    assert not (target / "skills/widgets").exists()
    assert (target / "skills/gadgets/index.md").is_file()


def test_hand_written_pages_beside_the_owned_folders_are_untouched(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    (target / "guide").mkdir(parents=True)
    (target / "index.md").write_text("# Home\n")
    (target / "guide/tdd.md").write_text("# TDD\n")
    site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    assert (target / "index.md").read_text() == "# Home\n"
    assert (target / "guide/tdd.md").read_text() == "# TDD\n"


def test_a_folder_the_export_did_not_write_is_refused(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    (target / "agents").mkdir(parents=True)
    (target / "agents/mine.md").write_text("# Mine\n")
    with pytest.raises(ExportError, match="not written by the site export"):
        site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    assert (target / "agents/mine.md").read_text() == "# Mine\n"
    assert not (target / "skills").exists()


def test_an_empty_folder_is_taken_over(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    (target / "hooks").mkdir(parents=True)
    site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    assert (target / "hooks/guard/index.md").is_file()


def test_the_summary_line(repo: Path, tmp_path: Path):
    lines: list[str] = []
    site.export_site(load_catalogue(repo), tmp_path / "docs", echo=lines.append)
    assert len(lines) == 1 and lines[0].startswith("site: ") and "written" in lines[0]


# --- through the planner, and --dry-run -------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under root with its bytes (None for a folder)."""
    return {p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
            for p in sorted(root.rglob("*"))} if root.exists() else {}


def test_a_stale_page_is_removed_through_the_planner(repo: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "docs"
    site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    (target / "skills/widgets/old.md").write_text("# A page whose source is gone\n")
    reports: list[plan.Report] = []
    real = plan.execute

    def spy(*args: object, **kwargs: object) -> plan.Report:
        reports.append(real(*args, **kwargs))
        return reports[-1]

    monkeypatch.setattr(plan, "execute", spy)
    result = site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    assert result.removed == ["skills/widgets/old.md"] and result.written == []
    assert not (target / "skills/widgets/old.md").exists()
    [report] = reports
    assert [(c.rel, c.action) for c in report.changes] == [("skills/widgets/old.md", "remove")]


def test_dry_run_prints_the_plan_and_leaves_the_target_byte_identical(
        repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    target = tmp_path / "docs"
    assert export_main(["site", "--source", str(repo), "--target", str(target)]) == 0
    (repo / "agents/widget-reviewer.md").unlink()  # its page is now stale
    skill = repo / "skills/gadgets/SKILL.md"
    skill.write_text(skill.read_text() + "\nA new line.\n")
    before = snapshot(target)
    capsys.readouterr()
    assert export_main(["site", "--dry-run", "--source", str(repo), "--target",
                        str(target)]) == 0
    assert snapshot(target) == before
    out = capsys.readouterr().out
    assert "+A new line." in out
    assert "--- a/agents/widget-reviewer/index.md\n+++ /dev/null" in out
    assert "nothing written" in out.splitlines()[-1]


def test_dry_run_into_a_new_target_creates_nothing(repo: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]):
    target = tmp_path / "docs"
    result = site.export_site(load_catalogue(repo), target, echo=print, dry_run=True)
    assert not target.exists()
    assert "skills/widgets/index.md" in result.written
    out = capsys.readouterr().out
    assert "Binary files /dev/null and b/skills/widgets/widgets.zip differ" in out
    assert "+++ b/skills/widgets/index.md" in out


def test_dry_run_names_an_empty_stale_file(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    (target / "skills/empty.md").touch()
    lines: list[str] = []
    result = site.export_site(load_catalogue(repo), target, echo=lines.append, dry_run=True)
    assert result.removed == ["skills/empty.md"] and (target / "skills/empty.md").is_file()
    assert lines[0] == "remove skills/empty.md (empty)"


def test_the_module_command_has_a_dry_run(repo: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]):
    code = site.main(["--source", str(repo), "--target", str(tmp_path / "docs"), "--dry-run"])
    assert code == 0 and not (tmp_path / "docs").exists()
    assert "nothing written" in capsys.readouterr().out


# --- command lines -----------------------------------------------------------------------------


def test_the_export_command_writes_the_site(repo: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]):
    code = export_main(["site", "--source", str(repo), "--target", str(tmp_path / "docs")])
    assert code == 0
    assert (tmp_path / "docs/skills/widgets/index.md").is_file()
    assert "site: " in capsys.readouterr().out


def test_the_module_command_exports_once(repo: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]):
    code = site.main(["--source", str(repo), "--target", str(tmp_path / "docs")])
    assert code == 0 and (tmp_path / "docs/agents/index.md").is_file()


def test_the_module_command_reports_an_export_error(repo: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]):
    (tmp_path / "docs/skills").mkdir(parents=True)
    (tmp_path / "docs/skills/x.md").write_text("x")
    code = site.main(["--source", str(repo), "--target", str(tmp_path / "docs")])
    assert code == 1
    assert f": {rules.UNSAFE_PATH} refused" in capsys.readouterr().err


def test_the_module_runs_with_python_dash_m(repo: Path, tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "playbook.export.site", "--source", str(repo), "--target",
         str(tmp_path / "docs")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "docs/hooks/guard/index.md").is_file()


# --- watching ----------------------------------------------------------------------------------


def test_the_watcher_sees_a_changed_source(repo: Path):
    watcher = site.Watcher(repo)
    assert not watcher.changed()
    skill = repo / "skills/gadgets/SKILL.md"
    skill.write_text(skill.read_text() + "\nMore.\n")
    assert watcher.changed()
    assert not watcher.changed()
    (repo / "skills/gadgets/references").mkdir()
    (repo / "skills/gadgets/references/new.md").write_text("# New\n")
    assert watcher.changed()


def test_watch_reexports_on_change_until_stopped(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    lines: list[str] = []
    ticks = iter(range(3))

    def sleep(_seconds: float) -> None:
        step = next(ticks, None)
        if step == 0:
            skill = repo / "skills/gadgets/SKILL.md"
            skill.write_text(skill.read_text() + "\nChanged.\n")
        elif step is None:
            raise KeyboardInterrupt

    site.watch(repo, target, echo=lines.append, sleep=sleep)
    assert "Changed." in (target / "skills/gadgets/index.md").read_text()
    assert sum("written" in line for line in lines) == 2


def test_watch_survives_an_export_error(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    lines: list[str] = []
    ticks = iter(range(2))

    def sleep(_seconds: float) -> None:
        step = next(ticks, None)
        if step == 0:
            (repo / "skills/gadgets/SKILL.md").write_text("---\nname: [unclosed\n---\n")
        elif step is None:
            raise KeyboardInterrupt

    site.watch(repo, target, echo=lines.append, sleep=sleep)
    assert any("EXPORT" in line or "PB0" in line for line in lines)


def test_serve_exports_then_runs_mkdocs_with_the_watcher(repo: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    calls: list[list[str]] = []

    def fake_run(argv: list[str], **_kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(argv)
        return subprocess.CompletedProcess(argv, 0)

    started: list[bool] = []
    monkeypatch.setattr(serve.subprocess, "run", fake_run)
    monkeypatch.setattr(serve, "start_watcher", lambda *_a, **_k: started.append(True))
    code = site.main(["--source", str(repo), "--target", str(tmp_path / "docs"), "--serve",
                      "--", "--dev-addr", "127.0.0.1:8001"])
    assert code == 0 and started == [True]
    assert calls == [[sys.executable, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8001"]]
    assert (tmp_path / "docs/skills/index.md").is_file()


# --- the real repository -----------------------------------------------------------------------


def test_every_real_skill_agent_and_hook_gets_a_page():
    catalogue = load_catalogue()
    rendered = site.render(catalogue)
    for doc in catalogue.skills:
        meta, body = front(rendered[f"skills/{doc.name}/index.md"])
        assert meta["source_path"] == f"skills/{doc.name}/SKILL.md"
        assert '<div class="pb-card" markdown>' in body and "\n## Install\n" in body
        assert f"skills/{doc.name}/{doc.name}.zip" in rendered
    for doc in catalogue.references:
        skill = doc.path.parent.parent.name
        assert f"skills/{skill}/references/{doc.path.name}" in rendered
    for doc in catalogue.agents:
        meta, _body = front(rendered[f"agents/{doc.name}/index.md"])
        assert meta["source_path"] == f"agents/{doc.name}.md"
    for hook in catalogue.hooks:
        meta, _body = front(rendered[f"hooks/{hook.name}/index.md"])
        assert meta["source_path"] == f"hooks/{hook.name}.py"


def test_real_pages_carry_no_checker_settings_in_fences():
    rendered = site.render(load_catalogue())
    for rel, data in rendered.items():
        if rel.endswith(".md"):
            for line in data.decode("utf-8").splitlines():
                if line.lstrip().startswith(("```", "~~~")):
                    assert "test=" not in line and "example=" not in line, (rel, line)


def test_generated_docs_and_gitignore_agree():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    for folder in content.GENERATED_DOCS:
        assert f"docs/{folder}/" in ignored


# --- edges -------------------------------------------------------------------------------------


def test_a_query_only_link_is_left_alone(repo: Path):
    path = repo / "skills/gadgets/SKILL.md"
    path.write_text(path.read_text() + "\nSee [the query](?tab=1).\n")
    body = site.render(load_catalogue(repo))["skills/gadgets/index.md"].decode()
    assert "[the query](?tab=1)" in body


def test_without_the_policy_there_are_no_policy_fragments(repo: Path):
    (repo / "policy/tdd-and-models.md").unlink()
    rendered = site.render(load_catalogue(repo))
    assert not any(rel.startswith("generated/policy/") for rel in rendered)


def test_a_file_where_an_owned_folder_belongs_is_refused(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    target.mkdir()
    (target / "catalog").write_text("not a folder")
    with pytest.raises(ExportError, match="a file or symlink stands in its place"):
        site.export_site(load_catalogue(repo), target, echo=lambda _line: None)


def test_a_symlink_inside_an_owned_folder_is_refused(repo: Path, tmp_path: Path):
    target = tmp_path / "docs"
    site.export_site(load_catalogue(repo), target, echo=lambda _line: None)
    (target / "skills/link.md").symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(ExportError, match="a symlink in a folder the site export owns"):
        site.export_site(load_catalogue(repo), target, echo=lambda _line: None)


def test_the_watcher_reports_an_unexpected_failure_and_goes_on(repo: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(serve, "export_site", boom)
    lines: list[str] = []
    serve.export_logged(repo, tmp_path / "docs", lines.append)
    assert lines and (f"{rules.EXPORT_FAILED} the site export failed: "
                      "RuntimeError('disk on fire')") in lines[0]


def test_the_watcher_thread_runs_the_watch_loop(repo: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch):
    calls: list[tuple[Path, Path]] = []
    monkeypatch.setattr(serve, "watch", lambda root, target, echo: calls.append((root, target)))
    thread = serve.start_watcher(repo, tmp_path / "docs", print)
    thread.join(timeout=5)
    assert calls == [(repo, tmp_path / "docs")] and thread.daemon


def test_the_module_command_watches(repo: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch):
    calls: list[Path] = []
    monkeypatch.setattr(serve, "watch", lambda root, target: calls.append(target))
    assert site.main(["--source", str(repo), "--watch"]) == 0
    assert calls == [repo.resolve() / "docs"]
