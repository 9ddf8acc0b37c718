"""export zip: one upload-ready archive per skill, the same bytes on every run."""

from __future__ import annotations

import zipfile
from pathlib import Path

from playbook.content import load_catalogue
from playbook.export import zips
from playbook.export.items import all_items

from tests.export.conftest import Run, contents


def test_one_zip_per_skill_with_skill_md_first(run: Run, source: Path, tmp_path: Path):
    target = tmp_path / "zips"
    code, _out, err = run("zip", "--target", target)
    assert code == 0, err
    assert sorted(p.name for p in target.iterdir()) == [".playbook.lock.json", "gadgets.zip",
                                                        "widgets.zip"]
    with zipfile.ZipFile(target / "widgets.zip") as archive:
        names = archive.namelist()
        assert names[0] == "widgets/SKILL.md"
        assert names[1:] == sorted(names[1:])
        assert set(names) == {"widgets/SKILL.md", "widgets/references/deep.md",
                              "widgets/scripts/check.sh", "widgets/assets/logo.png"}
        assert archive.read("widgets/SKILL.md") == (source / "skills/widgets/SKILL.md").read_bytes()
        infos = {i.filename: i for i in archive.infolist()}
        assert {i.date_time for i in infos.values()} == {(1980, 1, 1, 0, 0, 0)}
        assert infos["widgets/scripts/check.sh"].external_attr >> 16 == 0o100755
        assert infos["widgets/SKILL.md"].external_attr >> 16 == 0o100644
        assert archive.testzip() is None


def test_the_same_bytes_on_every_run(run: Run, source: Path, tmp_path: Path):
    run("zip", "--target", tmp_path / "a")
    (source / "skills/widgets/SKILL.md").touch()  # a newer mtime changes nothing
    run("zip", "--target", tmp_path / "b")
    assert contents(tmp_path / "a") == contents(tmp_path / "b")
    code, out, _err = run("zip", "--target", tmp_path / "a")
    assert code == 0 and "up to date" in out
    catalogue = load_catalogue(source)
    skill = next(item for item in all_items(catalogue) if item.name == "widgets")
    assert zips.skill_zip(skill) == (tmp_path / "a/widgets.zip").read_bytes()


def test_only_a_category_and_a_changed_skill_is_rewritten(run: Run, source: Path,
                                                          tmp_path: Path):
    target = tmp_path / "zips"
    code, _out, _err = run("zip", "--target", target, "--only", "languages")
    assert code == 0
    assert sorted(p.name for p in target.glob("*.zip")) == ["gadgets.zip"]
    run("zip", "--target", target)
    path = source / "skills/gadgets/SKILL.md"
    path.write_text(path.read_text() + "\nMore.\n")
    code, out, _err = run("zip", "--target", target)
    assert code == 0 and "updated 2" in out  # gadgets.zip and the manifest


def test_a_selection_without_skills_is_a_usage_error(run: Run, tmp_path: Path):
    code, _out, err = run("zip", "--target", tmp_path / "z", "--only", "agents")
    assert code == 2 and "holds no skill" in err


def test_a_zip_carries_only_the_portable_frontmatter(run: Run, source: Path, tmp_path: Path):
    """claude.ai accepts the six Agent Skills keys only: a Claude Code key stays out."""
    skill = source / "skills/widgets/SKILL.md"
    text = skill.read_text()
    skill.write_text(text.replace("---\n", "---\ndisable-model-invocation: true\n", 1))
    code, _out, err = run("zip", "--target", tmp_path / "zips")
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "zips/widgets.zip") as archive:
        assert archive.read("widgets/SKILL.md").decode() == text
