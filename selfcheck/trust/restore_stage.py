"""The parts of a restore that do not depend on the engine: the result, staging the archive (extracted,
hash-checked, its database checked), placing evidence blobs and certificates, and reading the staged
or replaced database (its audit head and the blobs it references).

Evidence placement: blobs are renamed from the staging folder into the store when both are on one file
system; into a store on another one (a shared folder on a server) they are copied to a temporary name
there, fsynced and renamed, like any evidence (`evidence_store.adopt_file`), so a reader on another PC
never sees a partial blob.
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

from selfcheck import paths
from selfcheck.durable import fsync_dir
from selfcheck.errors import BackupError, DatabaseError
from selfcheck.evidence_store import adopt_file
from selfcheck.models import health
from selfcheck.trust.archive import extract_checked, refuse
from selfcheck.trust.backup import DB_ENTRY
from selfcheck.trust.restore_checks import CertPlan, disk_full, is_disk_full

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
                    manifest["_db_revision"] = check_staged_db(dest, archive)
        refuse_unreferenced_evidence(staging, archive)
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


def check_staged_db(db: Path, archive: Path) -> str | None:
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


def refuse_unreferenced_evidence(staging: Path, archive: Path) -> None:
    staged_ev = staging / "evidence"
    if not staged_ev.is_dir():
        return
    referenced = blob_shas(staging / DB_ENTRY)
    for sub in staged_ev.iterdir():
        for blob in sub.iterdir():
            if blob.name not in referenced:
                raise refuse(
                    f"データベースが参照しない証拠ファイルがあります: {blob.name[:16]}…",
                    f"evidence not referenced by the archived database: {blob.name}",
                    archive,
                )


def place_certificates(staged_keys: Path, home: Path, plan: CertPlan) -> tuple[list[str], list[str]]:
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


def remove_blob(p: Path) -> None:
    if p.exists():
        if os.name != "posix":
            p.chmod(stat.S_IWRITE | stat.S_IREAD)
        p.unlink(missing_ok=True)


def head_of(db: Path) -> dict[str, Any] | None:
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


def blob_shas(db: Path) -> set[str]:
    try:
        con = sqlite3.connect(db)
        try:
            return {r[0] for r in con.execute("SELECT sha256 FROM evidenceblob")}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return set()


def place_evidence(staged_ev: Path, store: Path, *, shared: bool, added: list[Path]) -> int:
    """Put the staged blobs into the store (identical names are identical content: an existing one is
    kept); return how many the archive holds. Each blob this restore adds is appended to `added` at
    once, so a failure half-way can take them out again."""
    count = 0
    if not staged_ev.is_dir():
        return count
    make_dir = paths.ensure_shared_dir if shared else paths.ensure_private_dir
    make_dir(store)
    for sub in sorted(staged_ev.iterdir()):
        target_dir = make_dir(store / sub.name)
        for blob in sorted(sub.iterdir()):
            count += 1
            if adopt_file(blob, target_dir / blob.name, shared=shared):
                added.append(target_dir / blob.name)
        fsync_dir(target_dir)
    return count


def restore_failed(exc: OSError, home: Path) -> BackupError:
    """What a restore says when the disk fails it between staging and the swap (disk full named as such);
    the caller has left the current data as it was."""
    if is_disk_full(exc):
        return disk_full(home)
    return BackupError(
        f"復元できません（{exc.strerror}）。現在のデータは変更していません",
        f"cannot restore ({exc.strerror}); current data left unchanged",
        where=str(home),
    )


def discard_unswapped(staging: Path, added: list[Path], swapped: bool) -> None:
    """After a restore, whatever happened: blobs it added are removed unless the new data went in, and
    the staging folder goes."""
    if not swapped:
        for blob in added:
            remove_blob(blob)
    shutil.rmtree(staging, ignore_errors=True)


def finished(
    archive: Path,
    home: Path,
    manifest: dict[str, Any],
    *,
    safety: Path | None,
    count: int,
    placed: tuple[list[str], list[str]],
    certs: CertPlan,
    started: float,
) -> RestoreResult:
    return RestoreResult(
        archive=archive,
        home=home,
        safety_backup=safety,
        evidence_files=count,
        schema_revision=manifest.get("_db_revision"),
        created_at=str(manifest.get("created_at")),
        certificates_restored=placed[0],
        certificates_kept=placed[1],
        seconds=time.perf_counter() - started,
        certificate_fingerprint=certs.archive_fingerprint,
        trusted_certificate_changed=certs.replace_trust,
    )
