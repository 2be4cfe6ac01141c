"""One-file backups: a consistent database snapshot, the evidence files, the signing certificate(s) and a
manifest of SHA-256 hashes, in a zip.

Why these choices:
- The database is copied with SQLite's online backup API (`sqlite3.Connection.backup`), which takes a
  consistent snapshot under a read transaction, so a backup can run while the TUI is open and writing.
  Copying the file (plus -wal) by hand could catch it mid-commit. A server database (PostgreSQL) is
  copied row for row from one read-only snapshot into a fresh SQLite file (`models.transfer`): the
  archive format is the same for both engines (no pg_dump needed), and an archive made on one restores
  on the other.
- Evidence blobs are content-addressed and never rewritten, so copying the ones the *snapshot* references
  after the snapshot is consistent too.
- Only certificates leave the keys folder: the private key (`keys/signing-key.pem`) and anything that
  looks like a secret never go into an archive that people copy to USB sticks.
- The archive is written under a temporary name, fsynced, then renamed: a crash leaves either no archive
  or a complete one, never a truncated zip with a plausible name.
- The snapshot must pass `PRAGMA integrity_check` before it is archived: a damaged database is never
  written into a backup (restore would refuse it, and rotation could then delete the last good one).
- The manifest carries the audit chain's head (id and hash) at the snapshot: a copy of the head kept
  outside the database, which `audit verify` checks the chain against.
- Rotation deletes an old automatic archive only when the new one's audit chain is at least as long:
  an emptied or rolled-back database never pushes the newest good archive out.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfcheck import __version__, dbconfig, paths, settings
from selfcheck.clock import Clock, system_clock, to_iso
from selfcheck.durable import fsync_dir, fsync_file
from selfcheck.errors import BackupError, DataInUseError
from selfcheck.models import health
from selfcheck.models.db import BUSY_TIMEOUT_MS, current_revision
from selfcheck.models.transfer import snapshot_to_sqlite

if TYPE_CHECKING:
    from selfcheck.workspace import Workspace

MANIFEST = "manifest.json"
FORMAT = "selfcheck-backup"
FORMAT_VERSION = 1
DB_ENTRY = "selfcheck.sqlite3"
PRIVATE_KEY_NAME = "signing-key.pem"
AUTO_PREFIX = "auto"
CHUNK = 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class BackupResult:
    path: Path
    entries: int
    evidence_files: int
    certificates: list[str]
    bytes: int
    seconds: float
    schema_revision: str | None
    missing_evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "entries": self.entries,
            "evidence_files": self.evidence_files,
            "certificates": self.certificates,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "schema_revision": self.schema_revision,
            "missing_evidence": self.missing_evidence,
        }


def snapshot_db(src: Path, dst: Path) -> None:
    """Consistent copy of the live database at `src` into a new single file `dst` (rollback journal, so
    the copy is self-contained)."""

    source = sqlite3.connect(src, timeout=BUSY_TIMEOUT_MS / 1000)
    target = sqlite3.connect(dst)
    try:
        source.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        source.backup(target)  # all pages in one step: one read transaction, one consistent state
        target.execute("PRAGMA journal_mode=DELETE")
        target.commit()
    finally:
        target.close()
        source.close()


def is_certificate_file(p: Path) -> bool:
    """A PEM file holding certificates and nothing secret. Anything else in keys/ stays home."""
    if p.name == PRIVATE_KEY_NAME or p.suffix.lower() not in (".pem", ".crt", ".cer") or not p.is_file():
        return False
    if p.is_symlink():
        return False
    try:
        data = p.read_bytes()
    except OSError:
        return False
    return b"-----BEGIN CERTIFICATE-----" in data and b"PRIVATE" not in data and b"SECRET" not in data.upper()


def certificate_files(home: Path) -> list[Path]:
    folder = paths.keys_dir(home)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if is_certificate_file(p))


def _zip_time(now: datetime) -> tuple[int, int, int, int, int, int]:
    return (max(now.year, 1980), now.month, now.day, now.hour, now.minute, now.second)


def _add_file(
    zf: zipfile.ZipFile, src: Path, name: str, when: tuple[int, int, int, int, int, int], compress: bool
) -> tuple[str, int]:
    """Stream `src` into the archive as `name`; return (sha256, size) of what was written."""
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o100600 << 16  # a regular file, owner read/write: never a link
    size = src.stat().st_size
    info.file_size = size
    digest = hashlib.sha256()
    done = 0
    with src.open("rb") as fin, zf.open(info, "w", force_zip64=size > 0x7FFF0000) as fout:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            fout.write(chunk)
            done += len(chunk)
    return digest.hexdigest(), done


def default_name(prefix: str, now: datetime) -> str:
    return f"{prefix}-{now:%Y%m%d-%H%M%S}.zip"


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(2, 10_000):
        cand = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not cand.exists():
            return cand
    raise BackupError(
        "バックアップのファイル名を決められません", "cannot choose a backup file name", where=str(path)
    )


def create_backup(
    home: Path,
    out: Path | None = None,
    *,
    clock: Clock = system_clock,
    actor: str = "",
    prefix: str = "selfcheck-backup",
    place: dbconfig.Place | None = None,
) -> BackupResult:
    """Write one archive of the data directory `home` to `out` (default: backups/<prefix>-<time>.zip).
    `place` names a server database and evidence store (default: the SQLite file and evidence/ in
    `home`). The embedded file is read with plain sqlite3 connections only, so it works with the TUI
    running and leaves no engine open."""

    started = time.perf_counter()
    home = Path(home)
    db = paths.db_path(home)
    server = place.db if place is not None and place.db.is_postgres else None
    store = place.evidence if place is not None else paths.evidence_dir(home)
    if server is None and (not db.exists() or db.stat().st_size == 0):
        raise BackupError(
            "バックアップするデータがありません（データベースがありません）",
            "nothing to back up (no database)",
            where=str(db),
        )
    now = clock()
    if out is None:
        folder = paths.ensure_private_dir(paths.backups_dir(home))
        out = _unique(folder / default_name(prefix, now))
    else:
        out = Path(out).expanduser()
        if out.is_dir():
            out = _unique(out / default_name(prefix, now))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                f"保存先フォルダを作成できません（{exc.strerror}）",
                f"cannot create the target folder ({exc.strerror})",
                where=str(out.parent),
            ) from exc
    when = _zip_time(now)
    entries: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    tmp_zip = out.with_name(f".tmp-{os.getpid()}-{os.urandom(4).hex()}-{out.name}")
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=out.parent))
    try:
        snap = work / DB_ENTRY
        try:
            if server is not None:
                snapshot_to_sqlite(server, snap)
            else:
                snapshot_db(db, snap)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DataInUseError(
                    "データは別の selfcheck が使用中です。しばらく待ってからやり直してください。",
                    "the data is in use by another selfcheck process; try again shortly",
                    where=str(db),
                ) from exc
            raise BackupError(
                f"データベースを読めません: {exc}", f"cannot read the database: {exc}", where=str(db)
            ) from exc
        found = health.identify(snap)
        health.refuse_unusable(server.display if server else db, found)
        health.require_intact(snap, full=True)  # DatabaseError: never archive a damaged database
        revision = current_revision(snap)
        con = sqlite3.connect(snap)
        try:
            shas = [r[0] for r in con.execute("SELECT sha256 FROM evidenceblob ORDER BY sha256")]
            head = _head(con)
        finally:
            con.close()
        certs = certificate_files(home)
        fd = os.open(tmp_zip, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            sha, size = _add_file(zf, snap, DB_ENTRY, when, compress=True)
            entries[DB_ENTRY] = {"sha256": sha, "size": size}
            for blob_sha in shas:
                src = store / blob_sha[:2] / blob_sha
                if not _SHA.match(blob_sha) or not src.is_file():
                    missing.append(blob_sha)
                    continue
                name = f"evidence/{blob_sha[:2]}/{blob_sha}"
                sha, size = _add_file(zf, src, name, when, compress=False)
                entries[name] = {"sha256": sha, "size": size}
                if sha != blob_sha:  # the stored file no longer matches its name: say so, keep the copy
                    missing.append(blob_sha)
            for cert in certs:
                name = f"keys/{cert.name}"
                sha, size = _add_file(zf, cert, name, when, compress=True)
                entries[name] = {"sha256": sha, "size": size}
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": __version__,
                "schema_revision": revision,
                "created_at": to_iso(now),
                "created_by": actor,
                "integrity_check": "ok",
                "audit_head": head,
                "evidence_files": len(shas) - len(missing),
                "damaged_or_missing_evidence": missing,
                "entries": entries,
            }
            info = zipfile.ZipInfo(MANIFEST, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100600 << 16
            zf.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        fsync_file(tmp_zip)
        os.replace(tmp_zip, out)
        fsync_dir(out.parent)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise BackupError(
                "ディスクの空き容量が足りないためバックアップを作成できませんでした（書きかけのファイルは残していません）",
                "the disk is full: no backup was written (nothing half-written is left)",
                where=str(out),
            ) from exc
        raise BackupError(
            f"バックアップを書き込めません（{exc.strerror or exc}）",
            f"cannot write the backup ({exc.strerror or exc})",
            where=str(out),
        ) from exc
    finally:
        tmp_zip.unlink(missing_ok=True)
        for p in work.glob("*"):
            p.unlink(missing_ok=True)
        work.rmdir()
    return BackupResult(
        path=out,
        entries=len(entries) + 1,
        evidence_files=len(shas) - len(missing),
        certificates=[c.name for c in certs],
        bytes=out.stat().st_size,
        seconds=time.perf_counter() - started,
        schema_revision=revision,
        missing_evidence=missing,
    )


def _head(con: sqlite3.Connection) -> dict[str, Any] | None:
    """The audit chain head {id, hash, count} of the snapshot (None for a database without records)."""
    row = con.execute("SELECT value FROM setting WHERE key = 'audit.head'").fetchone()
    if row is None:
        return None
    try:
        head = json.loads(row[0])
        return {"id": int(head["id"]), "hash": str(head["hash"]), "count": int(head["count"])}
    except (ValueError, TypeError, KeyError):
        return None


def archive_head(path: Path) -> dict[str, Any] | None:
    """The audit head recorded in an archive's manifest (None if absent or unreadable)."""
    try:
        with zipfile.ZipFile(path) as zf:
            if zf.getinfo(MANIFEST).file_size > 64 * 1024 * 1024:
                return None
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    head = manifest.get("audit_head") if isinstance(manifest, dict) else None
    return head if isinstance(head, dict) and isinstance(head.get("id"), int) else None


def backup(ws: Workspace, out: Path | None = None) -> BackupResult:
    """`selfcheck backup`: archive the workspace's data (its database, wherever it is)."""
    return create_backup(ws.home, out, clock=ws.clock, actor=ws.who(), place=ws.place)


def auto_backups(home: Path) -> list[Path]:
    folder = paths.backups_dir(home)
    if not folder.is_dir():
        return []
    # by name (= date and time), then by write time for same-second duplicates (-2, -3 suffixes)
    return sorted(
        folder.glob(f"{AUTO_PREFIX}-*.zip"),
        key=lambda p: (p.name[: len(AUTO_PREFIX) + 16], p.stat().st_mtime_ns, p.name),
    )


def auto_backup(ws: Workspace, *, force: bool = False) -> Path | None:
    """The rotating automatic backup (call on exit of the TUI): at most one a day, keeping the newest
    `backup.keep` automatic archives (manual and before-restore archives are never rotated away).
    Returns the new archive, or None when disabled or one was already made today. With a server
    database there is none on exit: every PC would archive the whole shared data each day; the
    administrator schedules `selfcheck backup` instead (README)."""

    if ws.on_server and not force:
        return None
    if not settings.get(ws, "backup.auto") and not force:
        return None
    keep = max(1, int(settings.get(ws, "backup.keep") or 7))
    today = f"{AUTO_PREFIX}-{ws.clock():%Y%m%d}-"
    if not force and any(p.name.startswith(today) for p in auto_backups(ws.home)):
        return None
    result = create_backup(ws.home, None, clock=ws.clock, actor=ws.who(), prefix=AUTO_PREFIX, place=ws.place)
    new_head = archive_head(result.path)
    new_len = new_head["id"] if new_head else 0
    for old in auto_backups(ws.home)[:-keep]:
        old_head = archive_head(old)
        if old_head is not None and old_head["id"] > new_len:
            continue  # holds more history than the data now has: never rotated away
        old.unlink(missing_ok=True)
    return result.path
