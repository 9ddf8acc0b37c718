"""Skill frontmatter and body: the portable Agent Skills rules plus our own limits."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from playbook import rules, schema
from playbook.checks.fields import (
    at,
    at_node,
    check_description,
    check_name,
    check_required,
    surprises,
)
from playbook.content import SKILL, Document
from playbook.problems import Problem


def check(doc: Document) -> Iterator[Problem]:
    if doc.kind != SKILL or not doc.yaml_ok or not doc.text:
        return
    for key, f in doc.frontmatter.items():
        if key not in schema.SKILL_KEYS:
            allowed = ", ".join(schema.SKILL_KEYS)
            yield at(doc, f, rules.SKILL_UNKNOWN_KEY,
                     f"unknown key '{key}': only {allowed} are portable "
                     "(put your own fields under metadata)")
        else:
            yield from surprises(doc, f.node)
    yield from check_required(doc, schema.SKILL_REQUIRED)
    yield from check_name(doc)
    yield from check_description(doc, require_use_when=True)
    yield from _metadata(doc)
    yield from _allowed_tools(doc)
    for key in ("license", "compatibility"):
        f = doc.frontmatter.get(key)
        if f is not None and not isinstance(f.value, str):
            yield at(doc, f, rules.FIELD_TYPE, f"{key} must be a string")
    comp = doc.frontmatter.get("compatibility")
    if comp is not None and isinstance(comp.value, str) and len(comp.value) > 500:
        yield at(doc, comp, rules.FIELD_TYPE,
                 f"compatibility is {len(comp.value)} characters; the limit is 500")
    if doc.body_lines > schema.BODY_MAX_LINES:
        yield Problem(doc.rel, doc.body_line + schema.BODY_MAX_LINES, 1, rules.BODY_TOO_LONG,
                      f"body is {doc.body_lines} lines; keep it under {schema.BODY_MAX_LINES} "
                      "and move depth into references/")
    yield from _repository_first(doc)
    if doc.body_tokens > schema.BODY_MAX_TOKENS:
        limit = schema.BODY_MAX_TOKENS * schema.CHARS_PER_TOKEN
        line = doc.body_line + doc.body[:limit].count("\n")
        yield Problem(doc.rel, line, 1, rules.BODY_COST,
                      f"the body costs about {doc.body_tokens:,} tokens each time the skill loads "
                      f"(limit {schema.BODY_MAX_TOKENS:,}); the limit falls on this line: move "
                      "depth into references/")


def _repository_first(doc: Document) -> Iterator[Problem]:
    metadata = doc.get("metadata")
    category = metadata.get("category") if isinstance(metadata, dict) else None
    if (category in schema.REPOSITORY_FIRST_CATEGORIES
            and schema.REPOSITORY_FIRST not in doc.body.lower()):
        yield Problem(doc.rel, doc.body_line, 1, rules.REPOSITORY_FIRST,
                      f"a {category} skill says nothing of the repository's own tools: add a "
                      "paragraph that opens with **Respect the repository first.**")


def _metadata(doc: Document) -> Iterator[Problem]:
    f = doc.frontmatter.get("metadata")
    if f is None:
        return
    if not isinstance(f.node, yaml.MappingNode):
        yield at(doc, f, rules.METADATA_STRINGS,
                 "metadata must be a mapping of string keys to string values")
        return
    for key_node, value_node in f.node.value:
        if not isinstance(value_node, yaml.ScalarNode):
            yield at_node(doc, value_node, rules.METADATA_STRINGS,
                          f"metadata.{key_node.value} must be a string, "
                          "not a list or mapping (write 'a, b')")


def _allowed_tools(doc: Document) -> Iterator[Problem]:
    f = doc.frontmatter.get("allowed-tools")
    if f is None:
        return
    node = f.node
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        yield at(doc, f, rules.ALLOWED_TOOLS_FORMAT,
                 "allowed-tools is a flow list, which skills-ref rejects: "
                 "write one space-separated string")
    elif not isinstance(f.value, str):
        yield at(doc, f, rules.ALLOWED_TOOLS_FORMAT,
                 "allowed-tools must be one space-separated string")
