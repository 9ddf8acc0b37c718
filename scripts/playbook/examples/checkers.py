"""Checks for non-Python code blocks: the real toolchain where the machine has it (compiled
tier), otherwise a real parser (parsed tier) and the missing tool named in the verdict. Python
blocks run in ``playbook.examples.python``.

Every checker takes the block and the blocks of its ``group`` that come before it (written
beside it as files, so they compile together) and returns an Verdict with file line numbers.
"""

from __future__ import annotations

import ast
import configparser
import json
import re
import sys
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

from playbook import rules
from playbook.content import ROOT, CodeBlock
from playbook.examples import domains, postgres, sql
from playbook.examples.toolchains import go_env, located, run, scratch, which
from playbook.examples.verdict import COMPILED, PARSED, Verdict

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


Checker = Callable[[CodeBlock, list[CodeBlock]], Verdict]


# --- tree-sitter: the parse tier for code ------------------------------------------------------

_GRAMMARS = {
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "javascript": ("tree_sitter_javascript", "language"),
    "jsx": ("tree_sitter_javascript", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "hcl": ("tree_sitter_hcl", "language"),
    "dockerfile": ("tree_sitter_dockerfile", "language"),
    "sql": ("tree_sitter_sql", "language"),
    "bash": ("tree_sitter_bash", "language"),
    "python": ("tree_sitter_python", "language"),
}


@cache
def _parser(lang: str):  # type: ignore[no-untyped-def]
    import importlib

    from tree_sitter import Language, Parser

    module_name, attr = _GRAMMARS[lang]
    module = importlib.import_module(module_name)
    with warnings.catch_warnings():  # older grammar wheels hand over an int pointer
        warnings.simplefilter("ignore", DeprecationWarning)
        return Parser(Language(getattr(module, attr)()))


def tree_sitter_errors(lang: str, source: str) -> list[tuple[int, int, str]]:
    """(line 0-based, column, what) for each syntax error node, first few only."""
    tree = _parser(lang).parse(source.encode("utf-8"))
    if not tree.root_node.has_error:
        return []
    found: list[tuple[int, int, str]] = []
    stack = [tree.root_node]
    while stack and len(found) < 3:
        node = stack.pop()
        if node.is_missing:
            found.append((*node.start_point, f"missing {node.type}"))
        elif node.type == "ERROR":
            text = source.encode()[node.start_byte:node.end_byte].decode(errors="replace")
            found.append((*node.start_point, f"syntax error near '{text.strip()[:30]}'"))
        elif node.has_error:
            stack.extend(reversed(node.children))
    return found or [(0, 0, "syntax error")]


def parse_with_grammar(block: CodeBlock, lang: str | None = None,
                       missing: str | None = None) -> Verdict:
    """The parse tier; `missing` names the tool whose absence brought the block down to it."""
    lang = lang or block.lang
    errors = [(block.first_line + line, col + 1, f"{lang} parse: {what}")
              for line, col, what in tree_sitter_errors(lang, block.source)]
    return Verdict(PARSED, errors, f"tree-sitter-{lang}", [missing] if missing else [])


# --- data formats ------------------------------------------------------------------------------


def check_json(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    try:
        json.loads(block.source)
    except json.JSONDecodeError as exc:
        return Verdict(PARSED, [(block.first_line + exc.lineno - 1, exc.colno,
                                 f"JSON: {exc.msg}")], "json")
    return Verdict(PARSED, [], "json")


def check_toml(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    try:
        tomllib.loads(block.source)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = block.first_line + (int(m.group(1)) - 1 if m else 0)
        return Verdict(PARSED, [(line, 1, f"TOML: {exc}")], "tomllib")
    return Verdict(PARSED, [], "tomllib")


def check_ini(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(block.source)
    except configparser.Error as exc:
        return Verdict(PARSED, [(block.first_line, 1, f"INI: {exc.message}")], "configparser")
    return Verdict(PARSED, [], "configparser")


def check_yaml(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    try:
        documents = [d for d in yaml.safe_load_all(block.source) if d is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = block.first_line + (mark.line if mark else 0)
        col = mark.column + 1 if mark else 1
        return Verdict(PARSED, [(line, col, f"YAML: {exc.problem}")], "pyyaml")
    if _parse_only(block):
        return Verdict(PARSED, [], "pyyaml")
    for validator in domains.YAML_VALIDATORS:
        if validator.matches(block, documents):
            return validator.check(block)
    return Verdict(PARSED, [], "pyyaml")


def check_markdown(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    """A markdown sample (a SKILL.md, say) goes through the same content model as real files."""
    from playbook.content import Document, parse

    doc = parse(Document(path=block.path, rel=block.rel, kind="page"), block.source.encode())
    errors = [(block.first_line + p.line - 1, p.col, f"{p.code} {p.message}")
              for p in doc.problems
              if p.code not in (rules.BLOCK_LANGUAGE, rules.BLOCK_SETTING, rules.BLOCK_REASON)]
    return Verdict(PARSED, errors, "markdown-it-py")


def check_xml(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    import xml.etree.ElementTree as ET

    try:
        ET.fromstring(block.source)
    except ET.ParseError as exc:
        line, col = exc.position
        return Verdict(PARSED, [(block.first_line + line - 1, col + 1, f"XML: {exc}")], "xml")
    return Verdict(PARSED, [], "xml")


def check_python_parse(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    try:
        ast.parse(block.source)
    except SyntaxError as exc:
        if newer_python_syntax(block.source):
            return parse_with_grammar(block, "python")
        return Verdict(PARSED, [(block.first_line + (exc.lineno or 1) - 1, exc.offset or 1,
                                 f"Python syntax: {exc.msg}")], "ast")
    return Verdict(PARSED, [], "ast")


MIN_PYTHON = (3, 12)  # the version the skills teach


def newer_python_syntax(source: str) -> bool:
    """True when this interpreter is older than the taught Python and the code does not compile
    here but the Python grammar accepts it (e.g. `def f[T]`, `type X = ...` on 3.11)."""
    if sys.version_info >= MIN_PYTHON:
        return False
    try:
        ast.parse(source)
    except SyntaxError:
        return not tree_sitter_errors("python", source)
    return False


def check_sql(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    """SQLite (the default ``dialect``) runs in memory, PostgreSQL on a real server, each after
    the earlier blocks of the group (``playbook.examples.sql``)."""
    if _parse_only(block):
        return parse_with_grammar(block)
    if block.settings.get("dialect") == "postgresql":
        absent = postgres.available()
        if absent:
            return parse_with_grammar(block, missing=absent)
        return sql.run_on_postgres(block, group)
    return sql.run_on_sqlite(block, group)


# --- shells and compiled languages -------------------------------------------------------------


def _parse_only(block: CodeBlock) -> bool:
    """An anti-pattern or a block marked `test="parse"`: no toolchain looks at it."""
    return block.is_bad_example or block.settings.get("test") == "parse"


def check_bash(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    bash = which("bash")
    if bash is None:
        return parse_with_grammar(block, "bash", missing="bash")
    with scratch() as tmp:
        path = Path(tmp) / "block.sh"
        path.write_text(block.source, encoding="utf-8")
        result = run([bash, "-n", str(path)], timeout=30)
        if result.returncode != 0:
            return Verdict(PARSED, located(block.first_line, result.stderr, "block.sh",
                                           "bash -n"), "bash")
        if _parse_only(block):
            return Verdict(PARSED, [], "bash -n")
        shellcheck = which("shellcheck")
        if shellcheck is None:
            return Verdict(PARSED, [], "bash -n", ["shellcheck"])
        result = run([shellcheck, "--shell=bash", "--format=gcc", "--severity=warning",
                      str(path)], timeout=60)
        errors = located(block.first_line, result.stdout, "block.sh", "shellcheck")
        return Verdict(COMPILED, errors if result.returncode else [], "shellcheck")


# TypeScript: packages that are not installed cannot resolve, so their imports are `any`;
# everything else must type-check under --strict, JSX included: React's types and its JSX
# runtime resolve from .tools (node_modules/@types beside the block). Filtered: cannot find
# module or its types (2307, 2882 for side-effect imports, 7016), type arguments on an
# unresolved (any) call (2347), namespaces of unresolved packages (2503), test globals (2304).
_TS_UNRESOLVED = re.compile(r"error TS(2307|2882|7016|2347|2503: Cannot find namespace '(?!JSX|"
                            r"React)|2304: Cannot find name '(describe|it|test|expect|"
                            r"beforeEach|afterEach|vi|jest)')")
TYPES = ROOT / ".tools" / "node_modules" / "@types"
REACT_TYPES = TYPES / "react"


def check_typescript(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    if _parse_only(block):
        return parse_with_grammar(block)
    tsc = which("tsc")
    if tsc is None:
        return parse_with_grammar(block, missing="tsc")
    if block.lang == "tsx" and not REACT_TYPES.is_dir():
        return parse_with_grammar(block, missing="@types/react")
    ext = ".tsx" if block.lang == "tsx" else ".ts"
    with scratch() as tmp:
        names = _write_group(Path(tmp), block, group, f"block{ext}")
        args = [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext",
                "--moduleResolution", "nodenext", "--jsx", "react-jsx", "--skipLibCheck",
                "--lib", "es2023,dom,dom.iterable"]
        if TYPES.is_dir():  # `react` and `react/jsx-runtime` resolve like in a project
            (Path(tmp) / "node_modules").mkdir()
            (Path(tmp) / "node_modules" / "@types").symlink_to(TYPES, target_is_directory=True)
        if (TYPES / "node").is_dir():
            args += ["--typeRoots", str(TYPES), "--types", "node"]
        result = run([*args, *names], cwd=Path(tmp), timeout=120)
        lines = [ln for ln in result.stdout.splitlines() if not _TS_UNRESOLVED.search(ln)]
        errors = located(block.first_line, "\n".join(lines), names[-1], "tsc")
        return Verdict(COMPILED, errors, "tsc")


def check_javascript(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    if block.lang == "jsx":
        return parse_with_grammar(block, "javascript")
    node = which("node")
    if node is None:
        return parse_with_grammar(block, "javascript", missing="node")
    with scratch() as tmp:
        path = Path(tmp) / "block.mjs"
        path.write_text(block.source, encoding="utf-8")
        result = run([node, "--check", str(path)], timeout=30)
        errors = located(block.first_line, result.stderr, "block.mjs", "node --check")
        return Verdict(COMPILED, errors if result.returncode else [], "node --check")


_RUST_STD = {"std", "core", "alloc", "crate", "self", "super"}


def external_crates(source: str) -> set[str]:
    """The crates a Rust block uses beyond the standard library (crates.io is not reachable)."""
    crates = set(re.findall(r"^\s*(?:pub\s+)?use\s+(?:::)?(\w+)", source, re.M))
    crates |= set(re.findall(r"^\s*extern\s+crate\s+(\w+)", source, re.M))
    crates |= set(re.findall(r"#\[(\w+)::", source))
    return crates - _RUST_STD


def check_rust(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    if external_crates(block.source) or _parse_only(block):
        return parse_with_grammar(block)
    rustc = which("rustc")
    if rustc is None:
        return parse_with_grammar(block, missing="rustc")
    with scratch() as tmp:
        source = "\n".join(b.source for b in [*group, block])
        path = Path(tmp) / "block.rs"
        path.write_text(source, encoding="utf-8")
        offset = source.count("\n", 0, len(source) - len(block.source))
        result = run([rustc, "--edition", "2021", "--crate-type", "lib", "--emit", "metadata",
                      "--test", "-o", str(Path(tmp) / "out"), str(path)], timeout=120)
        if result.returncode == 0:
            return Verdict(COMPILED, [], "rustc")
        errors = []
        for m in re.finditer(r"^error(?:\[\w+\])?: (.*)\n\s*--> [^:]+:(\d+):(\d+)",
                             result.stderr, re.M):
            line = int(m.group(2)) - offset
            errors.append((block.first_line + max(line, 1) - 1, int(m.group(3)),
                           f"rustc: {m.group(1)}"))
        return Verdict(COMPILED, errors or [(block.first_line, 1,
                                             "rustc: " + result.stderr[:200])], "rustc")


GO_MOD = "module example.com/block\n\ngo 1.22\n"


def _go_imports(source: str) -> set[str]:
    found = set(re.findall(r'^\s*import\s+(?:\w+\s+)?"([^"]+)"', source, re.M))
    for group in re.findall(r"^\s*import\s*\((.*?)\)", source, re.M | re.S):
        found |= set(re.findall(r'"([^"]+)"', group))
    return found


def check_go(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    third_party = {imp for imp in _go_imports(block.source) if "." in imp.split("/")[0]}
    if third_party or _parse_only(block):
        return parse_with_grammar(block)
    go = which("go")
    if go is None:
        return parse_with_grammar(block, missing="go")
    with scratch() as tmp:
        names = _write_group(Path(tmp), block, group, "block.go", go_tests=True)
        (Path(tmp) / "go.mod").write_text(GO_MOD)
        result = run([go, "vet", "."], cwd=Path(tmp), env=go_env(), timeout=300)
        if result.returncode == 0:
            return Verdict(COMPILED, [], "go vet")
        return Verdict(COMPILED, located(block.first_line, result.stderr, names[-1], "go vet"),
                       "go vet")


def check_java(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    imports = set(re.findall(r"^\s*import\s+(?:static\s+)?([\w.]+)", block.source, re.M))
    foreign = {i for i in imports if not i.startswith(("java.", "javax."))}
    if foreign or _parse_only(block):
        return parse_with_grammar(block)
    javac = which("javac")
    if javac is None:
        return parse_with_grammar(block, missing="javac")
    with scratch() as tmp:
        names = _write_group(Path(tmp), block, group, "Block.java", java=True)
        result = run([javac, "-Xlint:all", "-Werror", "-d", str(Path(tmp) / "out"), *names],
                     cwd=Path(tmp), timeout=120)
        if result.returncode == 0:
            return Verdict(COMPILED, [], "javac")
        return Verdict(COMPILED, located(block.first_line, result.stderr, names[-1], "javac"),
                       "javac")


def _java_name(source: str, default: str) -> str:
    m = re.search(r"^\s*public\s+(?:(?:final|abstract|sealed|static)\s+)*"
                  r"(?:class|record|interface|enum)\s+(\w+)", source, re.M)
    return f"{m.group(1)}.java" if m else default


def _write_group(folder: Path, block: CodeBlock, group: list[CodeBlock], default: str,
                 *, java: bool = False, go_tests: bool = False) -> list[str]:
    """Write the group's earlier blocks and this one as files; return their names in order."""
    names = []
    stem, _, ext = default.rpartition(".")
    for i, b in enumerate([*group, block]):
        name = b.settings.get("title") or f"{stem}{i}.{ext}"
        if java and not b.settings.get("title"):
            name = _java_name(b.source, name)
        if go_tests and not b.settings.get("title") and re.search(r"func Test\w*\(", b.source):
            name = f"{stem}{i}_test.{ext}"
        name = Path(name).name
        (folder / name).write_text(b.source, encoding="utf-8")
        names.append(name)
    return names


def check_grammar(block: CodeBlock, group: list[CodeBlock]) -> Verdict:
    return parse_with_grammar(block)


CHECKERS: dict[str, Checker] = {
    "json": check_json,
    "toml": check_toml,
    "ini": check_ini,
    "yaml": check_yaml,
    "markdown": check_markdown,
    "md": check_markdown,
    "xml": check_xml,
    "sql": check_sql,
    "bash": check_bash,
    "typescript": check_typescript,
    "tsx": check_typescript,
    "javascript": check_javascript,
    "jsx": check_javascript,
    "rust": check_rust,
    "go": check_go,
    "java": check_java,
    "csharp": check_grammar,
    "hcl": check_grammar,
    "dockerfile": check_grammar,
}
