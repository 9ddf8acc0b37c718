"""``export zip``: ``DIR/<name>.zip`` per skill, ready to upload to claude.ai.

Each archive holds one folder, ``<name>/``, with ``SKILL.md`` as its first entry and the rest of
the skill folder after it in sorted order. Timestamps, permissions and compression are fixed,
so the same content gives the same bytes on every run and every machine with the same zlib.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from playbook.export import frontmatter
from playbook.export.items import Item
from playbook.export.plan import OwnedFile, Part, Target

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
MANIFEST = ".playbook.lock.json"


def skill_zip(item: Item) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for source in sorted(item.files, key=lambda f: (f.rel != "SKILL.md", f.rel)):
            info = zipfile.ZipInfo(f"{item.name}/{source.rel}", date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permission bits below are read
            info.external_attr = (0o100755 if source.executable else 0o100644) << 16
            data = source.data
            if source.rel == "SKILL.md":  # claude.ai accepts only the Agent Skills keys
                data = frontmatter.portable_skill(data)
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def build(target: Path, items: list[Item]) -> tuple[Target, list[Part]]:
    parts: list[Part] = [OwnedFile(f"{item.name}.zip", skill_zip(item), item.key)
                         for item in items if item.kind == "skill"]
    return Target(target, MANIFEST, "zip"), parts
