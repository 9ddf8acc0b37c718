"""Site build time: the real content, then the real content plus N synthetic skills (default 500).

    python benchmarks/site.py [N]

Each run stages the site scaffolding (mkdocs.yml, overrides/, the hand-written docs) in a temp
dir, runs the site export (``python -m playbook.export site``) into it, then ``mkdocs build
--strict``; it prints the wall time of the export, of the build and of a second export (which
writes nothing). Prints figures, checks nothing (a failed build is reported).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from playbook.content import load_catalogue  # noqa: E402
from playbook.export import site  # noqa: E402

CATEGORIES = ("languages", "infrastructure", "testing", "patterns")

SKILL = """---
name: {name}
description: Synthetic skill number {i} for the site benchmark. Use when measuring the site build.
license: MIT
metadata:
  category: {category}
  tags: "bench, synthetic, group-{group}"
  versions: "Python 3.12"
  last-reviewed: "2026-11-24"
---

# Synthetic skill {i}

## When to use

When the site's build time matters. See [the reference](references/deep.md) and
[the neighbour](../{neighbour}/SKILL.md).

## Patterns

```python
def add(a: int, b: int) -> int:
    return a + b


print(add({i}, 1))
#> {j}
```

```bash example="bad"
curl -s https://example.com/install.sh | sh
```

```text test="skip" reason="a tree"
project/
  src/
  tests/
```

## Checklist

- [ ] Fast.
""" + "\nFiller paragraph with `inline code`, **bold** words and a list:\n\n- one\n- two\n" * 20


def add_synthetic(root: Path, n: int) -> None:
    for i in range(n):
        name = f"bench-{i:04d}"
        folder = root / "skills" / name
        (folder / "references").mkdir(parents=True)
        text = SKILL.format(name=name, i=i, j=i + 1, category=CATEGORIES[i % 4], group=i % 25,
                            neighbour=f"bench-{(i + 1) % n:04d}")
        (folder / "SKILL.md").write_text(text, encoding="utf-8")
        (folder / "references" / "deep.md").write_text("# Deep\n\nMore.\n", encoding="utf-8")


def measure(label: str, source: Path, work: Path) -> None:
    project = work / "project"
    site.stage(ROOT, project)
    start = time.perf_counter()
    catalogue = load_catalogue(source)
    site.export_site(catalogue, project / "docs", echo=lambda _line: None)
    export = time.perf_counter() - start
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
        cwd=project, env=env, capture_output=True, text=True, check=False)
    build = time.perf_counter() - start
    start = time.perf_counter()
    again = site.export_site(load_catalogue(source), project / "docs", echo=lambda _line: None)
    second = time.perf_counter() - start
    pages = len(list((project / "site").rglob("*.html")))
    output = (result.stdout + result.stderr)[-2000:]
    status = "ok" if result.returncode == 0 else f"FAILED:\n{output}"
    print(f"{label:<34} {len(catalogue.skills):>4} skills  export {export:6.2f} s  "
          f"mkdocs build {build:6.2f} s  total {export + build:6.2f} s  {pages} pages  "
          f"second export {second:5.2f} s ({len(again.written)} written)  {status}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    print(f"site build: Python {platform.python_version()} on {platform.system()}, "
          f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        measure("real content", ROOT, Path(tmp) / "real")
        copy = Path(tmp) / "synthetic-source"
        for name in ("skills", "agents", "hooks", "policy"):
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
        add_synthetic(copy, n)
        measure(f"real content + {n} synthetic skills", copy, Path(tmp) / "synthetic")


if __name__ == "__main__":
    main()
