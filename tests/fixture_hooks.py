"""The hooks.json of the small fixture repositories (tests/export, tests/site)."""

HOOKS_JSON = {
    "description": "Fixture hooks.",
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [
            {"type": "command", "command": 'python3 "${CLAUDE_PLUGIN_ROOT}/hooks/guard.py"',
             "timeout": 10}]}],
        "PostToolUse": [{"matcher": "Write|Edit", "hooks": [
            {"type": "command", "command": 'python3 "${CLAUDE_PLUGIN_ROOT}/hooks/fmt.py"',
             "timeout": 30}]}],
    },
}
