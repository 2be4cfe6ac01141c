"""PostgreSQL behind small functions, so the rest of the app sees one kind of Workspace.

How it matches the SQLite engine's guarantees:
- Writers: SQLite's `BEGIN IMMEDIATE` makes every write transaction wait for the one before it. Here the
  first statement of every write transaction is `pg_advisory_xact_lock(WRITE_LOCK)`, at READ COMMITTED
  (pinned on the engine, whatever the server's default): once the lock is held, each later statement
  sees everything committed before, and nobody else can commit until we do. So a use case reads and
  changes rows exactly as on SQLite, the audit chain head cannot fork, and no statement after the lock
  can fail with a serialization failure. Taking the lock itself is retried on a serialization failure or
  deadlock (an administrator's SERIALIZABLE default or another tool's locks); waiting longer than
  `lock_timeout` (10 s, SQLite's busy timeout) is 「使用中」, as on SQLite.
- Readers: REPEATABLE READ, READ ONLY: one snapshot per read, so `audit verify` sees the chain and its
  stored head from the same moment, and a read can never write.
- Restore and `db migrate` hold the data lock (a session advisory lock) exclusively; every open
  workspace holds it shared, as `datalock` does with a lock file for the embedded database.
- Identity: the `selfcheck_meta` row written by migration 0004 (PostgreSQL has no application_id).
- Damage: there is no quick_check/integrity_check; the server owns its storage (WAL, crash recovery,
  and page checksums where the cluster has them, which `selfcheck db status` reports). A backup still
  runs SQLite's integrity_check on the archived copy.
- The "files replaced under us" check of the embedded file has nothing to watch on a server: skipped.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from selfcheck.errors import DatabaseError
from selfcheck.models import health
from selfcheck.models.db import upgrade_on
from selfcheck.models.migrations import HEAD
from selfcheck.models.pg_errors import RETRY_STATES, connect_error, sqlstate, translate
from selfcheck.models.target import DbTarget, sqlalchemy_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import ConnectionPoolEntry

MIN_SERVER_VERSION = 130000
LOCK_TIMEOUT_MS = 10_000
_KEY = 0x53434B31 << 8  # "SCK1": advisory lock keys are per database, so these never meet another app's
WRITE_LOCK = _KEY | 1
DATA_LOCK = _KEY | 2
MIGRATE_LOCK = _KEY | 3
META_TABLE = "selfcheck_meta"
MARK = "SCK1"
RETRIES = 8
IDLE_IN_TRANSACTION_MS = 60_000
IDLE_PING_S = 30.0  # a pooled connection idle longer than this is checked before use


def create_engine_for(target: DbTarget, *, pooled: bool = True) -> Engine:
    """Engine for `target`: psycopg 3, READ COMMITTED, a 10 s lock timeout, and a liveness check of a
    connection that sat idle in the pool (a server restarted overnight costs the TUI a reconnect, not
    an error message). A connection used moments ago is not pinged: that would add a round trip to
    every transaction."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import DisconnectionError
    from sqlalchemy.pool import NullPool

    query = dict(target.query)
    # -c options ride on the startup packet: no extra round trip per connection. A PC that loses the
    # network inside a transaction would hold the writers' lock until TCP gives up (hours); every
    # transaction of ours is short, so the server ends one left idle for a minute and frees the lock.
    options = (
        f"{query.get('options', '')} -c lock_timeout={LOCK_TIMEOUT_MS} "
        f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
    ).strip()
    connect_args: dict[str, Any] = {"options": options}
    connect_args.setdefault("connect_timeout", int(query.get("connect_timeout", 10)))
    if "application_name" not in query:
        connect_args["application_name"] = "selfcheck"
    if "client_encoding" not in query:  # UTF-8 text even from a server set otherwise (then refused, readably)
        connect_args["client_encoding"] = "UTF8"
    extra: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    engine = create_engine(
        sqlalchemy_url(target), isolation_level="READ COMMITTED", connect_args=connect_args, **extra
    )

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            dbapi_conn.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as exc:  # the pool replaces this connection and tries once more
            raise DisconnectionError() from exc

    return engine


def read_engine(engine: Engine) -> Engine:
    """The same pool, each read transaction a read-only snapshot."""
    return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def take_write_lock(session: Session) -> None:
    """First statement of a write transaction (see the module docstring), retried when the server
    reports a serialization failure or a deadlock; the transaction is rolled back before each retry,
    and nothing else has run in it yet, so the retry repeats nothing."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    for attempt in range(RETRIES):
        try:
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            return
        except DBAPIError as exc:
            if sqlstate(exc) not in RETRY_STATES or attempt == RETRIES - 1:
                raise
            session.rollback()
            time.sleep(0.01 * (2**attempt))


@dataclass
class ServerLock:
    """A held session advisory lock on its own connection; `release()` closes that connection."""

    raw: Any

    @property
    def held(self) -> bool:
        return self.raw is not None

    def release(self) -> None:
        raw, self.raw = self.raw, None
        if raw is not None:
            # the server may already be gone; the lock goes with the connection either way
            with contextlib.suppress(Exception):
                raw.close()

    def __del__(self) -> None:
        self.release()


def try_data_lock(engine: Engine, target: DbTarget, *, exclusive: bool) -> ServerLock | None:
    """The data lock on a connection of its own (held for the workspace's life), or None when it is
    held in a conflicting mode."""
    fn = "pg_try_advisory_lock" if exclusive else "pg_try_advisory_lock_shared"
    raw = _raw_connection(engine, target)
    try:
        cur = raw.cursor()
        cur.execute(f"SELECT {fn}(%s)", (DATA_LOCK,))
        row = cur.fetchone()
        raw.commit()
    except BaseException:
        raw.close()
        raise
    if not (row and row[0]):
        raw.close()
        return None
    return ServerLock(raw)


def _raw_connection(engine: Engine, target: DbTarget) -> Any:
    from sqlalchemy.exc import DBAPIError

    try:
        raw = engine.raw_connection()
    except DBAPIError as exc:
        raise connect_error(exc, target) from None
    raw.detach()  # never back into the pool: the lock lives exactly as long as this connection
    return raw


def connect(engine: Engine, target: DbTarget) -> Connection:
    """engine.connect() with connection failures as one-line DatabaseErrors."""
    from sqlalchemy.exc import DBAPIError

    try:
        return engine.connect()
    except DBAPIError as exc:
        raise connect_error(exc, target) from None
    except (
        TypeError,
        ValueError,
        UnicodeError,
    ) as exc:  # a server SQLAlchemy cannot even introduce itself to
        raise connect_error(exc, target) from None


def identify(target: DbTarget) -> health.DbFile:
    """What the server database is (see health.DbFile), without changing it; refuses a server older
    than PostgreSQL 13 or a database not in UTF-8."""
    engine = create_engine_for(target, pooled=False)
    try:
        with connect(engine, target) as conn:
            return identify_on(conn, target)
    finally:
        engine.dispose()


def identify_on(conn: Connection, target: DbTarget) -> health.DbFile:
    from sqlalchemy import text

    version, encoding, schema = conn.execute(
        text(
            "SELECT current_setting('server_version_num')::int, current_setting('server_encoding'), "
            "current_schema()"
        )
    ).one()
    check_server(int(version), str(encoding), schema, target)
    tables = {
        str(r[0])
        for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
    }
    if not tables:
        return health.DbFile("empty")
    rev = None
    if "alembic_version" in tables:
        rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    marked = False
    if META_TABLE in tables:
        mark = conn.execute(text(f"SELECT value FROM {META_TABLE} WHERE key = 'application_id'")).scalar()
        if mark != MARK:
            return health.DbFile("foreign", revision=rev, detail=f"{META_TABLE} application_id {mark!r}")
        marked = True
    return health.classify(marked, tables, rev)


def is_current(found: health.DbFile) -> bool:
    return found.kind == "selfcheck" and found.revision == HEAD


def migrate(target: DbTarget) -> None:
    """Bring the server database to the current schema in one transaction (PostgreSQL's DDL is
    transactional: a failure leaves the database as it was). Refuses what `identify` refuses. When two
    PCs start a new selfcheck at once, the second waits for the migration lock, then finds the schema
    current. Creating or upgrading the schema needs the owner's login (a 課's login gets a message)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine_for(target, pooled=False)
    try:
        with connect(engine, target) as conn:
            found = identify_on(conn, target)
            conn.commit()
            if is_current(found):
                return
            health.refuse_unusable(target.display, found)
            conn.execute(text("SET lock_timeout = '120s'"))  # another PC may be migrating a large database
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATE_LOCK})
            conn.commit()
            found = identify_on(conn, target)
            if is_current(found):
                conn.commit()
                return
            health.refuse_unusable(target.display, found)
            try:
                upgrade_on(conn)
            except DBAPIError as exc:
                conn.rollback()
                if sqlstate(exc) == "42501":
                    raise DatabaseError(
                        f"ログイン {target.user} にはデータベースの表を作成・更新する権限がありません。"
                        "所有者（管理者）のログインで一度 selfcheck を起動するか selfcheck db use を実行してください。"
                        "何も変更していません",
                        f"login {target.user} may not create or upgrade the schema; run selfcheck (or "
                        "selfcheck db use) once with the owner's login. Nothing was changed",
                        where=target.display,
                    ) from None
                raise translate(exc, target) or connect_error(exc, target) from None
    finally:
        engine.dispose()


def check_server(version: int, encoding: str, schema: object, target: DbTarget) -> None:
    """Refuse a server selfcheck does not support, before anything is written."""
    if version < MIN_SERVER_VERSION:
        shown = f"{version // 10000}.{version % 10000}" if version >= 100000 else str(version)
        raise DatabaseError(
            f"PostgreSQL {shown} には対応していません。PostgreSQL 13 以上のサーバーを使ってください。何も変更していません",
            f"PostgreSQL {shown} is not supported; use PostgreSQL 13 or newer. Nothing was changed",
            where=target.display,
        )
    if encoding.upper() not in ("UTF8", "UTF-8"):
        raise DatabaseError(
            f"データベースの文字コードが {encoding} です。日本語を保存するため UTF8 で作成してください"
            "（createdb -E UTF8 -T template0）。何も変更していません",
            f"the database encoding is {encoding}; create it with UTF8 (createdb -E UTF8 -T template0). "
            "Nothing was changed",
            where=target.display,
        )
    if schema is None:
        raise DatabaseError(
            "使えるスキーマがありません（search_path を確かめてください）。何も変更していません",
            "no schema to use (check search_path); nothing was changed",
            where=target.display,
        )


def server_info(conn: Connection) -> dict[str, Any]:
    """For `selfcheck db status`: what the server is and how this login reaches it."""
    from sqlalchemy import text

    row = conn.execute(
        text(
            "SELECT current_setting('server_version'), current_setting('data_checksums'), current_user, "
            "current_database(), current_schema(), "
            "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), "
            "(SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid())"
        )
    ).one()
    return {
        "server_version": row[0],
        "data_checksums": row[1] == "on",
        "user": row[2],
        "database": row[3],
        "schema": row[4],
        "tls": bool(row[5]),
        "tls_version": row[6],
    }


def query(target: DbTarget, sql: str) -> list[tuple[Any, ...]]:
    """Rows of one read-only statement on a short-lived connection (restore reads the data it is about
    to replace this way)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine_for(target, pooled=False)
    try:
        with connect(read_engine(engine), target) as conn:
            try:
                return [tuple(r) for r in conn.execute(text(sql))]
            except DBAPIError as exc:
                raise translate(exc, target) or connect_error(exc, target) from None
    finally:
        engine.dispose()
