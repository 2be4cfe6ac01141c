"""Reading a backup archive safely: every member name, the manifest, and each entry's size and SHA-256
are checked before anything of it is trusted (steps 1 and 2 of a restore, see `restore`)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from selfcheck.errors import BackupError
from selfcheck.models.migrations import KNOWN_REVISIONS
from selfcheck.portable import casefold_duplicates, windows_name_problem
from selfcheck.trust.backup import CHUNK, DB_ENTRY, FORMAT, FORMAT_VERSION, MANIFEST, PRIVATE_KEY_NAME

EVIDENCE_NAME = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{64})$")
_KEY = re.compile(r"^keys/[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.(pem|crt|cer)$")
_DRIVE = re.compile(r"^[A-Za-z]:")
MAX_MANIFEST = 64 * 1024 * 1024


def refuse(ja: str, en: str, where: Path | str) -> BackupError:
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
    if any(windows_name_problem(part) for part in parts):  # a backup made on Linux must restore on Windows
        return "name not allowed on Windows"
    return None


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode) or (mode != 0 and not stat.S_ISREG(mode) and stat.S_IFMT(mode) != 0)


def check_archive(archive: Path) -> tuple[dict[str, Any], list[zipfile.ZipInfo]]:
    """Validate names and manifest of `archive` without extracting; return (manifest, members)."""

    archive = Path(archive).expanduser()
    if not archive.is_file():
        raise refuse("ファイルが見つかりません", "archive not found", archive)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse(
            "バックアップファイルが壊れているか、zip ではありません", f"not a readable zip ({exc})", archive
        ) from exc
    with zf:
        members = zf.infolist()
        names = [m.filename for m in members]
        if len(set(names)) != len(names) or casefold_duplicates(names):  # one file on case-blind disks
            raise refuse("同じ名前の項目が重複しています", "duplicate entries", archive)
        for m in members:
            reason = unsafe_reason(m.filename)
            if reason:
                raise refuse(
                    f"安全でない項目名 {m.filename!r}（{reason}）",
                    f"unsafe entry {m.filename!r} ({reason})",
                    archive,
                )
            if _is_link(m):
                raise refuse(
                    f"リンクは復元できません: {m.filename}", f"entry is a link: {m.filename}", archive
                )
        if MANIFEST not in names:
            raise refuse(
                "manifest.json がありません（selfcheck のバックアップではありません）",
                "no manifest.json (not a selfcheck backup)",
                archive,
            )
        man_info = zf.getinfo(MANIFEST)
        if man_info.file_size > MAX_MANIFEST:
            raise refuse("manifest.json が大きすぎます", "manifest.json too large", archive)
        try:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
            raise refuse("manifest.json が読めません", f"manifest.json unreadable ({exc})", archive) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse("selfcheck のバックアップではありません", "not a selfcheck backup", archive)
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise refuse(
            "新しい版の selfcheck で作られたバックアップです。selfcheck を更新してください",
            "the backup was made by a newer selfcheck; please upgrade",
            archive,
        )
    rev = manifest.get("schema_revision")
    if rev is None:
        raise refuse(
            "バックアップのデータベースに版の情報がありません（selfcheck のデータではありません）",
            "the archived database has no version table (not selfcheck data)",
            archive,
        )
    if rev not in KNOWN_REVISIONS:
        raise refuse(
            f"新しい版のデータです（スキーマ {rev}）。selfcheck を更新してください",
            f"the data is from a newer schema ({rev}); please upgrade selfcheck",
            archive,
        )
    entries = manifest.get("entries")
    if not isinstance(entries, dict) or DB_ENTRY not in entries:
        raise refuse("manifest にデータベースがありません", "manifest lists no database", archive)
    listed = set(entries)
    present = set(names) - {MANIFEST}
    if present - listed:
        extra = sorted(present - listed)[0]
        raise refuse(
            f"manifest に無い項目があります: {extra}", f"entry not in the manifest: {extra}", archive
        )
    if listed - present:
        gone = sorted(listed - present)[0]
        raise refuse(f"項目が欠けています: {gone}", f"entry missing from the archive: {gone}", archive)
    for name, meta in entries.items():
        if not (name == DB_ENTRY or EVIDENCE_NAME.match(name) or _KEY.match(name)) or unsafe_reason(name):
            raise refuse(f"想定外の項目です: {name!r}", f"unexpected entry {name!r}", archive)
        if name.endswith(PRIVATE_KEY_NAME):
            raise refuse(
                "秘密鍵を含むバックアップは受け付けません", "archive contains a private key", archive
            )
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("sha256"), str)
            or not isinstance(meta.get("size"), int)
        ):
            raise refuse(f"manifest の記載が不正です: {name}", f"bad manifest entry: {name}", archive)
        found = EVIDENCE_NAME.match(name)
        if found and (found.group(2) != meta["sha256"] or found.group(1) != found.group(2)[:2]):
            raise refuse(
                f"証拠ファイル名とハッシュが一致しません: {name}",
                f"evidence name/hash mismatch: {name}",
                archive,
            )
    return manifest, [m for m in members if m.filename != MANIFEST]


def extract_checked(
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
        raise refuse(
            f"項目が壊れています: {member.filename}", f"damaged entry {member.filename} ({exc})", archive
        ) from exc
    if size != meta["size"] or digest.hexdigest() != meta["sha256"]:
        raise refuse(
            f"ハッシュが一致しません（破損または改ざん）: {member.filename}",
            f"hash mismatch (damaged or altered): {member.filename}",
            archive,
        )
