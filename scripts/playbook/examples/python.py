"""Python blocks: executed through pytest-examples' EvalExample, print output asserted against
the ``#>`` comments, linted by ruff with real file:line locations."""

from __future__ import annotations

import re
import traceback
from typing import Any

from pytest_examples import CodeExample, EvalExample
from pytest_examples.config import ExamplesConfig

from playbook.content import CodeBlock
from playbook.examples.checkers import EXECUTED, Outcome


class ConciseConfig(ExamplesConfig):
    """Ruff >= 0.12.9 prints locations on a separate line unless asked for concise output."""

    def ruff_config(self) -> tuple[str, ...]:
        return (*super().ruff_config(), "--output-format=concise")


CONFIG = ConciseConfig(line_length=100, ruff_select=["E", "F", "W", "B", "UP"],
                       target_version="py312", ruff_ignore=["E501", "B018"])

_RUFF = re.compile(r"^\s*.*?:(\d+):\d+: (\w+\d+ .*)$", re.M)


def lint_config(block: CodeBlock) -> ConciseConfig:
    """Blocks that continue a group use names defined earlier in it."""
    if block.group:
        return ConciseConfig(line_length=100, ruff_select=CONFIG.ruff_select,
                             target_version="py312", ruff_ignore=[*CONFIG.ruff_ignore, "F821"])
    return CONFIG


# Module globals of each `group`, so blocks of one group build on each other.
_GROUPS: dict[tuple[str, str], dict[str, Any]] = {}


def example_of(block: CodeBlock) -> CodeExample:
    return CodeExample(
        source=block.source, path=block.path, start_line=block.start_line,
        end_line=block.end_line, start_index=block.start_index, end_index=block.end_index,
        prefix=block.info, indent=0,
    )


def run(block: CodeBlock, eval_example: EvalExample) -> Outcome:
    example = example_of(block)
    key = (block.rel, block.group or "")
    module_globals = dict(_GROUPS.get(key, {})) if block.group else None
    eval_example.config = lint_config(block)
    try:
        eval_example.lint_ruff(example)
    except BaseException as exc:  # noqa: BLE001 - pytest.fail with ruff's located findings
        if isinstance(exc, KeyboardInterrupt):
            raise
        found = [(int(m.group(1)), f"ruff {m.group(2)}") for m in _RUFF.finditer(str(exc))]
        return Outcome(EXECUTED, found or [(block.first_line, str(exc))], "ruff")
    eval_example.config = CONFIG
    try:
        if eval_example.update_examples:
            result = eval_example.run_print_update(example, module_globals=module_globals)
        else:
            result = eval_example.run_print_check(example, module_globals=module_globals)
    except BaseException as exc:  # noqa: BLE001 - any failure of the example is reported
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Outcome(EXECUTED, [(_failing_line(exc, block, example), _describe(exc))], "python")
    if block.group:
        _GROUPS[key] = result
    return Outcome(EXECUTED, [], "python")


def _failing_line(exc: BaseException, block: CodeBlock, example: CodeExample) -> int:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(f"{example.module_name}.py"):
            line = lineno
    return block.first_line + line - 1 if line else block.first_line


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if type(exc).__name__ not in ("Failed", "AssertionError"):
        text = f"{type(exc).__name__}: {text}"
    return " ".join(text.split())[:400] if "\n" not in text else text[:2000]
