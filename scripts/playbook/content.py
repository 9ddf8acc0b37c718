"""The content model: every source file parsed once into typed records with positions.

Skills (``skills/<name>/SKILL.md`` and their ``references/*.md``), agents (``agents/<name>.md``),
guide pages (``docs/**/*.md``) and hooks (``hooks/<name>.py`` registered in ``hooks/hooks.json``)
all load here. Every other tool (validator, code-block checker, exporters) reads these records;
nothing else in the project parses markdown or YAML by itself.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from playbook import rules, schema
from playbook.problems import Problem


def _content_root() -> Path:
    """Where the content lives: the checkout this package sits in (``scripts/playbook/``), or,
    for an installed wheel, the copy it carries (``playbook/_content/``)."""
    package = Path(__file__).resolve().parent
    bundled = package / "_content"
    return bundled if bundled.is_dir() else package.parents[1]


ROOT = _content_root()

SKILL, REFERENCE, AGENT, PAGE = "skill", "reference", "agent", "page"

# Folders under docs/ that `python -m playbook.export site` writes at build time (git-ignored,
# and listed one by one in .gitignore): they are outputs, never sources. The export owns them
# whole; generated/ holds the fragments the guide pages include and is not published itself.
HOOKS_PACKAGE = "playbook_hooks"  # hooks/<package>/: the code behind the launchers
GENERATED_DOCS = ("skills", "agents", "hooks", "catalog", "generated")

# Settings an info string may carry, e.g. ```python test="skip" reason="needs a server"```.
BLOCK_SETTINGS = ("test", "reason", "group", "title", "example", "runner", "expect", "dialect")
TEST_VALUES = ("skip", "parse")
# Test blocks: the runner that runs them (by default chosen from the title), and what a run at
# this block must show: `expect="fail" reason="AssertionError"` is a red step.
RUNNER_VALUES = ("pytest", "go test", "rustc --test", "vitest", "junit")
EXPECT_VALUES = ("fail", "pass")
EXAMPLE_VALUES = ("bad", "good")
SQL_DIALECTS = ("sqlite", "postgresql")  # sql blocks; the first is the default

# Fence languages written in other ways, mapped to one name per checker.
LANGUAGE_ALIASES = {
    "py": "python", "python3": "python", "py3": "python",
    "ts": "typescript", "tsx": "tsx", "js": "javascript", "mjs": "javascript",
    "jsx": "jsx", "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash",
    "yml": "yaml", "cs": "csharp", "c#": "csharp", "golang": "go", "rs": "rust",
    "tf": "hcl", "terraform": "hcl", "docker": "dockerfile", "containerfile": "dockerfile",
    "plaintext": "text", "txt": "text", "jsonc": "json",
}


@dataclass(frozen=True)
class Field:
    """A frontmatter value with the line and column (1-based) where it stands."""

    key: str
    value: Any
    line: int
    col: int
    node: yaml.Node = field(repr=False, compare=False)


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block: its language, info-string settings and line range (1-based)."""

    path: Path
    rel: str
    lang: str
    info: str
    settings: dict[str, str]
    source: str
    start_line: int  # the opening fence
    end_line: int  # the closing fence (or the last line when the fence never closes)
    fence: str
    start_index: int  # offset of the body in the file's text, for rewriting outputs
    end_index: int

    @property
    def first_line(self) -> int:
        """The first line of the body."""
        return self.start_line + 1

    @property
    def is_bad_example(self) -> bool:
        return self.settings.get("example") == "bad"

    @property
    def group(self) -> str | None:
        return self.settings.get("group")

    def __str__(self) -> str:
        return f"{self.rel}:{self.start_line}"


@dataclass(frozen=True)
class Link:
    target: str
    line: int
    col: int


@dataclass(frozen=True)
class HtmlComment:
    line: int
    col: int
    text: str


@dataclass
class Document:
    """One markdown source file, parsed."""

    path: Path
    rel: str
    kind: str
    text: str = ""
    frontmatter: dict[str, Field] = field(default_factory=dict)
    has_frontmatter: bool = False
    frontmatter_line: int = 2  # file line of the first YAML line; node marks are relative to it
    body: str = ""
    body_line: int = 1  # the file line where the body starts
    blocks: list[CodeBlock] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comments: list[HtmlComment] = field(default_factory=list)
    indented_containers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name the file is known by: its folder (skills) or stem (agents, pages)."""
        if self.kind == SKILL:
            return self.path.parent.name
        return self.path.stem

    def get(self, key: str, default: Any = None) -> Any:
        f = self.frontmatter.get(key)
        return default if f is None else f.value

    @property
    def yaml_ok(self) -> bool:
        """The frontmatter parsed as a mapping (after a YAML error its keys are unknown)."""
        return self.has_frontmatter and not any(
            p.code in (rules.YAML_SYNTAX, rules.FRONTMATTER_NOT_MAPPING) for p in self.problems)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def body_tokens(self) -> int:
        """What the client estimates the body costs when the skill is loaded."""
        return round(len(self.body) / schema.CHARS_PER_TOKEN)

    @property
    def body_lines(self) -> int:
        """Number of body lines (a trailing newline does not count as a line)."""
        return len(self.body.rstrip("\n").split("\n")) if self.body.strip() else 0


@dataclass
class Hook:
    """A hook program and its registration in hooks.json."""

    path: Path
    rel: str
    name: str
    doc: str
    registrations: list[dict[str, Any]]  # event, matcher, command, timeout[, args, if]
    package: list[Path] = field(default_factory=list)  # hooks/playbook_hooks/*.py it needs

    @property
    def title(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


# ---------------------------------------------------------------------------------------------
# Loading one file


def kind_of(path: Path) -> str:
    """Classify a markdown file by where it stands, independent of the repository root."""
    parts = path.parts
    if path.name == "SKILL.md":
        return SKILL
    if "references" in parts[:-1] and (path.parent.parent / "SKILL.md").exists():
        return REFERENCE
    if path.parent.name == "agents":
        return AGENT
    return PAGE


def relpath(path: Path) -> str:
    path = path.resolve() if not path.is_absolute() else path
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def load(path: Path, kind: str | None = None) -> Document:
    """Parse one markdown file; problems with the file itself are recorded, never raised."""
    path = Path(path)
    doc = Document(path=path, rel=relpath(path), kind=kind or kind_of(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        doc.problems.append(Problem(doc.rel, 1, 1, rules.IO_ERROR,
                                    f"cannot read file: {exc.strerror}"))
        return doc
    parse(doc, raw)
    return doc


def parse(doc: Document, raw: bytes) -> Document:
    text = _decode(doc, raw)
    if text is None:
        return doc
    doc.text = text
    needs_frontmatter = doc.kind in (SKILL, AGENT)
    if not text.strip():
        doc.problems.append(Problem(doc.rel, 1, 1, rules.EMPTY_FILE, "file is empty"))
        return doc
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        if needs_frontmatter:
            doc.problems.append(
                Problem(doc.rel, 1, 1, rules.NO_FRONTMATTER,
                        "no YAML frontmatter: the file must start with ---")
            )
        _parse_body(doc, text, 1)
        return doc
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        doc.problems.append(
            Problem(doc.rel, 1, 1, rules.FRONTMATTER_UNCLOSED,
                    "frontmatter opened here is never closed with ---")
        )
        return doc
    doc.has_frontmatter = True
    doc.frontmatter_line = 2
    _parse_frontmatter(doc, lines[1:end], first_line=2)
    body_start = end + 1  # 0-based index of the first body line
    _parse_body(doc, "\n".join(lines[body_start:]), body_start + 1)
    return doc


def _decode(doc: Document, raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problems.append(
            Problem(doc.rel, line, col, rules.NOT_UTF8, f"byte 0x{raw[exc.start]:02x} is not UTF-8")
        )
        return None
    if text.startswith("\ufeff"):
        doc.problems.append(Problem(doc.rel, 1, 1, rules.BOM, "file starts with a byte-order mark"))
        text = text[1:]
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        doc.problems.append(
            Problem(doc.rel, line, 1, rules.CRLF, "CRLF line endings: use LF only")
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# ---------------------------------------------------------------------------------------------
# Frontmatter: strict YAML with positions


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same marks


def _parse_frontmatter(doc: Document, lines: list[str], first_line: int) -> None:
    for i, line in enumerate(lines):
        if "\t" in line:
            doc.problems.append(
                Problem(doc.rel, first_line + i, line.index("\t") + 1, rules.TAB,
                        "tab character in frontmatter: indent with spaces")
            )
    source = "\n".join(lines)
    try:
        node = yaml.compose(source, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        what = " ".join(str(exc.problem or exc).split())
        doc.problems.append(Problem(doc.rel, line, col, rules.YAML_SYNTAX, f"YAML error: {what}"))
        return
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know is marked
        doc.problems.append(Problem(doc.rel, first_line, 1, rules.YAML_SYNTAX,
                                    f"YAML error: {exc}"))
        return
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        doc.problems.append(
            Problem(doc.rel, first_line + node.start_mark.line, node.start_mark.column + 1,
                    rules.FRONTMATTER_NOT_MAPPING,
                    "frontmatter must be a mapping of key: value lines")
        )
        return
    _check_duplicates(doc, node, first_line)
    for key_node, value_node in node.value:
        key = str(to_python(key_node))
        if key in doc.frontmatter:
            continue  # reported as a duplicate; the first one wins here
        doc.frontmatter[key] = Field(
            key=key,
            value=to_python(value_node),
            line=first_line + value_node.start_mark.line,
            col=value_node.start_mark.column + 1,
            node=value_node,
        )


def _check_duplicates(doc: Document, node: yaml.Node, first_line: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(to_python(key_node))
            if key in seen:
                doc.problems.append(
                    Problem(doc.rel, first_line + key_node.start_mark.line,
                            key_node.start_mark.column + 1, rules.DUPLICATE_KEY,
                            f"duplicate key '{key}'")
                )
            seen.add(key)
            _check_duplicates(doc, value_node, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(doc, item, first_line)


_CONSTRUCTOR = yaml.SafeLoader("")


def to_python(node: yaml.Node) -> Any:
    """The Python value of a YAML node, resolved the way PyYAML (YAML 1.1) resolves it."""
    return _CONSTRUCTOR.construct_object(node, deep=True)


def is_plain(node: yaml.Node) -> bool:
    """An unquoted scalar (PyYAML marks it None, libyaml an empty string)."""
    return isinstance(node, yaml.ScalarNode) and not node.style


def scalar_surprise(node: yaml.Node) -> str | None:
    """Why a plain scalar is not the string it looks like (YAML 1.1), or None."""
    if not is_plain(node):
        return None
    kinds = {
        "tag:yaml.org,2002:bool": "a boolean",
        "tag:yaml.org,2002:int": "an integer",
        "tag:yaml.org,2002:float": "a float",
        "tag:yaml.org,2002:timestamp": "a date",
        "tag:yaml.org,2002:null": "null",
    }
    what = kinds.get(node.tag)
    if what is None:
        return None
    return f"'{node.value}' is read by YAML 1.1 as {what}, not a string: quote it"


# ---------------------------------------------------------------------------------------------
# Body: fences, links and comments through markdown-it-py


@cache
def _markdown() -> MarkdownIt:
    # Inline parsing is the costly part; it runs only on paragraphs that may hold a link or
    # HTML (see _inline_children), so the core "inline" rule is off.
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def _inline_children(tok: Token, env: dict[str, Any]) -> list[Token]:
    if not tok.children and ("[" in tok.content or "<" in tok.content):
        tok.children = []
        md = _markdown()
        md.inline.parse(tok.content, md, env, tok.children)
    return tok.children


_SETTING = re.compile(r'\s*([A-Za-z_][\w-]*)=(?:"([^"]*)"|(\S*))')


def parse_info(info: str) -> tuple[str, dict[str, str], list[str]]:
    """Split an info string into language, settings and errors (unknown or unquoted settings)."""
    info = info.strip()
    lang, _, rest = info.partition(" ")
    lang = lang.strip("{}.").lower()
    lang = LANGUAGE_ALIASES.get(lang, lang)
    settings: dict[str, str] = {}
    errors: list[str] = []
    pos = 0
    rest = rest.strip()
    while pos < len(rest):
        m = _SETTING.match(rest, pos)
        if not m:
            word = rest[pos:].split()[0]
            errors.append(f"cannot read '{word}' in the info string: write key=\"value\"")
            break
        key, quoted, bare = m.group(1), m.group(2), m.group(3)
        if quoted is None:
            errors.append(f'setting {key}={bare} must be quoted: {key}="{bare}"')
        elif key not in BLOCK_SETTINGS:
            errors.append(f"unknown setting '{key}' (known: {', '.join(BLOCK_SETTINGS)})")
        else:
            settings[key] = quoted
        pos = m.end()
        while pos < len(rest) and rest[pos].isspace():
            pos += 1
    return lang, settings, errors


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            offsets.append(i + 1)
    return offsets


def _parse_body(doc: Document, body: str, body_line: int) -> None:
    doc.body = body
    doc.body_line = body_line
    offset = body_line - 1  # body line i (0-based) is file line i + body_line
    text_offsets = _line_offsets(doc.text)
    body_lines = body.split("\n")
    env: dict[str, Any] = {}
    tokens = _markdown().parse(body, env)
    for tok in tokens:
        if tok.type == "fence" and tok.map:
            _add_block(doc, tok, offset, text_offsets)
        elif tok.type == "code_block" and tok.map:
            first = body_lines[tok.map[0]].lstrip() if tok.map[0] < len(body_lines) else ""
            if first.startswith(("!!!", "???", "===")) or _container_above(body_lines, tok.map[0]):
                doc.indented_containers.append(tok.map[0] + body_line)
        elif tok.type == "html_block" and tok.map:
            _add_comments(doc, tok.content, tok.map[0] + body_line)
        elif tok.type == "inline" and tok.map:
            _add_inline(doc, _inline_children(tok, env), tok.map, body_lines, body_line)
    # Container syntax whose body is not indented code (e.g. an empty or text-only one).
    for i, line in enumerate(body_lines):
        stripped = line.lstrip()
        if re.match(r"(!!!|\?\?\?\+?|===) ", stripped) and line == stripped:
            if i + body_line not in doc.indented_containers:
                doc.indented_containers.append(i + body_line)
    doc.indented_containers.sort()


def _container_above(lines: list[str], index: int) -> bool:
    j = index - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j >= 0 and re.match(r"(!!!|\?\?\?\+?|===) ", lines[j]) is not None


def _add_block(doc: Document, tok: Token, offset: int, text_offsets: list[int]) -> None:
    start, end = tok.map
    start_line = start + offset + 1
    end_line = end + offset  # the closing fence line (1-based), or the last line
    lang, settings, errors = parse_info(tok.info)
    body_first = start_line  # 0-based index of the first body line in the file
    body_last = max(body_first, end_line - 1)
    start_index = text_offsets[body_first] if body_first < len(text_offsets) else len(doc.text)
    end_index = (
        text_offsets[body_last] if body_last < len(text_offsets) else len(doc.text)
    )
    block = CodeBlock(
        path=doc.path, rel=doc.rel, lang=lang, info=tok.info.strip(), settings=settings,
        source=tok.content, start_line=start_line, end_line=end_line, fence=tok.markup,
        start_index=start_index, end_index=end_index,
    )
    doc.blocks.append(block)
    col = len(doc.lines[start_line - 1]) - len(doc.lines[start_line - 1].lstrip()) + 1
    if not lang:
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_LANGUAGE,
                                    "code block has no language: name it after the fence"))
    for message in errors:
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_SETTING, message))
    test = settings.get("test")
    if test is not None and test not in TEST_VALUES:
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_SETTING,
                                    f'test="{test}" is not one of {", ".join(TEST_VALUES)}'))
    if test in TEST_VALUES and not settings.get("reason", "").strip():
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_REASON,
                                    f'test="{test}" needs a reason="..."'))
    dialect = settings.get("dialect")
    if dialect is not None and lang != "sql":
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_SETTING,
                                    "dialect= applies to sql blocks only"))
    elif dialect is not None and dialect not in SQL_DIALECTS:
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_SETTING,
                                    f'dialect="{dialect}" is not one of '
                                    f'{", ".join(SQL_DIALECTS)}'))
    for key, values in (("runner", RUNNER_VALUES), ("expect", EXPECT_VALUES)):
        value = settings.get(key)
        if value is not None and value not in values:
            doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_SETTING,
                                        f'{key}="{value}" is not one of {", ".join(values)}'))
    if settings.get("expect") == "fail" and not settings.get("reason", "").strip():
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_REASON,
                                    'expect="fail" needs a reason="..." naming the failure it '
                                    'expects (e.g. AssertionError)'))
    example = settings.get("example")
    if example is not None and example not in EXAMPLE_VALUES:
        doc.problems.append(Problem(doc.rel, start_line, col, rules.BLOCK_SETTING,
                                    f'example="{example}" is not one of '
                                    f'{", ".join(EXAMPLE_VALUES)}'))


_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)


def _add_comments(doc: Document, content: str, line: int) -> None:
    for m in _COMMENT.finditer(content):
        before = content[: m.start()]
        at_line = line + before.count("\n")
        col = m.start() - (before.rfind("\n") + 1) + 1
        doc.comments.append(HtmlComment(at_line, col, m.group(0)))


def _add_inline(doc: Document, children: list[Token], span: list[int], lines: list[str],
                body_line: int) -> None:
    start, end = span
    cursor_line, cursor_col = start, 0
    for child in children:
        target = None
        if child.type == "link_open":
            target = str(child.attrs.get("href", ""))
        elif child.type == "image":
            target = str(child.attrs.get("src", ""))
        elif child.type == "html_inline" and "<!--" in child.content:
            found = _find(lines, child.content, cursor_line, cursor_col, end)
            if found:
                cursor_line, cursor_col = found
            doc.comments.append(HtmlComment(cursor_line + body_line, cursor_col + 1,
                                            child.content))
            continue
        if target is None:
            continue
        found = _find(lines, target, cursor_line, cursor_col, end)
        if found is None:  # the href was normalised (escaped); fall back to the block start
            found = (start, 0)
        else:
            cursor_line, cursor_col = found
        doc.links.append(Link(target, found[0] + body_line, found[1] + 1))


def _find(lines: list[str], needle: str, line: int, col: int, end: int) -> tuple[int, int] | None:
    for i in range(line, min(end, len(lines))):
        pos = lines[i].find(needle, col if i == line else 0)
        if pos >= 0:
            return i, pos
    return None


# ---------------------------------------------------------------------------------------------
# Reading a parsed body: links, the title, sections

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_external(target: str) -> bool:
    """A link that leaves the repository: a scheme (``https:``, ``mailto:``) or ``//host``."""
    return bool(_SCHEME.match(target)) or target.startswith("//")


def link_path(target: str) -> str:
    """The file a local link names: without its fragment and query, percent-decoded."""
    return unquote(target.split("#", 1)[0].split("?", 1)[0])


def split_title(text: str) -> tuple[str | None, str]:
    """The text of a leading ``# Title`` line and the text after it (``# C#`` stays ``C#``)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            return re.sub(r"\s+#+\s*$", "", line[2:]).strip(), "\n".join(lines[i + 1:])
        break
    return None, text


def sections(doc: Document) -> list[tuple[str, str]]:
    """Each ``## `` section of the body outside code blocks: its heading and the text under it."""
    fenced = {line for b in doc.blocks for line in range(b.start_line, b.end_line + 1)}
    found: list[tuple[str, str]] = []
    heading, lines = None, []
    for i, line in enumerate([*doc.body.split("\n"), "## "]):
        if line.startswith("## ") and doc.body_line + i not in fenced:
            if heading:
                found.append((heading, "\n".join(lines)))
            heading, lines = line[3:].strip(), []
        else:
            lines.append(line)
    return found


# ---------------------------------------------------------------------------------------------
# The whole repository


@dataclass
class Catalogue:
    root: Path
    skills: list[Document]
    references: list[Document]
    agents: list[Document]
    pages: list[Document]
    hooks: list[Hook]

    @property
    def documents(self) -> list[Document]:
        return [*self.skills, *self.references, *self.agents, *self.pages]


def source_files(root: Path = ROOT) -> list[Path]:
    """The markdown sources under a repository root (generated docs excluded)."""
    files: list[Path] = []
    files += sorted((root / "skills").glob("*/SKILL.md"))
    files += sorted((root / "skills").glob("*/references/*.md"))
    files += sorted((root / "agents").glob("*.md"))
    files += sorted((root / "policy").glob("*.md"))
    docs = root / "docs"
    files += sorted(
        p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] not in GENERATED_DOCS
    )
    return files


def expand(paths: list[Path]) -> list[Path]:
    """Files named on a command line: markdown files as given, directories searched."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += [p for p in _markdown_under(path) if not is_generated(p)]
        else:
            out.append(path)
    return out


def _markdown_under(folder: Path) -> list[Path]:
    """Markdown files below a folder; folders that vanish or cannot be read are passed over."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        found += [Path(dirpath) / name for name in filenames if name.endswith(".md")]
    return sorted(found)


def is_generated(path: Path) -> bool:
    """A file the site export wrote under docs/ (an output, never a source)."""
    parts = path.resolve().parts
    return any(part == "docs" and parts[i + 1] in GENERATED_DOCS
               for i, part in enumerate(parts[:-1]))


def load_catalogue(root: Path = ROOT) -> Catalogue:
    docs = [load(p) for p in source_files(root)]
    return Catalogue(
        root=root,
        skills=[d for d in docs if d.kind == SKILL],
        references=[d for d in docs if d.kind == REFERENCE],
        agents=[d for d in docs if d.kind == AGENT],
        pages=[d for d in docs if d.kind == PAGE],
        hooks=load_hooks(root),
    )


def load_hooks(root: Path = ROOT) -> list[Hook]:
    """Hook programs with their docstrings and hooks.json registrations.

    A hook is a launcher ``hooks/<name>.py``; when its code lives in the hooks package
    (``hooks/playbook_hooks/<name>.py``), the docstring is that module's, and the package's
    files ship with each hook (``package``)."""
    hooks_dir = root / "hooks"
    config_path = hooks_dir / "hooks.json"
    registrations: dict[str, list[dict[str, Any]]] = {}
    if config_path.exists():
        config = json.loads(config_path.read_text(encoding="utf-8"))
        for event, groups in config.get("hooks", {}).items():
            for group in groups:
                for handler in group.get("hooks", []):
                    args = [str(arg) for arg in handler.get("args", [])]
                    named = " ".join([handler.get("command", ""), *args[-1:]])
                    for script in re.findall(r"([\w-]+)\.py", named):
                        registration = {
                            "event": event,
                            "matcher": group.get("matcher", "*"),
                            "command": handler.get("command", ""),
                            "timeout": handler.get("timeout"),
                        }
                        if "args" in handler:
                            registration["args"] = args
                        if "if" in handler:
                            registration["if"] = handler["if"]
                        registrations.setdefault(script, []).append(registration)
    package = sorted(p for p in (hooks_dir / HOOKS_PACKAGE).glob("*.py"))
    hooks = []
    for path in sorted(hooks_dir.glob("*.py")):
        if path.name.startswith("_"):
            continue
        code = hooks_dir / HOOKS_PACKAGE / path.name
        source = code if code.is_file() else path
        doc = ast.get_docstring(ast.parse(source.read_text(encoding="utf-8"))) or ""
        hooks.append(Hook(path=path, rel=relpath(path), name=path.stem, doc=doc,
                          registrations=registrations.get(path.stem, []),
                          package=package if code.is_file() else []))
    return hooks


def split_tools(value: Any) -> list[str]:
    """Tool names from a ``tools`` / ``allowed-tools`` value: a list, or a string split on commas
    and spaces outside parentheses."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if not isinstance(value, str):
        return []
    out, depth, current = [], 0, ""
    for ch in value:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (ch == "," or ch.isspace()):
            if current.strip():
                out.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        out.append(current.strip())
    return out


__all__ = [
    "AGENT", "PAGE", "REFERENCE", "SKILL", "Catalogue", "CodeBlock", "Document", "Field", "Hook",
    "Link", "expand", "is_external", "kind_of", "link_path", "load", "load_catalogue", "load_hooks",
    "parse_info", "scalar_surprise", "sections", "source_files", "split_title", "split_tools",
    "to_python",
]
