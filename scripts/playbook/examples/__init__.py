"""Every fenced code block checked at the strongest tier this machine offers.

    executed  python, run by pytest-examples (``#>`` print output asserted, ruff lint)
    compiled  a real toolchain or domain validator (tsc, rustc, go vet, javac, shellcheck,
              sqlite3, check-jsonschema, kubernetes-validate, ansible-playbook, cfn-lint)
    parsed    a real parser (json, yaml, toml, bash -n, tree-sitter grammars)
    skipped   only with ``test="skip" reason="..."`` in the info string

``python -m playbook.examples [PATH...]`` prints a line per problem and the tier counts.
"""

from __future__ import annotations

from pathlib import Path

from playbook import content
from playbook.content import CodeBlock
from playbook.examples.checkers import (
    CHECKERS,
    PARSED,
    SKIPPED,
    Outcome,
    check_python_parse,
    newer_python_syntax,
)

TIERS = ("executed", "compiled", "parsed", "skipped")


def collect(paths: list[Path] | None = None) -> list[CodeBlock]:
    """The code blocks of the given files (default: every source in the repository)."""
    return [block for doc in documents(paths) for block in doc.blocks]


def documents(paths: list[Path] | None = None) -> list[content.Document]:
    files = content.expand(paths) if paths else content.source_files()
    return [content.load(path) for path in files]


def unreadable(paths: list[Path] | None = None) -> list[str]:
    """Files whose blocks cannot be checked at all (not UTF-8, unreadable): each a problem."""
    return [str(p) for doc in documents(paths) for p in doc.problems if p.code == "PB001"]


def earlier_in_group(block: CodeBlock, blocks: list[CodeBlock]) -> list[CodeBlock]:
    if not block.group:
        return []
    return [b for b in blocks if b.path == block.path and b.group == block.group
            and b.start_line < block.start_line]


def check_static(block: CodeBlock, blocks: list[CodeBlock]) -> Outcome | None:
    """The outcome for a block that does not execute (None means: run it as Python)."""
    test = block.settings.get("test")
    if test == "skip":
        return Outcome(SKIPPED, [], block.settings.get("reason", ""))
    if not block.lang:
        return Outcome(PARSED, [(block.start_line, "code block has no language")])
    if block.lang == "python":
        group = earlier_in_group(block, blocks)
        if block.is_bad_example or test == "parse" or any(
            newer_python_syntax(b.source) for b in [*group, block]
        ):
            return check_python_parse(block, [])  # cannot run here: parsed by a grammar
        return None
    checker = CHECKERS.get(block.lang)
    if checker is None:
        return Outcome(PARSED, [(block.start_line, f"no checker for language '{block.lang}': "
                                 'add test="skip" reason="..." or use a checked language')])
    return checker(block, earlier_in_group(block, blocks))
