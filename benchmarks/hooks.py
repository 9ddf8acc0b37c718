"""Benchmark what the hooks cost per tool call, as Claude Code runs them.

    python benchmarks/hooks.py [--runs N] [--python PATH]   (default: the python3 on PATH)

Prints figures, checks nothing. Every figure runs the exact command hooks/hooks.json registers
(exec form: python3 with its arguments, ${CLAUDE_PLUGIN_ROOT} replaced by this checkout, the
payload on stdin, a fresh interpreter per call, bytecode cached under a temporary
CLAUDE_PLUGIN_DATA), interleaved with a bare interpreter start (`python3 -c pass`) in the same
run, median of N calls each:

- a clean 10 KB Write through the secret guard, as a ratio of the bare start (goal: 1.2 or less),
  the same command without `-S` (importing site, as the bare start does), and the same hook as a
  single script compiled on every call, which is how it ran before;
- a 1 MB Write (goal: under 0.5 s);
- a Bash call that is not a commit: which registered hooks the client starts for it (the TDD
  gate's `if` keeps it from starting: no process), next to what one shared PreToolUse process
  that imported the gate as well would cost;
- a SessionStart (the policy hook).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from timing import interleaved, timed  # benchmarks/timing.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
HOOKS_JSON = ROOT / "hooks" / "hooks.json"
PYTHON = shutil.which("python3") or sys.executable


def registered() -> list[tuple[str, str, dict]]:
    config = json.loads(HOOKS_JSON.read_text(encoding="utf-8"))
    return [(event, group.get("matcher", ""), handler)
            for event, groups in config["hooks"].items() for group in groups
            for handler in group["hooks"]]


def command_of(handler: dict) -> list[str]:
    args = [arg.replace("${CLAUDE_PLUGIN_ROOT}", str(ROOT)) for arg in handler.get("args", [])]
    return [PYTHON if handler["command"] == "python3" else handler["command"], *args]


def handler_for(event: str, launcher: str) -> dict:
    return next(h for e, _m, h in registered() if e == event and h["args"][-1].endswith(launcher))


def starts_for(tool: str, command: str) -> list[str]:
    """The launchers the client starts for a PreToolUse call: the matcher names the tool and the
    `if` rule, when there is one, matches a subcommand (a glob, as permission rules are)."""
    started = []
    for event, matcher, handler in registered():
        if event != "PreToolUse" or tool not in matcher.split("|"):
            continue
        rule = handler.get("if")
        if rule:
            name, _, pattern = rule.partition("(")
            parts = [p.strip() for p in command.replace("&&", ";").replace("||", ";").split(";")]
            if name != tool or not any(fnmatch.fnmatchcase(p, pattern[:-1]) for p in parts):
                continue
        started.append(Path(handler["args"][-1]).stem)
    return started


def payload(event: str, tool: str, tool_input: dict, cwd: Path) -> bytes:
    return json.dumps({"session_id": "bench", "transcript_path": str(cwd / "t.jsonl"),
                       "cwd": str(cwd), "hook_event_name": event, "tool_name": tool,
                       "tool_input": tool_input}).encode()


def clean_code(size: int) -> str:
    block = ("def total(items):\n    \"\"\"Sum the prices.\"\"\"\n"
             "    return sum(item.price * item.count for item in items)\n\n\n")
    return (block * (size // len(block) + 1))[:size]




def single_script(tmp: Path) -> Path:
    """The secret guard as one script, as it ran before the launchers (compiled per call)."""
    source = (ROOT / "hooks" / "playbook_hooks" / "secret_guard.py").read_text(encoding="utf-8")
    common = (ROOT / "hooks" / "playbook_hooks" / "common.py").read_text(encoding="utf-8")
    script = tmp / "secret_guard_script.py"
    script.write_text(common + "\n" + source.replace(
        "from .common import git_output, parse_json, say\n", "") + "\nsys.exit(main())\n")
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="calls per figure")
    parser.add_argument("--python", default=PYTHON, help="the interpreter python3 stands for")
    args = parser.parse_args()
    globals()["PYTHON"] = args.python
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAYBOOK_", "CLAUDE"))}
        env.update(CLAUDE_PLUGIN_ROOT=str(ROOT), CLAUDE_PLUGIN_DATA=str(tmp / "data"),
                   CLAUDE_PROJECT_DIR=str(tmp))
        guard = command_of(handler_for("PreToolUse", "secret_guard.py"))
        gate = command_of(handler_for("PreToolUse", "tdd_gate.py"))
        policy = command_of(handler_for("SessionStart", "session_policy.py"))
        write = payload("PreToolUse", "Write", {"file_path": str(tmp / "m.py"),
                                                "content": clean_code(10_000)}, tmp)
        bash = payload("PreToolUse", "Bash", {"command": "pytest -q"}, tmp)
        start = json.dumps({"hook_event_name": "SessionStart", "source": "startup",
                            "cwd": str(tmp)}).encode()
        dispatch = [PYTHON, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                    "from playbook_hooks import secret_guard, tdd_gate; "
                    "sys.exit(secret_guard.main([]))", str(ROOT / "hooks")]
        variants = {
            "bare interpreter (python3 -c pass)": ([PYTHON, "-c", "pass"], None, env),
            "10 KB clean Write, secret guard as registered": (guard, write, env),
            "10 KB clean Write, the same without -S (site imported)": (
                [arg for arg in guard if arg != "-S"], write, env),
            "10 KB clean Write, as one script (before)": (
                [PYTHON, str(single_script(tmp))], write, env),
            "non-commit Bash, secret guard (the only hook started)": (guard, bash, env),
            "non-commit Bash, one process importing guard and gate": (dispatch, bash, env),
            "non-commit Bash, the gate if it were started": (gate, bash, env),
            "SessionStart, policy hook": (policy, start, env),
        }
        medians = interleaved(args.runs, variants)
        big = payload("PreToolUse", "Write", {"file_path": str(tmp / "big.py"),
                                              "content": clean_code(1_000_000)}, tmp)
        one_mb = statistics.median(timed(guard, big, env) for _ in range(5))

    print(f"hooks benchmark: {PYTHON} on "
          f"{platform.system()}, median of {args.runs} calls, interleaved")
    bare = medians.pop("bare interpreter (python3 -c pass)")
    print(f"  {'bare interpreter (python3 -c pass)':<56}{bare * 1000:7.1f} ms")
    for label, value in medians.items():
        print(f"  {label:<56}{value * 1000:7.1f} ms  {value / bare:5.2f}x")
    ratio = medians["10 KB clean Write, secret guard as registered"] / bare
    verdict = "met" if ratio <= 1.2 else "not met"
    print(f"clean-call ratio: {ratio:.2f} (goal 1.2 or less: {verdict})")
    print(f"1 MB Write: {one_mb:.3f} s (goal under 0.5 s: {'met' if one_mb < 0.5 else 'not met'})")
    for command in ("pytest -q", "ls -la && git status", "git add -A && git commit -m x"):
        started = starts_for("Bash", command)
        gate_cost = "starts" if "tdd_gate" in started else "no process"
        print(f"Bash {command!r}: starts {', '.join(started) or 'nothing'}; TDD gate: {gate_cost}")


if __name__ == "__main__":
    main()
