"""The one table of the versions the pack teaches (``policy/versions.toml``) and its readers.

:func:`table` loads the table once; :func:`mentions` finds every version of a listed tool that a
document names, in its frontmatter ``metadata.versions``, its prose and its code blocks, located
to the line and column. The validator (:mod:`playbook.checks.versions`) reports those that differ
from the table; the freshness report (:mod:`playbook.freshness`) resolves the table's packages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import tomllib

from playbook import rules
from playbook.content import AGENT, REFERENCE, ROOT, SKILL, Document, relpath
from playbook.problems import Problem

TABLE = ROOT / "policy" / "versions.toml"


def table_path(root: Path) -> Path:
    """Where a repository keeps its version table."""
    return root / TABLE.relative_to(ROOT)


# A sentence that places a version in time names it on purpose: "support ended", "since 1.45",
# "Go 1.25 adds", "the newer LTS". Read on the mention's line and the next (sentences wrap).
OTHER_VERSION = re.compile(
    r"support ended|unsupported|end[ -]of[ -]life|\bEOL\b|deprecated|legacy|\bolder\b|"
    r"\bnewer\b|\bearlier\b|\bsince\b|\buntil\b|\bbefore\b|\bpreview\b|\bfinal in\b|"
    r"\badd(?:s|ed)\b|\bremoved\b|\bintroduced\b|\bbecame\b|no (?:more )?security fixes|"
    r"upgrad\w* from|migrat\w* from", re.I)
# A floor: "Go 1.24+", "3.18+", "(Go 1.23)" - the version a feature needs, at or below ours.
_FLOOR_AFTER = re.compile(r"(?:\.\d+)*(?:\+|\)| or later| and later)")


@dataclass(frozen=True)
class Tool:
    key: str
    version: str
    accept: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    pypi: str | None = None
    npm: str | None = None
    action: str | None = None
    version_at: tuple[int, int] = (1, 1)  # line and column of its version in the table

    def agrees(self, named: str) -> bool:
        """Whether a named version is the taught one (or an accepted one), at their precision."""
        return any(_same(named, v) for v in (self.version, *self.accept))

    def covers(self, floor: str) -> bool:
        """Whether the taught version is at or above ``floor`` (so "floor+" holds for it)."""
        return _numbers(floor) <= _numbers(self.version)


@dataclass(frozen=True)
class Mention:
    tool: Tool
    version: str
    line: int
    col: int
    allowed: bool = field(default=False)  # a bad example, or a line about an old version


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _same(named: str, taught: str) -> bool:
    want = taught.split(".")
    return named.split(".")[: len(want)] == want


def table(path: Path = TABLE) -> tuple[Tool, ...]:
    """The tools of the table; none when it is missing or broken (``load`` says why)."""
    return load(path)[0]


@cache
def load(path: Path = TABLE) -> tuple[tuple[Tool, ...], Problem | None]:
    """The table's tools, or no tools and the located problem that kept it from loading."""
    if not path.is_file():  # a content root without the table (a user's own checkout)
        return (), None
    rel = relpath(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        return (), Problem(rel, 1, 1, rules.IO_ERROR, f"cannot be read: {exc.strerror}")
    except UnicodeDecodeError as exc:
        return (), Problem(rel, 1, 1, rules.NOT_UTF8, f"is not UTF-8: {exc.reason}")
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(at[1]), int(at[2])) if at else (1, 1)
        return (), Problem(rel, line, col, rules.VERSION_TABLE, f"is not TOML: {exc}")
    entries = data.get("tools")
    if not isinstance(entries, dict) or not entries:
        return (), Problem(rel, 1, 1, rules.VERSION_TABLE,
                           "has no [tools.<key>] tables: nothing to check versions against")
    lines = text.split("\n")
    tools = []
    for key, entry in entries.items():
        header, version_at = _located(lines, key)
        try:
            if not isinstance(entry["patterns"], list):
                raise TypeError("patterns must be a list of regular expressions")
            patterns = tuple(re.compile(p, re.M) for p in entry["patterns"])
            if any(p.groups < 1 for p in patterns):
                raise TypeError("each pattern needs one (group) around the version")
            tools.append(Tool(
                key=key, version=str(entry["version"]),
                accept=tuple(str(v) for v in entry.get("accept", ())), patterns=patterns,
                pypi=entry.get("pypi"), npm=entry.get("npm"), action=entry.get("action"),
                version_at=version_at))
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            what = f"lacks {exc}" if isinstance(exc, KeyError) else f"is malformed ({exc})"
            return (), Problem(rel, header, 1, rules.VERSION_TABLE,
                               f"[tools.{key}] {what}: each tool needs version and patterns")
    return tuple(tools), None


def _located(lines: list[str], key: str) -> tuple[int, tuple[int, int]]:
    """The line of ``[tools.<key>]`` and the (line, column) of its version value; 1 where the
    table is laid out otherwise (an inline table under ``[tools]``)."""
    header = next((i for i, text in enumerate(lines, 1)
                   if text.split("#")[0].strip() == f"[tools.{key}]"), 0)
    if not header:
        return 1, (1, 1)
    for number in range(header + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.lstrip().startswith("["):
            break
        if m := re.match(r"\s*version\s*=\s*[\"']?", text):
            return header, (number, m.end() + 1)
    return header, (header, 1)


def checked_kinds(doc: Document) -> bool:
    """Skills, their references, agents and policy files teach versions; guide pages do not."""
    return doc.kind in (SKILL, REFERENCE, AGENT) or doc.path.parent.name == "policy"


def mentions(doc: Document, tools: tuple[Tool, ...] | None = None) -> list[Mention]:
    """Every version of a tool in the table that the document names, in file order."""
    tools = table() if tools is None else tools
    bad_lines = {n for b in doc.blocks if b.is_bad_example
                 for n in range(b.start_line, b.end_line + 1)}
    found: list[Mention] = []
    lines = doc.lines
    for number, line in enumerate(lines, 1):
        sentence = line + " " + (lines[number] if number < len(lines) else "")
        on_purpose = number in bad_lines or bool(OTHER_VERSION.search(sentence))
        for tool in tools:
            for pattern in tool.patterns:
                for m in pattern.finditer(line):
                    label = (bool(_FLOOR_AFTER.match(line, m.end(1)))
                             or line[m.start() - 1:m.start()] == "(")
                    floor = label and tool.covers(m.group(1))
                    found.append(Mention(tool, m.group(1), number, m.start(1) + 1,
                                         allowed=on_purpose or floor))
    return sorted(set(found), key=lambda m: (m.line, m.col, m.tool.key))
