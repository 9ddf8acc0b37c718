"""How an export stops: a problem with a file (exit 1) or with the command line (exit 2)."""

from __future__ import annotations


class ExportError(Exception):
    """A problem that stops the export before anything is written, located as ``path:line:col``."""

    def __init__(self, path: str, message: str, line: int = 1, col: int = 1,
                 code: str = "EXPORT") -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.col = col
        self.code = code

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


class UsageError(Exception):
    """A command line that cannot be carried out (unknown ``--only`` name, missing target)."""
