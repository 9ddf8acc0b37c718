"""Writing the site through the one export planner (:func:`playbook.export.plan.execute`).

The export owns the folders :data:`playbook.content.GENERATED_DOCS` under the target whole, so
it keeps no manifest: every file :func:`~playbook.export.site.tree.render` makes is a part
that becomes its bytes whatever stands there, and every other file found in those folders (a
page whose source is gone) is a part that is removed. The planner writes only what changed,
all at once, or with ``dry_run`` prints the plan and writes nothing. Each owned folder carries
a marker file; a folder without it that holds files is refused, so the export never deletes
what it did not write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playbook import content
from playbook.content import Catalogue
from playbook.export import plan
from playbook.export.errors import ExportError
from playbook.export.plan import Outcome, Part, Record
from playbook.export.site.tree import MARKER, render

Echo = Callable[[str], None]


class SitePart(Part):
    """A path in a folder the site export owns: it becomes ``data`` (None: removed)."""

    kind = "site"

    def __init__(self, rel: str, data: bytes | None) -> None:
        self.rel = rel
        self.data = data

    def render(self, current: bytes | None, record: Record | None, force: bool) -> Outcome:
        return Outcome(self.data, None)


@dataclass
class Result:
    written: list[str]
    removed: list[str]
    unchanged: int


def owned_paths(target: Path) -> set[str]:
    """The files now in the folders the export owns; refuses a folder it did not write."""
    found: set[str] = set()
    for folder in content.GENERATED_DOCS:
        path = target / folder
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise ExportError(path.as_posix(), "refused: the site export writes a directory "
                              "here, and a file or symlink stands in its place")
        if not path.is_dir():
            continue
        entries = sorted(path.rglob("*"))
        if not (path / MARKER).is_file() and any(not p.is_dir() for p in entries):
            raise ExportError(path.as_posix(), f"refused: this folder was not written by the "
                              f"site export (it has no {MARKER}), and the export replaces "
                              "everything in it; move it away or choose another --target")
        for entry in entries:
            if entry.is_symlink():
                raise ExportError(entry.as_posix(), "refused: a symlink in a folder the site "
                                  "export owns")
            if entry.is_file():
                found.add(entry.relative_to(target).as_posix())
    return found


def export_site(catalogue: Catalogue, target: Path, *, echo: Echo = print,
                dry_run: bool = False) -> Result:
    """Bring ``target``'s owned folders to :func:`render`'s files: changed ones written, stale
    ones removed, at once; with ``dry_run`` echo the plan as a diff and write nothing."""
    target = Path(target)
    wanted = render(catalogue)
    stale = sorted(owned_paths(target) - set(wanted))
    parts: list[Part] = [SitePart(rel, data) for rel, data in sorted(wanted.items())]
    parts += [SitePart(rel, None) for rel in stale]
    report = plan.execute(plan.Target(target, None, "site"), parts, dry_run=dry_run)
    written = [c.rel for c in report.changes if c.new is not None]
    removed = [c.rel for c in report.changes if c.new is None]
    result = Result(written, removed, len(wanted) - len(written))
    where = target.as_posix()
    if dry_run:
        for change in report.changes:  # an empty file has no diff lines: name the action
            echo(plan.diff(change).rstrip("\n") or f"{change.action} {change.rel} (empty)")
        echo(f"site: {len(written)} to write, {len(removed)} to remove, {result.unchanged} "
             f"unchanged in {where} (--dry-run: nothing written)")
    else:
        echo(f"site: {len(written)} written, {len(removed)} removed, {result.unchanged} "
             f"unchanged in {where}")
    return result
