#!/usr/bin/env python3
"""Give Claude Playbook's engineering policy when a session starts, clears or compacts.

Event: SessionStart. Matcher: `startup|clear|compact` (registered in hooks/hooks.json).

Installed as a plugin, Playbook has no `CLAUDE.md` of its own in the user's project (Claude Code
does not load a plugin's). This hook prints the policy as `additionalContext`: the text of
`policy/tdd-and-models.md`, the same that `python -m playbook.export claude` writes into a
project's `CLAUDE.md`, kept under 400 tokens. After `/clear` or a compaction it is given again,
since the conversation that held it is gone.

Exceptions: nothing is added when

- the project already holds the policy: its `CLAUDE.md` or `.claude/CLAUDE.md` (under
  `CLAUDE_PROJECT_DIR`, else the hook's `cwd`), or `~/.claude/CLAUDE.md`, has the section an
  export writes (`<!-- playbook:begin`);
- the user turned it off: the plugin option `session_policy` (`claude plugin configure`), or
  `PLAYBOOK_SESSION_POLICY=off` in the environment, which wins over the option;
- the policy file is missing (a partial copy): nothing to give.

A failure of the hook itself is one line on stderr and exit 1: the session starts as usual.
"""

import os
import sys

from .common import failed, is_off, plugin_option, read_payload

MARKER = "<!-- playbook:begin"  # scripts/playbook/export/claude_md.py BEGIN
POLICY = ("policy", "tdd-and-models.md")


def plugin_root(environ) -> str:
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return environ.get("CLAUDE_PLUGIN_ROOT") or here


def turned_off(environ) -> bool:
    value = environ.get("PLAYBOOK_SESSION_POLICY", "").strip() or plugin_option(
        environ, "session_policy")
    return is_off(value)


def holds_policy(project: str, environ) -> bool:
    home = environ.get("HOME") or os.path.expanduser("~")
    for path in (os.path.join(project, "CLAUDE.md"),
                 os.path.join(project, ".claude", "CLAUDE.md"),
                 os.path.join(home, ".claude", "CLAUDE.md")):
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                if any(line.startswith(MARKER) for line in file):
                    return True
        except OSError:
            continue
    return False


def policy_text(environ) -> str | None:
    try:
        with open(os.path.join(plugin_root(environ), *POLICY), encoding="utf-8") as file:
            return file.read().strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def context(payload: dict, environ) -> str | None:
    """What to add to the session, or None."""
    if turned_off(environ):
        return None
    project = environ.get("CLAUDE_PROJECT_DIR") or payload.get("cwd") or os.getcwd()
    if not isinstance(project, str) or holds_policy(project, environ):
        return None
    return policy_text(environ)


def main(stdin=None, stdout=None, stderr=None, environ=None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    environ = os.environ if environ is None else environ
    try:
        text = context(read_payload(stdin), environ)
    except Exception as error:  # noqa: BLE001 - never a traceback; the session starts anyway
        return failed("session_policy", stderr, "policy not added", error)
    if text:
        import json

        output = {"hookEventName": "SessionStart", "additionalContext": text}
        stdout.write(json.dumps({"hookSpecificOutput": output}))
    return 0
