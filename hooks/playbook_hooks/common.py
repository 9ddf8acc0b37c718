"""What the hooks share: reading the hook payload, one-line messages, settings from plugin
options, a process runner bounded in time, and git.

Cheap to import on purpose (no `re`, `json`, `subprocess` until a function needs them): every
hook call imports it, and a clean call should cost little more than starting Python.
"""

import os
import sys

OFF_WORDS = {"off", "0", "false", "no"}


# --- the payload -------------------------------------------------------------------------------


class _ScanContext:
    """What the C JSON scanner reads from its context object (json.JSONDecoder's fields)."""

    strict = False
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = float
    memo: dict = {}


def parse_json(text: str):
    """json.loads without importing json: json imports re, which is most of our time budget on a
    clean call. Uses the C scanner behind json when present, else json itself."""
    try:
        from _json import make_scanner
    except ImportError:  # pragma: no cover - CPython always has _json
        make_scanner = None
    if make_scanner is None:  # pragma: no cover
        import json

        return json.loads(text)
    size, pos = len(text), 0
    while pos < size and text[pos] in " \t\r\n":
        pos += 1
    try:
        value, end = make_scanner(_ScanContext())(text, pos)
    except StopIteration as exc:
        raise ValueError(f"expecting a JSON value at character {exc.value}") from None
    except SystemError:  # Python 3.11: the scanner's error path needs json.decoder imported
        import json

        return json.loads(text)  # raises json's own ValueError, with its message
    while end < size and text[end] in " \t\r\n":
        end += 1
    if end != size:
        raise ValueError(f"extra data at character {end}")
    return value


def read_payload(stdin=None) -> dict:
    """The hook event on stdin as a dict; ValueError when it is not a JSON object."""
    stdin = stdin or sys.stdin
    data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        payload = parse_json(text or "null")
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise ValueError("not a JSON object")
    return payload


# --- messages ----------------------------------------------------------------------------------


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def say(stream, text: str) -> None:
    """Write to a stream that may not take every character (a Windows console)."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.write(text.encode("ascii", "backslashreplace").decode("ascii"))
    stream.flush()


def failed(name: str, stream, what: str, error: BaseException) -> int:
    """A hook's own failure: one line on stderr, exit 1 (Claude Code does not block on it)."""
    say(stream, f"{name}: {what} ({type(error).__name__}: {one_line(error)})\n")
    return 1


# --- settings ------------------------------------------------------------------------------------


def plugin_option(environ, key: str) -> str | None:
    """A plugin option (userConfig in plugin.json), as Claude Code passes it to a plugin's
    hooks: CLAUDE_PLUGIN_OPTION_<KEY>. None when unset or empty."""
    value = environ.get("CLAUDE_PLUGIN_OPTION_" + key.upper(), "").strip()
    return value or None


def is_off(value: str | None) -> bool:
    return value is not None and value.strip().lower() in OFF_WORDS


# --- processes -----------------------------------------------------------------------------------


def run_bounded(command, cwd, env, timeout: float) -> tuple:
    """Run a command with a time limit: (its exit code, or None when stopped; its output).

    Output goes to a temporary file rather than a pipe, and the command gets its own process
    group, so that stopping it stops what it started too (a formatter's or a test runner's
    children cannot keep us waiting). A string runs in the system shell; a list as it is, its
    program looked up on the PATH of `env`.
    """
    import shutil
    import signal
    import subprocess
    import tempfile

    posix = os.name != "nt"
    if isinstance(command, list):
        command = [shutil.which(command[0], path=(env or os.environ).get("PATH")) or command[0],
                   *command[1:]]
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command,
            shell=isinstance(command, str),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=posix,
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            if posix:
                os.killpg(process.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                process.kill()
            process.wait()
            code = None
        output.seek(0)
        return code, output.read().decode("utf-8", errors="replace")


# --- git -----------------------------------------------------------------------------------------


def run_git(args: list, cwd, environ=None, text: bool = True):
    """git with the given arguments; the CompletedProcess (OSError when there is no git)."""
    import subprocess

    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=None if environ is None else dict(environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        **({"text": True, "encoding": "utf-8", "errors": "replace"} if text else {}),
    )


def git_output(args: list, cwd, environ=None, text: bool = True):
    """git's standard output; OSError with git's first line of error when it fails."""
    done = run_git(args, cwd, environ, text)
    if done.returncode != 0:
        stderr = done.stderr if text else done.stderr.decode("utf-8", "replace")
        lines = stderr.strip().splitlines()
        raise OSError(f"git {args[0]} failed: {lines[0] if lines else 'no message'}")
    return done.stdout
