"""Python blocks show the idiomatic code, never the scaffolding that made an example runnable.

The checker runs test blocks with pytest (a ``title="test_x.py"`` block beside the
``title="x.py"`` it tests), so a block no longer needs to fake a module, run a test runner, call
its own tests or raise AssertionError by hand; one that does teaches Claude that plumbing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from playbook import rules
from playbook.content import Document
from playbook.problems import Problem

FIX = ("write the idiomatic test instead (a title=\"test_x.py\" block in the group of "
       "the code it tests)")


def check(doc: Document) -> Iterator[Problem]:
    for block in doc.blocks:
        if block.lang != "python" or block.is_bad_example:
            continue
        try:
            tree = ast.parse(block.source)
        except SyntaxError:
            continue  # the code-block checker reports it
        for node, what in plumbing(tree):
            yield Problem(block.rel, block.first_line + node.lineno - 1, node.col_offset + 1,
                          rules.BLOCK_PLUMBING, f"the block {what}: {FIX}")
            break


def plumbing(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    tests = {n.name for n in tree.body if isinstance(n, functions) and n.name.startswith("test")}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name in ("types.ModuleType", "ModuleType"):
                yield node, "builds a stand-in module (types.ModuleType)"
            elif name == "pytest.main" or (name.startswith("subprocess.") and _runs_pytest(node)):
                yield node, "runs pytest itself"
            elif name == "globals" and tests:
                yield node, "looks up its own tests in globals()"
        elif isinstance(node, ast.Name) and node.id in tests and isinstance(node.ctx, ast.Load):
            yield node, f"runs its own test {node.id}"
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Subscript) and _dotted(t.value) == "sys.modules"
                for t in node.targets):
            yield node, "plants a module in sys.modules"
        elif isinstance(node, ast.Raise) and node.exc is not None and _dotted(
                node.exc.func if isinstance(node.exc, ast.Call) else node.exc) == "AssertionError":
            yield node, "raises AssertionError by hand (pytest.raises or assert say it)"


def _runs_pytest(call: ast.Call) -> bool:
    return any(isinstance(n, ast.Constant) and n.value == "pytest"
               for arg in call.args for n in ast.walk(arg))


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


