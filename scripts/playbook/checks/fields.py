"""Helpers shared by the skill and agent checks: located problems for frontmatter values."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from playbook import rules, schema
from playbook.content import Document, Field, scalar_surprise
from playbook.problems import Problem


def at(doc: Document, f: Field | None, code: str, message: str) -> Problem:
    if f is None:
        return Problem(doc.rel, 1, 1, code, message)
    return Problem(doc.rel, f.line, f.col, code, message)


def at_node(doc: Document, node: yaml.Node, code: str, message: str) -> Problem:
    return Problem(doc.rel, doc.frontmatter_line + node.start_mark.line,
                   node.start_mark.column + 1, code, message)


def surprises(doc: Document, node: yaml.Node) -> Iterator[Problem]:
    """A problem for every plain scalar under ``node`` that YAML 1.1 reads as a non-string."""
    if isinstance(node, yaml.ScalarNode):
        why = scalar_surprise(node)
        if why:
            yield at_node(doc, node, rules.YAML11_SURPRISE, why)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from surprises(doc, item)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from surprises(doc, value)


def name_errors(name: object) -> Iterator[tuple[str, str]]:
    """``(code, message)`` for each rule a skill or agent name breaks by itself (the validator
    and ``playbook new`` share them)."""
    if not isinstance(name, str) or not name:
        yield rules.NAME_PATTERN, "name must be a non-empty string"
        return
    if not schema.NAME_PATTERN.match(name):
        yield (rules.NAME_PATTERN,
               f"name '{name}' must be lowercase letters and digits joined by single hyphens")
    if len(name) > schema.NAME_MAX:
        yield (rules.NAME_TOO_LONG,
               f"name is {len(name)} characters; the limit is {schema.NAME_MAX}")
    for word in schema.RESERVED_WORDS:
        if word in name.lower():
            yield rules.NAME_RESERVED, f"name '{name}' contains the reserved word '{word}'"


def check_name(doc: Document) -> Iterator[Problem]:
    f = doc.frontmatter.get("name")
    if f is None:
        return
    for code, message in name_errors(f.value):
        yield at(doc, f, code, message)
    if isinstance(f.value, str) and f.value and f.value != doc.name:
        where = "folder" if doc.kind == "skill" else "file name"
        yield at(doc, f, rules.NAME_MISMATCH,
                 f"name '{f.value}' does not match its {where} '{doc.name}'")


def check_description(doc: Document, require_use_when: bool) -> Iterator[Problem]:
    f = doc.frontmatter.get("description")
    if f is None:
        return
    text = f.value
    if not isinstance(text, str) or not text.strip():
        yield at(doc, f, rules.DESCRIPTION_LENGTH, "description must be a non-empty string")
        return
    if len(text) > schema.DESCRIPTION_MAX:
        yield at(doc, f, rules.DESCRIPTION_LENGTH,
                 f"description is {len(text)} characters; the limit is {schema.DESCRIPTION_MAX}")
    if "<" in text or ">" in text:
        yield at(doc, f, rules.DESCRIPTION_ANGLE_BRACKETS,
                 "description must not contain '<' or '>'")
    if require_use_when and "use when" not in text.lower():
        yield at(doc, f, rules.DESCRIPTION_USE_WHEN,
                 "description must say when to use it: 'Use when ...'")


def check_required(doc: Document, keys: tuple[str, ...]) -> Iterator[Problem]:
    for key in keys:
        if key not in doc.frontmatter:
            yield Problem(doc.rel, 1, 1, rules.MISSING_KEY, f"missing required key '{key}'")
