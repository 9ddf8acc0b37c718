"""Contributed content is untrusted: hidden text, hidden instructions, dangerous commands,
over-broad tool grants, insecure links and secrets.

Everything a skill or agent says reaches Claude with the user's permissions, so these checks run
on every pull request. Anti-patterns stay teachable: a fence marked ``example="bad"`` may show a
dangerous command or an injection phrase; it is still checked for hidden characters.
"""

from __future__ import annotations

import importlib
import ipaddress
import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from urllib.parse import urlsplit

from playbook import rules, schema
from playbook.checks.fields import at
from playbook.content import AGENT, REFERENCE, ROOT, SKILL, CodeBlock, Document, split_tools
from playbook.problems import Problem

# --- hidden text -------------------------------------------------------------------------------

HIDDEN = re.compile(
    "(?P<bidi>[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])"
    "|(?P<zw>[\u200b-\u200d\u2060-\u2064\ufeff\u180e])"
    "|(?P<tag>[\U000e0000-\U000e007f])"
)
_HIDDEN_CODES = {"bidi": rules.BIDI_CONTROL, "zw": rules.ZERO_WIDTH, "tag": rules.TAG_CHARACTER}
_HIDDEN_WHAT = {"bidi": "bidirectional control", "zw": "zero-width character",
                "tag": "Unicode tag character"}


def hidden_text(doc: Document) -> Iterator[Problem]:
    """Invisible characters anywhere in the file, code blocks included."""
    if not HIDDEN.search(doc.text):
        return
    for lineno, line in enumerate(doc.lines, start=1):
        seen: set[str] = set()
        for m in HIDDEN.finditer(line):
            kind = m.lastgroup or "zw"
            if kind in seen:
                continue
            seen.add(kind)
            yield Problem(doc.rel, lineno, m.start() + 1, _HIDDEN_CODES[kind],
                          f"{_HIDDEN_WHAT[kind]} U+{ord(m.group()):04X} hides text")


_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
_WORD = re.compile(r"[^\W\d_]+(?:[-.][^\W\d_]+)*")


def scripts_of(word: str) -> set[str]:
    found = set()
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            found.update(s for s in _SCRIPTS if name.startswith(s))
    return found


def mixed_script(word: str) -> bool:
    return word.isascii() is False and len(scripts_of(word)) > 1


def _names(doc: Document) -> Iterator[tuple[str, int, int]]:
    """Where names stand: the frontmatter name, the path, headings, and link hosts."""
    f = doc.frontmatter.get("name")
    if f is not None and isinstance(f.value, str):
        yield f.value, f.line, f.col
    for part in doc.path.parts[-3:]:
        yield part, 1, 1
    for lineno, line in enumerate(doc.lines, start=1):
        if line.startswith("#"):
            for m in _WORD.finditer(line):
                yield m.group(), lineno, m.start() + 1
    for link in doc.links:
        host = urlsplit(link.target).hostname or ""
        if host:
            yield host, link.line, link.col


def confusables(doc: Document) -> Iterator[Problem]:
    for name, line, col in _names(doc):
        for m in _WORD.finditer(name):
            if mixed_script(m.group()):
                found = "+".join(sorted(scripts_of(m.group())))
                yield Problem(doc.rel, line, col, rules.MIXED_SCRIPT,
                              f"'{m.group()}' mixes scripts ({found}): a look-alike name")


# --- hidden instructions -----------------------------------------------------------------------

OVERRIDE = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(previous|prior|above|earlier|"
    r"all|any|your|the)\b[^.\n]{0,30}?\b(instructions?|prompts?|rules|guidelines|system prompt|"
    r"directives?)\b"
    r"|\b(reveal|print|show|leak|repeat)\b[^.\n]{0,20}\b(your|the)\s+system\s+prompt\b"
    r"|\b(do not|don't|never)\s+(tell|inform|show|mention\s+(this\s+)?to)\s+the\s+user\b"
    r"|\bwithout\s+(telling|informing|asking|notifying)\s+the\s+user\b",
    re.I,
)
_SENSITIVE = (
    r"(\.env\b|id_rsa|id_ed25519|\.ssh/|\.aws/credentials|\.netrc|\.git-credentials|\.npmrc|"
    r"\.pypirc|/etc/passwd|/etc/shadow|\bprintenv\b|\benv\s*\||os\.environ\)|"
    r"JSON\.stringify\(process\.env\)|"
    r"(api[\s_-]?keys?|secrets?|credentials|tokens?|private\s+keys?|passwords?|environment"
    r"(\s+variables)?|file\s+contents?|contents\s+of)\b)"
)
EXFIL = re.compile(
    r"\b(send|post|upload|transmit|exfiltrate|forward|leak|copy)\b[^\n]{0,80}?" + _SENSITIVE
    + r"[^\n]{0,80}?\b(to|at|into)\b[^\n]{0,30}?(https?://|\burl\b|\bwebhook\b|\bendpoint\b|"
    r"\bserver\b|\bpastebin\b)"
    r"|" + _SENSITIVE + r"[^\n]{0,40}\|\s*(curl|wget|nc|ncat)\b"
    r"|\b(curl|wget)\b[^\n]*(-d|--data(-binary|-raw)?|-F|--form|-T|--upload-file)\s*['\"]?[\w=]*@"
    r"[^\s'\"]*" + _SENSITIVE,
    re.I,
)


def _bad_example_lines(doc: Document) -> set[int]:
    lines: set[int] = set()
    for block in doc.blocks:
        if block.is_bad_example:
            lines.update(range(block.start_line, block.end_line + 1))
    return lines


def instructions(doc: Document) -> Iterator[Problem]:
    if doc.kind in (SKILL, AGENT, REFERENCE):
        for comment in doc.comments:
            yield Problem(doc.rel, comment.line, comment.col, rules.HTML_COMMENT,
                          "HTML comment: hidden on the site, read by the model")
    skip = _bad_example_lines(doc)
    for code, pattern, what in (
            (rules.INSTRUCTION_OVERRIDE, OVERRIDE, "instruction override"),
            (rules.EXFILTRATION, EXFIL, "sends files, keys or the environment out")):
        for m in pattern.finditer(doc.text):
            line, col = _position(doc.text, m.start())
            if line not in skip:
                yield Problem(doc.rel, line, col, code, f"{what}: '{m.group().strip()[:60]}'")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- dangerous commands ------------------------------------------------------------------------

_SHELLS = r"(sudo\s+)?(ba|z|k|da|fi)?sh|python[0-9.]*|perl|ruby|node"
DANGER: list[tuple[str, re.Pattern[str], str]] = [
    (rules.PIPE_TO_SHELL, re.compile(
        r"\b(curl|wget|iwr|Invoke-WebRequest)\b[^|\n]*\|\s*(" + _SHELLS + r"|iex)\b"
        r"|\b(ba|z)?sh\s+<\(\s*(curl|wget)\b"
        r"|\b(ba|z)?sh\s+-c\s+[\"']?\$\(\s*(curl|wget)\b"
        r"|\biex\s*\(\s*(iwr|Invoke-WebRequest|New-Object\s+Net\.WebClient)", re.I),
     "pipes a download into a shell"),
    (rules.DECODE_AND_EXEC, re.compile(
        r"\bbase64\s+(-d|--decode|-D)\b[^\n]*\|\s*(" + _SHELLS + r")\b"
        r"|\beval\s+[\"']?\$\(\s*(curl|wget|base64)\b"
        r"|\b(exec|eval)\s*\(\s*(await\s+)?(requests\.get|urlopen|urllib|httpx\.get|fetch|axios"
        r"|base64\.b64decode|atob)\b", re.I),
     "decodes or downloads text and executes it"),
    (rules.RM_RF_ROOT, re.compile(
        r"\brm\s+(-[a-zA-Z]*[rR][a-zA-Z]*\s+|--recursive\s+|--force\s+|-[a-zA-Z]+\s+)*"
        r"(--no-preserve-root\b|(/|/\*|~|~/|~/\*|\$HOME/?|\"\$HOME\"/?)(\s|$|;|&|\|)"
        r"|\"?\$\{?[A-Za-z_]\w*\}?\"?(/\*?)?(\s|$|;|&|\|))"), "removes / , ~ or an unguarded "
     "variable recursively"),
    (rules.CHMOD_777, re.compile(r"\bchmod\s+(-R\s+)?0?777\b|\bchmod\s+(-R\s+)?(a|ugo)\+rwx\b"
                         r"|\bchmod\s*\([^)]*0o777\)"), "makes files world-writable"),
    (rules.TLS_DISABLED, re.compile(
        r"\bverify\s*=\s*False\b|NODE_TLS_REJECT_UNAUTHORIZED\s*[=:]\s*['\"]?0"
        r"|--insecure\b|--no-check-certificate\b|\brejectUnauthorized\s*:\s*false\b"
        r"|InsecureSkipVerify\s*:\s*true\b|_create_unverified_context\b|\bCERT_NONE\b"
        r"|http\.sslVerify\s+false\b|PYTHONHTTPSVERIFY\s*=\s*0|strict-ssl\s+false\b"
        r"|\bcurl\b[^\n|]*\s-k\b"), "disables TLS verification"),
    (rules.NO_VERIFY, re.compile(r"\bgit\s+(commit|push|merge|am)\b[^\n]*(--no-verify\b|\s-n\b)"),
     "skips the git hooks"),
    (rules.SUDO, re.compile(r"(^|[;&|(`]\s*|\$\(\s*|\s)sudo\s"), "runs with sudo"),
]


def commands(doc: Document) -> Iterator[Problem]:
    for block in doc.blocks:
        if block.is_bad_example:
            continue
        yield from _block_commands(block)


def _block_commands(block: CodeBlock) -> Iterator[Problem]:
    for i, line in enumerate(block.source.split("\n")):
        for code, pattern, what in DANGER:
            m = pattern.search(line)
            if m:
                yield Problem(block.rel, block.first_line + i, m.start() + 1, code,
                              f"{what}: '{m.group().strip()[:60]}' "
                              '(mark an anti-pattern with example="bad")')


# --- tool grants -------------------------------------------------------------------------------

BROAD = {"sh", "bash", "zsh", "fish", "dash", "ksh", "python", "python3", "node", "perl", "ruby",
         "eval", "exec", "sudo", "env", "xargs", "npx", "curl", "wget", "pwsh", "*", ""}


def broad_grant(entry: str) -> bool:
    """`Bash`, `Bash(*)`, `Bash(sh:*)`, `Bash(python -c:*)`... grant arbitrary execution."""
    base = schema.tool_base(entry)
    if base not in schema.claude_tools()["shell"]:
        return False
    if "(" not in entry:
        return True
    spec = entry.split("(", 1)[1].rstrip(")").strip()
    first = re.split(r"[\s:]", spec, maxsplit=1)[0]
    return first in BROAD or spec.startswith("*")


WHY_HEADING = re.compile(r"^#{2,4}\s+why these tools\b", re.I | re.M)


def grants(doc: Document) -> Iterator[Problem]:
    if doc.kind == SKILL:
        f = doc.frontmatter.get("allowed-tools")
        if f is not None:
            for entry in split_tools(f.value):
                if broad_grant(entry):
                    yield at(doc, f, rules.BROAD_TOOL_GRANT,
                             f"'{entry}' grants unrestricted execution: "
                             "narrow it, e.g. Bash(pytest:*)")
    elif doc.kind == AGENT and doc.has_frontmatter:
        f = doc.frontmatter.get("tools")
        data = schema.claude_tools()
        if f is None:
            if "name" in doc.frontmatter and not WHY_HEADING.search(doc.body):
                yield Problem(doc.rel, 1, 1, rules.AGENT_NETWORK_AND_WRITE,
                              "no tools list: the agent inherits every tool, network and file "
                              "writes included; list the tools it needs")
            return
        tools = {schema.tool_base(t) for t in split_tools(f.value)}
        network = tools & set(data["network"])
        acting = tools & (set(data["shell"]) | set(data["write"]))
        if network and acting and not WHY_HEADING.search(doc.body):
            yield at(doc, f, rules.AGENT_NETWORK_AND_WRITE,
                     f"combines {', '.join(sorted(network))} with "
                     f"{', '.join(sorted(acting))}: add a '## Why these tools' section or "
                     "drop one side")


# --- links -------------------------------------------------------------------------------------

SHORTENERS = {
    "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
    "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "v.gd", "lnkd.in", "bl.ink",
    "tr.im", "shorte.st", "adf.ly", "bitly.com", "tiny.one", "short.io", "qr.ae",
}
LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]`'\"]+")
_INLINE_CODE = re.compile(r"`[^`\n]*`")


def external_links(doc: Document) -> list[tuple[str, int, int]]:
    """Every external URL in the prose and link syntax (code blocks excluded), located."""
    found: dict[tuple[int, int], str] = {}
    for link in doc.links:
        if re.match(r"^[a-z][a-z0-9+.-]*://", link.target, re.I):
            found[(link.line, link.col)] = link.target
    in_block: set[int] = set()
    for block in doc.blocks:
        in_block.update(range(block.start_line, block.end_line + 1))
    for lineno, line in enumerate(doc.lines, start=1):
        if lineno in in_block or lineno < doc.body_line:
            continue
        prose = _INLINE_CODE.sub(lambda m: " " * len(m.group()), line)
        for m in _URL.finditer(prose):
            url = m.group().rstrip(".,;:!?*_")
            if not any(v == url and k[0] == lineno for k, v in found.items()):
                found[(lineno, m.start() + 1)] = url
    return sorted(((url, line, col) for (line, col), url in found.items()),
                  key=lambda t: (t[1], t[2]))


def links(doc: Document) -> Iterator[Problem]:
    for url, line, col in external_links(doc):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host in LOOPBACK:
            continue
        if parts.scheme.lower() in ("http", "ftp"):
            yield Problem(doc.rel, line, col, rules.INSECURE_LINK, f"insecure link {url}: use https://")
        try:
            ipaddress.ip_address(host)
            yield Problem(doc.rel, line, col, rules.IP_LINK, f"link to an IP address: {url}")
        except ValueError:
            pass
        if host in SHORTENERS or host.removeprefix("www.") in SHORTENERS:
            yield Problem(doc.rel, line, col, rules.SHORTENER_LINK,
                          f"URL shortener hides the target: {url}")


# --- secrets -----------------------------------------------------------------------------------


@cache
def secret_guard() -> ModuleType | None:
    """The secret guard hook's code (hooks/playbook_hooks/secret_guard.py), imported from the
    hooks package: one scanner for both."""
    hooks = ROOT / "hooks"
    if not (hooks / "playbook_hooks" / "secret_guard.py").exists():  # pragma: no cover
        return None
    if str(hooks) not in sys.path:
        sys.path.append(str(hooks))
    try:
        module = importlib.import_module("playbook_hooks.secret_guard")
    except Exception:  # pragma: no cover - a broken hook is caught by its own tests
        return None
    return module if hasattr(module, "scan_text") else None


def secrets(doc: Document) -> Iterator[Problem]:
    guard = secret_guard()
    if guard is None or not doc.text:
        return
    for finding in guard.scan_text(doc.text, doc.rel):
        yield Problem(doc.rel, finding.line, finding.col, rules.SECRET,
                      f"possible secret ({finding.rule}): {finding.preview}")


def check(doc: Document) -> Iterator[Problem]:
    if not doc.text:
        return
    yield from hidden_text(doc)
    yield from confusables(doc)
    yield from instructions(doc)
    yield from commands(doc)
    yield from grants(doc)
    yield from links(doc)
    yield from secrets(doc)
