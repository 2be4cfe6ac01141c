"""Fixtures for report tests: an inspection built through the core API with every kind of answer, long
comments with emoji, evidence files, paper notes and improvements, plus a previous inspection."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from selfcheck import evidence, inspection
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"
LONG = (
    (
        "職員への周知は年2回の研修で行っているが、臨時職員と会計年度任用職員には未実施の部分がある😀。"
        "次年度は e-ラーニングを導入し受講記録を残す。"
    )
    * 40
    + "https://example.jp/"
    + "x" * 150
)


@dataclass
class Prepared:
    ws: Workspace
    inspection_id: int
    previous_id: int
    item_ids: list[str]


def prepare(ws: Workspace, tmp: Path) -> Prepared:
    prev = inspection.start(ws, org_id=ORG, fiscal_year=2025)
    ids = [it.item_id for it in inspection.detail(ws, prev).items]
    assert len(ids) >= 5, "the bank has too few items for these tests"
    inspection.record_answer(ws, inspection_id=prev, item_id=ids[0], value="not_implemented")
    inspection.record_answer(ws, inspection_id=prev, item_id=ids[1], value="implemented")
    inspection.record_answer(ws, inspection_id=prev, item_id=ids[2], value="partial")
    cur = inspection.start(ws, org_id=ORG, fiscal_year=2026, from_previous=prev)
    values = ["implemented", "partial", "not_implemented", "not_applicable"]
    for n, value in enumerate(values):
        inspection.record_answer(
            ws,
            inspection_id=cur,
            item_id=ids[n],
            value=value,
            comment=LONG if n == 1 else f"コメント{n}",
            na_reason="該当する業務がない" if value == "not_applicable" else None,
        )
    inspection.set_improvement(
        ws,
        inspection_id=cur,
        item_id=ids[1],
        action="研修計画を見直し、受講記録を残す。",
        owner="総務課 情報係長",
        due_date="2027-03-31",
    )
    inspection.set_improvement(
        ws,
        inspection_id=cur,
        item_id=ids[2],
        action="体制表を改訂する。",
        owner="総務課長",
        due_date="2026-12-28",
    )
    for k in range(3):
        f = tmp / f"証跡{k}_体制表.txt"
        f.write_text(f"証跡ファイル {k}\n" * 50, encoding="utf-8")
        evidence.attach_file(ws, f, inspection_id=cur, item_id=ids[k], description=f"説明{k}")
    evidence.attach_paper(ws, "総務係 キャビネット2段目 令和8年度綴り", inspection_id=cur, item_id=ids[3])
    return Prepared(ws, cur, prev, ids)


@pytest.fixture
def prepared(ws: Workspace, tmp_path: Path) -> Prepared:
    src = tmp_path / "src"
    src.mkdir()
    return prepare(ws, src)
