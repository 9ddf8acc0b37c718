"""Python blocks, executed here (no pytest run needed): linted by ruff with real file:line:col
locations, run with pytest's assertion rewriting, print output asserted against the ``#>``
comments (pytest-examples' print recorder), each under a time limit. Blocks of one ``group``
share their module globals; ``--update-examples`` rewrites the ``#>`` comments in place.
"""

from __future__ import annotations

import ast
import contextlib
import io
import itertools
import os
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _pytest.assertion.rewrite import rewrite_asserts
from pytest_examples import CodeExample
from pytest_examples.config import ExamplesConfig
from pytest_examples.lint import FormatError, ruff_check
from pytest_examples.run_code import InsertPrintStatements

from playbook.content import CodeBlock
from playbook.examples.toolchains import which
from playbook.examples.verdict import EXECUTED, Verdict

TIME_LIMIT = 300.0  # seconds a block may run


class ConciseConfig(ExamplesConfig):
    """Ruff >= 0.12.9 prints locations on a separate line unless asked for concise output."""

    def ruff_config(self) -> tuple[str, ...]:
        return (*super().ruff_config(), "--output-format=concise")


CONFIG = ConciseConfig(line_length=100, ruff_select=["E", "F", "W", "B", "UP"],
                       target_version="py312", ruff_ignore=["E501", "B018"])
GROUP_CONFIG = ConciseConfig(line_length=100, ruff_select=CONFIG.ruff_select,
                             target_version="py312", ruff_ignore=[*CONFIG.ruff_ignore, "F821"])

_RUFF = re.compile(r"^\s*.*?:(\d+):(\d+): (\w+\d+ .*)$", re.M)

# Blocks that drive a browser through Playwright need a real Chromium.
_LAUNCHES_BROWSER = re.compile(r"\b(?:sync|async)_playwright\s*\(|\.launch\(")


def needs_browser(blocks: list[CodeBlock]) -> bool:
    return any(_LAUNCHES_BROWSER.search(b.source) for b in blocks)


class BlockTimeout(Exception):
    pass


def example_of(block: CodeBlock) -> CodeExample:
    return CodeExample(
        source=block.source, path=block.path, start_line=block.start_line,
        end_line=block.end_line, start_index=block.start_index, end_index=block.end_index,
        prefix=block.info, indent=0,
    )


class Runner:
    """Runs Python blocks in order; holds each group's globals and the pending rewrites."""

    def __init__(self, *, update: bool = False, time_limit: float = TIME_LIMIT) -> None:
        self.update = update
        self.time_limit = time_limit
        self.groups: dict[tuple[str, str], dict[str, Any]] = {}
        self.rewrites: dict[Path, list[tuple[CodeBlock, str]]] = {}

    def run(self, block: CodeBlock) -> Verdict:
        example = example_of(block)
        lint = lint_errors(example, GROUP_CONFIG if block.group else CONFIG)
        if lint:
            return Verdict(EXECUTED, lint, "ruff")
        key = (block.rel, block.group or "")
        try:
            printed, module_globals = self._execute(example, self.groups.get(key, {}))
        except BaseException as exc:  # noqa: BLE001 - any failure of the example is reported
            if isinstance(exc, KeyboardInterrupt):
                raise
            return Verdict(EXECUTED, [(_failing_line(exc, block, example), 1, _describe(exc))],
                           "python")
        if block.group:
            self.groups[key] = module_globals
        new_source = printed.updated_print_statements(example)
        if new_source is not None and self.update:
            self.rewrites.setdefault(block.path, []).append((block, new_source))
        elif new_source is not None:
            return Verdict(EXECUTED, [print_mismatch(block, new_source)], "python")
        return Verdict(EXECUTED, [], "python")

    def _execute(self, example: CodeExample,
                 module_globals: dict[str, Any]) -> tuple[InsertPrintStatements, dict[str, Any]]:
        with tempfile.TemporaryDirectory(prefix="playbook-block-") as tmp:
            file = Path(tmp) / f"{example.module_name}.py"
            file.write_text(example.source, encoding="utf-8")
            source = file.read_bytes()
            tree = ast.parse(source, filename=str(file))
            rewrite_asserts(tree, source, str(file))
            code = compile(tree, str(file), "exec", dont_inherit=True)
            module = types.ModuleType("__main__")
            module.__file__ = str(file)
            module.__dict__.update(module_globals)
            printed = InsertPrintStatements(file, CONFIG, True, None, None)
            sys.modules["__main__"] = module  # as `python file.py` would: pickling, dataclasses
            with _browser_env(), _quiet(), _time_limit(self.time_limit), printed:
                exec(code, module.__dict__)  # noqa: S102 - running the block is the check
            return printed, {k: v for k, v in module.__dict__.items()
                             if not k.startswith(("__", "@"))}

    def write_updates(self) -> list[str]:
        """Rewrite the ``#>`` comments of updated blocks, each file atomically, and only where
        the file still holds the blocks as they were checked; the paths written."""
        written = []
        for path, changes in self.rewrites.items():
            text = path.read_text(encoding="utf-8")
            if any(text[b.start_index:b.end_index] != b.source for b, _ in changes):
                continue  # edited since it was loaded: the user's version wins
            for block, new_source in sorted(changes, key=lambda c: -c[0].start_index):
                text = text[:block.start_index] + new_source + text[block.end_index:]
            tmp = path.with_name(f".{path.name}.playbook-tmp")
            tmp.write_text(text, encoding="utf-8", newline="")
            os.replace(tmp, path)
            written.append(str(path))
        self.rewrites = {}
        return written


def print_mismatch(block: CodeBlock, printed: str) -> tuple[int, int, str]:
    """The first line where the ``#>`` comments differ from what the block printed."""
    want, have = block.source.splitlines(), printed.splitlines()
    for i, (old, new) in enumerate(itertools.zip_longest(want, have, fillvalue="")):
        if old != new:
            said = f"`{old.strip()}`" if old.strip() else "nothing"
            return (block.first_line + i, 1, f"print output differs: it printed "
                    f"`{new.strip()}`, the block says {said} (--update-examples rewrites it)")
    return (block.first_line, 1, "print output differs")  # pragma: no cover - only whitespace


def lint_errors(example: CodeExample, config: ExamplesConfig) -> list[tuple[int, int, str]]:
    try:
        ruff_check(example, config)
    except FormatError as exc:
        found = [(int(m.group(1)), int(m.group(2)), f"ruff {m.group(3)}")
                 for m in _RUFF.finditer(str(exc))]
        return found or [(example.start_line + 1, 1, str(exc))]
    return []


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep what a block writes (besides the recorded prints) out of the report: its
    ``sys.stdout``/``sys.stderr`` and file descriptors 1 and 2, child processes included."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


@contextlib.contextmanager
def _browser_env() -> Iterator[None]:
    """The Chromium this machine has, for blocks that read ``PLAYWRIGHT_CHROMIUM``."""
    chromium = which("chromium")
    before = os.environ.get("PLAYWRIGHT_CHROMIUM")
    if chromium:
        os.environ["PLAYWRIGHT_CHROMIUM"] = chromium
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PLAYWRIGHT_CHROMIUM", None)
        else:
            os.environ["PLAYWRIGHT_CHROMIUM"] = before


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (POSIX main thread; an outer alarm, such as
    pytest-timeout's, is restored afterwards)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise BlockTimeout(f"timed out after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 0.01))


def _failing_line(exc: BaseException, block: CodeBlock, example: CodeExample) -> int:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(f"{example.module_name}.py"):
            line = lineno
    return block.first_line + line - 1 if line else block.first_line


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if type(exc).__name__ != "AssertionError":
        text = f"{type(exc).__name__}: {text}"
    return " ".join(text.split())[:400]
