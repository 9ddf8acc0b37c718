"""``python -m playbook.export.site``: export once (``--dry-run`` prints the plan), keep the
export current (``--watch``: re-export when skills/, agents/, hooks/, policy/ or the rule table
change), or preview the site (``--serve``: export, watch in a thread, run ``mkdocs serve``),
which ``nox -s serve`` uses."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from playbook import content, rules
from playbook.content import load_catalogue
from playbook.export.errors import ExportError
from playbook.export.site.write import Echo, export_site

WATCHED = ("skills", "agents", "hooks", "policy", "scripts/playbook/rules.py")


class Watcher:
    """Tells when a source the site is made from has changed since the last look."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen = self._snapshot()

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        snap: dict[str, tuple[int, int]] = {}
        for name in WATCHED:
            path = self.root / name
            for entry in ([path] if path.is_file() else sorted(path.rglob("*"))
                          if path.is_dir() else []):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                snap[entry.as_posix()] = (stat.st_mtime_ns, stat.st_size)
        return snap

    def changed(self) -> bool:
        now = self._snapshot()
        if now == self.seen:
            return False
        self.seen = now
        return True


def export_logged(root: Path, target: Path, echo: Echo) -> None:
    """Export once; a failure is echoed, never raised (the watcher keeps watching)."""
    try:
        importlib.reload(rules)  # the rule table is code: pick up an edit to it
        export_site(load_catalogue(root), target, echo=echo)
    except ExportError as exc:
        echo(str(exc))
    except Exception as exc:  # noqa: BLE001 - a watcher reports and keeps watching
        # Spelled out, not a Problem: a rule table that failed to reload may lack the code.
        echo(f"{root.as_posix()}:1:1: {rules.EXPORT_FAILED} the site export failed: {exc!r}")


def watch(root: Path, target: Path, *, echo: Echo = print,
          sleep: Callable[[float], None] = time.sleep, interval: float = 0.5) -> None:
    """Export, then export again whenever a source changes, until interrupted."""
    watcher = Watcher(root)
    export_logged(root, target, echo)
    try:
        while True:
            sleep(interval)
            if watcher.changed():
                export_logged(root, target, echo)
    except KeyboardInterrupt:
        return


def start_watcher(root: Path, target: Path, echo: Echo) -> threading.Thread:
    thread = threading.Thread(target=watch, args=(root, target), kwargs={"echo": echo},
                              daemon=True, name="site-export-watcher")
    thread.start()
    return thread


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m playbook.export.site",
        description="Write the site's generated docs folders; optionally keep them current "
                    "(--watch) or preview the site (--serve; arguments after -- go to "
                    "mkdocs serve).")
    top.add_argument("--source", type=Path, default=content.ROOT, metavar="DIR",
                     help="the Playbook repository to read (default: this one)")
    top.add_argument("--target", type=Path, metavar="DIR",
                     help="the docs folder to write into (default: SOURCE/docs)")
    mode = top.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true",
                      help="print the plan as a diff and write nothing")
    mode.add_argument("--watch", action="store_true", help="re-export when a source changes")
    mode.add_argument("--serve", action="store_true",
                      help="export, watch, and run mkdocs serve")
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    args = parser().parse_args(argv)
    root = args.source.resolve()
    target = args.target or root / "docs"
    if args.watch:
        watch(root, target)
        return 0
    try:
        export_site(load_catalogue(root), target, dry_run=args.dry_run)
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not args.serve:
        return 0
    start_watcher(root, target, print)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.run([sys.executable, "-m", "mkdocs", "serve", *extra], env=env,
                              check=False).returncode
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C at the terminal
        return 0
