"""PostgreSQL for the SQL blocks marked ``dialect="postgresql"``: a real server, never a guess.

Which server, in this order:

1. ``PLAYBOOK_POSTGRES``, a libpq URI (``postgresql://user@127.0.0.1:5432/postgres``) of a
   throwaway server; CI sets it (``.ci/run``). PGHOST and the other ``PG*`` variables are
   ignored, so a block never reaches a server a contributor keeps real data on.
2. Else a throwaway cluster of our own, when the server binaries are here (``initdb``,
   ``pg_ctl``; PATH or ``/usr/lib/postgresql/*/bin``): a temporary folder, loopback on a free
   port, trust authentication, fsync off; started on the first block that needs it, stopped
   and removed when the run ends. As root it runs as the ``postgres`` user (initdb refuses
   root).
3. Else the block is parsed and ``postgresql`` named as missing (``playbook.examples.checkers``).

Each block runs in a fresh database, after the earlier blocks of its group, through
``psql -X -v ON_ERROR_STOP=1 -q``; roles a block creates are dropped after it. One
implementation for the checker, the tests and ``.ci/run``::

    python3 scripts/playbook/examples/postgres.py start DIR   # prints the URI
    python3 scripts/playbook/examples/postgres.py stop DIR    # stops it, removes DIR

Standard library only (``.ci/run`` runs it with the system Python).
"""

from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ENV = "PLAYBOOK_POSTGRES"
SERVER_DIRS = "/usr/lib/postgresql/*/bin"  # Debian and Ubuntu keep the server off PATH
_TIMEOUT = 120


def server_dirs() -> list[Path]:
    """Debian's versioned server folders, newest first."""
    found = Path("/").glob(SERVER_DIRS.lstrip("/"))
    return sorted(found, key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)]
                  or [0], reverse=True)


def find(name: str) -> str | None:
    """A PostgreSQL executable on PATH or in the server folders."""
    if os.environ.get("PLAYBOOK_NO_TOOLCHAINS"):  # forces the parsed tier, for tests
        return None
    path = os.pathsep.join([os.environ.get("PATH", ""), *map(str, server_dirs())])
    return shutil.which(name, path=path)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without ``PG*`` variables: only the URI we pass decides the server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return {**env, "PGCONNECT_TIMEOUT": "10", **(extra or {})}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A throwaway cluster in `folder` (created; removed by :meth:`stop`)."""

    def __init__(self, folder: Path, bindir: Path | None = None) -> None:
        initdb = str(bindir / "initdb") if bindir else find("initdb")
        if initdb is None:
            raise FileNotFoundError("initdb: the PostgreSQL server binaries are not installed "
                                    "(apt-get install postgresql)")
        self.bindir = Path(initdb).resolve().parent
        self.folder = folder
        self.data = folder / "data"

    @property
    def _user(self) -> dict[str, str]:
        """As root, run the server as Debian's ``postgres`` user (initdb refuses root)."""
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            return {"user": "postgres", "group": "postgres"}
        return {}

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        user = self._user
        return subprocess.run(list(args), capture_output=True, text=True, timeout=_TIMEOUT,
                              check=False, cwd=self.folder,
                              env=clean_env({"LC_ALL": "C"}), **user)  # type: ignore[arg-type]

    def start(self) -> str:
        """initdb and start on a free loopback port; returns the URI."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._user:
            shutil.chown(self.folder, "postgres", "postgres")
        os.chmod(self.folder, 0o700)
        done = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        if done.returncode:
            hint = " (the postgres user must be able to enter the folder)" if self._user else ""
            raise RuntimeError(f"initdb failed: {(done.stderr or done.stdout).strip()}{hint}")
        port = _free_port()
        options = [f"-p {port}", "-c listen_addresses=127.0.0.1",
                   f"-c unix_socket_directories={self.folder}", "-c fsync=off",
                   "-c synchronous_commit=off", "-c full_page_writes=off"]
        if self._has_library("pg_stat_statements"):  # the extension most plan work starts from
            options.append("-c shared_preload_libraries=pg_stat_statements")
        done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                         str(self.folder / "server.log"), "-o", " ".join(options), "-w",
                         "-t", "60", "start")
        if done.returncode:
            log = self.folder / "server.log"
            detail = log.read_text(errors="replace")[-500:] if log.exists() else done.stderr
            raise RuntimeError(f"pg_ctl start failed: {detail.strip()}")
        return f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _has_library(self, name: str) -> bool:
        pg_config = self.bindir / "pg_config"
        if not pg_config.exists():
            return False
        done = subprocess.run([str(pg_config), "--pkglibdir"], capture_output=True, text=True,
                              timeout=30, check=False)
        return (Path(done.stdout.strip()) / f"{name}.so").exists()

    def stop(self) -> None:
        """Stop the server (if it runs) and remove the folder."""
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the server of this run ------------------------------------------------------------------


@dataclass
class Server:
    uri: str
    cluster: Cluster | None = None  # ours to stop, or None for PLAYBOOK_POSTGRES


_server: Server | None = None
_databases = itertools.count(1)


def available() -> str | None:
    """None when blocks can run here, else the missing tool's registry name."""
    if find("psql") is None:
        return "psql"
    if os.environ.get(ENV) or find("initdb") and find("pg_ctl"):
        return None
    return "postgresql"


def server() -> Server:
    """The server of this run: PLAYBOOK_POSTGRES, or our own cluster started now."""
    global _server
    named = os.environ.get(ENV)
    if _server is not None and named and _server.uri != named:
        close()  # the environment names a server now: that one
    if _server is None:
        if named:
            _server = Server(named)
        else:
            cluster = Cluster(Path(tempfile.mkdtemp(prefix="playbook-postgres-",
                                                    dir=_reachable_temp())))
            try:
                _server = Server(cluster.start(), cluster)
            except BaseException:
                cluster.stop()
                raise
            atexit.register(close)
    return _server


def _reachable_temp() -> str | None:
    """As root, a temporary folder the ``postgres`` user can enter (TMPDIR may be private)."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return None
    folder = Path(tempfile.gettempdir()).resolve()
    if all(p.stat().st_mode & stat.S_IXOTH for p in [folder, *folder.parents]):
        return None
    return "/tmp"  # noqa: S108 - world-enterable; the cluster's own folder is 0700


def close() -> None:
    """Stop the cluster this process started, if any (PLAYBOOK_POSTGRES is left running)."""
    global _server
    if _server is not None and _server.cluster is not None:
        _server.cluster.stop()
    _server = None


def with_database(uri: str, name: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"{ENV} must be a postgresql:// URI, not {uri!r}")
    return urlunsplit(parts._replace(path="/" + name))


def psql(uri: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [find("psql") or "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT,
                              check=False, cwd=cwd, env=clean_env())
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 124, "", f"timed out after {_TIMEOUT} s")


_ERROR = re.compile(r"^psql:(?P<file>[^:]+):(?P<line>\d+): (?P<message>(ERROR|FATAL): .*)$", re.M)


def run_scripts(scripts: list[str]) -> list[tuple[int, int, str]]:
    """Run the scripts in order in a fresh database; errors as (script index, line, message)."""
    uri = server().uri
    name = f"playbook_{os.getpid()}_{next(_databases)}"
    roles = "SELECT string_agg(quote_ident(rolname), ',') FROM pg_roles"
    before = psql(uri, "-At", "-c", roles)
    if before.returncode:
        return [(len(scripts) - 1, 1, f"psql: {before.stderr.strip()}")]
    created = psql(uri, "-c", f"CREATE DATABASE {name}")
    if created.returncode:
        return [(len(scripts) - 1, 1, f"psql: {created.stderr.strip()}")]
    try:
        with tempfile.TemporaryDirectory(prefix="playbook-sql-") as tmp:
            files = []
            for i, source in enumerate(scripts):
                (Path(tmp) / f"block{i}.sql").write_text(source, encoding="utf-8")
                files += ["-f", f"block{i}.sql"]
            done = psql(with_database(uri, name), *files, cwd=Path(tmp))
        if done.returncode == 0:
            return []
        m = _ERROR.search(done.stderr)
        if m is None:
            return [(len(scripts) - 1, 1, f"psql: {done.stderr.strip()[:300]}")]
        index = int(re.sub(r"\D", "", Path(m["file"]).stem) or len(scripts) - 1)
        detail = " ".join(m["message"].split())
        return [(index, int(m["line"]), detail)]
    finally:
        psql(uri, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        after = psql(uri, "-At", "-c", roles)
        for role in set(after.stdout.strip().split(",")) - set(before.stdout.strip().split(",")):
            if role:
                psql(uri, "-c", f"DROP ROLE IF EXISTS {role}")


# --- the command line: .ci/run starts one cluster for the whole run ---------------------------


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("start", "stop"):
        print("usage: postgres.py start|stop DIR", file=sys.stderr)
        return 2
    action, folder = args[0], Path(args[1]).resolve()
    try:
        cluster = Cluster(folder)
        if action == "stop":
            cluster.stop()
            return 0
        if folder.exists() and any(folder.iterdir()):
            print(f"{folder}: not empty; a cluster needs a new folder", file=sys.stderr)
            return 2
        try:
            print(cluster.start())
        except BaseException:
            cluster.stop()
            raise
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        print(f"{folder}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
