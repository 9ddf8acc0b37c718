"""Files on disk: safe paths inside a target, normalised bytes, and all-or-nothing writes.

Every path an export touches is given relative to its target directory and resolved by
:func:`inside`, which refuses absolute paths, ``..`` and any symlink on the way (a symlinked
``.claude/skills`` would send our files somewhere the user never pointed us at).

:func:`commit` writes a whole set of changes in two phases. First each new file is written to a
temporary file beside its destination (so a read-only or missing directory fails here, before
any destination has changed); then each temporary file is renamed over its destination with
``os.replace``, which is atomic on POSIX and Windows. If anything fails, the temporary files
and the directories made for them are removed and the files already replaced are put back, so
the target is left as it was.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from playbook import rules
from playbook.export.errors import ExportError

# Never exported from a source folder: editor, OS and Python droppings.
JUNK_NAMES = frozenset({"__pycache__", ".DS_Store", "Thumbs.db"})
JUNK_SUFFIXES = (".pyc", ".pyo", ".swp", "~")


def is_junk(name: str) -> bool:
    return name in JUNK_NAMES or name.startswith(".") or name.endswith(JUNK_SUFFIXES)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise(data: bytes) -> bytes:
    """Text as UTF-8 with LF line endings and no byte-order mark; binary data as it is.

    The same content checked out on Windows (CRLF) or Linux exports the same bytes, so zips,
    hashes and plugin versions do not depend on the machine.
    """
    if b"\0" in data:
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_rel(rel: str) -> PurePosixPath:
    """A relative POSIX path with no ``..``, no empty or ``.`` parts, no drive."""
    pure = PurePosixPath(rel)
    if (not rel or rel.startswith(("/", "\\")) or pure.is_absolute() or "\\" in rel
            or ":" in pure.parts[0] or any(p in ("", ".", "..") for p in rel.split("/"))):
        raise ExportError(rel or "<empty>", "refused: the path would leave the target "
                          "(absolute, '..' or not a plain relative path)")
    return pure


def inside(root: Path, rel: str) -> Path:
    """The path of ``rel`` under ``root``; refused when it would leave ``root``.

    ``root`` itself may be a symlink (``~/.claude`` kept in a dotfiles repository is common);
    nothing below it may be.
    """
    try:
        pure = check_rel(rel)
    except ExportError as exc:
        exc.path = f"{root.as_posix()}/{rel}"
        raise
    path = root
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            raise ExportError(show(root, rel), f"refused: {path.as_posix()} is a symlink; an "
                              "export never writes through a link that could point outside "
                              "the target")
    return path


def show(root: Path, rel: str) -> str:
    """A path under the target as the user can open it."""
    return (root / rel).as_posix()


def read(root: Path, rel: str) -> bytes | None:
    """The current bytes of ``rel`` under ``root``, or None when there is no such file."""
    path = inside(root, rel)
    try:
        if path.is_dir():
            raise ExportError(show(root, rel), "refused: a directory stands where the export "
                              "writes a file")
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None  # a parent is a file: reported when the write is staged
    except OSError as exc:
        raise ExportError(show(root, rel), f"cannot read: {exc.strerror or exc}",
                          code=rules.IO_ERROR) from exc


@dataclass(frozen=True)
class Change:
    """One file to write (``new`` bytes) or delete (``new`` is None); ``old`` is what is there."""

    rel: str
    old: bytes | None
    new: bytes | None
    executable: bool = False

    @property
    def action(self) -> str:
        if self.new is None:
            return "remove"
        return "create" if self.old is None else "update"


def commit(root: Path, changes: list[Change]) -> None:
    """Apply every change or none of them (see the module docstring)."""
    staged: list[tuple[Change, Path, Path | None]] = []  # change, destination, temporary file
    made_dirs: list[Path] = []
    try:
        _check_root(root)
        for change in changes:
            dest = inside(root, change.rel)
            tmp = None
            if change.new is not None:
                _make_dirs(root, dest.parent, made_dirs)
                tmp = _stage(dest, change)
            staged.append((change, dest, tmp))
    except (OSError, ExportError) as exc:
        _discard(staged, made_dirs)
        if isinstance(exc, ExportError):
            raise
        where = show(root, changes[len(staged)].rel) if len(staged) < len(changes) \
            else root.as_posix()
        raise ExportError(where, f"cannot write: {_reason(exc)}; nothing was changed",
                          code=rules.IO_ERROR) from exc
    done: list[tuple[Change, Path]] = []
    try:
        for change, dest, tmp in staged:
            if tmp is None:
                dest.unlink(missing_ok=True)
            else:
                os.replace(tmp, dest)
            done.append((change, dest))
    except OSError as exc:
        failed = show(root, staged[len(done)][0].rel)
        _restore(done)
        _discard(staged[len(done):], made_dirs)
        raise ExportError(failed, f"cannot write: {_reason(exc)}; the files already written "
                          "were put back, nothing was changed", code=rules.IO_ERROR) from exc
    for change, dest in done:
        if change.new is None:
            prune(root, dest.parent)


def _check_root(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise ExportError(root.as_posix(), "the target is not a directory")


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied (is the target read-only?)"
    return exc.strerror or str(exc)


def _make_dirs(root: Path, directory: Path, made: list[Path]) -> None:
    missing = []
    path = directory
    while not path.exists() and path.parent != path:
        missing.append(path)
        path = path.parent
    if path.exists() and not path.is_dir():
        raise ExportError(path.as_posix(), "a file stands where the export needs a directory")
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _stage(dest: Path, change: Change) -> Path:
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(change.new or b"")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode(dest, change.executable))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _mode(dest: Path, executable: bool) -> int:
    """Keep the mode of a file we update; new files get 0o644 (0o755 when executable)."""
    try:
        current = stat.S_IMODE(dest.stat().st_mode)
    except OSError:
        current = None
    if current is not None:
        return current | (0o111 if executable else 0)
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if executable else 0o666) & ~umask


def _discard(staged: list[tuple[Change, Path, Path | None]], made_dirs: list[Path]) -> None:
    for _change, _dest, tmp in staged:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    for path in reversed(made_dirs):
        try:
            path.rmdir()
        except OSError:
            pass


def _restore(done: list[tuple[Change, Path]]) -> None:
    for change, dest in reversed(done):
        try:
            if change.old is None:
                dest.unlink(missing_ok=True)
            else:
                tmp = _stage(dest, Change(change.rel, None, change.old))
                os.replace(tmp, dest)
        except OSError:  # pragma: no cover - best effort after a failure we already report
            pass


def prune(root: Path, directory: Path) -> None:
    """Remove ``directory`` and its parents while they are empty, never ``root`` itself."""
    path = directory
    while path != root and root in path.parents:
        try:
            path.rmdir()
        except OSError:
            return
        path = path.parent
