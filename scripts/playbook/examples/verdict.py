"""A block's verdict: its tier, its errors, the tool that checked it and the tools
whose absence lowered its tier; for a test run, its red-step checks and the runner's lines."""

from __future__ import annotations

from dataclasses import dataclass, field

TESTED, EXECUTED, COMPILED, PARSED, SKIPPED = "tested", "executed", "compiled", "parsed", "skipped"
TIERS = (TESTED, EXECUTED, COMPILED, PARSED, SKIPPED)


@dataclass
class RedCheck:
    """A red step (``expect="fail" reason="..."``): what it expected, what the runner saw, and
    why it did not hold (empty when it did)."""

    line: int
    reason: str
    seen: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass
class Verdict:
    tier: str
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (line, column, message)
    tool: str = ""
    missing: list[str] = field(default_factory=list)  # tools that would have checked it harder
    reason: str = ""  # why it was skipped, or why it was not run by a test runner
    checks: list[RedCheck] = field(default_factory=list)  # red steps run at this block
    details: list[str] = field(default_factory=list)  # the runner's own failure lines

    @property
    def ok(self) -> bool:
        return not self.errors and all(check.ok for check in self.checks)

    @property
    def runner(self) -> str:
        """The test runner that checked the block ("" below the tested tier)."""
        return self.tool if self.tier == TESTED else ""
