"""Files beside a skill: reviewable text or declared png/svg assets; no executables or archives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from playbook import rules
from playbook.content import SKILL, Document, relpath
from playbook.problems import Problem

TEXT_LIMIT = 256 * 1024
ASSET_LIMIT = 1024 * 1024
MAGIC = {
    b"\x7fELF": "an ELF executable",
    b"MZ": "a Windows executable",
    b"\xcf\xfa\xed\xfe": "a Mach-O executable",
    b"\xfe\xed\xfa\xcf": "a Mach-O executable",
    b"\xca\xfe\xba\xbe": "a Mach-O or Java class file",
    b"PK\x03\x04": "a zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"Rar!": "a rar archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
}
ARCHIVE_SUFFIXES = {".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar", ".whl",
                    ".exe", ".dll", ".so", ".dylib", ".bin", ".pyc", ".class", ".msi", ".deb"}
PNG = b"\x89PNG\r\n\x1a\n"
_SVG_ACTIVE = re.compile(rb"<script|\son\w+\s*=|javascript:|<foreignObject", re.I)


def check(doc: Document) -> Iterator[Problem]:
    if doc.kind != SKILL:
        return
    folder = doc.path.parent
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path == doc.path:
            continue
        rel = path.relative_to(folder)
        if rel.parts[0] == "references" and path.suffix == ".md":
            continue
        message = file_problem(path)
        if message:
            yield Problem(relpath(path), 1, 1, rules.SKILL_FILE, message)


def file_problem(path: Path) -> str | None:
    """Why a file may not sit beside a skill, or None when it may."""
    if path.is_symlink():
        return "symbolic links are not allowed beside a skill"
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".png":
        if not data.startswith(PNG):
            return "declared .png but the bytes are not a PNG image"
        if len(data) > ASSET_LIMIT:
            return f"image is {len(data)} bytes; the limit is {ASSET_LIMIT}"
        return None
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            return f"{what} is not allowed beside a skill"
    if suffix in ARCHIVE_SUFFIXES:
        return f"'{suffix}' files (archives, binaries) are not allowed beside a skill"
    if b"\x00" in data:
        return "binary file: only text, png and svg may sit beside a skill"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    if len(data) > TEXT_LIMIT:
        return f"file is {len(data)} bytes; the limit for text beside a skill is {TEXT_LIMIT}"
    if suffix == ".svg" and _SVG_ACTIVE.search(data):
        return "svg with script or event handlers"
    return None
