"""The `selfcheck db` use cases: choose the database (`use`), show it (`status`), and move an embedded
data set onto a server (`migrate_to_server`). Each checks before it changes anything, and a failure
leaves the setting, the source and the target as they were.

`migrate_to_server`: the source file must be current and its audit trail intact (a broken trail is not
carried onto the server silently); the target must be an empty database (or selfcheck's schema with no
rows). Both are locked exclusively while rows are copied in one transaction; afterwards the target is
checked as a user would check it: row counts, `audit verify` (chain and recorded state) and every
evidence file re-hashed in its store. A target that fails the check is emptied again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfcheck import datalock, dbconfig, paths
from selfcheck.errors import DatabaseError, DataInUseError
from selfcheck.evidence import blob_path, store_file, verify_store
from selfcheck.models import health, pg, transfer
from selfcheck.models.migrations import HEAD
from selfcheck.models.target import DbTarget
from selfcheck.trust.audit_state import check_state
from selfcheck.trust.audit_verify import verify_chain
from selfcheck.workspace import open_workspace


@dataclass(frozen=True)
class UseResult:
    database: str
    evidence: str
    shared_evidence: bool
    password: str  # keyring | pgpass-or-none | "" (embedded database)
    config: str

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def use(home: Path, url: str, *, evidence_dir: Path | None = None) -> UseResult:
    """Check that `url` opens as selfcheck's database (creating the schema in an empty database), then
    save it as this data directory's choice. A password in the URL goes to the keyring, never to the
    file; without a keyring the command is refused and nothing is saved."""
    target = dbconfig.target_from(url, home)
    store = evidence_dir.expanduser() if evidence_dir else None
    if not target.is_postgres:
        data = {"evidence_dir": str(store)} if store else {}
        path = dbconfig.write_config(home, data)
        return UseResult(str(target.path), str(store or paths.evidence_dir(home)), bool(store), "", str(path))
    place = dbconfig.Place(home=home, db=target, evidence=store or paths.evidence_dir(home), source="option")
    found = pg.identify(target)  # read-only: a wrong address, login or database is told first
    if found.kind not in ("empty", "selfcheck", "legacy"):
        health.refuse_unusable(target.display, found)
    before: str | None = None
    if target.password:  # a credential store must exist before anything is changed
        before = dbconfig.keyring_password(target, strict=True)
    open_workspace(home, place=place).close()  # creates the schema in an empty database
    if target.password:
        _store(target, before)
    data = dbconfig.config_for(place, password_in_keyring=bool(target.password), evidence=store)
    path = dbconfig.write_config(home, data)
    return UseResult(
        target.display,
        str(place.evidence),
        place.shared_evidence,
        "keyring" if target.password else "pgpass",
        str(path),
    )


def _store(target: DbTarget, before: str | None) -> None:
    """Save the password; if that fails, put back what the keyring held before."""
    try:
        dbconfig.store_password(target)
    except BaseException:
        if before is not None:
            dbconfig.store_password(target.with_password(before))
        raise


def status(place: dbconfig.Place) -> dict[str, Any]:
    """What `db status` shows: the engine, where it is, its schema revision and what the server is."""
    out: dict[str, Any] = {
        "engine": "postgresql" if place.db.is_postgres else "sqlite",
        "database": place.db.display,
        "from": place.source,
        "evidence": str(place.evidence),
        "shared_evidence": place.shared_evidence,
        "schema_head": HEAD,
    }
    if not place.db.is_postgres:
        found = health.identify(paths.db_path(place.home))
        out.update(kind=found.kind, revision=found.revision)
        return out
    found = pg.identify(place.db)
    out.update(kind=found.kind, revision=found.revision)
    engine = pg.create_engine_for(place.db, pooled=False)
    try:
        with pg.connect(engine, place.db) as conn:
            out.update(pg.server_info(conn))
    finally:
        engine.dispose()
    return out


@dataclass
class MoveResult:
    target: str
    rows: dict[str, int]
    audit_records: int
    evidence_files: int
    evidence: str
    now_used: bool
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def migrate_to_server(
    home: Path, url: str, *, evidence_dir: Path | None = None, use_it: bool = False
) -> MoveResult:
    target = dbconfig.target_from(url, home)
    if not target.is_postgres:
        raise DatabaseError(
            "--to には PostgreSQL の URL を指定してください（postgresql+psycopg://…）",
            "--to needs a PostgreSQL URL (postgresql+psycopg://…)",
            where=url if target.path is None else str(target.path),
        )
    db = paths.db_path(home)
    if not db.is_file():
        raise DatabaseError(
            "移行するデータがありません（このデータフォルダにデータベースがありません）",
            "there is no data to migrate (no database in this data directory)",
            where=str(db),
        )
    source = dbconfig.Place(
        home=home, db=dbconfig.target_from("sqlite", home), evidence=paths.evidence_dir(home)
    )
    _check_source(source)
    found = pg.identify(target)
    if found.kind not in ("empty", "selfcheck", "legacy"):
        health.refuse_unusable(target.display, found)
    pg.migrate(target)
    store = evidence_dir.expanduser() if evidence_dir else paths.evidence_dir(home)
    dest = dbconfig.Place(home=home, db=target, evidence=store, source="option")
    rows, blobs = _copy_locked(source, dest)
    problems = _check_target(dest, rows)
    if problems:
        transfer.wipe(target)
        raise DatabaseError(
            f"移行先の検査で問題が見つかったため、移行先を空に戻しました: {problems[0]}",
            f"the copy failed its check, so the target was emptied again: {problems[0]}",
            where=target.display,
        )
    if use_it:
        dbconfig.write_config(
            home, dbconfig.config_for(dest, password_in_keyring=False, evidence=evidence_dir)
        )
    with open_workspace(home, place=dest) as ws:
        checked = verify_chain(ws).checked
    return MoveResult(target.display, rows, checked, blobs, str(store), use_it)


def _check_source(source: dbconfig.Place) -> None:
    with open_workspace(source.home, place=source) as ws:  # brings it to the current schema
        chain = verify_chain(ws)
        state = check_state(ws) if chain.ok else []
    if not chain.ok or state:
        first = chain.problem.message_ja if chain.problem else state[0].message_ja
        first_en = chain.problem.message_en if chain.problem else state[0].message_en
        raise DatabaseError(
            f"移行元の監査記録に問題があるため移行しません（{first}）。selfcheck audit verify で確かめてください",
            f"the source's audit trail has a problem, so it is not migrated ({first_en}); "
            "check with selfcheck audit verify",
            where=str(paths.db_path(source.home)),
        )


def _copy_locked(source: dbconfig.Place, dest: dbconfig.Place) -> tuple[dict[str, int], int]:
    """Copy rows and evidence with both sides locked exclusively (nobody writes either meanwhile)."""
    db = paths.db_path(source.home)
    try:
        lock = datalock.acquire(source.home, exclusive=True)
    except datalock.LockBusy:
        raise _in_use(str(source.home)) from None
    engine = pg.create_engine_for(dest.db, pooled=False)
    try:
        server_lock = pg.try_data_lock(engine, dest.db, exclusive=True)
        if server_lock is None:
            raise _in_use(dest.db.display)
        try:
            health.require_intact(db, full=True)
            rows = transfer.load_from_sqlite(db, dest.db, replace=False)
            blobs = _copy_evidence(source, dest)
        finally:
            server_lock.release()
    finally:
        engine.dispose()
        lock.release()
    return rows, blobs


def _copy_evidence(source: dbconfig.Place, dest: dbconfig.Place) -> int:
    """Every stored file the data references, copied (not moved: the source stays whole) into the
    target's store, hash-checked on the way; nothing to do when both are the same folder."""
    con = sqlite3.connect(paths.db_path(source.home))
    try:
        shas = [str(r[0]) for r in con.execute("SELECT sha256 FROM evidenceblob ORDER BY sha256")]
    finally:
        con.close()
    if dest.evidence == source.evidence:
        return len(shas)
    for sha in shas:
        src = blob_path(source.home, sha)
        got, _ = store_file(dest.evidence, src, max_bytes=1 << 62, shared=dest.shared_evidence)
        if got != sha:
            raise DatabaseError(
                f"証拠ファイル {sha[:16]}… の内容がハッシュと一致しません。selfcheck verify --evidence で確かめてください",
                f"evidence file {sha[:16]}… does not match its hash; check with selfcheck verify --evidence",
                where=str(src),
            )
    return len(shas)


def _check_target(dest: dbconfig.Place, rows: dict[str, int]) -> list[str]:
    with open_workspace(dest.home, place=dest) as ws:
        chain = verify_chain(ws)
        problems = [] if chain.ok else [chain.problem.message_ja if chain.problem else "audit"]
        problems += [p.message_ja for p in check_state(ws)] if chain.ok else []
        problems += [f"証拠 {p['sha256']}: {p['problem']}" for p in verify_store(ws)]
        if chain.checked != rows.get("auditrecord", 0):
            problems.append(f"監査記録 {chain.checked} 件（コピー {rows.get('auditrecord')} 件）")
    return problems


def _in_use(where: str) -> DataInUseError:
    return DataInUseError(
        "データは別の selfcheck が使用中です。すべての selfcheck を終了してから移行してください。何も変更していません",
        "the data is in use by another selfcheck; close every selfcheck and migrate again. Nothing was changed",
        where=where,
    )
