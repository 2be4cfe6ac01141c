"""The evidence store: files copied in once, content-addressed by SHA-256, read-only afterwards.

A file is streamed in 1 MiB chunks (constant memory, even for 1 GiB) into a temporary name inside the
store, hashed on the way, fsynced, and renamed to `evidence/ab/abcdef…`. The same content attached twice
is stored once. A crash at any moment leaves either no file or a complete one (a leftover `tmp-*` is
swept at the next start); the database row is only written after the rename.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import audit, inputs, settings
from selfcheck.errors import EvidenceError, NotFoundError
from selfcheck.evidence_store import (
    Progress,
    blob_path,
    check_source,
    store_file,
    store_root,
    sweep_temporaries,
)
from selfcheck.records import require, require_open_inspection
from selfcheck.text import clean
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Evidence

__all__ = [
    "EvidenceView",
    "Progress",
    "attach_file",
    "attach_paper",
    "blob_path",
    "check_source",
    "detach",
    "store_file",
    "store_root",
    "sweep_temporaries",
    "verify_store",
    "view",
]

CHUNK = 1024 * 1024
# Called with (session, view) inside the transaction that links the evidence, so a caller's own record
# (e.g. the incident timeline line) commits together with the link or not at all.
AlsoInTransaction = Callable[["Session", "EvidenceView"], None]


@dataclass(frozen=True)
class EvidenceView:
    id: int
    kind: str
    original_name: str
    size: int | None
    sha256: str | None
    paper_location: str
    description: str
    added_by: str
    added_at: str
    item_id: str | None
    incident_id: int | None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def attach_file(
    ws: Workspace,
    src: Path,
    *,
    inspection_id: int | None = None,
    item_id: str | None = None,
    incident_id: int | None = None,
    description: str = "",
    on_progress: Progress | None = None,
    also: AlsoInTransaction | None = None,
) -> EvidenceView:
    """Copy a file into the store and link it to an inspection item or an incident."""
    from selfcheck.models.tables import EvidenceBlob

    _check_target(ws, inspection_id, incident_id)
    max_bytes = int(settings.get(ws, "evidence.max_bytes"))
    sha, size = store_file(
        ws.evidence_root, Path(src), max_bytes=max_bytes, on_progress=on_progress, shared=ws.shared_evidence
    )
    with ws.write() as s:
        if s.get(EvidenceBlob, sha) is None:
            s.add(EvidenceBlob(sha256=sha, size=size, stored_at=ws.now()))
            s.flush()  # no ORM relationship orders the inserts, so the blob goes first explicitly
        ev = _link(
            s,
            ws,
            kind="file",
            sha256=sha,
            original_name=Path(src).name,
            size=size,
            inspection_id=inspection_id,
            item_id=item_id,
            incident_id=incident_id,
            description=description,
        )
        if also is not None:
            also(s, ev)
        return ev


def attach_paper(
    ws: Workspace,
    location: str,
    *,
    inspection_id: int | None = None,
    item_id: str | None = None,
    incident_id: int | None = None,
    description: str = "",
    also: AlsoInTransaction | None = None,
) -> EvidenceView:
    """Record where a paper document is kept (e.g. 「総務係 キャビネット2段目 令和8年度綴り」)."""
    location = clean(
        location, "保管場所", "storage location", multiline=False, required=True, error=EvidenceError
    )
    _check_target(ws, inspection_id, incident_id)
    with ws.write() as s:
        ev = _link(
            s,
            ws,
            kind="paper",
            sha256=None,
            original_name="",
            size=None,
            paper_location=location,
            inspection_id=inspection_id,
            item_id=item_id,
            incident_id=incident_id,
            description=description,
        )
        if also is not None:
            also(s, ev)
        return ev


def _check_target(ws: Workspace, inspection_id: int | None, incident_id: int | None) -> None:
    if (inspection_id is None) == (incident_id is None):
        raise EvidenceError(
            "添付先（点検項目またはインシデント）を1つ指定してください",
            "give exactly one target: an inspection item or an incident",
        )
    if inspection_id is not None:  # before a long copy, so the user learns at once
        with ws.read() as s:
            require_open_inspection(s, inspection_id)


def _link(
    s: Session,
    ws: Workspace,
    *,
    kind: str,
    sha256: str | None,
    size: int | None,
    original_name: str = "",
    paper_location: str = "",
    description: str = "",
    inspection_id: int | None = None,
    item_id: str | None = None,
    incident_id: int | None = None,
) -> EvidenceView:
    from selfcheck.models.tables import Evidence

    row = Evidence(
        kind=kind,
        sha256=sha256,
        size=size,
        original_name=clean(original_name, "ファイル名", "file name", multiline=False),
        paper_location=clean(paper_location, "保管場所", "storage location", multiline=False),
        description=clean(description, "説明", "description"),
        inspection_id=inspection_id,
        item_id=item_id,
        incident_id=incident_id,
        added_by=ws.who(),
        added_at=ws.now(),
    )
    s.add(row)
    s.flush()
    target = (
        f"inspection {row.inspection_id} item {row.item_id}"
        if row.inspection_id
        else f"incident {row.incident_id}"
    )
    audit.record(
        s,
        ws,
        action="create",
        entity="evidence",
        entity_id=row.id,
        field=target,
        new={
            "kind": row.kind,
            "name": row.original_name,
            "sha256": row.sha256,
            "size": row.size,
            "paper_location": row.paper_location,
        },
    )
    return view(row)


def view(r: Evidence) -> EvidenceView:
    assert r.id is not None
    return EvidenceView(
        id=r.id,
        kind=r.kind,
        original_name=r.original_name,
        size=r.size,
        sha256=r.sha256,
        paper_location=r.paper_location,
        description=r.description,
        added_by=r.added_by,
        added_at=r.added_at,
        item_id=r.item_id,
        incident_id=r.incident_id,
    )


def detach(ws: Workspace, evidence_id: int) -> None:
    """Unlink evidence (kept in the store and the database with `removed_at`, so history stays whole)."""
    from selfcheck.models.tables import Evidence

    with ws.write() as s:
        row = require(s, Evidence, evidence_id)
        if row.removed_at:
            raise NotFoundError(
                f"証拠 {evidence_id} は取り外し済みです", f"evidence {evidence_id} was detached"
            )
        if row.inspection_id is not None:
            require_open_inspection(s, row.inspection_id)
        row.removed_at, row.removed_by = ws.now(), ws.who()
        s.add(row)
        audit.record(
            s,
            ws,
            action="delete",
            entity="evidence",
            entity_id=evidence_id,
            field="removed_at",
            new=row.removed_at,
        )


def verify_store(
    ws: Workspace, *, inspection_id: int | None = None, on_progress: Progress | None = None
) -> list[dict[str, object]]:
    """Re-hash stored files; return one problem dict per file that is missing or no longer matches."""
    from sqlmodel import select

    from selfcheck.models.tables import Evidence

    with ws.read() as s:
        q = select(Evidence).where(Evidence.kind == "file")
        if inspection_id is not None:
            q = q.where(Evidence.inspection_id == inspection_id)
        rows = s.exec(q).all()
    problems: list[dict[str, object]] = []
    shas = sorted({r.sha256 for r in rows if r.sha256})
    for n, sha in enumerate(shas, start=1):
        p = blob_path(ws, sha)
        names = sorted({r.original_name for r in rows if r.sha256 == sha})
        if not p.exists():
            problems.append({"sha256": sha, "names": names, "problem": "missing"})
        else:
            h = hashlib.sha256()
            try:  # a FIFO or device put in the store must not hang the check
                fd, _ = inputs.open_regular(p, 1 << 62, error=EvidenceError)
            except EvidenceError:
                problems.append({"sha256": sha, "names": names, "problem": "not_regular"})
                continue
            with os.fdopen(fd, "rb") as f:
                while chunk := f.read(CHUNK):
                    h.update(chunk)
            if h.hexdigest() != sha:
                problems.append(
                    {"sha256": sha, "names": names, "problem": "mismatch", "actual": h.hexdigest()}
                )
        if on_progress:
            on_progress(n / len(shas), sha[:12])
    return problems
