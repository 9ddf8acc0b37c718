"""The plugin's icon, drawn in code so that it is reproducible: ``.claude-plugin/icon.png``.

A 512 x 512 PNG (the plugin directory asks for a square PNG of 512 to 2048 px under 2 MB): a
rounded green square with a white check mark, written with the standard library only (zlib and
a CRC per chunk), byte for byte the same on every run.

    python -m playbook.icon [PATH]      write it (default: .claude-plugin/icon.png)
    python -m playbook.icon --check     exit 1 when the committed icon differs
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

from playbook.content import ROOT

SIZE = 512
ICON = ROOT / ".claude-plugin" / "icon.png"
GREEN, WHITE = (22, 128, 74), (255, 255, 255)
CHECK = ((0.27, 0.52), (0.43, 0.68), (0.74, 0.34))  # the check mark's three points, 0..1
STROKE, RADIUS = 0.075, 0.18


def _segment_distance(x: float, y: float, a: tuple, b: tuple) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2) ** 0.5


def _inside_rounded_square(x: float, y: float) -> bool:
    cx, cy = min(max(x, RADIUS), 1 - RADIUS), min(max(y, RADIUS), 1 - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS * RADIUS


def pixel(x: float, y: float) -> tuple[int, int, int, int]:
    if not _inside_rounded_square(x, y):
        return (0, 0, 0, 0)
    near = min(_segment_distance(x, y, CHECK[0], CHECK[1]),
               _segment_distance(x, y, CHECK[1], CHECK[2]))
    return (*(WHITE if near <= STROKE / 2 else GREEN), 255)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(size: int = SIZE) -> bytes:
    rows = bytearray()
    for row in range(size):
        rows.append(0)  # filter: none
        for column in range(size):
            rows.extend(pixel((column + 0.5) / size, (row + 0.5) / size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _chunk(b"IEND", b""))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data = png()
    if argv == ["--check"]:
        if not ICON.is_file() or ICON.read_bytes() != data:
            print(f"{ICON.relative_to(ROOT)}:1:1: ICON differs from playbook.icon; run "
                  "python -m playbook.icon", file=sys.stderr)
            return 1
        return 0
    target = Path(argv[0]) if argv else ICON
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(target)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
