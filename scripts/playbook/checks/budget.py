"""The catalogue's on-invoke budget: a task loads several skills, so the typical one stays lean."""

from __future__ import annotations

from collections.abc import Iterator
from statistics import median

from playbook import rules, schema
from playbook.content import SKILL, Document
from playbook.problems import Problem


def check(docs: list[Document]) -> Iterator[Problem]:
    skills = sorted((d for d in docs if d.kind == SKILL and d.text),
                    key=lambda d: d.body_tokens, reverse=True)
    if not skills:
        return
    typical = median(d.body_tokens for d in skills)
    if typical <= schema.BODY_MEDIAN_TOKENS:
        return
    costliest = ", ".join(f"{d.name} ~{d.body_tokens:,}" for d in skills[:3])
    yield Problem(skills[0].rel, skills[0].body_line, 1, rules.CATALOGUE_COST,
                  f"the median skill body costs about {typical:,.0f} tokens (budget "
                  f"{schema.BODY_MEDIAN_TOKENS:,}); the costliest: {costliest}")
