"""Names are unique across skills and agents: a duplicate shadows the other in the client."""

from __future__ import annotations

from collections.abc import Iterator

from playbook import rules
from playbook.content import AGENT, SKILL, Document
from playbook.problems import Problem


def check(docs: list[Document]) -> Iterator[Problem]:
    first: dict[str, Document] = {}
    for doc in sorted(docs, key=lambda d: d.rel):
        if doc.kind not in (SKILL, AGENT):
            continue
        f = doc.frontmatter.get("name")
        name = f.value if f is not None and isinstance(f.value, str) else doc.name
        if name in first:
            line, col = (f.line, f.col) if f else (1, 1)
            yield Problem(doc.rel, line, col, rules.DUPLICATE_NAME,
                          f"name '{name}' is already used by {first[name].rel}")
        else:
            first[name] = doc
