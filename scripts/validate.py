"""Validate skills, agents and guide pages: ``python -m scripts.validate [PATH...]``.

With no path, the whole repository. Prints ``path:line:col: PBnnn message`` sorted, or JSON
(``--format json``), or GitHub annotations when ``GITHUB_ACTIONS=true``. ``--links`` lists every
external link for review. Exit 0 clean, 1 problems, 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scripts import content, problems
from scripts.checks import catalogue_checks, document_checks
from scripts.problems import Problem


def validate(paths: list[Path] | None = None) -> list[Problem]:
    """Every problem in the given files (default: the repository's sources)."""
    files = content.expand(paths) if paths else content.source_files()
    docs = [content.load(p) for p in files]
    return check_documents(docs)


def check_documents(docs: list[content.Document]) -> list[Problem]:
    found: set[Problem] = set()
    for doc in docs:
        found.update(doc.problems)
        for check in document_checks():
            found.update(check(doc))
    for check in catalogue_checks():
        found.update(check(docs))
    return sorted(found)


def link_report(paths: list[Path] | None = None) -> list[str]:
    from scripts.checks.safety import external_links

    files = content.expand(paths) if paths else content.source_files()
    rows = []
    for path in files:
        doc = content.load(path)
        if doc.text:
            rows += [(doc.rel, line, col, url) for url, line, col in external_links(doc)]
    return [f"{rel}:{line}:{col}: {url}" for rel, line, col, url in sorted(rows)]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one clear line, never a traceback
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m scripts.validate", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all)")
    parser.add_argument("--format", choices=("text", "json", "github"), default=None)
    parser.add_argument("--links", action="store_true", help="list every external link")
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        for p in missing:
            print(f"{p}:1:1: PB001 no such file or directory", file=sys.stderr)
        return 2
    if args.links:
        print("\n".join(link_report(args.paths or None)))
        return 0
    found = validate(args.paths or None)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    render = {"text": problems.as_text, "json": problems.as_json, "github": problems.as_github}
    out = render[fmt](found)
    if fmt == "github":  # annotations for the runner, readable lines for the log
        out += problems.as_text(found)
    sys.stdout.write(out)
    if fmt != "json":
        print(f"{len(found)} problem(s)" if found else "no problems", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
