"""A Workspace is one opened data directory: its engine, the person acting, and the clock.

Every use-case function takes a Workspace as its first argument and runs one short transaction through
`ws.write()` (commit on success, roll back on any error, so a failed action leaves nothing
half-written) or `ws.read()`.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import paths
from selfcheck.clock import Clock, system_clock, to_iso
from selfcheck.errors import DatabaseError, DataInUseError
from selfcheck.models.db import migrate, open_engine
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
    _engine: Engine | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # `--user` with bytes that are not UTF-8 arrives as surrogate escapes, which SQLite cannot store;
        # control characters would end up in audit records and PDFs (found by the report fuzz test)
        self.actor = strip_controls(self.actor, multiline=False).strip()

    @property
    def db_path(self) -> Path:
        return paths.db_path(self.home)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = open_engine(self.db_path)
        return self._engine

    def now(self) -> str:
        return to_iso(self.clock())

    def who(self) -> str:
        """The name entered in the app, or the OS user for scripts that gave none."""
        return self.actor or os_user()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed when the block ends, rolled back on error."""
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        try:
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        except OperationalError as exc:
            raise _translate(exc, self.db_path) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction; nothing is written."""
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        try:
            # closing (not rolling back) ends the read transaction without expiring the loaded rows
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except OperationalError as exc:
            raise _translate(exc, self.db_path) from exc

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _translate(exc: Exception, where: Path) -> DatabaseError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DataInUseError(
            "データは別の selfcheck が使用中です。しばらく待ってからやり直してください。",
            "the data is in use by another selfcheck process; wait a moment and try again",
            where=str(where),
        )
    return DatabaseError(f"データベースエラー: {text}", f"database error: {text}", where=str(where))


def open_workspace(
    home: Path | str | None = None, *, actor: str = "", clock: Clock = system_clock
) -> Workspace:
    """Open (creating if needed) the data directory and bring its database to the current schema."""

    root = paths.resolve_home(home)
    try:
        paths.ensure_private_dir(root)
        paths.ensure_private_dir(paths.evidence_dir(root))
    except OSError as exc:
        raise DatabaseError(
            f"データフォルダを作成できません: {exc.strerror}",
            f"cannot create the data directory: {exc.strerror}",
            where=str(root),
        ) from exc
    db = paths.db_path(root)
    new_file = not db.exists()
    try:
        migrate(db)
    except sqlite3.OperationalError as exc:
        raise _translate(exc, db) from exc
    if new_file and os.name == "posix":
        for suffix in ("", "-wal", "-shm"):
            p = db.with_name(db.name + suffix)
            if p.exists():
                p.chmod(0o600)
    return Workspace(home=root, actor=actor, clock=clock)
