"""Versions: content names the versions of ``policy/versions.toml``, and skills agree.

A document check (``rules.VERSION_MISMATCH``) reports a tool version in frontmatter, prose or code
that differs from the table; a catalogue check (``rules.VERSION_DISAGREE``) reports two skills
whose ``metadata.versions`` name different majors of a tool the table does not list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from playbook import rules, versions
from playbook.content import SKILL, Document
from playbook.problems import Problem

# "pydantic 2.14", "Jest 30", "azurerm 4.x", "hashicorp/aws 6.x": a name, then a version.
_ITEM = re.compile(r"^\s*([A-Za-z@][\w@/.+-]*(?: [A-Za-z][\w/+-]*)?) v?(\d+(?:\.\d+)*)")


_NOT_TOOLS = {"rfc", "c#", "edition", "semantic", "opentelemetry"}


def check(doc: Document) -> Iterator[Problem]:
    if not versions.checked_kinds(doc):
        return
    for m in versions.mentions(doc):
        if m.allowed or m.tool.agrees(m.version):
            continue
        taught = m.tool.version + "".join(f", {v}" for v in m.tool.accept)
        yield Problem(doc.rel, m.line, m.col, rules.VERSION_MISMATCH,
                      f"{m.tool.key} {m.version}: the pack teaches {taught} "
                      "(policy/versions.toml)")


def check_catalogue(docs: list[Document]) -> Iterator[Problem]:
    tools, broken = versions.load()
    if broken is not None:
        yield broken  # once for the run, not once per document
    listed = {t.key for t in tools}
    first: dict[str, tuple[str, Document]] = {}
    for doc in sorted(docs, key=lambda d: d.rel):
        if doc.kind != SKILL:
            continue
        for name, version, line, col in _listed_versions(doc):
            key = name.lower()
            if key.split(" ")[0].removesuffix(".js") in listed | _NOT_TOOLS:
                continue  # the table decides those; standards are not tools
            if key not in first or first[key][1] is doc:
                first[key] = (version, doc)
                continue
            seen, other = first[key]
            if seen.split(".")[0] != version.split(".")[0]:
                yield Problem(doc.rel, line, col, rules.VERSION_DISAGREE,
                              f"{name} {version}: {other.rel} says {name} {seen}; "
                              "settle it in policy/versions.toml")


def _listed_versions(doc: Document) -> Iterator[tuple[str, str, int, int]]:
    metadata = doc.frontmatter.get("metadata")
    if metadata is None or not isinstance(metadata.value, dict):
        return
    text = metadata.value.get("versions")
    if not isinstance(text, str):
        return
    line, col = _position(metadata, "versions")
    for item in re.split(r",|\(|\)|;", text):
        m = _ITEM.match(item)
        if m:
            yield m.group(1), m.group(2), line, col


def _position(metadata: object, key: str) -> tuple[int, int]:
    node = getattr(metadata, "node", None)
    for key_node, value_node in getattr(node, "value", ()):
        if getattr(key_node, "value", None) == key:
            return metadata.line + value_node.start_mark.line - node.start_mark.line, \
                value_node.start_mark.column + 1
    return metadata.line, metadata.col
