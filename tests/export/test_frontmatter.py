"""The frontmatter helpers the exporters share: a file without frontmatter passes through."""

from __future__ import annotations

from playbook.export import frontmatter


def test_text_without_frontmatter_is_all_body_and_kept_as_it_is():
    for text in ("# Title\n", "---\nname: x\nno closing fence\n", ""):
        assert frontmatter.split(text) == ([], text)
        assert frontmatter.keep(text, {"name"}) == text
        assert frontmatter.load(text) == ({}, text)


def test_keep_drops_a_key_with_its_continuation_lines():
    text = "---\nname: x\nwhen_to_use: |\n  a\n  b\nlicense: MIT\n---\nBody.\n"
    assert frontmatter.keep(text, {"name", "license"}) == "---\nname: x\nlicense: MIT\n---\nBody.\n"


def test_dump_writes_keys_in_order_and_loads_back():
    text = frontmatter.dump({"name": "x", "tools": ["a", "b"]}, "\nBody.\n")
    assert text.startswith("---\nname: x\ntools:\n")
    assert frontmatter.load(text) == ({"name": "x", "tools": ["a", "b"]}, "\nBody.\n")
