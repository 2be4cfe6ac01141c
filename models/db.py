"""The SQLite engine: pragmas on every connection, write transactions that take the lock up front, and
schema migrations applied automatically at start.

Why `BEGIN IMMEDIATE`: in WAL mode a deferred transaction that reads and then writes can fail with
SQLITE_BUSY without waiting for the busy timeout (the lock upgrade would deadlock). Taking the write lock
at BEGIN makes a second process wait politely for up to `BUSY_TIMEOUT_MS` instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.errors import DatabaseError, DataChangedError
from selfcheck.models import health
from selfcheck.models.migrations import HEAD
from selfcheck.trust_location import is_network_path

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 10_000


def journal_mode_for(path: Path) -> str:
    """WAL needs shared memory that network file systems do not provide; use DELETE there."""

    return "DELETE" if is_network_path(path.parent) else "WAL"


FileIdentity = tuple[tuple[int, int] | None, tuple[int, int] | None]


def file_identity(path: Path) -> FileIdentity:
    """(device, inode) of the database file and of its -wal file (None when absent)."""

    def one(p: Path) -> tuple[int, int] | None:
        try:
            st = p.stat()
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    return one(path), one(path.with_name(path.name + "-wal"))


def files_changed(path: Path) -> DataChangedError:
    return DataChangedError(
        "データベースのファイルが実行中に置き換えられたか削除されました。これ以降の変更は保存していません。"
        "selfcheck を終了して開き直してください",
        "the database files were replaced or removed while in use; nothing more was saved. "
        "Close selfcheck and open it again",
        where=str(path),
    )


def open_engine(path: Path, *, journal_mode: str | None = None, read_only: bool = False) -> Engine:
    """Engine for `path` with WAL (or DELETE on a network drive), foreign keys, synchronous=FULL and a
    busy timeout set on every new connection. `read_only` opens the file with `mode=ro` and never
    writes a pragma.

    Before each write transaction (under the write lock) the identities of the database file and its
    -wal file are compared with those the connection saw when it opened: a file deleted or replaced
    under a running process (by a sync tool, a cleaner, a careless copy) would otherwise swallow every
    later write without an error."""
    from sqlalchemy import create_engine, event

    mode = journal_mode or journal_mode_for(path)
    if read_only:
        engine = create_engine(
            "sqlite://", creator=lambda: health.connect_read_only(path, check_same_thread=False)
        )
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
        # autocommit at the driver level; SQLAlchemy's "begin" hook below issues BEGIN IMMEDIATE
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute(f"PRAGMA journal_mode={mode}")
            cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # opens the -wal file
        cur.close()
        record.info["file_identity"] = file_identity(path)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if read_only:
            conn.exec_driver_sql("BEGIN")
            return
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        seen = conn.connection.info.get("file_identity")
        if seen is not None and file_identity(path) != seen:
            conn.exec_driver_sql("ROLLBACK")
            raise files_changed(path)

    return engine


def current_revision(path: Path) -> str | None:
    """The alembic revision stored in the file, read with plain sqlite3 (no alembic import at start)."""
    if not path.exists():
        return None
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        row = con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return rev[0] if rev else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"データベースを読み込めません（破損している可能性があります）: {exc}",
            f"cannot read the database (it may be damaged): {exc}",
            where=str(path),
        ) from exc
    finally:
        con.close()


def migrate(path: Path) -> None:
    """Bring the database at `path` to the current schema. A no-op costing one small read when it is
    already current; refuses a database written by a newer selfcheck, a file that is not selfcheck's
    and one without a version table (each with its own message)."""
    found = health.identify(path)
    if found.kind == "selfcheck" and found.revision == HEAD:
        return
    health.refuse_unusable(path, found)
    _run_alembic_upgrade(path)


def needs_migration(path: Path) -> bool:
    found = health.identify(path)
    health.refuse_unusable(path, found)
    return not (found.kind == "selfcheck" and found.revision == HEAD)


def _run_alembic_upgrade(path: Path) -> None:
    from sqlalchemy import create_engine, text

    # Migrations run with foreign keys OFF: batch mode recreates tables, and dropping a referenced table
    # with FKs on fails half-way and leaves `_alembic_tmp_*` behind (see STACK-NOTES §3).
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            upgrade_on(conn)
            bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if bad:
                raise DatabaseError(
                    f"移行後に外部キーの不整合が見つかりました: {bad[:3]}",
                    f"foreign key violations after migration: {bad[:3]}",
                    where=str(path),
                )
    finally:
        engine.dispose()


def upgrade_on(conn: Connection, revision: str = "head") -> None:
    """Run alembic's upgrade on an open connection (either engine) and commit."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "selfcheck.models:migrations")
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)
    conn.commit()
