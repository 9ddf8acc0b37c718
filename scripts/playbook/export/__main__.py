"""``python -m playbook.export <format> ...``: see :mod:`playbook.export` for the formats.

Errors print as ``path:line:col: CODE message`` on stderr and exit 1 with nothing written;
command-line mistakes exit 2. Files left as they are (changed by the user since the last
export) are reported the same way but do not fail the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playbook import rules
from playbook.cli import Parser
from playbook.content import ROOT, load_catalogue
from playbook.export import agents, claude, cursor, gemini, plan, plugin, zips
from playbook.export.errors import ExportError, UsageError
from playbook.export.items import Item, all_items, select
from playbook.problems import Problem

FORMATS = ("claude", "agents", "plugin", "gemini-extension", "cursor-plugin", "zip", "root",
           "site")
PACKAGES = {"plugin": plugin, "gemini-extension": gemini, "cursor-plugin": cursor}


def parser(prog: str = "python -m playbook.export") -> argparse.ArgumentParser:
    top = Parser(prog=prog,
                  description="Export the catalogue: " + ", ".join(FORMATS) + ".")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=Path, default=ROOT, metavar="DIR",
                        help="the Playbook repository to read (default: this one)")
    common.add_argument("--dry-run", action="store_true", help="print the plan as a diff")
    writing = argparse.ArgumentParser(add_help=False, parents=[common])
    writing.add_argument("--only", nargs="+", metavar="NAME",
                         help="skills, agents or hooks by name, or a category "
                              "(languages, ..., skills, agents, hooks, policy)")
    writing.add_argument("--force", action="store_true",
                         help="overwrite files changed since the last export")
    writing.add_argument("--remove", action="store_true",
                         help="take out exactly what the last export wrote")
    subs = top.add_subparsers(dest="format", required=True, metavar="FORMAT",
                              parser_class=Parser)
    cl = subs.add_parser("claude", parents=[writing], help="a project's .claude/ or ~/.claude")
    cl.add_argument("--target", type=Path, metavar="DIR", help="the project directory")
    cl.add_argument("--user", action="store_true",
                    help="install for the user: ~/.claude (or --target used as one)")
    cl.add_argument("--python", metavar="CMD", default=None,
                    help="interpreter command in hook commands (default: python3; py -3 or "
                         "python on Windows)")
    ag = subs.add_parser("agents", parents=[writing],
                         help="a project's .agents/skills, AGENTS.md, GEMINI.md and subagents "
                              "for Codex, Copilot, Cursor, OpenCode and Gemini CLI")
    ag.add_argument("--target", type=Path, metavar="DIR", required=True)
    for name, helptext in (("plugin", "a standalone Claude Code plugin folder"),
                           ("gemini-extension", "a Gemini CLI extension folder"),
                           ("cursor-plugin", "a Cursor plugin folder")):
        pl = subs.add_parser(name, parents=[writing], help=helptext)
        pl.add_argument("--target", type=Path, metavar="DIR", required=True)
    zp = subs.add_parser("zip", parents=[writing], help="DIR/<skill>.zip, one per skill")
    zp.add_argument("--target", type=Path, metavar="DIR", required=True)
    rt = subs.add_parser("root", parents=[common],
                         help="refresh the repository's .claude-plugin/ manifests")
    rt.add_argument("--check", action="store_true", help="exit 1 when they are stale")
    st = subs.add_parser("site", parents=[common], help="the docs tree mkdocs builds from")
    st.add_argument("--target", type=Path, metavar="DIR", required=True)
    return top


def main(argv: list[str] | None = None, prog: str = "python -m playbook.export") -> int:
    args = parser(prog).parse_args(argv)
    try:
        return run(args)
    except UsageError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        name = exc.filename if exc.filename is not None else "."
        print(Problem(Path(name).as_posix(), 1, 1, rules.IO_ERROR, exc.strerror or str(exc)),
              file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    if not (args.source / "skills").is_dir() and not (args.source / "agents").is_dir():
        raise UsageError(f"--source {args.source}: no skills/ or agents/ folder there")
    catalogue = load_catalogue(args.source.resolve())
    if args.format == "site":
        return _site(catalogue, args.target, dry_run=args.dry_run)
    items = all_items(catalogue)
    if args.format == "root":
        return _root(catalogue, items, args)
    chosen = select(items, args.only)
    keys = {item.key for item in chosen}
    partial = bool(args.only) and args.format not in PACKAGES

    def selected(key: str) -> bool:
        return not partial or key in keys

    target, parts = _build(args, catalogue, chosen, selected)
    report = plan.execute(target, parts, force=args.force, remove=args.remove, partial=partial,
                          selected=selected, dry_run=args.dry_run)
    _print(report, target.root, dry_run=args.dry_run)
    return 0


def _build(args: argparse.Namespace, catalogue, chosen: list[Item], selected):  # noqa: ANN001, ANN202
    if args.format == "claude":
        if args.user:
            root = args.target or Path.home() / ".claude"
            layout = claude.user_layout(root)
        elif args.target is None:
            raise UsageError("claude: give --target DIR (a project) or --user")
        else:
            root, layout = args.target, claude.project_layout()
        python = args.python or claude.default_python()
        return claude.build(root, chosen, layout, python=python, selected=selected)
    if args.format == "agents":
        return agents.build(args.target, chosen, selected)
    if args.format in PACKAGES:
        return PACKAGES[args.format].build(args.target, catalogue, chosen)
    if not any(item.kind == "skill" for item in chosen):
        raise UsageError("zip: the selection holds no skill")
    return zips.build(args.target, chosen)


def _print(report: plan.Report, root: Path, *, dry_run: bool) -> None:
    for change in report.changes:
        if dry_run:
            sys.stdout.write(plan.diff(change))
        else:
            print(f"{change.action:>6} {(root / change.rel).as_posix()}")
    for rel, note in report.notes:
        print(Problem((root / rel).as_posix(), 1, 1, rules.USER_CHANGED, note), file=sys.stderr)
    print(plan.summary(report, dry_run=dry_run, target=root.as_posix()))


def _root(catalogue, items: list[Item], args: argparse.Namespace) -> int:  # noqa: ANN001
    parts = plugin.root_parts(catalogue, items)
    target = plugin.root_target(catalogue)
    check = args.check or args.dry_run
    report = plan.execute(target, parts, force=True, dry_run=check)
    if args.check:
        for change in report.changes:
            print(Problem((catalogue.root / change.rel).as_posix(), 1, 1, rules.STALE_MANIFESTS,
                          "stale: run python -m playbook.export root and commit the result"),
                  file=sys.stderr)
        return 1 if report.changes else 0
    report.notes.clear()  # the root manifests are generated: overwriting them is the point
    _print(report, catalogue.root, dry_run=args.dry_run)
    return 0


def _site(catalogue, target: Path, *, dry_run: bool = False) -> int:  # noqa: ANN001
    from playbook.export.site import export_site

    export_site(catalogue, target, dry_run=dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
