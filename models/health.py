"""Is this file selfcheck's database, and is it whole? SQLite-specific checks behind small functions, so
a second engine can bring its own.

- Identity: selfcheck's database carries `PRAGMA application_id = APPLICATION_ID` (set by migration
  0004; older files are recognised by their alembic revision and tables and stamped by that migration).
  Any other SQLite file, or one holding only `alembic_version`, is refused instead of being written into.
- Damage: `quick_check` (b-tree structure, cheap for an office-sized file) at start, `integrity_check`
  (also indexes against tables) before a backup is written and when a restore is staged.

Everything here opens the file with plain sqlite3, read-only, so it runs before alembic or SQLAlchemy are
imported and never changes the file it judges.
"""

from __future__ import annotations

import nturl2path
import os
import shutil
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from selfcheck.errors import DatabaseError
from selfcheck.models.migrations import KNOWN_REVISIONS

APPLICATION_ID = 0x53434B31  # "SCK1"
HEADER = b"SQLite format 3\x00"
# the tables of revision 0001 (a test keeps this equal to models/tables.py); later revisions may add more
REQUIRED_TABLES = frozenset(
    {
        "setting",
        "organization",
        "roletitle",
        "inspection",
        "inspectionitem",
        "answer",
        "improvement",
        "evidenceblob",
        "evidence",
        "incident",
        "timelineentry",
        "contact",
        "report",
        "auditrecord",
    }
)
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024  # above this, start-up skips quick_check (backups still check)


@dataclass(frozen=True)
class DbFile:
    """What is at the database path. kind: absent | empty | selfcheck | legacy (a selfcheck file from
    before application_id) | new_schema (ours, from a newer selfcheck) | no_version | foreign."""

    kind: str
    revision: str | None = None
    detail: str = ""


def _file_uri(path: Path) -> str:
    """What urllib.request.pathname2url gives, without its 20 ms of http/email imports on the way to the
    home screen: Windows drive letters and UNC shares via nturl2path (pure Python, on every platform)."""
    return "file:" + (nturl2path.pathname2url(str(path)) if os.name == "nt" else quote(str(path)))


def connect_read_only(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """Read-only connection; `immutable` as the fallback where a read-only directory cannot take the
    WAL index (nobody can be writing there then)."""
    uri = _file_uri(path)
    try:
        con = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=10, check_same_thread=check_same_thread)
        con.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return con
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc) and "readonly" not in str(exc):
            raise
        return sqlite3.connect(uri + "?immutable=1", uri=True, check_same_thread=check_same_thread)


def read_header_id(path: Path) -> int | None:
    """application_id from the 100-byte header, or None when the file is not SQLite at all."""
    with path.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(HEADER):
        return None
    return int(struct.unpack(">i", head[68:72])[0]) & 0xFFFFFFFF


def identify(path: Path) -> DbFile:
    """Classify the file at `path` without changing it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return DbFile("absent")
    if size == 0:
        return DbFile("empty")
    app_id = read_header_id(path)
    if app_id is None:
        return DbFile("foreign", detail="not an SQLite file")
    try:
        con = connect_read_only(path)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            rev = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                rev = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise damaged(path, str(exc)) from exc
    if app_id not in (0, APPLICATION_ID):
        return DbFile("foreign", detail=f"application_id {app_id:#x}")
    if not tables:
        return DbFile("empty") if app_id == 0 else DbFile("no_version")
    return classify(app_id == APPLICATION_ID, tables, rev)


def classify(marked: bool, tables: set[str], rev: str | None) -> DbFile:
    """The verdict for a database that has tables, on either engine: `marked` says it carries
    selfcheck's identity mark (application_id on SQLite, the selfcheck_meta row on PostgreSQL)."""
    missing = REQUIRED_TABLES - tables
    if not marked and (missing or rev not in KNOWN_REVISIONS):
        detail = f"missing tables: {', '.join(sorted(missing))}" if missing else f"revision {rev}"
        return DbFile("foreign", revision=rev, detail=detail)
    if rev is None:
        return DbFile("no_version")
    if missing:
        return DbFile("foreign", revision=rev, detail=f"missing tables: {', '.join(sorted(missing))}")
    if rev not in KNOWN_REVISIONS:
        return DbFile("new_schema", revision=rev)
    return DbFile("selfcheck" if marked else "legacy", revision=rev)


def refuse_unusable(path: Path | str, found: DbFile) -> None:
    """Raise the one-line message for a database selfcheck must not open or restore (`path`: the file,
    or a server database's masked URL)."""
    if found.kind == "foreign":
        raise DatabaseError(
            "selfcheck のデータベースではありません（別のアプリのものか、壊れています）。開かずに中止しました",
            f"not a selfcheck database ({found.detail}); nothing was opened or changed",
            where=str(path),
        )
    if found.kind == "no_version":
        raise DatabaseError(
            "データベースに版の情報（alembic_version）がありません。途中で壊れたか、selfcheck のデータではありません。"
            "selfcheck restore でバックアップから戻してください",
            "the database has no version table (damaged, or not selfcheck data); "
            "restore a backup with `selfcheck restore`",
            where=str(path),
        )
    if found.kind == "new_schema":
        raise DatabaseError(
            f"このデータは新しい版の selfcheck で作成されています（スキーマ {found.revision}）。selfcheck を更新してください。",
            f"this data was written by a newer selfcheck (schema {found.revision}); please upgrade selfcheck",
            where=str(path),
        )


LOW_SPACE = 1024 * 1024


def disk_nearly_full(path: Path) -> bool:
    """SQLite reports a full disk as "disk I/O error" when the WAL index cannot grow: tell them apart."""
    folder = path if path.is_dir() else path.parent
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


def disk_full(path: Path) -> DatabaseError:
    return DatabaseError(
        "ディスクの空き容量が足りないため保存できませんでした。データは直前の状態のままです。空きを作ってからやり直してください",
        "the disk is full: nothing was saved and the data is as it was; free some space and try again",
        where=str(path),
    )


def damaged(path: Path, detail: str) -> DatabaseError:
    low = detail.lower()
    if ("i/o error" in low or "full" in low) and disk_nearly_full(path):
        return disk_full(path)
    return DatabaseError(
        f"データベースが壊れています（{detail}）。selfcheck restore でバックアップから戻してください",
        f"the database is damaged ({detail}); restore a backup with `selfcheck restore`",
        where=str(path),
    )


def _check(path: Path, pragma: str) -> list[str]:
    try:
        con = connect_read_only(path)
        try:
            rows = [str(r[0]) for r in con.execute(f"PRAGMA {pragma}(20)")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def quick_check(path: Path) -> list[str]:
    """Problems found by `PRAGMA quick_check` (empty: fine)."""
    return _check(path, "quick_check")


def integrity_check(path: Path) -> list[str]:
    """Problems found by `PRAGMA integrity_check` (empty: fine)."""
    return _check(path, "integrity_check")


def require_intact(path: Path, *, full: bool) -> None:
    """Raise `damaged` when the check finds a problem; quick unless `full`."""
    problems = integrity_check(path) if full else quick_check(path)
    if problems:
        raise damaged(path, problems[0][:200])
