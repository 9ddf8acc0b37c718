"""How an export stops: a problem with a file (exit 1) or with the command line (exit 2)."""

from __future__ import annotations

from playbook import rules
from playbook.problems import Problem


class ExportError(Exception):
    """A problem that stops the export before anything is written, located as ``path:line:col``,
    with a code from :mod:`playbook.rules` (by default: a path the export refuses)."""

    def __init__(self, path: str, message: str, line: int = 1, col: int = 1,
                 code: str = rules.UNSAFE_PATH) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.col = col
        self.code = rules.known(code)  # an unknown code fails here, where the error is made

    @property
    def problem(self) -> Problem:
        return Problem(self.path, self.line, self.col, self.code, self.message)

    def __str__(self) -> str:
        return str(self.problem)


class UsageError(Exception):
    """A command line that cannot be carried out (unknown ``--only`` name, missing target)."""
