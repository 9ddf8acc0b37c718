"""JSON edited as text: the result parses to the expected value, the user's lines stay, and an
insertion followed by its removal gives back the original bytes."""

from __future__ import annotations

import json

import pytest
from playbook.export import jsonedit

DOCUMENTS = [
    "{}",
    "{}\n",
    '{\n  "a": 1\n}\n',
    '{\n    "a": [1, 2],\n    "b": {"c": null}\n}',
    '{\n\t"a": true,\n\t"hooks": {\n\t\t"Stop": []\n\t}\n}\n',
    '{"a": "x\\"y", "b": [], "c": {"d": [1, {"e": "}"}]}}',
    '  {\r\n  "a" : 1 , "esc\\\\" : "\\u00e9"\r\n}  ',
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_spans_locate_every_value(text: str):
    root = jsonedit.spans(text)
    assert json.loads(text[root.start:root.end]) == json.loads(text)
    for key, _start, node in root.members:
        assert json.loads(text[node.start:node.end]) == json.loads(text)[key]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_add_then_remove_a_member_round_trips(text: str):
    value = {"event": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "x"}]}]}
    added = jsonedit.add_member(text, jsonedit.spans(text), "new", value)
    assert json.loads(added) == {"new": value, **json.loads(text)}
    if "\n" in text.strip():  # a multi-line document keeps every line
        assert set(text.splitlines()) <= set(added.splitlines())
    assert jsonedit.remove_member(added, jsonedit.spans(added), "new") == text


@pytest.mark.parametrize("text", ['{"a": []}', '{\n  "a": [\n    1\n  ]\n}\n',
                                  '{"a": [1, 2, 3]}'])
def test_insert_then_remove_an_item_round_trips(text: str):
    array = jsonedit.spans(text).member("a")
    added = jsonedit.insert_items(text, array, [{"k": "v"}, 4])
    assert json.loads(added)["a"] == [{"k": "v"}, 4, *json.loads(text)["a"]]
    once = jsonedit.remove_item(added, jsonedit.spans(added).member("a"), 0)
    assert jsonedit.remove_item(once, jsonedit.spans(once).member("a"), 0) == text


def test_new_entries_follow_the_files_indentation():
    text = '{\n    "a": {\n        "b": 1\n    }\n}\n'
    added = jsonedit.add_member(text, jsonedit.spans(text).member("a"), "c", {"d": [1]})
    assert added == ('{\n    "a": {\n        "c": {\n            "d": [\n                1\n'
                     '            ]\n        },\n        "b": 1\n    }\n}\n')


def test_an_entry_in_an_empty_nested_object_is_indented_below_it():
    text = '{\n  "hooks": {}\n}\n'
    added = jsonedit.add_member(text, jsonedit.spans(text).member("hooks"), "Stop", [])
    assert added == '{\n  "hooks": {\n    "Stop": []\n  }\n}\n'


def test_removing_a_middle_or_last_item_takes_its_separator():
    text = '[1, 2, 3]'
    assert jsonedit.remove_item(text, jsonedit.spans(text), 1) == "[1, 3]"
    assert jsonedit.remove_item(text, jsonedit.spans(text), 2) == "[1, 2]"


def test_replace_value_and_duplicate_keys():
    text = '{"model": "a", "model": "b"}'
    root = jsonedit.spans(text)
    assert text[root.member("model").start:root.member("model").end] == '"b"'
    assert jsonedit.replace_value(text, root.member("model"), "c") == \
        '{"model": "a", "model": "c"}'
    assert jsonedit.remove_member(text, root, "model") == '{"model": "a"}'
    assert root.member("none") is None


def test_indent_unit_defaults_to_two_spaces():
    assert jsonedit.indent_unit("{}") == "  "
    assert jsonedit.indent_unit('{\n\t"a": 1}') == "\t"


def test_a_one_line_document_gets_a_one_line_entry():
    text = '{"a": 1}'
    assert jsonedit.add_member(text, jsonedit.spans(text), "b", [1, 2]) == '{"b": [1, 2], "a": 1}'
