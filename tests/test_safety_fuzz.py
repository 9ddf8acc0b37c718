"""Fuzzing the hidden-text rule: every invisible character is found at its exact position,
and ordinary text (any script, emoji without joiners, code) never is."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from playbook import rules
from playbook.checks.safety import hidden_text
from playbook.content import Document, parse

HIDDEN = {
    rules.BIDI_CONTROL: [*"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"],
    rules.ZERO_WIDTH: [*"\u200b\u200c\u200d\u2060\ufeff"],
    rules.TAG_CHARACTER: [chr(c) for c in (0xE0001, 0xE0020, 0xE0041, 0xE007F)],
}
ALL_HIDDEN = {ch: code for code, chars in HIDDEN.items() for ch in chars}

visible = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), blacklist_characters="\r"
    ),
    max_size=60,
)


def doc_of(text: str) -> Document:
    return parse(Document(path=Path("docs/x.md"), rel="docs/x.md", kind="page"),
                 text.encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(visible, min_size=1, max_size=8))
def test_visible_text_is_never_flagged(lines: list[str]) -> None:
    assert list(hidden_text(doc_of("\n".join(lines) + "\n"))) == []


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(visible, min_size=1, max_size=8), data=st.data())
def test_each_hidden_character_is_found_where_it_is(lines: list[str], data) -> None:  # noqa: ANN001
    row = data.draw(st.integers(0, len(lines) - 1))
    col = data.draw(st.integers(0, len(lines[row])))
    char = data.draw(st.sampled_from(sorted(ALL_HIDDEN)))
    lines[row] = lines[row][:col] + char + lines[row][col:]
    doc = doc_of("\n".join(lines) + "\n")
    found = [(p.line, p.col, p.code) for p in [*doc.problems, *hidden_text(doc)]]
    expected = [(row + 1, col + 1, ALL_HIDDEN[char])]
    if char == "\ufeff" and (row, col) == (0, 0):
        expected = [(1, 1, rules.BOM)]  # at the very start it is a byte-order mark
        if not "\n".join(lines)[1:].strip():
            expected.append((1, 1, rules.EMPTY_FILE))  # and nothing else is in the file
    assert found == expected
