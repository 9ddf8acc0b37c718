"""Edit a JSON document as text, so that every byte we do not change stays as the user wrote it.

``json.loads`` + ``json.dumps`` would reformat a user's ``settings.json`` (their indentation,
their one-line arrays). Instead we locate values in the text (:func:`spans`) and splice: a new
member or array item goes *before* the first one, with the separator the others use, so none of
the user's lines changes (appending would add a comma to their last line); a removal cuts
exactly the text an insertion added. Inserting then removing gives back the original bytes.

The text must already be valid JSON (the caller has run ``json.loads`` on it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_WS = " \t\r\n"


@dataclass
class Node:
    """A JSON value located in the text: ``text[start:end]``."""

    kind: str  # "object", "array" or "scalar"
    start: int
    end: int
    members: list[tuple[str, int, Node]] = field(default_factory=list)  # key, key start, value
    items: list[Node] = field(default_factory=list)

    def member(self, key: str) -> Node | None:
        found = None
        for name, _start, value in self.members:
            if name == key:
                found = value  # the last duplicate wins, as in json.loads
        return found


def spans(text: str) -> Node:
    node, pos = _value(text, _skip(text, 0))
    return node


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _string_end(text: str, pos: int) -> int:
    pos += 1
    while text[pos] != '"':
        pos += 2 if text[pos] == "\\" else 1
    return pos + 1


def _value(text: str, pos: int) -> tuple[Node, int]:
    ch = text[pos]
    if ch == "{":
        node = Node("object", pos, pos)
        pos = _skip(text, pos + 1)
        while text[pos] != "}":
            key_start = pos
            key_end = _string_end(text, pos)
            key = json.loads(text[key_start:key_end])
            pos = _skip(text, _skip(text, key_end) + 1)  # past the colon
            value, pos = _value(text, pos)
            node.members.append((key, key_start, value))
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
        node.end = pos + 1
        return node, pos + 1
    if ch == "[":
        node = Node("array", pos, pos)
        pos = _skip(text, pos + 1)
        while text[pos] != "]":
            value, pos = _value(text, pos)
            node.items.append(value)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
        node.end = pos + 1
        return node, pos + 1
    if ch == '"':
        end = _string_end(text, pos)
        return Node("scalar", pos, end), end
    match = re.compile(r"[^,\]}\s]+").match(text, pos)
    assert match is not None
    return Node("scalar", pos, match.end()), match.end()


def indent_unit(text: str) -> str:
    """The file's indentation step: the leading whitespace of its first indented line."""
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else "  "


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    match = re.match(r"[ \t]*", text[start:])
    return match.group(0) if match else ""


def _separator(text: str, container: Node, first: int | None) -> tuple[str, str]:
    """The text before an entry (``"\n    "``) and, for an empty container, before its close."""
    if first is not None:
        return text[container.start + 1:first], ""
    base = _line_indent(text, container.start)
    newline = "\r\n" if "\r\n" in text else "\n"
    return newline + base + indent_unit(text), newline + base


def _dump(value: Any, text: str, sep: str) -> str:
    if "\n" not in sep:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    base = sep.rsplit("\n", 1)[1]
    newline = "\r\n" if "\r\n" in text else "\n"
    dumped = json.dumps(value, ensure_ascii=False, indent=indent_unit(text))
    return dumped.replace("\n", newline + base)


def _insert_first(text: str, container: Node, first: int | None, entries: list[str]) -> str:
    """Put entries before the container's first one, so that no line of the user's changes
    (appending would add a comma to their last line)."""
    sep, close = _separator(text, container, first)
    joined = ",".join(sep + entry for entry in entries)
    if first is None:
        return text[:container.start + 1] + joined + close + text[container.end - 1:]
    comma = "," if sep else ", "  # '{"a": 1}' becomes '{"new": 2, "a": 1}'
    return text[:container.start + 1] + joined + comma + text[container.start + 1:]


def add_member(text: str, obj: Node, key: str, value: Any) -> str:
    """Add ``"key": value`` as the object's first member."""
    first = obj.members[0][1] if obj.members else None
    sep = _separator(text, obj, first)[0]
    entry = json.dumps(key, ensure_ascii=False) + ": " + _dump(value, text, sep)
    return _insert_first(text, obj, first, [entry])


def insert_items(text: str, array: Node, values: list[Any]) -> str:
    """Add ``values`` before the array's first item."""
    first = array.items[0].start if array.items else None
    sep = _separator(text, array, first)[0]
    return _insert_first(text, array, first, [_dump(v, text, sep) for v in values])


def replace_value(text: str, node: Node, value: Any) -> str:
    sep = "\n" + _line_indent(text, node.start) if "\n" in text else " "
    return text[:node.start] + _dump(value, text, sep) + text[node.end:]


def _cut(text: str, container: Node, starts: list[int], ends: list[int], index: int) -> str:
    if len(starts) == 1:
        return text[:container.start + 1] + text[container.end - 1:]
    if index > 0:
        return text[:ends[index - 1]] + text[ends[index]:]
    return text[:starts[0]] + text[starts[1]:]


def remove_item(text: str, array: Node, index: int) -> str:
    """Remove the array's item ``index`` with the separator that came with it."""
    return _cut(text, array, [i.start for i in array.items], [i.end for i in array.items], index)


def remove_member(text: str, obj: Node, key: str) -> str:
    keys = [k for k, _s, _v in obj.members]
    index = len(keys) - 1 - keys[::-1].index(key)
    return _cut(text, obj, [s for _k, s, _v in obj.members],
                [v.end for _k, _s, v in obj.members], index)
