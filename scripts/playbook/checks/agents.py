"""Agent frontmatter: the subagent fields Claude Code documents, with real tool names."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from playbook import rules, schema
from playbook.checks.fields import at, at_node, check_description, check_name, check_required
from playbook.content import AGENT, Document, is_plain, split_tools
from playbook.problems import Problem

_TYPES = {"str": str, "int": int, "bool": bool}


def check(doc: Document) -> Iterator[Problem]:
    if doc.kind != AGENT or not doc.yaml_ok or not doc.text:
        return
    for key, f in doc.frontmatter.items():
        expected = schema.AGENT_KEYS.get(key)
        if expected is None:
            yield at(doc, f, rules.AGENT_UNKNOWN_KEY, f"unknown agent key '{key}'")
            continue
        py_type = _TYPES.get(expected)
        if py_type is not None and not (
            isinstance(f.value, py_type) and not (py_type is int and isinstance(f.value, bool))
        ):
            if py_type is str and is_plain(f.node):
                yield at(doc, f, rules.YAML11_SURPRISE,
                         f"'{f.node.value}' is read by YAML 1.1 as {type(f.value).__name__}, "
                         "not a string: quote it")
            else:
                yield at(doc, f, rules.AGENT_FIELD, f"{key} must be of type {expected}")
            continue
        allowed = schema.AGENT_ENUMS.get(key)
        if allowed and f.value not in allowed:
            yield at(doc, f, rules.AGENT_FIELD,
                     f"{key} '{f.value}' is not one of {', '.join(allowed)}")
    yield from check_required(doc, schema.AGENT_REQUIRED)
    yield from check_name(doc)
    yield from check_description(doc, require_use_when=False)
    yield from _tools(doc, "tools")
    yield from _tools(doc, "disallowedTools")
    model = doc.frontmatter.get("model")
    if model is not None and isinstance(model.value, str):
        if model.value not in schema.AGENT_MODELS and not schema.AGENT_MODEL_ID.match(model.value):
            yield at(doc, model, rules.AGENT_MODEL, f"model '{model.value}' is not one of "
                     f"{', '.join(schema.AGENT_MODELS)} or a full claude-... model id")
    color = doc.frontmatter.get("color")
    if color is not None and isinstance(color.value, str):
        if color.value not in schema.AGENT_COLORS:
            yield at(doc, color, rules.AGENT_COLOR, f"color '{color.value}' is not one of "
                     f"{', '.join(schema.AGENT_COLORS)}")


def _tools(doc: Document, key: str) -> Iterator[Problem]:
    f = doc.frontmatter.get(key)
    if f is None:
        return
    if not isinstance(f.value, (str, list)):
        yield at(doc, f, rules.AGENT_FIELD, f"{key} must be a comma-separated string or a list")
        return
    if isinstance(f.node, yaml.SequenceNode):
        for item in f.node.value:
            if not schema.is_known_tool(str(item.value)):
                yield at_node(doc, item, rules.AGENT_TOOL,
                              f"'{item.value}' is not a Claude Code tool or mcp__server__tool")
        return
    for entry in split_tools(f.value):
        if not schema.is_known_tool(entry):
            yield at(doc, f, rules.AGENT_TOOL,
                     f"'{entry}' is not a Claude Code tool or mcp__server__tool")
