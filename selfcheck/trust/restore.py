"""Restore a backup archive, refusing anything damaged or suspicious before current data is touched.

Order of work, and why:
1. Read the zip directory and the manifest; refuse entries with absolute paths, `..`, drive letters,
   backslashes, links, duplicates, or anything the manifest does not list (and any listed entry that is
   absent). Nothing is extracted yet.
2. Extract into a staging folder inside the data directory (same file system, so the final moves are
   renames), hashing every entry on the way; any mismatch removes the staging folder and stops.
   The staged database must pass `PRAGMA integrity_check` and must not come from a newer schema.
3. Make sure no other selfcheck has the database open (switching it out of WAL needs exclusive access).
4. Archive the current data to `backups/before-restore-<time>.zip` (the replaced data is kept).
5. Swap in: evidence blobs first (content-addressed, so adding them never breaks the old database), then
   the database file with one atomic `os.replace`. A crash at any point leaves either the old or the new
   database, each with all of its evidence.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from selfcheck import paths
from selfcheck.clock import Clock, system_clock
from selfcheck.durable import fsync_dir
from selfcheck.errors import BackupError, DataInUseError
from selfcheck.models.db import BUSY_TIMEOUT_MS, current_revision
from selfcheck.models.migrations import KNOWN_REVISIONS
from selfcheck.trust.archive import check_archive, extract_checked, refuse
from selfcheck.trust.backup import (
    DB_ENTRY,
    create_backup,
)

STAGING_PREFIX = ".restore-"


@dataclass
class RestoreResult:
    archive: Path
    home: Path
    safety_backup: Path | None
    evidence_files: int
    schema_revision: str | None
    created_at: str
    certificates_restored: list[str] = field(default_factory=list)
    certificates_kept: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "archive": str(self.archive),
            "home": str(self.home),
            "safety_backup": str(self.safety_backup) if self.safety_backup else None,
            "evidence_files": self.evidence_files,
            "schema_revision": self.schema_revision,
            "created_at": self.created_at,
            "certificates_restored": self.certificates_restored,
            "certificates_kept": self.certificates_kept,
            "seconds": round(self.seconds, 3),
        }


def stage(archive: Path, home: Path) -> tuple[Path, dict[str, Any]]:
    """Check the archive and extract it, hash-checked, into a fresh staging folder inside `home`."""

    archive = Path(archive).expanduser()
    manifest, members = check_archive(archive)
    paths.ensure_private_dir(home)
    for old in home.glob(f"{STAGING_PREFIX}*"):  # left by a restore that was killed
        shutil.rmtree(old, ignore_errors=True)
    staging = home / f"{STAGING_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    paths.ensure_private_dir(staging)
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in members:
                # names were validated above; join them part by part and check containment anyway
                dest = staging.joinpath(*PurePosixPath(member.filename).parts)
                if staging.resolve() not in dest.resolve().parents:
                    raise refuse(
                        f"安全でない項目名 {member.filename!r}", f"unsafe entry {member.filename!r}", archive
                    )
                extract_checked(zf, member, dest, manifest["entries"][member.filename], archive)
        db = staging / DB_ENTRY
        try:
            con = sqlite3.connect(db)
            try:
                ok = con.execute("PRAGMA integrity_check").fetchone()
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise refuse(
                "バックアップ内のデータベースが壊れています",
                f"the archived database is damaged ({exc})",
                archive,
            ) from exc
        if not ok or ok[0] != "ok":
            raise refuse(
                "バックアップ内のデータベースが壊れています",
                "the archived database fails integrity_check",
                archive,
            )
        rev = current_revision(db)
        if rev not in KNOWN_REVISIONS:
            raise refuse(
                f"新しい版のデータです（スキーマ {rev}）。selfcheck を更新してください",
                f"the database is from a newer schema ({rev}); please upgrade selfcheck",
                archive,
            )
        manifest["_db_revision"] = rev
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, manifest


def _take_exclusive(db: Path) -> None:
    """Checkpoint the live database and switch it out of WAL, which only succeeds when no other process
    has it open; afterwards there is no -wal file that could be replayed onto the restored database."""

    in_use = DataInUseError(
        "データは別の selfcheck が使用中です。ほかの selfcheck をすべて終了してから復元してください。",
        "the data is in use by another selfcheck; close every other selfcheck and restore again",
        where=str(db),
    )
    try:
        con = sqlite3.connect(db, timeout=min(BUSY_TIMEOUT_MS, 3000) / 1000, isolation_level=None)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        raise in_use from exc
    except sqlite3.DatabaseError:
        return  # the current database is damaged: restoring over it is exactly what the user needs
    if str(mode).lower() != "delete":
        raise in_use


def restore(home: Path, archive: Path, *, clock: Clock = system_clock, actor: str = "") -> RestoreResult:
    """Replace the data in `home` with the archive's, keeping the replaced data as a backup."""
    started = time.perf_counter()
    home = paths.resolve_home(home)
    archive = Path(archive).expanduser().resolve()
    staging, manifest = stage(archive, home)
    try:
        db = paths.db_path(home)
        safety: Path | None = None
        old_shas: set[str] = set()
        if db.exists():
            _take_exclusive(db)
            old_shas = _blob_shas(db)
            try:
                safety = create_backup(home, None, clock=clock, actor=actor, prefix="before-restore").path
            except BackupError:
                raise
            except Exception as exc:  # e.g. a damaged current database: keep its raw files instead
                safety = _keep_raw(home, clock)
                if safety is None:
                    raise BackupError(
                        "現在のデータを退避できないため復元を中止しました",
                        f"cannot keep the current data, restore stopped ({exc})",
                        where=str(home),
                    ) from exc
        # 1. evidence: add the archive's blobs (identical names = identical content)
        store = paths.ensure_private_dir(paths.evidence_dir(home))
        staged_ev = staging / "evidence"
        count = 0
        if staged_ev.is_dir():
            for sub in sorted(staged_ev.iterdir()):
                target_dir = paths.ensure_private_dir(store / sub.name)
                for blob in sorted(sub.iterdir()):
                    final = target_dir / blob.name
                    count += 1
                    if final.exists():
                        continue
                    os.replace(blob, final)
                    final.chmod(0o400 if os.name == "posix" else stat.S_IREAD)
                fsync_dir(target_dir)
        # 2. certificates: never overwrite one that belongs to the current key
        restored, kept = [], []
        staged_keys = staging / "keys"
        if staged_keys.is_dir():
            keys = paths.ensure_private_dir(paths.keys_dir(home))
            for cert in sorted(staged_keys.iterdir()):
                final = keys / cert.name
                if not final.exists():
                    os.replace(cert, final)
                    restored.append(cert.name)
                elif final.read_bytes() != cert.read_bytes():
                    kept.append(cert.name)
        # 3. the database, in one rename
        for suffix in ("-wal", "-shm", "-journal"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        new_db = staging / DB_ENTRY
        if os.name == "posix":
            new_db.chmod(0o600)
        os.replace(new_db, db)
        fsync_dir(home)
        # 4. blobs only the replaced database used are in the safety backup: drop them from the store
        if safety is not None:
            for sha in old_shas - _blob_shas(db):
                p = store / sha[:2] / sha
                if p.exists():
                    if os.name != "posix":
                        p.chmod(stat.S_IWRITE | stat.S_IREAD)
                    p.unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(
        archive=archive,
        home=home,
        safety_backup=safety,
        evidence_files=count,
        schema_revision=manifest.get("_db_revision"),
        created_at=str(manifest.get("created_at")),
        certificates_restored=restored,
        certificates_kept=kept,
        seconds=time.perf_counter() - started,
    )


def _blob_shas(db: Path) -> set[str]:
    try:
        con = sqlite3.connect(db)
        try:
            return {r[0] for r in con.execute("SELECT sha256 FROM evidenceblob")}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return set()


def _keep_raw(home: Path, clock: Clock) -> Path | None:
    """Fallback when the current database cannot be snapshotted: copy its raw file aside."""
    db = paths.db_path(home)
    folder = paths.ensure_private_dir(paths.backups_dir(home))
    target = folder / f"before-restore-{clock():%Y%m%d-%H%M%S}-raw.sqlite3"
    try:
        shutil.copy2(db, target)
    except OSError:
        return None
    return target
