"""The content model: one parse per file, with the positions every tool reports."""

from __future__ import annotations

import json
from pathlib import Path

from playbook import content, rules
from playbook.content import load, parse_info, split_tools

DOC = """---
name: widgets
description: "Checks widgets. Use when widgets break."
metadata:
  category: patterns
---
# Widgets

See [the guide](references/guide.md) and ![logo](assets/logo.png).

```python title="a.py" group="g"
print(1)
```

~~~bash
echo hi
~~~

````markdown
```python
inner = True
```
````

- item

  ```yaml
  a: 1
  ```
"""


def test_frontmatter_values_carry_their_position(write) -> None:  # noqa: ANN001
    doc = load(write("skills/widgets/SKILL.md", DOC))
    assert doc.kind == content.SKILL and doc.problems == []
    name = doc.frontmatter["name"]
    assert (name.value, name.line, name.col) == ("widgets", 2, 7)
    assert doc.frontmatter["description"].line == 3
    assert doc.get("metadata") == {"category": "patterns"}
    assert doc.body_line == 7


def test_every_fence_kind_is_a_block_with_lines(write) -> None:  # noqa: ANN001
    doc = load(write("skills/widgets/SKILL.md", DOC))
    assert [(b.lang, b.start_line, b.end_line) for b in doc.blocks] == [
        ("python", 11, 13), ("bash", 15, 17), ("markdown", 19, 23), ("yaml", 27, 29),
    ]
    first = doc.blocks[0]
    assert first.settings == {"title": "a.py", "group": "g"} and first.source == "print(1)\n"
    assert doc.text[first.start_index:first.end_index] == "print(1)\n"
    assert doc.blocks[3].source == "a: 1\n"  # de-indented inside the list item


def test_links_are_located(write) -> None:  # noqa: ANN001
    doc = load(write("skills/widgets/SKILL.md", DOC))
    assert [(link.target, link.line, link.col) for link in doc.links] == [
        ("references/guide.md", 9, 17), ("assets/logo.png", 9, 50),
    ]


def test_kind_follows_the_location(write) -> None:  # noqa: ANN001
    write("skills/widgets/SKILL.md", DOC)
    assert load(write("skills/widgets/references/guide.md", "# Guide\n")).kind == "reference"
    assert load(write("agents/x.md", "---\nname: x\n---\n")).kind == "agent"
    assert load(write("docs/index.md", "# Home\n")).kind == "page"


def test_info_strings() -> None:
    assert parse_info('py test="skip" reason="needs a server"') == (
        "python", {"test": "skip", "reason": "needs a server"}, [])
    lang, settings, errors = parse_info("ts test=skip weird")
    assert lang == "typescript" and settings == {}
    assert "must be quoted" in errors[0] and "cannot read 'weird'" in errors[1]
    assert "unknown setting 'colour'" in parse_info('bash colour="red"')[2][0]


def test_tool_lists() -> None:
    assert split_tools("Read, Grep Bash(git log:*)") == ["Read", "Grep", "Bash(git log:*)"]
    assert split_tools(["Read", " Write "]) == ["Read", "Write"]
    assert split_tools(None) == []


def test_unreadable_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    doc = load(tmp_path / "missing" / "SKILL.md")
    assert [p.code for p in doc.problems] == [rules.IO_ERROR]  # not PB001: it is no encoding


def test_hooks_load_with_their_registrations(write, tmp_path: Path) -> None:  # noqa: ANN001
    write("hooks/guard.py", '"""Blocks bad things.\n\nMore."""\n')
    write("hooks/_helper.py", "")
    write("hooks/hooks.json", json.dumps({"hooks": {"PreToolUse": [{
        "matcher": "Write|Edit",
        "hooks": [{"type": "command", "command": 'python3 "${CLAUDE_PLUGIN_ROOT}/hooks/guard.py"',
                   "timeout": 10}]}]}}))
    [hook] = content.load_hooks(tmp_path)
    assert hook.name == "guard" and hook.title == "Blocks bad things."
    assert hook.registrations[0]["event"] == "PreToolUse"
    assert hook.registrations[0]["matcher"] == "Write|Edit"


def test_catalogue_of_a_repository(write, tmp_path: Path) -> None:  # noqa: ANN001
    write("skills/widgets/SKILL.md", DOC)
    write("skills/widgets/references/guide.md", "# Guide\n")
    write("agents/rev.md", "---\nname: rev\ndescription: d\n---\n")
    write("docs/index.md", "# Home\n")
    write("docs/generated/skip.md", "# generated\n")
    cat = content.load_catalogue(tmp_path)
    assert [d.name for d in cat.skills] == ["widgets"]
    assert len(cat.references) == 1 and len(cat.agents) == 1
    assert [d.path.name for d in cat.pages] == ["index.md"]
    assert len(cat.documents) == 4


def test_the_repository_itself_parses_cleanly() -> None:
    cat = content.load_catalogue()
    for doc in cat.documents:
        assert doc.text, doc.rel


def test_exported_site_pages_are_not_sources(write, tmp_path: Path) -> None:  # noqa: ANN001
    write("docs/index.md", "# Home\n")
    write("docs/skills/python/index.md", "# exported\n")
    write("docs/catalog/rules.md", "# exported\n")
    assert [p.name for p in content.expand([tmp_path / "docs"])] == ["index.md"]


def test_external_links_are_told_from_local_ones() -> None:
    for target in ("https://example.com", "mailto:a@example.com", "//cdn.example.com/x.js"):
        assert content.is_external(target), target
    for target in ("references/deep.md", "../x.md#part", "#anchor", "x.md"):
        assert not content.is_external(target), target


def test_a_link_path_drops_fragment_and_query_and_decodes() -> None:
    assert content.link_path("references/my%20deep.md?x=1#details") == "references/my deep.md"
    assert content.link_path("#only-an-anchor") == ""


def test_split_title_takes_a_leading_h1_only() -> None:
    assert content.split_title("\n# C#\n\nBody\n") == ("C#", "\nBody\n")
    assert content.split_title("# Title ##\nBody") == ("Title", "Body")
    assert content.split_title("Intro\n# Later\n") == (None, "Intro\n# Later\n")
    assert content.split_title("## Not a title\n") == (None, "## Not a title\n")


def test_sections_split_on_h2_outside_code_blocks(write) -> None:  # noqa: ANN001
    doc = load(write("policy/p.md", "# Policy\n\nIntro.\n\n## One\n\nFirst.\n\n```bash\n"
                                    "## not a heading\n```\n\n### Deeper\n\n## Two\nSecond.\n"))
    assert content.sections(doc) == [
        ("One", "\nFirst.\n\n```bash\n## not a heading\n```\n\n### Deeper\n"),
        ("Two", "Second.\n"),
    ]
