"""The pytest side of the code-block checks: one test per block.

``tests/test_code_blocks.py`` re-exports ``pytest_generate_tests`` and ``test_code_block``, and
``python -m playbook.examples`` runs this file with a reporter. The paths to check come from the
``PLAYBOOK_EXAMPLE_PATHS`` environment variable (default: the whole repository).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from playbook.content import CodeBlock
from playbook.examples import check_static, collect

PATHS_ENV = "PLAYBOOK_EXAMPLE_PATHS"


@cache
def all_blocks() -> list[CodeBlock]:
    raw = os.environ.get(PATHS_ENV, "")
    paths = [Path(p) for p in raw.split(os.pathsep) if p] or None
    return collect(paths)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "code_block" in metafunc.fixturenames:
        blocks = all_blocks()
        metafunc.parametrize("code_block", blocks, ids=[f"{b.rel}:{b.start_line}" for b in blocks])


@pytest.mark.timeout(300)
def test_code_block(code_block: CodeBlock, eval_example, record_property) -> None:  # noqa: ANN001
    outcome = check_static(code_block, all_blocks())
    if outcome is None:
        from playbook.examples import python

        outcome = python.run(code_block, eval_example)
    record_property("tier", outcome.tier)
    record_property("tool", outcome.tool)
    record_property("errors", outcome.errors)
    if outcome.errors:
        pytest.fail("\n".join(f"{code_block.rel}:{line}: {message}"
                              for line, message in outcome.errors), pytrace=False)
