"""One plan/apply model for every export: parts to write, a manifest of what was written, a diff.

An exporter (``claude``, ``plugin``, ``zip``, ``root``) only builds a list of *parts*: a path
relative to the target and what should stand there. :func:`execute` does the rest, the same way
for all of them:

1. read the manifest (``playbook.lock.json``) that the previous export left, if any;
2. ask each part what the file should become, given what is on disk now and what the manifest
   says we wrote there last time (a part may keep the file as it is and say why);
3. files the manifest lists that no part plans any more (content deleted from the catalogue)
   are removed, unless the user changed them since;
4. print the plan as a diff (``--dry-run``) or write every change at once (:func:`files.commit`),
   together with the new manifest.

A part is either a whole file we own (:class:`OwnedFile`: a skill, an agent, a hook, a zip) or
a file we share with the user (``settings.json``, ``CLAUDE.md``), whose part merges our entries
into the user's text and can take them out again. The manifest keeps, per path, a record that
says which kind of part wrote it, so ``--remove`` needs nothing but the manifest.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from playbook import rules
from playbook.export import files
from playbook.export.errors import ExportError
from playbook.export.files import Change

MANIFEST_FORMAT = 1

Record = dict[str, Any]
Selected = Callable[[str], bool]


def everything(_item: str) -> bool:
    return True


@dataclass
class Outcome:
    """What a part makes of a file: its new bytes (None: delete it) and the manifest record."""

    data: bytes | None
    record: Record | None
    notes: list[str] = field(default_factory=list)


class Part:
    """A path in the target and the rule that decides its content."""

    kind: ClassVar[str] = ""
    rel: str
    executable: bool = False

    def render(self, current: bytes | None, record: Record | None,
               force: bool) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def remove(cls, rel: str, current: bytes | None, record: Record, force: bool,
               selected: Selected) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


KINDS: dict[str, type[Part]] = {}


def register(cls: type[Part]) -> type[Part]:
    KINDS[cls.kind] = cls
    return cls


KEPT = "changed since the last export; left as it is (--force overwrites)"
FOREIGN = "exists and was not written by an export; left as it is (--force overwrites)"


@register
class OwnedFile(Part):
    """A whole file that the export owns: it is ours while its bytes are the ones we wrote."""

    kind = "file"

    def __init__(self, rel: str, data: bytes, item: str, executable: bool = False) -> None:
        self.rel = rel
        self.data = data
        self.item = item
        self.executable = executable

    def _record(self) -> Record:
        return {"kind": self.kind, "item": self.item, "sha256": files.sha256(self.data)}

    def render(self, current: bytes | None, record: Record | None, force: bool) -> Outcome:
        if current is None or current == self.data:
            return Outcome(self.data, self._record())
        if files.normalise(current) == self.data:  # a checkout with CRLF (git autocrlf)
            return Outcome(current, self._record())
        ours = record is not None and record.get("sha256") == files.sha256(
            files.normalise(current))
        if ours or force:
            notes = [] if ours else ["overwritten (--force): it had changed since the export"
                                     if record else "overwritten (--force)"]
            return Outcome(self.data, self._record(), notes)
        return Outcome(current, record, [KEPT if record else FOREIGN])

    @classmethod
    def remove(cls, rel: str, current: bytes | None, record: Record, force: bool,
               selected: Selected) -> Outcome:
        if current is None:
            return Outcome(None, None)
        if force or record.get("sha256") == files.sha256(files.normalise(current)):
            return Outcome(None, None)
        return Outcome(current, record, [KEPT.replace("overwrites", "removes it")])


@dataclass
class Target:
    """Where an export writes; ``manifest`` is the manifest's path in it (None: no manifest)."""

    root: Path
    manifest: str | None
    format: str

    def manifest_bytes(self, records: dict[str, Record]) -> bytes:
        body = {"generator": "python -m playbook.export", "format": self.format,
                "manifest-version": MANIFEST_FORMAT, "files": dict(sorted(records.items()))}
        return (json.dumps(body, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()

    def read_manifest(self) -> tuple[bytes | None, dict[str, Record]]:
        if self.manifest is None:
            return None, {}
        raw = files.read(self.root, self.manifest)
        if raw is None:
            return None, {}
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line, col = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
            raise ExportError(files.show(self.root, self.manifest), "the export manifest is not "
                              f"valid JSON ({exc}); "
                              "restore it from version control or delete it", line, col,
                              code=rules.EXPORT_MANIFEST) from exc
        records = data.get("files") if isinstance(data, dict) else None
        if not isinstance(records, dict) or not all(
                isinstance(r, dict) and r.get("kind") in KINDS for r in records.values()):
            raise ExportError(files.show(self.root, self.manifest), "the export manifest has no "
                              "'files' table of known records; restore it from version control "
                              "or delete it", code=rules.EXPORT_MANIFEST)
        for rel in records:
            try:
                files.check_rel(rel)
            except ExportError as exc:
                raise ExportError(files.show(self.root, self.manifest),
                                  f"the export manifest lists {rel!r}: {exc.message}",
                                  code=rules.EXPORT_MANIFEST) from exc
        return raw, records


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    checked: int = 0


def execute(target: Target, parts: list[Part], *, force: bool = False, remove: bool = False,
            partial: bool = False, selected: Selected = everything,
            dry_run: bool = False) -> Report:
    """Plan the export (or its removal), then write it unless ``dry_run``."""
    report = Report()
    old_manifest, records = target.read_manifest()
    new_records: dict[str, Record] = {}
    planned = {part.rel for part in parts}
    if len(planned) != len(parts):
        raise ExportError(target.root.as_posix(), "two parts of the export write the same path")
    if target.manifest in planned:
        raise ExportError(files.show(target.root, target.manifest or ""),
                          "a part would overwrite the export manifest")

    def settle(rel: str, current: bytes | None, outcome: Outcome, executable: bool) -> None:
        report.checked += 1
        if outcome.data != current:
            report.changes.append(Change(rel, current, outcome.data, executable))
        if outcome.record is not None:
            new_records[rel] = outcome.record
        report.notes += [(rel, note) for note in outcome.notes]

    if not remove:
        for part in parts:
            current = files.read(target.root, part.rel)
            with _located(target, part.rel):
                outcome = part.render(current, records.get(part.rel), force)
            settle(part.rel, current, outcome, part.executable)
    for rel, record in records.items():
        if rel in planned and not remove:
            continue
        if partial and not _in_selection(record, selected, remove):
            new_records[rel] = record  # not part of this --only selection
            continue
        current = files.read(target.root, rel)
        with _located(target, rel):
            outcome = KINDS[record["kind"]].remove(rel, current, record, force, selected)
        settle(rel, current, outcome, False)
    if target.manifest is not None:
        _plan_manifest(target, old_manifest, new_records, report)
    if not dry_run and report.changes:
        files.commit(target.root, report.changes)
    return report


@contextmanager
def _located(target: Target, rel: str) -> Iterator[None]:
    """Errors a part raises about its own path, shown under the target."""
    try:
        yield
    except ExportError as exc:
        if exc.path == rel:
            exc.path = files.show(target.root, rel)
        raise


def _in_selection(record: Record, selected: Selected, remove: bool) -> bool:
    """Whether a file the manifest lists is for this ``--only`` run to remove.

    A whole file belongs to one item. A shared file (settings, CLAUDE.md) holds entries of many;
    ``--remove`` hands it the selection to take out only those, while an export with ``--only``
    leaves the ones its parts did not plan alone.
    """
    if record["kind"] == "file":
        return selected(str(record.get("item", "")))
    return remove


def _plan_manifest(target: Target, old: bytes | None, records: dict[str, Record],
                   report: Report) -> None:
    assert target.manifest is not None
    new = target.manifest_bytes(records) if records else None
    if new != old and (new is None or old is None or files.normalise(old) != new):
        # The manifest is written last and removed last, so a failed write never leaves a
        # manifest that lists files that are not there.
        report.changes.append(Change(target.manifest, old, new))


# ---------------------------------------------------------------------------------------------
# Showing the plan


def diff(change: Change) -> str:
    """The change as a unified diff (``Binary files ... differ`` for binary data)."""
    old, new = change.old, change.new
    a = f"a/{change.rel}" if old is not None else "/dev/null"
    b = f"b/{change.rel}" if new is not None else "/dev/null"
    if not files.is_text(old or b"") or not files.is_text(new or b""):
        return f"Binary files {a} and {b} differ\n"
    lines = difflib.unified_diff(_lines(old), _lines(new), fromfile=a, tofile=b)
    return "".join(lines)


def _lines(data: bytes | None) -> list[str]:
    if not data:
        return []
    lines = data.decode("utf-8").splitlines(keepends=True)
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def summary(report: Report, *, dry_run: bool, target: str) -> str:
    if not report.changes:
        return f"{target}: up to date, nothing to write ({report.checked} file(s) checked)"
    counts: dict[str, int] = {}
    for change in report.changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    done = ", ".join(f"{n} to {a}" if dry_run else f"{a}d {n}"
                     for a, n in sorted(counts.items()))
    verb = "would change" if dry_run else "changed"
    return f"{target}: {verb} {len(report.changes)} file(s) ({done})"
