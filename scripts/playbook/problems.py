"""A problem found in a source file, and the three ways to print a list of them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from playbook import rules


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located as ``path:line:col`` (both 1-based) with a code from the rule table
    (:mod:`playbook.rules`); a code missing from it is refused here."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def __post_init__(self) -> None:
        rules.known(self.code)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


def as_text(problems: list[Problem]) -> str:
    return "".join(f"{p}\n" for p in sorted(problems))


def as_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in sorted(problems)], indent=2) + "\n"


def _escape(value: str, *, prop: bool = False) -> str:
    """Escape per GitHub's workflow-command rules (data vs. property values)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def as_github(problems: list[Problem]) -> str:
    """``::error file=...,line=...,col=...,title=PBnnn::message`` lines for Actions annotations."""
    return "".join(
        f"::error file={_escape(p.path, prop=True)},line={p.line},col={p.col},"
        f"title={_escape(p.code, prop=True)}::{_escape(p.message)}\n"
        for p in sorted(problems)
    )
