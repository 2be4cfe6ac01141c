"""Copying a selfcheck data set between the two engines, row for row, ids kept.

Used by `selfcheck db migrate --to URL` (the embedded file into an empty server database), by backups
of a server database (its rows into a fresh SQLite file, so every archive holds the same kind of
database and restores on either engine), and by restores onto a server (an archive's file into it).

Rules that keep the copy faithful:
- tables in foreign-key order (SQLModel's metadata), rows in primary-key order (an inspection's
  `revision_of` always names an earlier one), ids copied as they are: the audit chain hashes them;
- a server copy is one transaction holding the write lock: other PCs see the old rows or all the new
  ones; a failure leaves the database as it was;
- afterwards each id sequence is moved past the highest id, so the next row gets a fresh one;
- the row counts of source and target are compared before the transaction commits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfcheck.errors import DatabaseError
from selfcheck.models import pg
from selfcheck.models.db import BUSY_TIMEOUT_MS, upgrade_on
from selfcheck.models.pg_errors import sqlstate, translate
from selfcheck.models.target import DbTarget

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

BATCH = 500
APPEND_ONLY = ("auditrecord", "timelineentry")


def tables() -> list[Table]:
    from sqlmodel import SQLModel

    import selfcheck.models.tables  # noqa: F401  (registers the tables)

    return list(SQLModel.metadata.sorted_tables)


def counts(conn: Connection) -> dict[str, int]:
    from sqlalchemy import func, select

    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables()}


def copy_rows(src: Connection, dst: Connection) -> dict[str, int]:
    """Every row of every table from `src` into `dst` (same schema revision); returns rows per table."""
    from sqlalchemy import select

    copied: dict[str, int] = {}
    for table in tables():
        n = 0
        result = src.execute(select(table).order_by(*table.primary_key.columns))
        while batch := result.mappings().fetchmany(BATCH):
            dst.execute(table.insert(), [dict(r) for r in batch])
            n += len(batch)
        copied[table.name] = n
    return copied


def reset_sequences(conn: Connection) -> None:
    """Move every serial id's sequence past the highest id copied in (PostgreSQL)."""
    from sqlalchemy import Integer, text

    for table in tables():
        cols = list(table.primary_key.columns)
        if len(cols) != 1 or cols[0].name != "id" or not isinstance(cols[0].type, Integer):
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def clear_all(conn: Connection) -> None:
    """Empty every table of a server database inside the caller's transaction. The append-only triggers
    are switched off for this one transaction (ALTER TABLE is transactional and locks the tables, so
    nobody else ever sees them off); that needs the tables' owner, which a 課's login is not."""
    from sqlalchemy import text

    for name in APPEND_ONLY:
        conn.execute(text(f"ALTER TABLE {name} DISABLE TRIGGER USER"))
    conn.execute(text(f"TRUNCATE TABLE {', '.join(t.name for t in tables())}"))
    for name in APPEND_ONLY:
        conn.execute(text(f"ALTER TABLE {name} ENABLE TRIGGER USER"))


def wipe(target: DbTarget) -> None:
    """Empty a server database again (a migration whose copy failed its check)."""
    server = pg.create_engine_for(target, pooled=False)
    try:
        with pg.connect(server, target) as conn:
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (pg.WRITE_LOCK,))
            clear_all(conn)
            conn.commit()
    finally:
        server.dispose()


def sqlite_engine(path: Path) -> Any:
    """A plain engine on an SQLite file (foreign keys off, as for migrations: rows arrive in order)."""
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})


def snapshot_to_sqlite(target: DbTarget, dst: Path) -> dict[str, int]:
    """A consistent copy of the server database in a new SQLite file `dst` at the current schema: one
    read-only snapshot (REPEATABLE READ) of every table, so a backup can run while others write."""
    from sqlalchemy.exc import DBAPIError

    lite = sqlite_engine(dst)
    server = pg.create_engine_for(target, pooled=False)
    try:
        with lite.connect() as out:
            upgrade_on(out)
            out.exec_driver_sql("PRAGMA journal_mode=DELETE")
            with pg.connect(pg.read_engine(server), target) as src:
                try:
                    copied = copy_rows(src, out)
                except DBAPIError as exc:
                    raise translate(exc, target) or _copy_failed(exc, target) from None
            out.commit()
        return copied
    finally:
        lite.dispose()
        server.dispose()


def load_from_sqlite(src: Path, target: DbTarget, *, replace: bool) -> dict[str, int]:
    """Copy the SQLite file `src` (at the current schema) into the server database in one transaction
    that holds the write lock. `replace`: empty the server's tables first (restore); otherwise they must
    already be empty (db migrate). The counts are compared before the commit."""
    from sqlalchemy.exc import DBAPIError

    lite = sqlite_engine(src)
    server = pg.create_engine_for(target, pooled=False)
    try:
        with lite.connect() as source, pg.connect(server, target) as out:
            try:
                out.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (pg.WRITE_LOCK,))
                if replace:
                    clear_all(out)
                elif any(counts(out).values()):
                    raise not_empty(target)
                copied = copy_rows(source, out)
                reset_sequences(out)
                expected, found = counts(source), counts(out)
                if expected != found:
                    raise DatabaseError(
                        f"コピー後の行数が一致しません（{_diff(expected, found)}）。何も変更していません",
                        f"row counts differ after the copy ({_diff(expected, found)}); nothing was changed",
                        where=target.display,
                    )
                out.commit()
            except DBAPIError as exc:
                out.rollback()
                raise translate(exc, target) or _copy_failed(exc, target) from None
            except BaseException:
                out.rollback()
                raise
        return copied
    finally:
        lite.dispose()
        server.dispose()


def not_empty(target: DbTarget) -> DatabaseError:
    return DatabaseError(
        "移行先のデータベースが空ではありません（selfcheck のデータが既にあります）。空のデータベースを指定してください。"
        "何も変更していません",
        "the target database is not empty (it already holds selfcheck data); give an empty database. "
        "Nothing was changed",
        where=target.display,
    )


def _diff(a: dict[str, int], b: dict[str, int]) -> str:
    return ", ".join(f"{k} {a.get(k)}→{b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))


def _copy_failed(exc: BaseException, target: DbTarget) -> DatabaseError:
    if sqlstate(exc) == "42501" or "must be owner" in str(exc):
        return DatabaseError(
            f"ログイン {target.user} にはこの操作の権限がありません（表の所有者＝管理者のログインが必要です）。"
            "何も変更していません",
            f"login {target.user} may not do this (it needs the tables' owner, the administrator's login); "
            "nothing was changed",
            where=target.display,
        )
    first = target.mask(str(getattr(exc, "orig", None) or exc)).splitlines()[0][:200]
    return DatabaseError(
        f"データをコピーできません（{first}）。何も変更していません",
        f"cannot copy the data ({first}); nothing was changed",
        where=target.display,
    )
