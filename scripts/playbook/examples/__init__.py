"""Every fenced code block checked at the strongest tier this machine offers.

    tested    test blocks run by their real runner (pytest, go test, rustc --test, vitest,
              junit) at the group's run points: each red step (``expect="fail"``) must fail
              for its reason, the last block must pass (``playbook.examples.runners``)
    executed  python, run here (``#>`` print output asserted, ruff lint)
              sql, run on SQLite in memory or on a PostgreSQL server (``dialect=``)
    compiled  a real toolchain or domain validator (tsc, rustc, go vet, javac, shellcheck,
              check-jsonschema, kubernetes-validate, ansible-playbook, cfn-lint)
    parsed    a real parser (json, yaml, toml, bash -n, tree-sitter grammars)
    skipped   only with ``test="skip" reason="..."`` in the info string

One pass: the files are loaded once (``playbook.content``), each block is checked
(:class:`Session`), and its verdict becomes problems (:func:`problems_of`). A tool the machine
lacks lowers the block's tier and is named with its install command; under ``CI=true`` that is a
problem too. ``python -m playbook.examples`` and ``tests/test_code_blocks.py`` share all of it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playbook import content, rules
from playbook.content import CodeBlock
from playbook.examples import postgres, python, runners
from playbook.examples.checkers import (
    CHECKERS,
    MIN_PYTHON,
    check_python_parse,
    newer_python_syntax,
)
from playbook.examples.toolchains import in_ci, missing, which
from playbook.examples.verdict import PARSED, SKIPPED, TIERS, Verdict
from playbook.problems import Problem

__all__ = ["TIERS", "Verdict", "Session", "check_static", "collect", "documents",
           "problems_of"]

def documents(paths: list[Path] | None = None) -> list[content.Document]:
    """The given files (default: every source in the repository), each loaded once."""
    files = content.expand(paths) if paths else content.source_files()
    return [content.load(path) for path in files]


def collect(paths: list[Path] | None = None) -> list[CodeBlock]:
    """The code blocks of the given files (default: every source in the repository)."""
    return [block for doc in documents(paths) for block in doc.blocks]


def earlier_in_group(block: CodeBlock, blocks: list[CodeBlock]) -> list[CodeBlock]:
    if not block.group:
        return []
    return [b for b in blocks if b.path == block.path and b.group == block.group
            and b.start_line < block.start_line]


def check_static(block: CodeBlock, blocks: list[CodeBlock]) -> Verdict | None:
    """The verdict for a block that does not execute (None means: run it as Python)."""
    test = block.settings.get("test")
    if test == "skip":
        return Verdict(SKIPPED, reason=block.settings.get("reason", ""))
    if not block.lang:
        return Verdict(PARSED, [(block.start_line, 1, "code block has no language")])
    group = earlier_in_group(block, blocks)
    if block.lang == "python":
        if block.is_bad_example or test == "parse":
            return check_python_parse(block, [])
        if any(newer_python_syntax(b.source) for b in [*group, block]):
            verdict = check_python_parse(block, [])  # cannot run here: parsed by a grammar
            verdict.missing.append(f"python{MIN_PYTHON[0]}.{MIN_PYTHON[1]}")
            return verdict
        if python.needs_browser([*group, block]) and which("chromium") is None:
            verdict = check_python_parse(block, [])
            verdict.missing.append("chromium")
            return verdict
        return None
    checker = CHECKERS.get(block.lang)
    if checker is None:
        return Verdict(PARSED, [(block.start_line, 1, f"no checker for language '{block.lang}': "
                                 'add test="skip" reason="..." or use a checked language')])
    return checker(block, group)


class Session:
    """Checks the blocks of one run in order: Python blocks of a group build on each other."""

    def __init__(self, blocks: list[CodeBlock], *, update: bool = False) -> None:
        self.blocks = blocks
        self.python = python.Runner(update=update)
        self.tests = runners.TestGroups(blocks)
        self._main = sys.modules.get("__main__")

    def check(self, block: CodeBlock) -> Verdict:
        group = self.tests.group_of(block)
        if group is not None and block.settings.get("test") != "skip":
            return self.tests.check(block, group)
        verdict = check_static(block, self.blocks)
        if verdict is None:
            verdict = self.python.run(block)
        if block.settings.get("expect") and block.lang in runners.NOT_RUNNABLE:
            verdict.reason = (f'red step not run ({block.settings.get("reason", "")!r} expected): '
                              if block.settings["expect"] == "fail" else "test not run: ")
            verdict.reason += runners.NOT_RUNNABLE[block.lang]
        elif block.settings.get("expect"):
            verdict.errors.append((block.start_line, 1, f'expect="{block.settings["expect"]}" '
                                   "but no test runs here: the group has no test file "
                                   "(test_*.py, *_test.go, *.test.ts, *Test.java, a Rust "
                                   '#[test]) and no runner="..."'))
        return verdict

    def close(self) -> list[str]:
        """Write pending ``#>`` updates; put back the ``__main__`` module blocks replaced."""
        if self._main is not None:
            sys.modules["__main__"] = self._main
        postgres.close()  # the throwaway cluster, if this run started one
        return self.python.write_updates()


def problems_of(block: CodeBlock, verdict: Verdict) -> list[Problem]:
    """The block's errors (BLOCK_CHECK), its red steps that did not hold (RED_STEP) and,
    under ``CI=true``, each missing tool (TOOLCHAIN_MISSING)."""
    found = [Problem(block.rel, line, col, rules.BLOCK_CHECK, " ".join(message.split()))
             for line, col, message in verdict.errors]
    found += [Problem(block.rel, check.line, 1, rules.RED_STEP, " ".join(check.problem.split()))
              for check in verdict.checks if check.problem]
    if in_ci():
        found += [Problem(block.rel, block.start_line, 1, rules.TOOLCHAIN_MISSING,
                          f"{missing(tool)}: CI checks every block at its strongest tier")
                  for tool in verdict.missing]
    return found
