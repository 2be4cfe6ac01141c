"""Restoring an archive onto a server database (PostgreSQL). The archive and its checks are the same as
for the embedded file (`restore`); what differs:

- the lock is the server's data lock, taken exclusively: it fails at once while any selfcheck, on any
  PC, has the data open, and nobody can open it until the restore is done;
- the replaced data is archived first (`backups/before-restore-*.zip`), read from the server;
- the staged SQLite database gets the restore's own audit record and is brought to the current schema,
  then copied into the server in one transaction (`models.transfer.load_from_sqlite`): every other PC
  sees the old data or the restored data, never a mix. Emptying the append-only tables inside that
  transaction needs the tables' owner: a 課's login is told so and nothing changes;
- evidence goes into the configured (shared) store, added before the database switches over.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from selfcheck.clock import Clock
from selfcheck.dbconfig import Place
from selfcheck.errors import DataInUseError
from selfcheck.models import db, pg, transfer
from selfcheck.trust.backup import DB_ENTRY, create_backup
from selfcheck.trust.restore_checks import CertPlan
from selfcheck.trust.restore_note import note_restore
from selfcheck.trust.restore_stage import (
    RestoreResult,
    blob_shas,
    discard_unswapped,
    finished,
    place_certificates,
    place_evidence,
    remove_blob,
    restore_failed,
    stage,
)


def restore_to_server(
    place: Place,
    archive: Path,
    manifest: dict[str, Any],
    members: list[zipfile.ZipInfo],
    certs: CertPlan,
    *,
    clock: Clock,
    actor: str,
    started: float,
) -> RestoreResult:
    target = place.db
    engine = pg.create_engine_for(target, pooled=False)
    try:
        lock = pg.try_data_lock(engine, target, exclusive=True)
        if lock is None:
            raise DataInUseError(
                "データは別の selfcheck が使用中です（ほかの PC を含む）。すべての selfcheck を終了してから復元してください。",
                "the data is in use by another selfcheck (on this or another PC); close every selfcheck and "
                "restore again",
                where=target.display,
            )
        try:
            return _restore_locked(place, archive, manifest, members, certs, clock, actor, started)
        finally:
            lock.release()
    finally:
        engine.dispose()


def _restore_locked(
    place: Place,
    archive: Path,
    manifest: dict[str, Any],
    members: list[zipfile.ZipInfo],
    certs: CertPlan,
    clock: Clock,
    actor: str,
    started: float,
) -> RestoreResult:
    home, target = place.home, place.db
    pg.migrate(target)  # refuses a foreign or newer database; an empty one gets the schema
    staging = stage(archive, home, manifest, members)
    added: list[Path] = []
    swapped = False
    safety: Path | None = None
    try:
        old_shas = {str(r[0]) for r in pg.query(target, "SELECT sha256 FROM evidenceblob")}
        head_rows = pg.query(target, "SELECT value FROM setting WHERE key = 'audit.head'")
        replaced_head = _head(head_rows)
        if any(
            pg.query(
                target, "SELECT EXISTS (SELECT 1 FROM auditrecord) OR EXISTS (SELECT 1 FROM organization)"
            )[0]
        ):
            safety = create_backup(
                home, None, clock=clock, actor=actor, prefix="before-restore", place=place
            ).path
        staged_db = staging / DB_ENTRY
        note_restore(staged_db, archive, manifest, replaced_head, clock=clock, actor=actor)
        db.migrate(staged_db)  # an archive from an older selfcheck: its schema, brought up to date here
        count = place_evidence(
            staging / "evidence", place.evidence, shared=place.shared_evidence, added=added
        )
        restored, kept = place_certificates(staging / "keys", home, certs)
        new_shas = blob_shas(staged_db)
        transfer.load_from_sqlite(staged_db, target, replace=True)
        swapped = True
        if safety is not None:
            for sha in old_shas - new_shas:
                remove_blob(place.evidence / sha[:2] / sha)
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


def _head(rows: list[tuple[Any, ...]]) -> dict[str, Any] | None:
    try:
        head = json.loads(rows[0][0]) if rows else None
    except (ValueError, TypeError):
        return None
    return head if isinstance(head, dict) else None
