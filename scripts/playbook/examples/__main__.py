"""``python -m playbook.examples [PATH...] [--format json] [--update-examples] [-k EXPR]``

Checks every code block at the strongest tier this machine offers, prints a line per problem
(``path:line:col: CODE message``, under it the test runner's own failure lines, indented), a
line per missing tool with its install command, then
``code blocks: total=N tested=T executed=E compiled=C parsed=P skipped=S``. Exit 0 when every
block passes, 1 on any problem (with ``CI=true``, a missing tool is one), 2 on usage errors.

Test blocks (``title="test_cart.py"``, ``*_test.go``, ``*.test.ts``, ``*Test.java``, a Rust
``#[test]``, or ``runner="..."``) run with their group's files under their real runner: at each
red step (``expect="fail" reason="AssertionError"``), which must fail for that reason, and at
the group's last block, which must pass. ``--format json`` gives each block's tier, its
``runner`` and its red-step ``checks`` (expected reason, what the runner reported).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from playbook import rules
from playbook.cli import Parser, report_missing
from playbook.examples import TIERS, Session, documents, problems_of
from playbook.examples.toolchains import TOOLS, Tool, missing
from playbook.examples.verdict import PARSED, Verdict

_WORD = re.compile(r"\s*(\(|\)|[^\s()]+)")


def keyword_matcher(expression: str):  # noqa: ANN201 - a predicate on block ids
    """pytest's ``-k`` on block ids: words match as substrings, joined by and/or/not/()."""
    parts = []
    for token in _WORD.findall(expression):
        if token in ("and", "or", "not", "(", ")"):
            parts.append(token)
        else:
            parts.append(f"({token.lower()!r} in name)")
    code = compile(" ".join(parts) or "True", "<-k>", "eval")
    return lambda name: bool(eval(code, {"__builtins__": {}}, {"name": name.lower()}))  # noqa: S307


def summary(rows: list[dict[str, Any]]) -> str:
    counts = Counter(r["tier"] for r in rows)
    return (f"code blocks: total={len(rows)} "
            + " ".join(f"{tier}={counts[tier]}" for tier in TIERS))


def missing_lines(rows: list[dict[str, Any]]) -> list[str]:
    """One line per missing tool: what installs it, and how many blocks it lowered."""
    counts = Counter(tool for r in rows for tool in r["missing"])
    return [f"{missing(tool)}: {n} block{'s' if n > 1 else ''} checked at a lower tier"
            for tool, n in sorted(counts.items())]


def main(argv: list[str] | None = None, prog: str = "python -m playbook.examples") -> int:
    parser = Parser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--update-examples", action="store_true",
                        help="rewrite the #> print output of Python blocks in place")
    parser.add_argument("-k", dest="keyword", help="only blocks whose id matches (pytest -k)")
    args = parser.parse_args(argv)
    if report_missing(args.paths):
        return 2
    try:
        selected = keyword_matcher(args.keyword or "")
        selected("")
    except SyntaxError:
        parser.error(f"-k: not an expression: {args.keyword}")

    docs = documents(args.paths or None)
    unreadable = {rules.IO_ERROR, rules.NOT_UTF8}  # a file whose blocks cannot be found
    problems = [p for doc in docs for p in doc.problems if p.code in unreadable]
    blocks = [block for doc in docs for block in doc.blocks]
    session = Session(blocks, update=args.update_examples)
    rows = []
    report: list[str] = []  # the problem lines, each followed by its runner's lines
    try:
        for block in blocks:
            if not selected(str(block)):
                continue
            try:
                verdict = session.check(block)
            except Exception as exc:  # noqa: BLE001 - a checker's own bug, still one located line
                verdict = Verdict(PARSED, [(block.start_line, 1, f"the checker failed: "
                                            f"{type(exc).__name__}: {exc}")])
            found = problems_of(block, verdict)
            problems += found
            report += [str(p) for p in found]
            if found:
                report += [f"    {line}" for line in verdict.details]
            rows.append({"path": block.rel, "line": block.start_line, "language": block.lang,
                         "tier": verdict.tier, "tool": verdict.tool, "runner": verdict.runner,
                         "reason": verdict.errors[0][2] if verdict.errors else verdict.reason,
                         "ok": verdict.ok, "missing": verdict.missing,
                         "checks": [{"line": c.line, "expect": "fail", "reason": c.reason,
                                     "seen": c.seen, "ok": c.ok, "problem": c.problem}
                                    for c in verdict.checks],
                         "details": verdict.details})
    finally:
        session.close()

    if args.format == "json":
        tools = sorted({t for r in rows for t in r["missing"]})
        print(json.dumps({
            "blocks": rows,
            "missing": [{"tool": t, "install": TOOLS.get(t, Tool(t, "")).install,
                         "blocks": sum(t in r["missing"] for r in rows)} for t in tools],
            "problems": [str(p) for p in problems],
        }, indent=2))
    else:
        for line in [str(p) for p in problems if p.code in unreadable] + report:
            print(line)
        for line in missing_lines(rows):
            print(line)
        print(summary(rows))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
