"""Validate skills, agents and guide pages: ``python -m playbook.validate [PATH...]``.

With no path, the whole repository. Prints ``path:line:col: PBnnn message`` sorted, or JSON
(``--format json``), or GitHub annotations when ``GITHUB_ACTIONS=true``. ``--links`` lists every
external link for review. Exit 0 clean, 1 problems, 2 usage.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from playbook import content, problems
from playbook.checks import catalogue_checks, document_checks
from playbook.cli import Parser, report_missing
from playbook.problems import Problem

PARALLEL_FROM = 200  # files; below this, starting worker processes costs more than it saves


def validate(paths: list[Path] | None = None) -> list[Problem]:
    """Every problem in the given files (default: the repository's sources)."""
    files = content.expand(paths) if paths else content.source_files()
    workers = min(os.cpu_count() or 1, 8)
    if len(files) >= PARALLEL_FROM and workers > 1:
        with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
            results = list(pool.map(_load_and_check, files, chunksize=32))
    else:
        results = [_load_and_check(path) for path in files]
    found = {p for _doc, problems in results for p in problems}
    docs = [doc for doc, _problems in results]
    for check in catalogue_checks():
        found.update(check(docs))
    return sorted(found)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _load_and_check(path: Path) -> tuple[content.Document, list[Problem]]:
    doc = content.load(path)
    return doc, _document_problems(doc)


def _document_problems(doc: content.Document) -> list[Problem]:
    found = list(doc.problems)
    for check in document_checks():
        found.extend(check(doc))
    return found


def check_documents(docs: list[content.Document]) -> list[Problem]:
    """The problems of documents already loaded (one process)."""
    found = {p for doc in docs for p in _document_problems(doc)}
    for check in catalogue_checks():
        found.update(check(docs))
    return sorted(found)


def link_report(paths: list[Path] | None = None) -> list[str]:
    from playbook.checks.safety import external_links

    files = content.expand(paths) if paths else content.source_files()
    rows = []
    for path in files:
        doc = content.load(path)
        if doc.text:
            rows += [(doc.rel, line, col, url) for url, line, col in external_links(doc)]
    return [f"{rel}:{line}:{col}: {url}" for rel, line, col, url in sorted(rows)]


def main(argv: list[str] | None = None, prog: str = "python -m playbook.validate") -> int:
    parser = Parser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all)")
    parser.add_argument("--format", choices=("text", "json", "github"), default=None)
    parser.add_argument("--links", action="store_true", help="list every external link")
    args = parser.parse_args(argv)
    if report_missing(args.paths):
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
