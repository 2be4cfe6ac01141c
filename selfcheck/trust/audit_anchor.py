"""Copies of the audit chain's head kept outside the database, and the check of the chain against them.

Someone who can rewrite the whole database can rebuild a consistent chain with a new head: nothing
inside the file can tell. But every signed report carries the head as it was when it was signed (in its
signer block and its keywords, both covered by the PAdES signature) and every backup manifest carries
the head of its snapshot. If the chain today does not have, at that id, the hash the anchor recorded,
history before that point was rewritten.

An anchor from before a restore may legitimately disagree (the data went back to an older archive): the
restore's own audit record (`restore_note`) says when, and such anchors are reported as superseded, not
as tampering. A PDF counts only when its signature is valid with this body's certificate; a backup
anchor is a plain file (it can only raise an alarm, never hide one).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from selfcheck import inputs, paths
from selfcheck.errors import SelfcheckError
from selfcheck.report.layout import ANCHOR_PREFIX
from selfcheck.signing.verify import MAX_PDF_BYTES, verify_pdf
from selfcheck.trust.backup import archive_head
from selfcheck.workspace import Workspace


@dataclass(frozen=True)
class Anchor:
    source: str
    kind: str  # pdf | backup
    head_id: int
    head_hash: str
    made_at: str | None


@dataclass(frozen=True)
class AnchorResult:
    checked: int
    confirmed: int
    superseded: list[str]
    skipped: list[str]
    problems: list[tuple[str, str, str]]  # (source, ja, en)

    def as_dict(self) -> dict[str, object]:
        return {
            "checked": self.checked,
            "confirmed": self.confirmed,
            "superseded": self.superseded,
            "skipped": self.skipped,
            "problems": [{"source": s, "message_ja": j, "message_en": e} for s, j, e in self.problems],
        }


def pdf_anchor(path: Path, home: Path) -> Anchor | None:
    """The anchor of a signed report, only if its signature is valid with this body's certificate."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    res = verify_pdf(path, home=home)
    if not res.valid:
        return None
    raw = inputs.read_bytes(path, MAX_PDF_BYTES)
    # the /Info of the signed revision (the signature covers the whole file, checked above)
    try:
        info = PdfFileReader(io.BytesIO(raw), strict=False).trailer_view["/Info"]
        words = [str(info.get_object()["/Keywords"])]
    except (KeyError, TypeError, ValueError):
        return None
    for word in " ".join(str(w) for w in words).replace(",", " ").split():
        if word.startswith(ANCHOR_PREFIX):
            rid, _, digest = word[len(ANCHOR_PREFIX) :].partition(":")
            if rid.isdigit() and len(digest) == 64:
                when = res.signatures[-1].signing_time if res.signatures else None
                return Anchor(str(path), "pdf", int(rid), digest, when)
    return None


def backup_anchor(path: Path) -> Anchor | None:
    head = archive_head(path)
    if head is None or not isinstance(head.get("hash"), str):
        return None
    return Anchor(str(path), "backup", int(head["id"]), str(head["hash"]), _created_at(path))


def _created_at(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
        return str(manifest.get("created_at"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def find_anchors(ws: Workspace, extra: list[Path]) -> tuple[list[Anchor], list[str]]:
    """Anchors from the backups folder, the recorded signed reports, the reports folder and `extra`."""
    from sqlalchemy import text

    candidates: list[Path] = []
    bk = paths.backups_dir(ws.home)
    if bk.is_dir():
        candidates += sorted(bk.glob("*.zip"))
    with ws.read() as s:
        candidates += [Path(p) for (p,) in s.execute(text("SELECT path FROM report WHERE signed"))]
    rd = paths.reports_dir(ws.home)
    if rd.is_dir():
        candidates += sorted(rd.glob("*.pdf"))
    anchors: list[Anchor] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for path in [*candidates, *extra]:
        key = str(Path(path).resolve()) if Path(path).exists() else str(path)
        if key in seen:
            continue
        seen.add(key)
        given = path in extra
        if not Path(path).is_file():
            if given:
                raise SelfcheckError("ファイルが見つかりません", "file not found", where=str(path))
            continue
        try:
            found = pdf_anchor(path, ws.home) if path.suffix.lower() == ".pdf" else backup_anchor(path)
        except SelfcheckError:
            if given:
                raise
            found = None
        if found is None:
            skipped.append(str(path))
        else:
            anchors.append(found)
    return anchors, skipped


def check_anchors(ws: Workspace, anchors: list[Anchor], skipped: list[str]) -> AnchorResult:
    from sqlalchemy import text

    with ws.read() as s:
        hashes = dict(s.execute(text("SELECT id, hash FROM auditrecord")).all())
        restores = [at for (at,) in s.execute(text("SELECT at FROM auditrecord WHERE action = 'restore'"))]
    times = [t for t in (_when(a) for a in restores) if t is not None]
    last_restore = max(times) if times else None
    confirmed = 0
    superseded: list[str] = []
    problems: list[tuple[str, str, str]] = []
    for a in anchors:
        if hashes.get(a.head_id) == a.head_hash:
            confirmed += 1
            continue
        made = _when(a.made_at)
        if last_restore is not None and (made is None or made <= last_restore):
            superseded.append(a.source)
            continue
        what_ja = "署名済み報告書" if a.kind == "pdf" else "バックアップ"
        what_en = "signed report" if a.kind == "pdf" else "backup"
        if a.head_id not in hashes:
            ja = f"{what_ja}に記録された監査記録 {a.head_id} がありません（末尾が削除または作り直されています）"
            en = f"the {what_en} records audit record {a.head_id}, which no longer exists (truncated or rebuilt)"
        else:
            ja = f"監査記録 {a.head_id} 以前が書き換えられています（{what_ja}に記録されたハッシュと一致しません）"
            en = f"audit history up to record {a.head_id} was rewritten (it no longer matches the {what_en})"
        problems.append((a.source, ja, en))
    return AnchorResult(len(anchors), confirmed, superseded, skipped, problems)


def _when(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None
