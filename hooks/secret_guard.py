#!/usr/bin/env python3
"""Secret guard: blocks credentials before Claude writes them or runs them in a command.

Event: PreToolUse. Matcher: `Write|Edit|MultiEdit|NotebookEdit|Bash|PowerShell`. Settings,
exceptions and the command line: the docstring of playbook_hooks/secret_guard.py, where the code
is. This launcher stays a few lines because Python compiles the script it runs on every call but
imports a module from cached bytecode. When that code is missing, unreadable or fails, it exits
1 with one line on stderr, which Claude Code does not take for a block: only a finding blocks.
"""

import os
import sys

sys.dont_write_bytecode = True  # playbook_hooks caches bytecode outside the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    from playbook_hooks import secret_guard as hook

    code = hook.main()
except Exception as error:  # noqa: BLE001 - a broken install never blocks by accident
    code = f"secret_guard: not run, its code failed ({type(error).__name__}: {error})"
sys.exit(code.replace("\n", " ") if isinstance(code, str) else code)
