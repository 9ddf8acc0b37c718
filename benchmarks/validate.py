"""Validator speed: N synthetic skills (default 1,000) in a temp dir; prints the wall time.

    python benchmarks/validate.py [N]

Goal: under 3 s for 1,000 skills.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from playbook.validate import validate  # noqa: E402

SKILL = """---
name: {name}
description: Synthetic skill number {i} for the benchmark. Use when measuring the validator.
license: MIT
metadata:
  category: patterns
  tags: "bench, synthetic"
---

# Skill {i}

## When to use

When the validator's speed matters. See [the reference](references/deep.md).

```python
def add(a: int, b: int) -> int:
    return a + b


print(add({i}, 1))
```

```bash
echo "step {i}" && ls -la
```

## Checklist

- [ ] Fast.
""" + "\nFiller paragraph with a link to https://example.com/docs and some words.\n" * 40


def build(root: Path, n: int) -> None:
    for i in range(n):
        name = f"skill-{i:04d}"
        folder = root / "skills" / name
        (folder / "references").mkdir(parents=True)
        (folder / "SKILL.md").write_text(SKILL.format(name=name, i=i), encoding="utf-8")
        (folder / "references" / "deep.md").write_text("# Deep\n\nMore.\n", encoding="utf-8")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, n)
        start = time.perf_counter()
        problems = validate([root / "skills"])
        elapsed = time.perf_counter() - start
    lines = sum(SKILL.count("\n") for _ in range(1)) * n
    print(f"validate: {n} skills ({lines} lines) in {elapsed:.2f} s "
          f"({elapsed / n * 1000:.2f} ms per skill); problems: {len(problems)}; goal < 3 s")


if __name__ == "__main__":
    main()
