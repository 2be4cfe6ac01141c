"""Both database engines for the tests: the embedded SQLite file and a real PostgreSQL server.

A test module or test marked `@pytest.mark.engines` runs twice, `[sqlite]` and `[pg]` (see conftest:
the `ws` fixture of a `[pg]` run is a workspace on a fresh database of the server, chosen through the
data directory's `database.json` exactly as `selfcheck db use` writes it, so a CLI subprocess with
`--data-dir` uses the same database; its evidence store is a separate "shared" folder).

The server is named by SELFCHECK_TEST_PG_URL (a login that may create databases; the password comes
from PGPASSFILE/.pgpass). `.ci/pg_cluster.sh start` starts a throwaway one and prints the variables.
Without it the `[pg]` runs skip with that reason, unless SELFCHECK_REQUIRE_PG=1 (set by .ci/run) makes
a missing server a failure.

`Raw` is plain SQL on a workspace's database as another program (or a tamperer) would send it, with
`?` placeholders on both engines.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from selfcheck import dbconfig
from selfcheck.models.target import DbTarget, parse_url
from selfcheck.workspace import Workspace

PG_URL = os.environ.get("SELFCHECK_TEST_PG_URL", "").strip()
REQUIRE_PG = os.environ.get("SELFCHECK_REQUIRE_PG") == "1"
ENGINES = ("sqlite", "pg")
TEMPLATE = "selfcheck_test_template"
APPEND_ONLY = ("auditrecord", "timelineentry")


def server() -> DbTarget:
    """The test server's admin login, or skip (fail under SELFCHECK_REQUIRE_PG=1)."""
    if not PG_URL:
        reason = "no PostgreSQL server for the [pg] runs: set SELFCHECK_TEST_PG_URL (see .ci/pg_cluster.sh)"
        if REQUIRE_PG:
            pytest.fail(f"SELFCHECK_REQUIRE_PG=1 but {reason}")
        pytest.skip(reason)
    return parse_url(PG_URL)


def conninfo(target: DbTarget, dbname: str | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {"dbname": dbname or target.dbname, "user": target.user}
    if target.host:
        info["host"] = target.host
    if target.port:
        info["port"] = target.port
    if target.password:
        info["password"] = target.password
    info.update(dict(target.query))
    return info


def server_password() -> str:
    """The test login's password, from the URL or the PGPASSFILE line for it (skip if unknown)."""
    s = server()
    if s.password:
        return s.password
    passfile = Path(os.environ.get("PGPASSFILE", "") or Path.home() / ".pgpass")
    try:
        lines = passfile.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        host, port, _db, user, password = (line.split(":", 4) + [""] * 5)[:5]
        if (
            host in ("*", s.host or "localhost")
            and port in ("*", str(s.port or 5432))
            and user in ("*", s.user)
        ):
            return password
    pytest.skip("the test server's password is not in the URL or PGPASSFILE")


def admin() -> Any:
    import psycopg

    return psycopg.connect(**conninfo(server()), autocommit=True)


_template_ready = False


def _ensure_template(con: Any) -> None:
    """One database migrated to the current schema, cloned for each test (saves the migration)."""
    global _template_ready
    if _template_ready:
        return
    con.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
    con.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
    from selfcheck.models import pg

    pg.migrate(database(TEMPLATE))
    _template_ready = True


def database(name: str) -> DbTarget:
    s = server()
    return DbTarget("postgresql", host=s.host, port=s.port, user=s.user, dbname=name, query=s.query)


def fresh_database(*, migrated: bool = True) -> DbTarget:
    """A new database on the test server: with the current schema (cloned from a template), or empty."""
    name = f"selfcheck_t_{uuid.uuid4().hex[:12]}"
    with admin() as con:
        if migrated:
            _ensure_template(con)
            con.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        else:
            con.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    return database(name)


def drop_database(target: DbTarget) -> None:
    with admin() as con:
        con.execute(f"DROP DATABASE IF EXISTS {target.dbname} WITH (FORCE)")


def use_server(home: Path, target: DbTarget, evidence: Path) -> dbconfig.Place:
    """Point the data directory `home` at `target` as `selfcheck db use` does (no password stored)."""
    dbconfig.write_config(home, {"url": target.url, "evidence_dir": str(evidence)})
    return dbconfig.resolve(home)


class Raw:
    """Plain SQL on the workspace's database, outside selfcheck (autocommit per `run`)."""

    def __init__(self, ws: Workspace) -> None:
        self.on_server = ws.on_server
        if self.on_server:
            import psycopg

            self.con: Any = psycopg.connect(**conninfo(ws.db), autocommit=True)
        else:
            import sqlite3

            self.con = sqlite3.connect(ws.db_path, isolation_level=None)

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: object) -> None:
        self.con.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.on_server else sql

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.con.execute(self._sql(sql), params).fetchall()]

    def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def run(self, *statements: str) -> None:
        for st in statements:
            self.con.execute(self._sql(st))

    def drop_append_only_triggers(self) -> None:
        """What a tamperer does first."""
        for table in APPEND_ONLY:
            for verb in ("update", "delete", "truncate"):
                if self.on_server:
                    self.con.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb} ON {table}")
                elif verb != "truncate":
                    self.con.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")

    @property
    def integrity_error(self) -> type[Exception]:
        if self.on_server:
            import psycopg

            return psycopg.IntegrityError
        import sqlite3

        return sqlite3.IntegrityError
