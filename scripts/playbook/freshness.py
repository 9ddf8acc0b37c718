"""Resolve every pinned version against its registry: ``python -m playbook.freshness``.

``nox -s freshness`` runs it (weekly in CI, .github/workflows/freshness.yml).

Pins come from the version table (``policy/versions.toml``: its ``pypi``/``npm`` tools) and from
the code blocks of skills, references, agents and policy: pyproject and requirements pins,
package.json dependencies, pre-commit ``rev:``s of hooks published on PyPI, GitHub ``uses:`` tags
and Docker base images. Prints ``path:line:col: CODE message``:

    pin-missing      the version does not exist on PyPI or npm (exit 1)
    pin-behind       the pinned major is behind the newest release (a note)
    pin-not-checked  no registry answers here (GitHub tags, Docker Hub), or none was reachable

Registry answers are cached in ``.cache/freshness.json`` with the time they were fetched; when a
registry is unreachable the cache answers and the report says so; with neither, every pin is
"not checked" and the run exits 0 (a registry outage never fails a pull request). The base URLs
come from ``PLAYBOOK_PYPI_URL`` and ``PLAYBOOK_NPM_URL`` (a mirror, or a test's local server).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playbook import content, rules, versions
from playbook.cli import Parser
from playbook.problems import Problem

PYPI = "https://pypi.org/pypi"
NPM = "https://registry.npmjs.org"
CACHE = Path(".cache/freshness.json")
TIMEOUT = 15

# Hooks of pre-commit repositories that are published on a registry under another name.
PRE_COMMIT = {"astral-sh/ruff-pre-commit": ("pypi", "ruff"),
              "pre-commit/mirrors-mypy": ("pypi", "mypy"),
              "pre-commit/pre-commit-hooks": ("pypi", "pre-commit-hooks"),
              "zizmorcore/zizmor-pre-commit": ("pypi", "zizmor"),
              "python-jsonschema/check-jsonschema": ("pypi", "check-jsonschema")}

# "pytest>=9" in pyproject or a shell command (quoted), `pytest==9.2.0` at the start of a
# requirements line.
_PY_PIN = re.compile(
    r"""(?:^|["'])([A-Za-z][\w.-]*)(?:\[[\w,-]+\])?\s*(==|>=|~=)\s*(\d+(?:\.\d+)*)""")
_NPM_DEP = re.compile(r'"(@?[a-z0-9][\w./-]*)"\s*:\s*"([\^~]|>=)?(\d+(?:\.\d+)*)"')
_USES = re.compile(r"uses:\s*([\w.-]+/[\w./-]+)@([\w.-]+)")
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+:\S+)", re.I)
_REPO = re.compile(r"repo:\s*https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?\s*$")
_REV = re.compile(r"rev:\s*v?(\d+(?:\.\d+)*)\s*$")
_PY_LANGS = ("toml", "ini", "text", "bash", "cfg", "requirements")


@dataclass(frozen=True)
class Pin:
    rel: str
    line: int
    col: int
    registry: str  # "pypi", "npm", or what answers nothing here: "github", "docker"
    name: str
    version: str


# --- collecting pins ------------------------------------------------------------------------------

def pins_in(doc: content.Document) -> list[Pin]:
    found: list[Pin] = []
    for block in doc.blocks:
        if block.is_bad_example:
            continue
        lines = block.source.split("\n")
        repo = None
        is_package_json = block.lang == "json" and "ependencies" in block.source
        for offset, line in enumerate(lines):
            number = block.first_line + offset
            if block.lang in _PY_LANGS:
                for m in _PY_PIN.finditer(line):
                    found.append(Pin(doc.rel, number, m.start(3) + 1, "pypi", m[1].lower(), m[3]))
            if is_package_json:
                for m in _NPM_DEP.finditer(line):
                    if m[1] not in ("node", "npm", "pnpm", "version"):
                        found.append(Pin(doc.rel, number, m.start(3) + 1, "npm", m[1], m[3]))
            for m in _USES.finditer(line):
                found.append(Pin(doc.rel, number, m.start(2) + 1, "github", m[1], m[2]))
            if block.lang == "dockerfile" and (m := _FROM.match(line)):
                found.append(Pin(doc.rel, number, m.start(1) + 1, "docker", *m[1].split(":", 1)))
            if m := _REPO.search(line):
                repo = m[1]
            elif repo and (m := _REV.search(line)):
                registry, name = PRE_COMMIT.get(repo, ("github", repo))
                found.append(Pin(doc.rel, number, m.start(1) + 1, registry, name, m[1]))
    return found


def table_pins(path: Path = versions.TABLE) -> list[Pin]:
    rel = content.relpath(path)
    return [Pin(rel, *tool.version_at, registry, name, tool.version)
            for tool in versions.table(path)
            for registry, name in (("pypi", tool.pypi), ("npm", tool.npm)) if name]


def all_pins(root: Path = content.ROOT) -> list[Pin]:
    docs = [content.load(p) for p in content.source_files(root)]
    pins = [pin for doc in docs if versions.checked_kinds(doc) for pin in pins_in(doc)]
    return table_pins(versions.table_path(root)) + pins


# --- asking the registries ------------------------------------------------------------------------

class Registries:
    """Answers from PyPI and npm (releases and the newest one), cached on disk."""

    def __init__(self, cache: Path = CACHE) -> None:
        self.cache_path = cache
        self.pypi = os.environ.get("PLAYBOOK_PYPI_URL", PYPI).rstrip("/")
        self.npm = os.environ.get("PLAYBOOK_NPM_URL", NPM).rstrip("/")
        self.cached = self._read_cache()
        self.fresh: dict[str, dict] = {}
        self.from_cache: set[str] = set()

    def _read_cache(self) -> dict:
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
            return data if isinstance(data.get("packages"), dict) else {"packages": {}}
        except (OSError, ValueError, AttributeError):
            return {"packages": {}}

    def lookup(self, registry: str, name: str) -> dict | None:
        """``{"versions": [...], "latest": "..."}``, from the registry or the cache, or None."""
        key = f"{registry}:{name}"
        if key in self.fresh:
            return self.fresh[key]
        try:
            answer = self._fetch(registry, name)
        except (OSError, ValueError, urllib.error.URLError):
            answer = None
        if answer is not None:
            answer["fetched"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            self.fresh[key] = answer
            return answer
        old = self.cached["packages"].get(key)
        if old is not None:
            self.from_cache.add(key)
            self.fresh[key] = old
        return old

    def _fetch(self, registry: str, name: str) -> dict | None:
        quoted = urllib.parse.quote(name, safe="@")
        url = f"{self.pypi}/{quoted}/json" if registry == "pypi" else f"{self.npm}/{quoted}"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                data = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return {"versions": [], "latest": None}
            raise
        if registry == "pypi":
            return {"versions": sorted(data.get("releases", {})),
                    "latest": data.get("info", {}).get("version")}
        return {"versions": sorted(data.get("versions", {})),
                "latest": data.get("dist-tags", {}).get("latest")}

    def save(self) -> None:
        packages = {**self.cached["packages"], **self.fresh}
        data = {"written": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "packages": packages}
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(tmp, self.cache_path)


# --- judging a pin --------------------------------------------------------------------------------

def _parts(version: str) -> list[int]:
    return [int(p) for p in re.findall(r"\d+", version.split("+")[0])[:3]]


def _exists(pin: str, released: list[str]) -> bool:
    return any(v == pin or v.startswith(pin + ".") for v in released)


def _major(version: str) -> tuple[int, ...]:
    parts = _parts(version)
    return tuple(parts[:2]) if parts and parts[0] == 0 else tuple(parts[:1])


def judge(pin: Pin, registries: Registries) -> Problem | None:
    where = (pin.rel, pin.line, pin.col)
    if pin.registry == "github":
        return Problem(*where, rules.PIN_NOT_CHECKED,
                       f"{pin.name}@{pin.version}: not checked: no registry (GitHub tags)")
    if pin.registry == "docker":
        return Problem(*where, rules.PIN_NOT_CHECKED,
                       f"{pin.name}:{pin.version}: not checked: Docker Hub is not reachable")
    answer = registries.lookup(pin.registry, pin.name)
    if answer is None:
        return Problem(*where, rules.PIN_NOT_CHECKED,
                       f"{pin.name} {pin.version}: not checked: {pin.registry} unreachable "
                       "and no cache")
    cached = " (from the cache of " + answer.get("fetched", "?") + ")" \
        if f"{pin.registry}:{pin.name}" in registries.from_cache else ""
    if not answer["versions"]:
        return Problem(*where, rules.PIN_MISSING,
                       f"{pin.name}: no such package on {pin.registry}{cached}")
    if not _exists(pin.version, answer["versions"]):
        return Problem(*where, rules.PIN_MISSING,
                       f"{pin.name} {pin.version} does not exist on {pin.registry} "
                       f"(newest: {answer['latest']}){cached}")
    latest = answer.get("latest")
    if latest and _major(pin.version) < _major(latest):
        return Problem(*where, rules.PIN_BEHIND,
                       f"{pin.name} {pin.version} is behind the newest major "
                       f"({latest} on {pin.registry}){cached}")
    return None


def report(pins: list[Pin], registries: Registries) -> list[Problem]:
    found = {p for pin in pins if (p := judge(pin, registries)) is not None}
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m playbook.freshness", description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE, help="the cache file")
    parser.add_argument("--root", type=Path, default=content.ROOT, help="the repository")
    args = parser.parse_args(argv)
    _, broken = versions.load(versions.table_path(args.root))
    if broken is not None:
        print(broken)
        return 1
    registries = Registries(args.cache)
    found = report(all_pins(args.root), registries)
    if registries.fresh:
        try:
            registries.save()
        except OSError as exc:
            print(f"{args.cache}:1:1: {rules.IO_ERROR} cache not written: {exc.strerror}",
                  file=sys.stderr)
    for problem in found:
        print(problem)
    missing = sum(p.code == rules.PIN_MISSING for p in found)
    behind = sum(p.code == rules.PIN_BEHIND for p in found)
    unchecked = sum(p.code == rules.PIN_NOT_CHECKED for p in found)
    note = ""
    if registries.from_cache:
        note = f"; {len(registries.from_cache)} answered from the cache (registry unreachable)"
    if not registries.fresh:
        note = "; warning: no registry reachable and no cache: nothing was checked"
    print(f"{missing} missing, {behind} behind, {unchecked} not checked{note}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
