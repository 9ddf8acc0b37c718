"""playbook: validate, check, export and scaffold Claude Code skills and agents.

    playbook validate [PATH...]            the content validator
    playbook blocks [PATH...]              the code-block checker
    playbook export FORMAT --target DIR    claude, agents, plugin, gemini-extension, cursor-plugin,
                                           zip, root or site
    playbook new skill|agent NAME          a new skill or agent from the template
    playbook --version                     the content version the plugin manifest carries

Each subcommand is also ``python -m playbook.<module>``; both share :class:`Parser`, whose
mistakes exit 2 with one ``prog: error: ...`` line instead of a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

COMMANDS = {
    "validate": ("playbook.validate", "validate skills, agents and guide pages"),
    "blocks": ("playbook.examples.__main__", "check every code block"),
    "export": ("playbook.export.__main__", "export the catalogue (claude, agents, plugin, ...)"),
    "new": ("playbook.new", "scaffold a new skill or agent"),
}


class Parser(argparse.ArgumentParser):
    """argparse that reports a command-line mistake in one line and exits 2."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: error: {message}\n")


def report_missing(paths: list) -> bool:
    """Print one located io-error line on stderr for each path that does not exist; True if any."""
    from playbook import rules
    from playbook.problems import Problem

    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(Problem(str(p), 1, 1, rules.IO_ERROR, "no such file or directory"), file=sys.stderr)
    return bool(missing)


def version() -> str:
    """The content version: the one ``export plugin`` and ``export root`` write."""
    from playbook.content import load_catalogue
    from playbook.export.items import all_items
    from playbook.export.plugin import content_version, source_entries

    catalogue = load_catalogue()
    return content_version(source_entries(catalogue.root, all_items(catalogue)))


def _entry(command: str) -> Callable[..., int] | None:
    """The subcommand's ``main``, or None (with one line on stderr) when a library it needs is
    not installed: the code-block checker needs the `examples` tools, not the export."""
    module = COMMANDS[command][0]
    try:
        return importlib.import_module(module).main
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] == "playbook":
            raise
        print(f"playbook {command}: error: needs the Python package '{exc.name}' "
              f"(pip install {exc.name}); the checkout's `nox -s build` installs every tool",
              file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    top = Parser(prog="playbook", description=__doc__.splitlines()[0],
                 formatter_class=argparse.RawDescriptionHelpFormatter,
                 epilog="\n".join(f"  {name:<9} {text}" for name, (_, text) in COMMANDS.items()))
    top.add_argument("--version", action="store_true", help="print the content version")
    top.add_argument("command", nargs="?", choices=COMMANDS, metavar="COMMAND")
    top.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = top.parse_args(argv[:1] if argv and not argv[0].startswith("-") else argv)
    if args.version:
        print(f"playbook {version()}")
        return 0
    if args.command is None:
        top.print_help(sys.stderr)
        return 2
    entry = _entry(args.command)
    if entry is None:
        return 2
    return entry(argv[1:], prog=f"playbook {args.command}")


if __name__ == "__main__":
    sys.exit(main())
