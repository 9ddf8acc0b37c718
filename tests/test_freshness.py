"""`python -m playbook.freshness` against stand-in registries on loopback (PyPI's and npm's JSON
shapes), with its cache for outages, and once against the real PyPI and npm (slow, online)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playbook import content, freshness, rules

from tests.fixtures.content import LOCATED

PYPI = {"pytest": {"info": {"version": "9.2.0"},
                   "releases": {"8.4.0": [], "9.0.0": [], "9.2.0": []}}}
NPM = {"vitest": {"dist-tags": {"latest": "5.1.2"},
                  "versions": {"4.1.12": {}, "5.0.0": {}, "5.1.2": {}}}}

TABLE = """checked = "2026-12-02"

[tools.pytest]
version = "9"
patterns = ['pytest (\\d+)']
pypi = "pytest"
"""

SKILL = """---
name: widgets
description: Checks widgets. Use when a widget needs checking.
---

```toml
[dependency-groups]
test = ["pytest>=9.9"]
```

```json
{"devDependencies": {"vitest": "^4.1.12", "left-pad": "^1.0.0"}}
```

```yaml
- uses: actions/checkout@v7
```

```dockerfile
FROM python:3.12-slim
```

```python
assert total >= 100  # a comparison, not a pin
```
"""


class Registry(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = self.path.strip("/").split("/")
        body = (PYPI.get(parts[1]) if parts[0] == "pypi" else NPM.get(parts[1])) \
            if len(parts) > 1 else None
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def registry() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy/versions.toml").write_text(TABLE)
    (tmp_path / "skills/widgets").mkdir(parents=True)
    (tmp_path / "skills/widgets/SKILL.md").write_text(SKILL)
    return tmp_path


def run(repo: Path, pypi: str, npm: str) -> tuple[int, list[tuple[str, int, int, str]], str]:
    env = {**os.environ, "PYTHONPATH": str(content.ROOT / "scripts"),
           "PLAYBOOK_PYPI_URL": f"{pypi}/pypi", "PLAYBOOK_NPM_URL": f"{npm}/npm"}
    done = subprocess.run([sys.executable, "-m", "playbook.freshness", "--root", str(repo),
                           "--cache", str(repo / ".cache/freshness.json")],
                          capture_output=True, text=True, cwd=repo, env=env, check=False,
                          timeout=120)
    found = [(m["path"], int(m["line"]), int(m["col"]), m["code"])
             for line in done.stdout.splitlines() if (m := LOCATED.match(line))]
    return done.returncode, found, done.stdout + done.stderr


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


S = "skills/widgets/SKILL.md"


def test_a_pin_that_does_not_exist_fails_and_each_finding_is_located(repo: Path,
                                                                      registry: str) -> None:
    code, found, out = run(repo, registry, registry)
    assert code == 1, out
    assert found == [
        (S, 8, 18, rules.PIN_MISSING),       # pytest 9.9: no such release
        (S, 12, 34, rules.PIN_BEHIND),       # vitest ^4.1.12 exists, the newest major is 5
        (S, 12, 57, rules.PIN_MISSING),      # left-pad: no such package here
        (S, 16, 26, rules.PIN_NOT_CHECKED),  # a uses: tag: no registry
        (S, 20, 6, rules.PIN_NOT_CHECKED),   # Docker Hub
    ], out
    assert "not checked: no registry" in out and "Docker Hub" in out


def test_pins_that_exist_and_are_current_pass(repo: Path, registry: str) -> None:
    skill = repo / S
    skill.write_text(SKILL.replace("9.9", "9.2").replace('"^4.1.12", "left-pad": "^1.0.0"',
                                                         '"^5.1.2"'))
    code, found, out = run(repo, registry, registry)
    assert code == 0, out
    assert [f[3] for f in found] == [rules.PIN_NOT_CHECKED] * 2, out
    cache = json.loads((repo / ".cache/freshness.json").read_text())
    assert set(cache["packages"]) == {"pypi:pytest", "npm:vitest"} and cache["written"]


def test_an_outage_is_answered_from_the_cache_and_said(repo: Path, registry: str) -> None:
    run(repo, registry, registry)
    code, found, out = run(repo, closed_port(), closed_port())
    assert code == 1 and (S, 8, 18, rules.PIN_MISSING) in found, out
    assert "from the cache of" in out and "answered from the cache" in out


def test_no_network_and_no_cache_warns_and_exits_0(repo: Path) -> None:
    code, found, out = run(repo, closed_port(), closed_port())
    assert code == 0, out
    assert {f[3] for f in found} == {rules.PIN_NOT_CHECKED}
    assert "warning: no registry reachable and no cache" in out


def test_the_table_pins_are_resolved(repo: Path, registry: str) -> None:
    (repo / "policy/versions.toml").write_text(TABLE.replace('"9"', '"7"'))
    _code, found, out = run(repo, registry, registry)
    assert ("policy/versions.toml", 4, 12, rules.PIN_MISSING) in found, out


def _online() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


@pytest.mark.slow
def test_the_real_registries_answer_for_one_package_each(tmp_path: Path) -> None:
    if not _online():
        pytest.skip("no network: PyPI and npm are not reachable")
    registries = freshness.Registries(tmp_path / "cache.json")
    pytest_answer = registries.lookup("pypi", "pytest")
    vitest_answer = registries.lookup("npm", "vitest")
    assert pytest_answer and "9.0.0" in pytest_answer["versions"]
    assert vitest_answer and "5.0.0" in vitest_answer["versions"]
