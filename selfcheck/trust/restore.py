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
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from selfcheck import datalock, paths
from selfcheck.clock import Clock, system_clock
from selfcheck.durable import fsync_dir
from selfcheck.errors import BackupError, DatabaseError, DataInUseError
from selfcheck.models import health
from selfcheck.models.db import BUSY_TIMEOUT_MS
from selfcheck.trust.archive import check_archive, extract_checked, refuse
from selfcheck.trust.backup import DB_ENTRY, create_backup
from selfcheck.trust.restore_checks import (
    CertPlan,
    check_sizes,
    disk_full,
    is_disk_full,
    plan_certificates,
)
from selfcheck.trust.restore_note import note_restore

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
    certificate_fingerprint: str | None = None
    trusted_certificate_changed: bool = False

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
            "certificate_fingerprint": self.certificate_fingerprint,
            "trusted_certificate_changed": self.trusted_certificate_changed,
        }


def stage(archive: Path, home: Path, manifest: dict[str, Any], members: list[zipfile.ZipInfo]) -> Path:
    """Extract the checked archive, hash-checked, into a fresh staging folder inside `home`, and check
    the staged database. The caller holds the exclusive data lock."""

    for old in home.glob(f"{STAGING_PREFIX}*"):  # left by a restore that was killed
        shutil.rmtree(old, ignore_errors=True)
    staging = home / f"{STAGING_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    paths.ensure_private_dir(staging)
    try:
        with zipfile.ZipFile(archive) as zf:
            # the database first: a file that is not selfcheck's is refused before any evidence is written
            ordered = sorted(members, key=lambda m: m.filename != DB_ENTRY)
            for member in ordered:
                # names were validated above; join them part by part and check containment anyway
                dest = staging.joinpath(*PurePosixPath(member.filename).parts)
                if staging.resolve() not in dest.resolve().parents:
                    raise refuse(
                        f"安全でない項目名 {member.filename!r}", f"unsafe entry {member.filename!r}", archive
                    )
                extract_checked(zf, member, dest, manifest["entries"][member.filename], archive)
                if member.filename == DB_ENTRY:
                    manifest["_db_revision"] = _check_staged_db(dest, archive)
        _refuse_unreferenced_evidence(staging, archive)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if is_disk_full(exc):
            raise disk_full(home) from exc
        raise BackupError(
            f"復元用の一時フォルダに書き込めません（{exc.strerror}）。現在のデータは変更していません",
            f"cannot write the staging folder ({exc.strerror}); current data left unchanged",
            where=str(home),
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _check_staged_db(db: Path, archive: Path) -> str | None:
    try:
        found = health.identify(db)
        if found.kind not in ("selfcheck", "legacy"):
            health.refuse_unusable(db, found)
            raise refuse("データベースがありません", "the archive's database is empty", archive)
    except DatabaseError as exc:
        raise refuse(exc.message_ja, exc.message_en, archive) from exc
    problems = health.integrity_check(db)
    if problems:
        raise refuse(
            "バックアップ内のデータベースが壊れています",
            f"the archived database fails integrity_check ({problems[0][:120]})",
            archive,
        )
    return found.revision


def _refuse_unreferenced_evidence(staging: Path, archive: Path) -> None:
    staged_ev = staging / "evidence"
    if not staged_ev.is_dir():
        return
    referenced = _blob_shas(staging / DB_ENTRY)
    for sub in staged_ev.iterdir():
        for blob in sub.iterdir():
            if blob.name not in referenced:
                raise refuse(
                    f"データベースが参照しない証拠ファイルがあります: {blob.name[:16]}…",
                    f"evidence not referenced by the archived database: {blob.name}",
                    archive,
                )


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
) -> RestoreResult:
    """Replace the data in `home` with the archive's, keeping the replaced data as a backup."""
    started = time.perf_counter()
    home = paths.resolve_home(home)
    archive = Path(archive).expanduser().resolve()
    manifest, members = check_archive(archive)
    check_sizes(archive, home, manifest, members)
    certs = plan_certificates(archive, home, manifest, accept=accept_certificate, skip=skip_certificate)
    try:
        paths.ensure_private_dir(home)
    except OSError as exc:
        raise BackupError(
            f"データフォルダを作成できません（{exc.strerror}）",
            f"cannot create the data directory ({exc.strerror})",
            where=str(home),
        ) from exc
    try:
        lock = datalock.acquire(home, exclusive=True)
    except datalock.LockBusy:
        raise _in_use(home) from None
    try:
        return _restore_locked(home, archive, manifest, members, certs, clock, actor, started)
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
            old_shas = _blob_shas(db)
            replaced_head = _head_of(db)
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
        note_restore(staging / DB_ENTRY, archive, manifest, replaced_head, clock=clock, actor=actor)
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
                    added.append(final)
                    final.chmod(0o400 if os.name == "posix" else stat.S_IREAD)
                fsync_dir(target_dir)
        # 2. certificates: only as planned (a new trust root only when its fingerprint was confirmed)
        restored, kept = _place_certificates(staging / "keys", home, certs)
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
            for sha in old_shas - _blob_shas(db):
                _remove_blob(store / sha[:2] / sha)
    except OSError as exc:
        if is_disk_full(exc):
            raise disk_full(home) from exc
        raise BackupError(
            f"復元できません（{exc.strerror}）。現在のデータは変更していません",
            f"cannot restore ({exc.strerror}); current data left unchanged",
            where=str(home),
        ) from exc
    finally:
        if not swapped:
            for blob in added:
                _remove_blob(blob)
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
        certificate_fingerprint=certs.archive_fingerprint,
        trusted_certificate_changed=certs.replace_trust,
    )


def _place_certificates(staged_keys: Path, home: Path, plan: CertPlan) -> tuple[list[str], list[str]]:
    restored: list[str] = []
    kept: list[str] = []
    if not staged_keys.is_dir():
        return restored, kept
    keys = paths.ensure_private_dir(paths.keys_dir(home))
    for cert in sorted(staged_keys.iterdir()):
        final = keys / cert.name
        is_root = cert.name == "signing-cert.pem"
        if not plan.install:
            kept.append(cert.name)
        elif not final.exists() or (is_root and plan.replace_trust):
            if os.name == "posix":
                cert.chmod(0o600)
            os.replace(cert, final)
            restored.append(cert.name)
        elif final.read_bytes() != cert.read_bytes():
            kept.append(cert.name)
    return restored, kept


def _remove_blob(p: Path) -> None:
    if p.exists():
        if os.name != "posix":
            p.chmod(stat.S_IWRITE | stat.S_IREAD)
        p.unlink(missing_ok=True)


def _head_of(db: Path) -> dict[str, Any] | None:
    try:
        con = sqlite3.connect(db)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = 'audit.head'").fetchone()
        finally:
            con.close()
        head = json.loads(row[0]) if row else None
    except (sqlite3.DatabaseError, ValueError):
        return None
    return head if isinstance(head, dict) else None


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
