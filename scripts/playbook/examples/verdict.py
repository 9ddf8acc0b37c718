"""A block's verdict: its tier, its errors, the tool that checked it and the tools
whose absence lowered its tier."""

from __future__ import annotations

from dataclasses import dataclass, field

EXECUTED, COMPILED, PARSED, SKIPPED = "executed", "compiled", "parsed", "skipped"
TIERS = (EXECUTED, COMPILED, PARSED, SKIPPED)


@dataclass
class Verdict:
    tier: str
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (line, column, message)
    tool: str = ""
    missing: list[str] = field(default_factory=list)  # tools that would have checked it harder
    reason: str = ""  # why it was skipped

    @property
    def ok(self) -> bool:
        return not self.errors
