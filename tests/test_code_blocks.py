"""Every code block in the repository's content, one test each, checked by the same functions
as ``python -m playbook.examples``. A block whose tool is missing here is checked at a lower
tier and skipped with the tool's install command; under ``CI=true`` that fails instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playbook import examples
from playbook.content import CodeBlock
from playbook.examples.toolchains import missing

BLOCKS = examples.collect()


@pytest.fixture(scope="module")
def session(request: pytest.FixtureRequest) -> Iterator[examples.Session]:
    update = bool(request.config.getoption("update_examples", default=False))
    checking = examples.Session(BLOCKS, update=update)
    yield checking
    checking.close()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("block", BLOCKS, ids=str)
def test_code_block(block: CodeBlock, session: examples.Session) -> None:
    verdict = session.check(block)
    found = examples.problems_of(block, verdict)
    if found:
        details = [f"    {line}" for line in verdict.details]  # the test runner's own lines
        pytest.fail("\n".join([*map(str, found), *details]), pytrace=False)
    if verdict.missing:
        pytest.skip("; ".join(missing(tool) for tool in verdict.missing))
