"""SQL blocks run on real engines: SQLite in memory (the default dialect), PostgreSQL on a real
server (``PLAYBOOK_POSTGRES``, or a throwaway cluster of our own), and fail on their line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playbook.content import load
from playbook.examples import check_static, postgres, problems_of
from playbook.validate import main as validate

from tests.toolchains import require

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "scripts" / "playbook" / "examples" / "postgres.py"

SCHEMA = """\
CREATE TABLE orders (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL,
    status     text   NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now()
);"""


@pytest.fixture
def enterable() -> Iterator[Path]:
    """A temporary folder others can enter: as root the server runs as `postgres`."""
    folder = Path(tempfile.mkdtemp(dir="/tmp" if os.name != "nt" else None))  # noqa: S108
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def checked(write, body: str):  # noqa: ANN001, ANN201
    """Verdicts of every block of a page, each with the blocks of its group before it."""
    blocks = load(write("docs/page.md", "# Page\n" + body)).blocks
    return [check_static(block, blocks) for block in blocks]


def fence(code: str, info: str = "sql") -> str:
    return f"\n```{info}\n{code}\n```\n"


# --- SQLite, the default dialect ----------------------------------------------------------------


def test_sqlite_blocks_run_in_memory_after_their_group(write) -> None:  # noqa: ANN001
    schema, query = checked(write, fence("CREATE TABLE t (id INTEGER PRIMARY KEY);",
                                         'sql group="db"')
                            + fence("INSERT INTO t VALUES (1);\nSELECT id FROM t;",
                                    'sql dialect="sqlite" group="db"'))
    assert (schema.tier, schema.tool, schema.ok) == ("executed", "sqlite3", True)
    assert (query.tier, query.ok) == ("executed", True), query.errors


def test_a_failing_sqlite_block_fails_on_its_line_with_sqlites_message(write) -> None:  # noqa: ANN001
    [verdict] = checked(write, fence("CREATE TABLE t (id INTEGER);\n\n"
                                     "INSERT INTO missing VALUES (1);"))
    # the page: line 1 title, 2 blank, 3 fence, 4 CREATE, 5 blank, 6 INSERT
    assert verdict.tier == "executed"
    assert verdict.errors == [(6, 1, "sqlite3: no such table: missing")]


def test_postgresql_syntax_without_its_dialect_fails_instead_of_passing_as_parsed(write) -> None:  # noqa: ANN001
    [verdict] = checked(write, fence("CREATE TABLE t (id int);\n"
                                     "CREATE INDEX CONCURRENTLY ix ON t (id);"))
    assert not verdict.ok and verdict.errors[0][0] == 5
    assert "sqlite3:" in verdict.errors[0][2]


def test_an_error_in_an_earlier_block_of_the_group_is_reported_there(write) -> None:  # noqa: ANN001
    _, query = checked(write, fence("CREATE TABLE t (id INTEGER;", 'sql group="g"')
                       + fence("SELECT 1;", 'sql group="g"'))
    assert query.errors and query.errors[0][0] == 4
    assert "earlier block of the group" in query.errors[0][2]


def test_a_block_marked_parse_only_is_parsed(write) -> None:  # noqa: ANN001
    [verdict] = checked(write, fence("SELECT * FROM nowhere;",
                                     'sql test="parse" reason="a fragment"'))
    assert (verdict.tier, verdict.ok) == ("parsed", True)


def test_validate_rejects_an_unknown_dialect(write, capsys) -> None:  # noqa: ANN001
    page = write("docs/page.md", "# Page\n" + fence("SELECT 1;", 'sql dialect="mysql"')
                 + fence("x = 1", 'python dialect="postgresql"'))
    assert validate([str(page)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{page}:3:1: PB061 dialect=\"mysql\" is not one of sqlite, postgresql" in lines
    assert f"{page}:7:1: PB061 dialect= applies to sql blocks only" in lines


# --- PostgreSQL ---------------------------------------------------------------------------------

PG = 'sql dialect="postgresql"'


@pytest.mark.slow
@pytest.mark.needs("postgresql", "psql")
def test_postgresql_blocks_run_on_a_server_in_a_fresh_database(write) -> None:  # noqa: ANN001
    schema, index, again = checked(
        write, fence(SCHEMA, f'{PG} group="pg"')
        + fence("CREATE INDEX CONCURRENTLY ix_orders_user ON orders (user_id)\n"
                "    INCLUDE (status) WHERE status = 'pending';\n"
                "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM orders WHERE user_id = 1;",
                f'{PG} group="pg"')
        + fence(SCHEMA, PG))  # a fresh database: orders does not exist yet
    for verdict in (schema, index, again):
        assert (verdict.tier, verdict.tool, verdict.errors) == ("executed", "postgresql", [])


@pytest.mark.slow
@pytest.mark.needs("postgresql", "psql")
def test_a_postgresql_error_is_mapped_to_the_markdown_line(write) -> None:  # noqa: ANN001
    schema, query = checked(write, fence(SCHEMA, f'{PG} group="pg"')
                            + fence("SELECT id FROM orders;\n\nSELECT total FROM orders;",
                                    f'{PG} group="pg"'))
    assert schema.ok
    # the second block starts at line 13: SELECT id (13), blank, SELECT total (15)
    [(line, _col, message)] = query.errors
    assert line == 15
    assert message == 'postgresql: ERROR: column "total" does not exist'


@pytest.mark.slow
@pytest.mark.needs("postgresql", "psql")
def test_roles_a_block_creates_are_dropped_after_it(write) -> None:  # noqa: ANN001
    code = "CREATE ROLE app_rw_probe LOGIN;"
    first, second = checked(write, fence(code, PG) + fence(code, PG))
    assert first.ok and second.ok, second.errors


@pytest.mark.slow
@pytest.mark.needs("postgresql", "psql")
def test_the_server_named_by_playbook_postgres_is_used_and_left_running(
        write, enterable, monkeypatch, capsys) -> None:  # noqa: ANN001
    folder = enterable / "named"
    assert postgres.main(["start", str(folder)]) == 0
    uri = capsys.readouterr().out.strip()
    try:
        monkeypatch.setenv(postgres.ENV, uri)
        [verdict] = checked(write, fence("CREATE TABLE marker (id int);", PG))
        assert verdict.ok and postgres.server().cluster is None  # not one of our own
        postgres.close()
        alive = subprocess.run(["psql", "-X", "-At", "-d", uri, "-c", "SELECT 1"],
                               capture_output=True, text=True, timeout=60, check=False,
                               env=postgres.clean_env())
        assert alive.stdout == "1\n"
    finally:
        postgres.main(["stop", str(folder)])


def test_without_a_server_postgresql_blocks_are_parsed_and_the_server_named(
        write, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv(postgres.ENV, raising=False)
    monkeypatch.setattr(postgres, "find", lambda name: "/usr/bin/psql" if name == "psql" else None)
    monkeypatch.delenv("CI", raising=False)
    [verdict] = checked(write, fence("CREATE INDEX CONCURRENTLY ix ON t (id);", PG))
    assert (verdict.tier, verdict.ok, verdict.missing) == ("parsed", True, ["postgresql"])
    block = load(Path(write("docs/page.md", "# Page\n" + fence("SELECT 1;", PG)))).blocks[0]
    assert problems_of(block, verdict) == []
    monkeypatch.setenv("CI", "true")
    [problem] = problems_of(block, verdict)
    assert str(problem).endswith(
        ":3:1: PB064 postgresql: missing (apt-get install postgresql): CI checks every block "
        "at its strongest tier")


def test_without_psql_even_a_named_server_cannot_be_used(write, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(postgres.ENV, "postgresql://postgres@127.0.0.1:1/postgres")
    monkeypatch.setattr(postgres, "find", lambda name: None)
    [verdict] = checked(write, fence("SELECT 1;", PG))
    assert (verdict.tier, verdict.missing) == ("parsed", ["psql"])


def test_the_server_is_only_ever_the_one_named(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("PGHOST", "db.example.com")
    monkeypatch.setenv("PGDATABASE", "production")
    assert not any(key.startswith("PG") and key != "PGCONNECT_TIMEOUT"
                   for key in postgres.clean_env())
    assert (postgres.with_database("postgresql://u@127.0.0.1:5/postgres?sslmode=disable", "b1")
            == "postgresql://u@127.0.0.1:5/b1?sslmode=disable")
    with pytest.raises(ValueError, match="postgresql:// URI"):
        postgres.with_database("host=db.example.com", "b1")


@pytest.mark.slow
@pytest.mark.needs("postgresql", "psql")
@pytest.mark.skipif(os.name == "nt", reason="PostgreSQL server binaries are a POSIX setup here")
def test_a_run_starts_its_own_cluster_and_removes_it(write, enterable) -> None:  # noqa: ANN001
    page = write("docs/pg.md", "# Page\n" + fence(SCHEMA, PG))
    env = {k: v for k, v in os.environ.items() if k not in (postgres.ENV, "CI")}
    result = subprocess.run([sys.executable, "-m", "playbook.examples", str(page)], cwd=ROOT,
                            env={**env, "TMPDIR": str(enterable)}, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (
        "code blocks: total=1 tested=0 executed=1 compiled=0 parsed=0 skipped=0")
    assert list(enterable.iterdir()) == []  # the cluster's folder is gone
    assert not _servers_under(enterable)


def test_as_root_a_private_temp_folder_is_not_used_for_the_cluster(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert postgres._reachable_temp() == "/tmp"  # noqa: S108
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert postgres._reachable_temp() is None


def _servers_under(folder: Path) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=False)
    return [line for line in ps.stdout.splitlines() if str(folder) in line]


# --- the command line .ci/run uses ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.needs("postgresql", "psql")
def test_ci_run_starts_one_cluster_for_the_run_and_stops_it_on_exit(tmp_path, enterable) -> None:  # noqa: ANN001
    """The cluster lines of .ci/run, run by bash with the system Python: the tests see the
    server through PLAYBOOK_POSTGRES, and the trap removes it even when the tests fail."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = re.search(r"# >>> postgres\n(.*?)# <<< postgres\n", script, re.S)
    assert lines, ".ci/run has no cluster section"
    python3 = shutil.which("python3", path="/usr/bin:/bin") or require("python3.12")
    probe = ('psql -X -At -d "$PLAYBOOK_POSTGRES" -c "SELECT current_setting(\'fsync\')" '
             f'> {tmp_path}/seen\nfalse  # the tests fail\n')
    result = subprocess.run(["bash", "-c", "set -euo pipefail\n" + lines.group(1) + probe],
                            cwd=ROOT, env={**postgres.clean_env(), "TMPDIR": str(enterable),
                                           "PATH": f"{Path(python3).parent}:"
                                                   f"{os.environ['PATH']}"},
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "seen").read_text() == "off\n"
    assert list(enterable.iterdir()) == []  # the cluster's folder is gone
    assert not _servers_under(enterable)


@pytest.mark.slow
@pytest.mark.needs("postgresql", "psql")
def test_the_module_starts_and_stops_a_cluster(enterable, capsys) -> None:  # noqa: ANN001
    folder = enterable / "cluster"
    assert postgres.main(["start", str(folder)]) == 0
    uri = capsys.readouterr().out.strip()
    assert re.fullmatch(r"postgresql://postgres@127\.0\.0\.1:\d+/postgres", uri)
    try:
        assert postgres.main(["start", str(folder)]) == 2
        assert "not empty" in capsys.readouterr().err
        select = subprocess.run(["psql", "-X", "-At", "-d", uri, "-c", "SELECT 1"],
                                capture_output=True, text=True, timeout=60, check=False,
                                env=postgres.clean_env())
        assert select.stdout == "1\n", select.stderr
    finally:
        assert postgres.main(["stop", str(folder)]) == 0
    assert not folder.exists()
    assert postgres.main(["restart"]) == 2 and "usage:" in capsys.readouterr().err
