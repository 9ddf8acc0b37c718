"""Relative links resolve; skills link their references one level deep; no hidden containers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from playbook import rules
from playbook.content import GENERATED_DOCS, PAGE, SKILL, Document, is_external, link_path
from playbook.problems import Problem


def check_document(doc: Document) -> Iterator[Problem]:
    for line in doc.indented_containers:
        yield Problem(doc.rel, line, 1, rules.INDENTED_CONTAINER,
                      "indented !!!/===/??? container: use /// note or /// tab blocks")
    for link in doc.links:
        if is_external(link.target) or link.target.startswith("#") or not link.target:
            continue
        local = link_path(link.target)
        if not local:
            continue
        target = (doc.path.parent / local).resolve()
        if doc.kind == SKILL and local.startswith("references/"):
            if local.count("/") > 1:
                yield Problem(doc.rel, link.line, link.col, rules.REFERENCE_LINK,
                              f"'{local}' is nested: keep references one level deep")
            elif not target.is_file():
                yield Problem(doc.rel, link.line, link.col, rules.REFERENCE_LINK,
                              f"reference '{local}' does not exist")
            continue
        if target.exists() or (doc.kind == PAGE and _generated(doc.path, target)):
            continue
        yield Problem(doc.rel, link.line, link.col, rules.BROKEN_LINK,
                      f"link target '{local}' not found")


def _generated(page: Path, target: Path) -> bool:
    docs = next((p for p in page.resolve().parents if p.name == "docs"), None)
    if docs is None:
        return False
    try:
        first = target.relative_to(docs).parts[0]
    except (ValueError, IndexError):
        return False
    return first in GENERATED_DOCS  # checked by `mkdocs build --strict` once exported
