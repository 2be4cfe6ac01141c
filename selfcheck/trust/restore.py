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

import hashlib
import json
import os
import re
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
from selfcheck.errors import DataInUseError
from selfcheck.trust.backup import (
    CHUNK,
    DB_ENTRY,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PRIVATE_KEY_NAME,
    BackupError,
    create_backup,
)

_EVIDENCE = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{64})$")
_KEY = re.compile(r"^keys/[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.(pem|crt|cer)$")
_DRIVE = re.compile(r"^[A-Za-z]:")
STAGING_PREFIX = ".restore-"
MAX_MANIFEST = 64 * 1024 * 1024


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


def _refuse(ja: str, en: str, where: Path | str) -> BackupError:
    return BackupError(
        f"復元できません: {ja}（現在のデータは変更していません）",
        f"cannot restore: {en} (current data left unchanged)",
        where=str(where),
    )


def unsafe_reason(name: str) -> str | None:
    """Why an archive member name must not be used as a path, or None if it is a plain relative path."""
    if not name or "\x00" in name:
        return "empty name"
    if "\\" in name:
        return "backslash in name"
    if name.startswith("/") or _DRIVE.match(name):
        return "absolute path"
    parts = PurePosixPath(name).parts
    if any(p in ("..", ".") for p in name.split("/")) or ".." in parts:
        return "'..' in path"
    if name.endswith("/"):
        return "directory entry"
    from selfcheck.portable import windows_name_problem  # a backup made on Linux must restore on Windows

    for part in parts:
        if windows_name_problem(part):
            return "name not allowed on Windows"
    return None


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode) or (mode != 0 and not stat.S_ISREG(mode) and stat.S_IFMT(mode) != 0)


def check_archive(archive: Path) -> tuple[dict[str, Any], list[zipfile.ZipInfo]]:
    """Validate names and manifest of `archive` without extracting; return (manifest, members)."""
    from selfcheck.models.migrations import KNOWN_REVISIONS

    archive = Path(archive).expanduser()
    if not archive.is_file():
        raise _refuse("ファイルが見つかりません", "archive not found", archive)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(
            "バックアップファイルが壊れているか、zip ではありません", f"not a readable zip ({exc})", archive
        ) from exc
    with zf:
        members = zf.infolist()
        names = [m.filename for m in members]
        from selfcheck.portable import casefold_duplicates  # one file on Windows' case-blind disks

        if len(set(names)) != len(names) or casefold_duplicates(names):
            raise _refuse("同じ名前の項目が重複しています", "duplicate entries", archive)
        for m in members:
            reason = unsafe_reason(m.filename)
            if reason:
                raise _refuse(
                    f"安全でない項目名 {m.filename!r}（{reason}）",
                    f"unsafe entry {m.filename!r} ({reason})",
                    archive,
                )
            if _is_link(m):
                raise _refuse(
                    f"リンクは復元できません: {m.filename}", f"entry is a link: {m.filename}", archive
                )
        if MANIFEST not in names:
            raise _refuse(
                "manifest.json がありません（selfcheck のバックアップではありません）",
                "no manifest.json (not a selfcheck backup)",
                archive,
            )
        man_info = zf.getinfo(MANIFEST)
        if man_info.file_size > MAX_MANIFEST:
            raise _refuse("manifest.json が大きすぎます", "manifest.json too large", archive)
        try:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
            raise _refuse("manifest.json が読めません", f"manifest.json unreadable ({exc})", archive) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse("selfcheck のバックアップではありません", "not a selfcheck backup", archive)
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise _refuse(
            "新しい版の selfcheck で作られたバックアップです。selfcheck を更新してください",
            "the backup was made by a newer selfcheck; please upgrade",
            archive,
        )
    rev = manifest.get("schema_revision")
    if rev not in KNOWN_REVISIONS:
        raise _refuse(
            f"新しい版のデータです（スキーマ {rev}）。selfcheck を更新してください",
            f"the data is from a newer schema ({rev}); please upgrade selfcheck",
            archive,
        )
    entries = manifest.get("entries")
    if not isinstance(entries, dict) or DB_ENTRY not in entries:
        raise _refuse("manifest にデータベースがありません", "manifest lists no database", archive)
    listed = set(entries)
    present = set(names) - {MANIFEST}
    if present - listed:
        extra = sorted(present - listed)[0]
        raise _refuse(
            f"manifest に無い項目があります: {extra}", f"entry not in the manifest: {extra}", archive
        )
    if listed - present:
        gone = sorted(listed - present)[0]
        raise _refuse(f"項目が欠けています: {gone}", f"entry missing from the archive: {gone}", archive)
    for name, meta in entries.items():
        if not (name == DB_ENTRY or _EVIDENCE.match(name) or _KEY.match(name)) or unsafe_reason(name):
            raise _refuse(f"想定外の項目です: {name!r}", f"unexpected entry {name!r}", archive)
        if name.endswith(PRIVATE_KEY_NAME):
            raise _refuse(
                "秘密鍵を含むバックアップは受け付けません", "archive contains a private key", archive
            )
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("sha256"), str)
            or not isinstance(meta.get("size"), int)
        ):
            raise _refuse(f"manifest の記載が不正です: {name}", f"bad manifest entry: {name}", archive)
        m = _EVIDENCE.match(name)
        if m and (m.group(2) != meta["sha256"] or m.group(1) != m.group(2)[:2]):
            raise _refuse(
                f"証拠ファイル名とハッシュが一致しません: {name}",
                f"evidence name/hash mismatch: {name}",
                archive,
            )
    return manifest, [m for m in members if m.filename != MANIFEST]


def _extract_checked(
    zf: zipfile.ZipFile, member: zipfile.ZipInfo, dest: Path, meta: dict[str, Any], archive: Path
) -> None:
    digest = hashlib.sha256()
    size = 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(member) as fin, dest.open("xb") as fout:
            while chunk := fin.read(CHUNK):
                size += len(chunk)
                if size > meta["size"]:
                    break
                digest.update(chunk)
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:  # bad CRC, truncated data
        raise _refuse(
            f"項目が壊れています: {member.filename}", f"damaged entry {member.filename} ({exc})", archive
        ) from exc
    if size != meta["size"] or digest.hexdigest() != meta["sha256"]:
        raise _refuse(
            f"ハッシュが一致しません（破損または改ざん）: {member.filename}",
            f"hash mismatch (damaged or altered): {member.filename}",
            archive,
        )


def stage(archive: Path, home: Path) -> tuple[Path, dict[str, Any]]:
    """Check the archive and extract it, hash-checked, into a fresh staging folder inside `home`."""
    from selfcheck.models.db import current_revision
    from selfcheck.models.migrations import KNOWN_REVISIONS

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
                    raise _refuse(
                        f"安全でない項目名 {member.filename!r}", f"unsafe entry {member.filename!r}", archive
                    )
                _extract_checked(zf, member, dest, manifest["entries"][member.filename], archive)
        db = staging / DB_ENTRY
        try:
            con = sqlite3.connect(db)
            try:
                ok = con.execute("PRAGMA integrity_check").fetchone()
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise _refuse(
                "バックアップ内のデータベースが壊れています",
                f"the archived database is damaged ({exc})",
                archive,
            ) from exc
        if not ok or ok[0] != "ok":
            raise _refuse(
                "バックアップ内のデータベースが壊れています",
                "the archived database fails integrity_check",
                archive,
            )
        rev = current_revision(db)
        if rev not in KNOWN_REVISIONS:
            raise _refuse(
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
    from selfcheck.models.db import BUSY_TIMEOUT_MS

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
