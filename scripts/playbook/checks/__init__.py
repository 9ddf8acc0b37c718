"""The validator's checks: one small function per rule family, registered in two lists.

A document check takes one parsed Document and yields Problems; a catalogue check sees every
loaded document at once (names, links). Rule codes and their explanations live in
``playbook.rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from playbook.content import Document
from playbook.problems import Problem

DocumentCheck = Callable[[Document], Iterable[Problem]]
CatalogueCheck = Callable[[list[Document]], Iterable[Problem]]


def document_checks() -> list[DocumentCheck]:
    from playbook.checks import agents, files, links, plumbing, safety, skills, versions

    return [skills.check, agents.check, links.check_document, safety.check, files.check,
            plumbing.check, versions.check]


def catalogue_checks() -> list[CatalogueCheck]:
    from playbook.checks import budget, names, versions

    return [names.check, versions.check_catalogue, budget.check]
