"""``python -m playbook.examples [PATH...] [--format json] [--update-examples] [-k EXPR]``

Checks every code block at the strongest tier this machine offers, prints a line per problem
(``path:line: message``), then ``code blocks: total=N executed=E compiled=C parsed=P skipped=S``.
Exit 0 when every block passes, 1 on any failure, 2 on usage errors.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from playbook.cli import Parser
from playbook.examples import TIERS, runner, unreadable


class Reporter:
    """Collects each block's tier and problems from the pytest run."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.problems: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if report.when == "call" or (report.when == "setup" and report.failed):
            block = _block_of(report.nodeid)
            if block is None:
                return
            errors = props.get("errors", [])
            if report.failed and not errors:  # a failure outside the check (e.g. time-out)
                text = str(report.longrepr).strip().splitlines()
                errors = [(block.start_line, text[-1] if text else "failed")]
            self.problems += [f"{block.rel}:{line}: {msg}" for line, msg in errors]
            reason = block.settings.get("reason", "") if not errors else errors[0][1]
            self.rows.append({"path": block.rel, "line": block.start_line,
                              "language": block.lang, "tier": props.get("tier", "parsed"),
                              "reason": reason, "ok": not errors})


def _block_of(nodeid: str):  # noqa: ANN202
    """The block a test id names (`...[path:line]`)."""
    return _blocks_by_id().get(nodeid.rsplit("[", 1)[-1].rstrip("]"))


@cache
def _blocks_by_id() -> dict[str, Any]:
    return {f"{b.rel}:{b.start_line}": b for b in runner.all_blocks()}


def summary(rows: list[dict[str, Any]]) -> str:
    counts = {tier: sum(1 for r in rows if r["tier"] == tier) for tier in TIERS}
    return (f"code blocks: total={len(rows)} executed={counts['executed']} "
            f"compiled={counts['compiled']} parsed={counts['parsed']} "
            f"skipped={counts['skipped']}")


def main(argv: list[str] | None = None, prog: str = "python -m playbook.examples") -> int:
    parser = Parser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--update-examples", action="store_true",
                        help="rewrite the #> print output of Python blocks in place")
    parser.add_argument("-k", dest="keyword", help="only blocks whose id matches (pytest -k)")
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not p.exists()]
    for p in missing:
        print(f"{p}:1: no such file or directory", file=sys.stderr)
    if missing:
        return 2
    os.environ[runner.PATHS_ENV] = os.pathsep.join(str(p.resolve()) for p in args.paths)
    runner.all_blocks.cache_clear()
    _blocks_by_id.cache_clear()
    reporter = Reporter()
    pytest_args = [runner.__file__, "-p", "no:cacheprovider", "-q", "--no-header",
                   "--tb=no", "-o", "addopts=", "-o", "console_output_style=classic",
                   "-p", "no:randomly", "-W", "ignore::pytest.PytestAssertRewriteWarning",
                   "--rootdir", str(Path(runner.__file__).resolve().parents[3])]
    if args.update_examples:
        pytest_args.append("--update-examples")
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    stdout = sys.stdout
    with open(os.devnull, "w") as quiet:  # pytest's own progress is noise here
        sys.stdout = quiet
        try:
            code = pytest.main(pytest_args, plugins=[reporter])
        finally:
            sys.stdout = stdout
    broken = unreadable(args.paths or None)
    if args.format == "json":
        print(json.dumps(reporter.rows, indent=2))
    else:
        for line in [*broken, *reporter.problems]:
            print(line)
        print(summary(reporter.rows))
    if broken:
        return 1
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        return 0
    return 0 if code == pytest.ExitCode.OK else 1


if __name__ == "__main__":
    sys.exit(main())
