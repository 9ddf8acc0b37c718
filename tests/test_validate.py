"""The validator's command line: output formats, exit codes, and no traceback on any input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playbook import content, rules
from playbook.validate import check_documents, main, validate

from tests.fixtures.content import LOCATED

BAD = """---
name: Widgets
description: Checks widgets.
---
# W
"""


def test_text_output_is_sorted_and_located(write, capsys) -> None:  # noqa: ANN001
    path = write("skills/widgets/SKILL.md", BAD)
    assert main([str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == sorted(lines)
    assert any(line.endswith("PB028 description must say when to use it: 'Use when ...'")
               for line in lines)
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in lines)


def test_json_output(write, capsys) -> None:  # noqa: ANN001
    path = write("skills/widgets/SKILL.md", BAD)
    assert main(["--format", "json", str(path)]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert {"path", "line", "col", "code", "message"} <= set(rows[0])
    assert {r["code"] for r in rows} >= {"PB022", "PB024", "PB028"}


def test_github_annotations(write, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    path = write("skills/widgets/SKILL.md", BAD)
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert "::error file=" in out and ",line=2,col=7,title=PB022::" in out


def test_clean_and_usage_exit_codes(skill, capsys) -> None:  # noqa: ANN001
    assert main([str(skill())]) == 0
    assert main(["/no/such/file.md"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_command_prints_located_lines_and_exits_1(write, tmp_path: Path) -> None:  # noqa: ANN001
    write("skills/widgets/SKILL.md", BAD)
    result = subprocess.run([sys.executable, "-m", "playbook.validate", "skills", "missing.md"],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    missing = LOCATED.match(result.stderr.splitlines()[0])
    assert missing and missing["path"] == "missing.md" and missing["code"] == rules.IO_ERROR
    result = subprocess.run([sys.executable, "-m", "playbook.validate", "skills"],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    found = [LOCATED.match(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1 and found and all(found), result.stdout
    assert {m["path"] for m in found} == {"skills/widgets/SKILL.md"}
    assert rules.DESCRIPTION_USE_WHEN in {m["code"] for m in found}


def test_bad_option_exits_2_without_traceback() -> None:
    result = subprocess.run([sys.executable, "-m", "playbook.validate", "--format", "xml"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_link_report_lists_external_links(write, capsys) -> None:  # noqa: ANN001
    path = write("docs/page.md", "# P\n\n[a](https://example.com/a) and https://example.org/b\n"
                 "\n```bash\ncurl https://in-code.example\n```\n")
    assert main(["--links", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.rsplit(": ", 1)[1] for line in out] == [
        "https://example.com/a", "https://example.org/b"]
    assert out[0].endswith(":3:5: https://example.com/a")


def test_repository_content_is_clean() -> None:
    problems = check_documents([content.load(p) for p in content.source_files()])
    assert problems == [], "\n".join(map(str, problems))


# --- fuzzing: whatever the bytes, a located problem list and never an exception ----------------

_PIECES = st.sampled_from([
    "---\n", "name: x\n", "description: Use when y.\n", "metadata:\n", "  a: [1\n", "\t",
    "key: : :\n", "- item\n", "```python\n", "```\n", "~~~\n", "````\n", "!!! note\n",
    "    code\n", "[l](x.md)\n", "<!-- c -->\n", "\u202e", "\u200b", "\r\n", "\ufeff",
    "name: no\n", "allowed-tools: [Bash]\n", "tools: Read, Bash\n", "&a [*a]\n", "!!python/x\n",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(_PIECES, max_size=25), noise=st.binary(max_size=40),
       kind=st.sampled_from(["skill", "agent", "page"]))
def test_fuzz_never_raises(tmp_path_factory, parts, noise, kind) -> None:  # noqa: ANN001
    root = tmp_path_factory.mktemp("fuzz")
    rel = {"skill": "skills/x/SKILL.md", "agent": "agents/x.md", "page": "docs/x.md"}[kind]
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(parts).encode("utf-8") + noise)
    problems = check_documents([content.load(Path(path))])
    for p in problems:
        assert p.line >= 1 and p.col >= 1 and p.code.startswith("PB")


def test_many_files_are_checked_in_parallel_with_the_same_result(write, tmp_path) -> None:  # noqa: ANN001
    from playbook import validate as module

    for i in range(module.PARALLEL_FROM + 5):
        write(f"docs/p{i:03d}.md", f"# Page {i}\n\nText.\n")
    write("docs/p007.md", "# Page\n\n[x](http://example.com)\n")
    found = module.validate([tmp_path / "docs"])
    assert [(p.path.rsplit("/", 1)[1], p.code) for p in found] == [("p007.md", "PB140")]


def test_broken_yaml_is_one_problem_not_a_cascade(write) -> None:  # noqa: ANN001
    path = write("skills/c/SKILL.md", "---\nname: c\ndescription: Use when x\nlicense: *nope\n"
                 "---\nbody\n")
    assert [(p.line, p.code) for p in validate([path])] == [(4, "PB007")]
