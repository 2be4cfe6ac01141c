"""Restore a backup archive, refusing anything damaged or suspicious before current data is touched.

Order of work, and why:
1. Read the zip directory and the manifest; refuse entries with absolute paths, `..`, drive letters,
   backslashes, links, duplicates, or anything the manifest does not list (and any listed entry that is
   absent). Check every size against its limit and the total against the free space; decide what happens
   to the archive's certificate (changing whom `verify` trusts needs the fingerprint confirmed). Nothing
   is extracted yet.
2. Take the data directory's lock *exclusively* (`datalock`): it fails at once if any selfcheck has the
   data open, and any selfcheck that starts meanwhile is told 「使用中」 instead of writing into data that
   is about to be replaced. The lock is held until the swap is done.
3. Extract into a staging folder inside the data directory (same file system, so the final moves are
   renames), hashing every entry on the way; the staged database must be selfcheck's
   (`application_id`, tables, version), pass `PRAGMA integrity_check` and not come from a newer schema.
   Evidence the staged database does not reference is refused (it would become an orphan in the store).
4. Archive the current data to `backups/before-restore-<time>.zip` (the replaced data is kept).
5. Swap in: evidence blobs first (content-addressed, so adding them never breaks the old database), then
   the database file with one atomic `os.replace`. A failure before that rename removes the blobs this
   restore added; a crash at any point leaves either the old or the new database with all its evidence.

A server database (PostgreSQL): the same archive and the same checks, with the steps that differ in
`restore_server`: the lock is the server's data lock, held exclusively; the replaced data is archived
from the server; the staged database is brought to the current schema and copied into the server in
one transaction (`models.transfer`); evidence goes into the configured (shared) store.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import zipfile
from pathlib import Path
from typing import Any

from selfcheck import datalock, dbconfig, paths
from selfcheck.clock import Clock, system_clock
from selfcheck.durable import fsync_dir
from selfcheck.errors import BackupError, DataInUseError
from selfcheck.models.db import BUSY_TIMEOUT_MS
from selfcheck.trust.archive import check_archive
from selfcheck.trust.backup import DB_ENTRY, create_backup
from selfcheck.trust.restore_checks import CertPlan, check_sizes, plan_certificates
from selfcheck.trust.restore_note import note_restore
from selfcheck.trust.restore_server import restore_to_server
from selfcheck.trust.restore_stage import (
    RestoreResult,
    blob_shas,
    discard_unswapped,
    finished,
    head_of,
    place_certificates,
    place_evidence,
    remove_blob,
    restore_failed,
    stage,
)

__all__ = ["RestoreResult", "restore"]


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


def restore(
    home: Path,
    archive: Path,
    *,
    clock: Clock = system_clock,
    actor: str = "",
    accept_certificate: str | None = None,
    skip_certificate: bool = False,
    place: dbconfig.Place | None = None,
) -> RestoreResult:
    """Replace the data in `home` with the archive's, keeping the replaced data as a backup. `place`
    names a server database and evidence store (default: the SQLite file and evidence/ in `home`)."""
    started = time.perf_counter()
    home = paths.resolve_home(home)
    archive = Path(archive).expanduser().resolve()
    manifest, members = check_archive(archive)
    on_server = place is not None and place.db.is_postgres
    check_sizes(archive, home, manifest, members, store=place.evidence if place else None, server=on_server)
    certs = plan_certificates(archive, home, manifest, accept=accept_certificate, skip=skip_certificate)
    try:
        paths.ensure_private_dir(home)
    except OSError as exc:
        raise BackupError(
            f"データフォルダを作成できません（{exc.strerror}）",
            f"cannot create the data directory ({exc.strerror})",
            where=str(home),
        ) from exc
    if place is not None and place.db.is_postgres:
        return restore_to_server(
            place, archive, manifest, members, certs, clock=clock, actor=actor, started=started
        )
    try:
        lock = datalock.acquire(home, exclusive=True)
    except datalock.LockBusy:
        raise _in_use(home) from None
    try:
        store = place.evidence if place is not None else paths.evidence_dir(home)
        shared = place is not None and place.shared_evidence
        return _restore_locked(home, archive, manifest, members, certs, clock, actor, started, store, shared)
    finally:
        lock.release()


def _in_use(where: Path) -> DataInUseError:
    return DataInUseError(
        "データは別の selfcheck が使用中です。ほかの selfcheck をすべて終了してから復元してください。",
        "the data is in use by another selfcheck; close every other selfcheck and restore again",
        where=str(where),
    )


def _restore_locked(
    home: Path,
    archive: Path,
    manifest: dict[str, Any],
    members: list[zipfile.ZipInfo],
    certs: CertPlan,
    clock: Clock,
    actor: str,
    started: float,
    store: Path,
    shared: bool,
) -> RestoreResult:
    staging = stage(archive, home, manifest, members)
    added: list[Path] = []  # blobs this restore put into the store, removed again if it fails
    swapped = False
    try:
        db = paths.db_path(home)
        safety: Path | None = None
        old_shas: set[str] = set()
        replaced_head = None
        if db.exists() and db.stat().st_size > 0:
            _take_exclusive(db)
            old_shas = blob_shas(db)
            replaced_head = head_of(db)
            try:
                safety = create_backup(
                    home,
                    None,
                    clock=clock,
                    actor=actor,
                    prefix="before-restore",
                    place=_evidence_place(home, store),
                ).path
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
        note_restore(staging / DB_ENTRY, archive, manifest, replaced_head, clock=clock, actor=actor)
        # 1. evidence: add the archive's blobs (identical names = identical content)
        count = place_evidence(staging / "evidence", store, shared=shared, added=added)
        # 2. certificates: only as planned (a new trust root only when its fingerprint was confirmed)
        restored, kept = place_certificates(staging / "keys", home, certs)
        # 3. the database, in one rename
        for suffix in ("-wal", "-shm", "-journal"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        new_db = staging / DB_ENTRY
        if os.name == "posix":
            new_db.chmod(0o600)
        os.replace(new_db, db)
        swapped = True
        fsync_dir(home)
        # 4. blobs only the replaced database used are in the safety backup: drop them from the store
        if safety is not None:
            for sha in old_shas - blob_shas(db):
                remove_blob(store / sha[:2] / sha)
    except OSError as exc:
        raise restore_failed(exc, home) from exc
    finally:
        discard_unswapped(staging, added, swapped)
    return finished(
        archive,
        home,
        manifest,
        safety=safety,
        count=count,
        placed=(restored, kept),
        certs=certs,
        started=started,
    )


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


def _evidence_place(home: Path, store: Path) -> dbconfig.Place | None:
    """The embedded database with the evidence store in use (None when it is the default one)."""
    if store == paths.evidence_dir(home):
        return None
    return dbconfig.Place(home=home, db=dbconfig.target_from("sqlite", home), evidence=store)
