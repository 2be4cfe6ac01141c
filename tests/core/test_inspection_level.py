"""An inspection starts with the 基本 items only or with 全項目 (基本＋詳細): the choice is stored on the
inspection row (migration 0003), limits the snapshot, carries into revisions and comes back in `info`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from selfcheck import inspection, orgs
from selfcheck.errors import SelfcheckError
from selfcheck.vocabulary import ALL_ITEMS, CORE
from selfcheck.workspace import Workspace, open_workspace

ORG = "abira-cho"


def _start(ws: Workspace, **kw: object) -> int:
    orgs.choose_org(ws, ORG)
    return inspection.start(ws, org_id=ORG, fiscal_year=2026, **kw)  # type: ignore[arg-type]


def test_core_inspection_snapshots_only_the_core_items(ws: Workspace) -> None:
    iid = _start(ws, level=CORE)
    info = inspection.info(ws, iid)
    assert info.level == CORE
    core = [it.id for it in orgs.checklist(ws, ORG, level=CORE)]
    assert [it.item_id for it in inspection.detail(ws, iid).items] == core
    assert info.item_count == len(core) < len(orgs.checklist(ws, ORG))
    # positions are those of the core list (1..n), so the screens count 1/64, not 1/170
    assert [it.position for it in inspection.detail(ws, iid).items] == list(range(1, len(core) + 1))


def test_full_inspection_is_the_default(ws: Workspace) -> None:
    iid = _start(ws)
    assert inspection.info(ws, iid).level == ALL_ITEMS
    assert inspection.info(ws, iid).item_count == len(orgs.checklist(ws, ORG))


def test_unknown_level_is_refused_before_anything_is_written(ws: Workspace) -> None:
    with pytest.raises(SelfcheckError) as err:
        _start(ws, level="詳細")
    assert "点検の範囲" in err.value.message_ja
    assert inspection.list_inspections(ws) == []


def test_core_inspection_carries_over_only_its_items(ws: Workspace) -> None:
    full = _start(ws, level=ALL_ITEMS)
    items = inspection.detail(ws, full).items
    detail_item = next(
        it.item_id for it in items if it.item_id not in {c.id for c in orgs.checklist(ws, ORG, level=CORE)}
    )
    core_item = items[0].item_id
    for item in (core_item, detail_item):
        inspection.record_answer(ws, inspection_id=full, item_id=item, value="partial")
        inspection.set_improvement(ws, inspection_id=full, item_id=item, action="手順書を作る")
    new = inspection.start(ws, org_id=ORG, fiscal_year=2027, from_previous=full, level=CORE)
    by_id = {it.item_id: it for it in inspection.detail(ws, new).items}
    assert detail_item not in by_id
    assert by_id[core_item].value == "partial" and by_id[core_item].needs_review
    assert by_id[core_item].improvement is not None


def test_revision_keeps_the_level(ws: Workspace) -> None:
    iid = _start(ws, level=CORE)
    inspection.finalize(ws, iid)
    rev = inspection.new_revision(ws, iid)
    assert inspection.info(ws, rev).level == CORE
    assert inspection.info(ws, rev).item_count == inspection.info(ws, iid).item_count


def test_level_is_audited(ws: Workspace) -> None:
    from sqlmodel import select

    from selfcheck.models.tables import AuditRecord

    iid = _start(ws, level=CORE)
    with ws.read() as s:
        rec = s.exec(
            select(AuditRecord).where(AuditRecord.entity == "inspection", AuditRecord.entity_id == str(iid))
        ).first()
    assert rec is not None and '"level": "基本"' in (rec.new or "")


def test_migration_0003_gives_existing_inspections_every_item(tmp_path: Path) -> None:
    """A database written before levels existed (schema 0002) is upgraded at start; its inspections took
    every item, so they read as 全項目."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    home = tmp_path / "home"
    home.mkdir()
    db = home / "selfcheck.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", "selfcheck.models:migrations")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.commit()
    engine.dispose()
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO organization (id, name, source, created_at) VALUES ('abira-cho', '安平町', 'builtin', '2026')"
    )
    con.execute(
        "INSERT INTO inspection (org_id, fiscal_year, title, status, revision, created_at, created_by) "
        "VALUES ('abira-cho', 2025, '令和7年度', 'final', 1, '2026-03-01T00:00:00+09:00', '鈴木')"
    )
    con.commit()
    assert "level" not in {r[1] for r in con.execute("PRAGMA table_info(inspection)")}
    con.close()
    ws = open_workspace(home)
    try:
        [old] = inspection.list_inspections(ws)
        assert old.level == ALL_ITEMS and old.title == "令和7年度"
    finally:
        ws.close()
