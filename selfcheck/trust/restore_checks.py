"""What a restore decides before it writes one byte: sizes against limits and free space, and whether
it would change the certificate that `verify` trusts.

Sizes: the manifest's sizes are checked against the zip's own header sizes (extraction stops at that
size anyway), each entry against a per-kind limit, and the total that will really be written (entries
not already in the evidence store, plus the before-restore safety archive of the current data) against
the free space, with a reserve. An archive that would fill the disk is refused before staging.

Trust: a PDF is VALID only if signed by the certificate in `keys/signing-cert.pem`. A restore that
would put a different one there (into a data directory without its own key) changes whom `verify`
trusts, so it needs the user to confirm the certificate's fingerprint.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfcheck import paths
from selfcheck.errors import BackupError, CertificateConfirmationRequired
from selfcheck.signing import keystore
from selfcheck.trust.archive import EVIDENCE_NAME, refuse
from selfcheck.trust.backup import DB_ENTRY

MAX_DB_ENTRY = 2 * 1024**3
"""A database entry larger than this is refused before extraction (an office database is megabytes)."""
MAX_EVIDENCE_ENTRY = 1024**3
"""The attach limit's default (settings `evidence.max_bytes`): no single evidence file is larger."""
FREE_RESERVE = 8 * 1024 * 1024
"""Kept free after a restore so SQLite can still write its journal."""
CERT_NAME = "keys/signing-cert.pem"
MAX_CERT_ENTRY = 1024 * 1024


def free_bytes(folder: Path) -> int:
    """Free space where `folder` lives (a function, so a test can stand in a smaller disk)."""
    return shutil.disk_usage(folder).free


def normalise_fingerprint(text: str | None) -> str:
    return "".join(ch for ch in (text or "").lower() if ch in "0123456789abcdef")


def fingerprint_text(hexdigest: str) -> str:
    h = hexdigest.upper()
    return ":".join(h[i : i + 2] for i in range(0, len(h), 2))


def check_sizes(
    archive: Path,
    home: Path,
    manifest: dict[str, Any],
    members: list[zipfile.ZipInfo],
    *,
    store: Path | None = None,
    server: bool = False,
) -> int:
    """Refuse entries over their limit or disagreeing with the zip header, and a restore that would not
    fit on the disk; return the bytes that will be written. `store`: the evidence store in use (default
    evidence/ in `home`); `server`: the database lives on a server (its rows are staged here, then
    copied there)."""
    entries: dict[str, dict[str, Any]] = manifest["entries"]
    store = store if store is not None else paths.evidence_dir(home)
    needed = 0
    for m in members:
        meta = entries[m.filename]
        declared = int(meta["size"])
        if m.file_size != declared or declared < 0:
            raise refuse(
                f"項目の大きさが manifest と一致しません: {m.filename}",
                f"entry size differs from the manifest: {m.filename}",
                archive,
            )
        limit = MAX_DB_ENTRY if m.filename == DB_ENTRY else MAX_EVIDENCE_ENTRY
        if m.filename.startswith("keys/"):
            limit = MAX_CERT_ENTRY
        if declared > limit:
            raise refuse(
                f"項目が大きすぎます: {m.filename}（{declared:,} バイト、上限 {limit:,} バイト）",
                f"entry too large: {m.filename} ({declared:,} bytes, limit {limit:,})",
                archive,
            )
        found = EVIDENCE_NAME.match(m.filename)
        if found and (store / found.group(1) / found.group(2)).exists():
            continue  # already in the store: not extracted into it again
        needed += declared
    needed += _safety_archive_estimate(home, store, server)
    existing = home
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    free = free_bytes(existing)
    if needed + FREE_RESERVE > free:
        raise disk_full(home, needed, free)
    return needed


def _safety_archive_estimate(home: Path, store: Path, server: bool) -> int:
    """The before-restore archive holds the current database and every current evidence file (for a
    server database: the evidence; its rows are a fraction of the staged file already counted)."""
    db = paths.db_path(home)
    if not server and not db.exists():
        return 0
    total = 0 if server else db.stat().st_size
    if store.is_dir():
        for sub in store.iterdir():
            if sub.is_dir():
                total += sum(p.stat().st_size for p in sub.iterdir() if p.is_file())
    return total


def disk_full(home: Path, needed: int | None = None, free: int | None = None) -> BackupError:
    extra_ja = f"（必要 {needed:,} バイト、空き {free:,} バイト）" if needed is not None else ""
    extra_en = f" ({needed:,} bytes needed, {free:,} free)" if needed is not None else ""
    return BackupError(
        f"ディスクの空き容量が足りないため復元できません{extra_ja}。現在のデータは変更していません",
        f"not enough disk space to restore{extra_en}; current data left unchanged",
        where=str(home),
    )


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


@dataclass
class CertPlan:
    """What the restore does with the archive's certificates."""

    install: bool  # copy the archive's keys/ certificates that are missing here
    replace_trust: bool  # overwrite keys/signing-cert.pem with the archive's (confirmed)
    archive_fingerprint: str | None
    current_fingerprint: str | None
    notes: list[str] = field(default_factory=list)


def plan_certificates(
    archive: Path,
    home: Path,
    manifest: dict[str, Any],
    *,
    accept: str | None,
    skip: bool,
) -> CertPlan:
    current = keystore.known_fingerprint(home)
    if CERT_NAME not in manifest["entries"]:
        return CertPlan(True, False, None, current)
    if keystore.key_path(home).exists():
        # this installation signs with its own key: its certificate stays (an archive's certificate is
        # only added where none is), so whom `verify` trusts does not change
        return CertPlan(True, False, None, current, ["kept: this installation has its own key"])
    with zipfile.ZipFile(archive) as zf:
        data = zf.read(CERT_NAME)
    if hashlib.sha256(data).hexdigest() != manifest["entries"][CERT_NAME]["sha256"]:
        raise refuse(
            f"ハッシュが一致しません（破損または改ざん）: {CERT_NAME}",
            f"hash mismatch (damaged or altered): {CERT_NAME}",
            archive,
        )
    theirs = _fingerprint(data, archive)
    if theirs == current:
        return CertPlan(True, False, theirs, current)
    if skip:
        return CertPlan(False, False, theirs, current, ["skipped by request"])
    if normalise_fingerprint(accept) == theirs:
        return CertPlan(True, True, theirs, current)
    fp = fingerprint_text(theirs)
    what_ja = "現在の証明書を置き換えます" if current else "この証明書を信頼するようになります"
    what_en = "replace the trusted certificate" if current else "install it as the trusted certificate"
    raise CertificateConfirmationRequired(
        f"このバックアップには署名用の証明書（SHA-256 {fp}）が含まれ、復元すると{what_ja}"
        "（verify が有効と判定する署名者が変わります）。指紋を確かめて --accept-certificate "
        f"{theirs} を付けてやり直すか、--skip-certificate で証明書を除いて復元してください。何も変更していません",
        f"the backup holds a signing certificate (SHA-256 {fp}); restoring would {what_en}, changing "
        f"whom verify trusts. Check the fingerprint and run again with --accept-certificate {theirs}, "
        "or use --skip-certificate; nothing was changed",
        str(archive),
        theirs,
    )


def _fingerprint(pem: bytes, archive: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise refuse("証明書を読めません", f"unreadable certificate ({exc})", archive) from exc
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
