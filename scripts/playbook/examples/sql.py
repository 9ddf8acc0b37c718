"""SQL blocks on real engines, each after the earlier blocks of its group: SQLite in memory
(``dialect="sqlite"``, the default) and PostgreSQL on a server (``dialect="postgresql"``,
:mod:`playbook.examples.postgres`). A failure is located on its markdown line."""

from __future__ import annotations

import sqlite3

from playbook.content import CodeBlock
from playbook.examples import postgres
from playbook.examples.verdict import EXECUTED, Verdict


def _located(blocks: list[CodeBlock], index: int, line: int, message: str,
             tool: str) -> tuple[int, int, str]:
    """Line `line` (1-based) of the group's block `index` as a line of the file."""
    where = "" if index == len(blocks) - 1 else " (in an earlier block of the group)"
    return blocks[index].first_line + line - 1, 1, f"{tool}: {message}{where}"


def statements(source: str) -> list[tuple[int, str]]:
    """The script's complete statements, each with the line (1-based) where it starts."""
    found: list[tuple[int, str]] = []
    buffer, start = "", 0
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        if not buffer:
            if not line.strip() or line.lstrip().startswith("--"):
                continue  # blank lines and comments between statements
            start = number
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append((start, buffer))
            buffer = ""
    if buffer.strip():
        found.append((start, buffer))  # unterminated: SQLite reports it
    return found


def run_on_sqlite(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    blocks = [*group, block]
    db = sqlite3.connect(":memory:")
    try:
        for index, earlier in enumerate(blocks):
            for line, statement in statements(earlier.source):
                try:
                    db.executescript(statement)
                except sqlite3.Error as exc:
                    return Verdict(EXECUTED, [_located(blocks, index, line, str(exc), "sqlite3")],
                                   "sqlite3")
    finally:
        db.close()
    return Verdict(EXECUTED, [], "sqlite3")


def run_on_postgres(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    blocks = [*group, block]
    errors = postgres.run_scripts([b.source for b in blocks])
    return Verdict(EXECUTED, [_located(blocks, i, line, message, "postgresql")
                              for i, line, message in errors], "postgresql")
