"""A Workspace is one opened data directory: its engine, the person acting, and the clock.

Every use-case function takes a Workspace as its first argument and runs one short transaction through
`ws.write()` (commit on success, roll back on any error, so a failed action leaves nothing
half-written) or `ws.read()`.

The database is the SQLite file in the data directory, or a PostgreSQL server (`dbconfig` says which);
use cases never see the difference. The engine-specific parts sit in `selfcheck.models` (`db`, `health`
for the file, `pg` for the server).
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import datalock, dbconfig, paths
from selfcheck.clock import Clock, system_clock, to_iso
from selfcheck.errors import DatabaseError, DataInUseError, ReadOnlyError
from selfcheck.models import health, pg
from selfcheck.models.db import migrate, needs_migration, open_engine
from selfcheck.models.pg_errors import translate as translate_server_error
from selfcheck.models.target import DbTarget, sqlite_target
from selfcheck.text import strip_controls

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some service accounts); the audit still records something
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


@dataclass
class Workspace:
    home: Path
    actor: str = ""
    clock: Clock = system_clock
    read_only: str = ""
    """Why the data may only be read ("" when it may be written): a `read_only_*` message key."""
    place: dbconfig.Place | None = None
    """Where the database and the evidence store are (None: the SQLite file and evidence/ in `home`)."""
    _engine: Engine | None = field(default=None, repr=False)
    _read_engine: Engine | None = field(default=None, repr=False)
    _lock: datalock.DataLock | pg.ServerLock | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # `--user` with bytes that are not UTF-8 arrives as surrogate escapes, which SQLite cannot store;
        # control characters would end up in audit records and PDFs (found by the report fuzz test)
        self.actor = strip_controls(self.actor, multiline=False).strip()

    @property
    def db_path(self) -> Path:
        """The embedded database file (meaningful when `db.is_postgres` is False)."""
        return paths.db_path(self.home)

    @property
    def db(self) -> DbTarget:
        return self.place.db if self.place is not None else sqlite_target(self.db_path)

    @property
    def on_server(self) -> bool:
        return self.db.is_postgres

    @property
    def evidence_root(self) -> Path:
        return self.place.evidence if self.place is not None else paths.evidence_dir(self.home)

    @property
    def shared_evidence(self) -> bool:
        return self.place is not None and self.place.shared_evidence

    @property
    def where(self) -> str:
        """The database as named in messages: the file, or the server URL with the password masked."""
        return self.db.display if self.on_server else str(self.db_path)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.on_server:
                engine = pg.create_engine_for(self.db)
                self._engine, self._read_engine = engine, pg.read_engine(engine)
                self.hold_lock()
            else:
                self.hold_lock()
                self._engine = open_engine(self.db_path, read_only=bool(self.read_only))
        return self._engine

    def hold_lock(self) -> None:
        """The shared data lock, held while this workspace may use the data: a lock file in the data
        directory (datalock) for the embedded file, a session advisory lock on the server."""
        if self._lock is not None and self._lock.held:
            return
        if self.on_server:
            self._lock = pg.try_data_lock(self.engine, self.db, exclusive=False)
            if self._lock is None:
                raise restoring(self.where)
        else:
            self._lock = lock_shared(self.home)

    def now(self) -> str:
        return to_iso(self.clock())

    def who(self) -> str:
        """The name entered in the app, or the OS user for scripts that gave none."""
        return self.actor or os_user()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction, writers one at a time (SQLite: BEGIN IMMEDIATE; the server: the write
        lock as its first statement, see models.pg): committed when the block ends, rolled back on error."""
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        if self.read_only:
            raise read_only_error(self.read_only, self.home)
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                # callables to run in the transaction just before it commits (audit: the chain head)
                hooks: list[Callable[[Session], None]] = []
                session.info["before_commit"] = hooks
                try:
                    if self.on_server:
                        pg.take_write_lock(session)
                    yield session
                    for hook in hooks:
                        hook(session)
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        except DBAPIError as exc:
            raise self.translate(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction; nothing is written (on the server: a read-only snapshot)."""
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        engine = self.engine
        try:
            # closing (not rolling back) ends the read transaction without expiring the loaded rows
            with Session(self._read_engine or engine, expire_on_commit=False) as session:
                yield session
        except DBAPIError as exc:
            raise self.translate(exc) from exc

    def translate(self, exc: Exception) -> DatabaseError:
        """A driver error as the one line the user reads (never with the password)."""
        if self.on_server:
            known = translate_server_error(exc, self.db)
            if known is not None:
                return known
            text = self.db.mask(str(getattr(exc, "orig", None) or exc))
            first = text.splitlines()[0][:200] if text else type(exc).__name__
            return DatabaseError(f"データベースエラー: {first}", f"database error: {first}", where=self.where)
        return _translate(exc, self.db_path)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._read_engine = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def restoring(where: str) -> DataInUseError:
    return DataInUseError(
        "データは復元中のため使用できません（別の selfcheck が復元しています）。終わってから開いてください。",
        "the data is being restored by another selfcheck; open it again when that has finished",
        where=where,
    )


def lock_shared(home: Path) -> datalock.DataLock:
    try:
        return datalock.acquire(home, exclusive=False)
    except datalock.LockBusy:
        raise restoring(str(home)) from None


_READ_ONLY = {
    "mount": (
        "データフォルダが読み取り専用の場所（読み取り専用でマウントされたドライブ）にあるため、閲覧のみできます。変更は保存できません",
        "the data directory is on a read-only file system: it can be viewed, not changed",
    ),
    "folder": (
        "データフォルダの所有者が書き込みを禁止しているため（権限 0500 など）、閲覧のみできます。変更は保存できません",
        "the owner made the data directory read-only (e.g. mode 0500): it can be viewed, not changed",
    ),
    "file": (
        "データベースのファイルが読み取り専用です（権限 0400 など）。閲覧のみできます。変更するには書き込み権限を戻してください",
        "the database file is read-only (e.g. mode 0400): it can be viewed; restore its write permission to change data",
    ),
}


def read_only_error(reason: str, where: Path) -> ReadOnlyError:
    ja, en = _READ_ONLY.get(reason, _READ_ONLY["folder"])
    return ReadOnlyError(ja, en, where=str(where))


def read_only_reason(root: Path, db: Path) -> str:
    """ "" when the data may be written; else mount | folder | file."""
    if not root.exists():
        return ""
    if paths.on_read_only_mount(root):
        return "mount"
    if not paths.owner_can_write(root):
        return "folder"
    if db.exists() and not paths.owner_can_write(db):
        return "file"
    return ""


def _translate(exc: Exception, where: Path) -> DatabaseError:
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return DataInUseError(
            "データは別の selfcheck が使用中です。しばらく待ってからやり直してください。",
            "the data is in use by another selfcheck process; wait a moment and try again",
            where=str(where),
        )
    if "readonly" in low or "read-only" in low:
        return read_only_error("file", where)
    if "disk is full" in low or "disk full" in low:
        return disk_full_error(where)
    if "malformed" in low or "not a database" in low or "disk i/o error" in low:
        return health.damaged(where, text.splitlines()[0][:200])
    first = text.splitlines()[0][:200] if text else type(exc).__name__
    return DatabaseError(f"データベースエラー: {first}", f"database error: {first}", where=str(where))


def disk_full_error(where: Path) -> DatabaseError:
    return health.disk_full(where)


def open_workspace(
    home: Path | str | None = None,
    *,
    actor: str = "",
    clock: Clock = system_clock,
    db: str | None = None,
    place: dbconfig.Place | None = None,
) -> Workspace:
    """Open (creating if needed) the data directory and bring its database to the current schema.
    `db` is a `--db` URL (see dbconfig for the order of choices); `place` a place already resolved.

    Refused with one line (exit 2): a database missing or emptied next to evidence or backups (that is
    a loss to restore, not a fresh start), a file that is not selfcheck's, a damaged one. A data
    directory that may not be written (read-only mount, owner-set 0500, database 0400) opens read-only.
    A server database: see `open_server`."""

    root = paths.resolve_home(home)
    place = place or dbconfig.resolve(root, db)
    if place.db.is_postgres:
        return open_server(place, actor=actor, clock=clock)
    ws = _open_file(root, paths.db_path(root), actor, clock)
    ws.place = place
    if place.shared_evidence and not ws.read_only:
        try:
            paths.ensure_shared_dir(place.evidence)
        except OSError as exc:
            ws.close()
            raise DatabaseError(
                f"証拠フォルダを作成できません: {exc.strerror}",
                f"cannot create the evidence folder: {exc.strerror}",
                where=str(place.evidence),
            ) from exc
    return ws


def open_server(place: dbconfig.Place, *, actor: str = "", clock: Clock = system_clock) -> Workspace:
    """A workspace on a PostgreSQL server: the data directory holds only this PC's keys, backups and
    logs. Refused with one line before anything changes: a wrong URL, a server that is down, a wrong
    password, a database that is not selfcheck's or from a newer schema, PostgreSQL older than 13."""
    root = place.home
    try:
        paths.ensure_private_dir(root)
        if place.shared_evidence:
            paths.ensure_shared_dir(place.evidence)
        else:
            paths.ensure_private_dir(place.evidence)
    except OSError as exc:
        raise DatabaseError(
            f"フォルダを作成できません: {exc.strerror}",
            f"cannot create the folder: {exc.strerror}",
            where=str(exc.filename or root),
        ) from exc
    pg.migrate(place.db)  # identifies first; refuses a foreign or newer database without writing
    ws = Workspace(home=root, actor=actor, clock=clock, place=place)
    try:
        ws.hold_lock()
    except BaseException:
        ws.close()
        raise
    return ws


def _open_file(root: Path, db: Path, actor: str, clock: Clock) -> Workspace:
    reason = read_only_reason(root, db)
    if not reason:
        try:
            paths.ensure_private_dir(root)
            paths.ensure_private_dir(paths.evidence_dir(root))
        except OSError as exc:
            if paths.on_read_only_mount(root.parent if not root.exists() else root):
                raise DatabaseError(
                    "データフォルダを作成できません: 読み取り専用の場所です。書き込める場所を --data-dir で指定してください",
                    "cannot create the data directory: the location is read-only; choose a writable one with --data-dir",
                    where=str(root),
                ) from exc
            raise DatabaseError(
                f"データフォルダを作成できません: {exc.strerror}",
                f"cannot create the data directory: {exc.strerror}",
                where=str(root),
            ) from exc
    lock = lock_shared(root) if root.exists() else None
    try:
        found = health.identify(db)
        if found.kind in ("absent", "empty"):
            refuse_lost_database(root, db)
            if reason:
                raise DatabaseError(
                    "データベースがなく、読み取り専用のため作成もできません",
                    "there is no database and the data directory is read-only",
                    where=str(db),
                )
        health.refuse_unusable(db, found)
        if found.kind in ("selfcheck", "legacy") and db.stat().st_size <= health.QUICK_CHECK_MAX_BYTES:
            health.require_intact(db, full=False)
        new_file = found.kind in ("absent", "empty")
        if reason:
            if needs_migration(db):
                raise read_only_error(reason, root)
        else:
            try:
                migrate(db)
            except sqlite3.OperationalError as exc:
                raise _translate(exc, db) from exc
            if new_file and os.name == "posix":
                for suffix in ("", "-wal", "-shm"):
                    p = db.with_name(db.name + suffix)
                    if p.exists():
                        p.chmod(0o600)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Workspace(home=root, actor=actor, clock=clock, read_only=reason, _lock=lock)


def refuse_lost_database(root: Path, db: Path) -> None:
    """A database that is missing or 0 bytes while evidence files or backups exist was lost (deleted,
    truncated by a sync tool, a failed copy): starting empty would hide that, and the next automatic
    backup would archive the empty state. Point to `restore` instead."""
    ev = paths.evidence_dir(root)
    has_evidence = ev.is_dir() and any(
        p.is_file() for sub in ev.iterdir() if sub.is_dir() for p in sub.iterdir()
    )
    bk = paths.backups_dir(root)
    has_backups = bk.is_dir() and any(bk.glob("*.zip"))
    if has_evidence or has_backups:
        what_ja = "証拠ファイル" if has_evidence else "バックアップ"
        what_en = "evidence files" if has_evidence else "backups"
        raise DatabaseError(
            f"データベースがない（または空の）のに{what_ja}が残っています。データが失われた可能性があります。"
            "新しく始めずに中止しました。selfcheck restore でバックアップから戻してください",
            f"the database is missing or empty but {what_en} exist: data may have been lost; "
            "not starting afresh. Restore a backup with `selfcheck restore`",
            where=str(db),
        )
