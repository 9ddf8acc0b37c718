"""``CLAUDE.md`` (and ``AGENTS.md``, ``GEMINI.md``): the TDD and model policy as one marked
section; the rest is the user's. ``export claude`` writes it into CLAUDE.md, ``export agents``
into the memory files the other agents read, each through the same :class:`SectionPart`.

The section sits between two block-level HTML comments, which Claude Code strips from memory
files, so the markers cost no context::

    <!-- playbook:begin ... -->
    (policy/tdd-and-models.md)
    <!-- playbook:end -->

A later export replaces the section and keeps every other byte. The first export appends it
(creating the file when there is none); ``--remove`` cuts exactly what was added. A section the
user edited since is left as it is and reported unless ``--force``.
"""

from __future__ import annotations

from playbook import rules
from playbook.export import files
from playbook.export.errors import ExportError
from playbook.export.plan import Outcome, Part, Record, Selected, register

BEGIN = "<!-- playbook:begin"
END = "<!-- playbook:end"
ITEM = "policy"
END_LINE = f"{END} -->\n"


def begin_line(command: str) -> str:
    return (f"{BEGIN}: written by `python -m playbook.export {command}` from Playbook's "
            "policy/tdd-and-models.md; a later export replaces everything up to "
            "playbook:end -->\n")


BEGIN_LINE = begin_line("claude")


def section(policy: str, command: str = "claude") -> str:
    """The marked section; ``command`` is the export format the begin marker names."""
    return begin_line(command) + policy.strip("\n") + "\n" + END_LINE


def find(rel: str, text: str) -> tuple[int, int] | None:
    """The (start, end) offsets of the marked section, or None; malformed markers are an error."""
    begins, ends, offset = [], [], 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.startswith(BEGIN):
            begins.append((number, offset))
        elif line.startswith(END):
            ends.append((number, offset + len(line)))
        offset += len(line)
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0][1] <= begins[0][1]:
        line = (begins[1:] or ends[1:] or begins or ends)[0][0]
        raise ExportError(rel, "the playbook:begin / playbook:end markers are broken (one of "
                          "each, begin first); fix them by hand, nothing was written", line,
                          code=rules.USER_FILE)
    return begins[0][1], ends[0][1]


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def _decode(rel: str, current: bytes) -> str:
    try:
        return current.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExportError(rel, "is not UTF-8; nothing was written",
                          code=rules.USER_FILE) from exc


@register
class SectionPart(Part):
    kind = "section"

    def __init__(self, rel: str, policy: str, command: str = "claude") -> None:
        self.rel = rel
        self.section = section(policy, command)

    def _record(self, joiner: str, created: bool) -> Record:
        return {"kind": self.kind, "item": ITEM, "sha256": files.sha256(self.section.encode()),
                "joiner": joiner, "created": created}

    def render(self, current: bytes | None, record: Record | None, force: bool) -> Outcome:
        if current is None:
            return Outcome(self.section.encode(), self._record("", True))
        text = _decode(self.rel, current)
        newline = "\r\n" if "\r\n" in text else "\n"  # keep a CRLF file CRLF
        ours_now = self.section.replace("\n", newline)
        span = find(self.rel, text)
        if span is None:
            joiner = "" if not text else newline if text.endswith("\n") else newline * 2
            return Outcome((text + joiner + ours_now).encode(), self._record(joiner, False))
        start, end = span
        old = _lf(text[start:end])
        joiner = record.get("joiner", newline) if record else newline
        created = bool(record and record.get("created"))
        if old == self.section:
            return Outcome(current, self._record(joiner, created))
        ours = record is not None and record.get("sha256") == files.sha256(old.encode())
        if not ours and not force:
            note = ("the playbook section was edited since the last export" if record else
                    "has a playbook section this export did not write")
            return Outcome(current, record, [f"{note}; left as it is (--force replaces it)"])
        return Outcome((text[:start] + ours_now + text[end:]).encode(),
                       self._record(joiner, created))

    @classmethod
    def remove(cls, rel: str, current: bytes | None, record: Record, force: bool,
               selected: Selected) -> Outcome:
        if current is None or not selected(ITEM):
            return Outcome(current, record if current is not None else None)
        text = _decode(rel, current)
        span = find(rel, text)
        if span is None:
            return Outcome(current, None, ["the playbook section is gone already"])
        start, end = span
        if not force and record.get("sha256") != files.sha256(_lf(text[start:end]).encode()):
            return Outcome(current, record, ["the playbook section was edited since the export;"
                                             " left as it is (--force removes it)"])
        joiner = record.get("joiner", "")
        before, after = text[:start], text[end:]
        if joiner and before.endswith(joiner) and not after:
            before = before[: len(before) - len(joiner)]
        rest = before + after
        if not rest and record.get("created"):
            return Outcome(None, None)
        return Outcome(rest.encode(), None)
