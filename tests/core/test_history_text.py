"""The audit trail in words (issue 11: 「状態 planned」 and raw JSON in the history): codes as labels, due
dates in 和暦, times in JST, recorded objects as 「項目 値」; `--json` keeps the machine values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck import audit, inspection
from selfcheck.audit import AuditView
from selfcheck.cli import main
from selfcheck.history_text import describe, value_text
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"


def _view(**kw: object) -> AuditView:
    base: dict[str, object] = {
        "id": 1,
        "at": "2026-11-23T01:00:00+00:00",
        "os_user": "u",
        "app_user": "山田",
        "action": "update",
        "entity": "improvement",
        "entity_id": "1/x",
        "field": "status",
        "old": "planned",
        "new": "done",
    }
    base.update(kw)
    return AuditView(**base)  # type: ignore[arg-type]


def test_an_improvement_status_change_reads_as_words() -> None:
    h = describe(_view())
    assert h.text == "改善策「状態」を 予定 → 完了 に変更"
    assert h.at == "令和8年11月23日 10:00"  # 01:00 UTC is 10:00 in Japan
    assert "planned" not in h.text and h.who == "山田"


@pytest.mark.parametrize(
    ("field", "value", "entity", "shown"),
    [
        ("value", "not_applicable", "answer", "該当しない"),
        ("needs_review", "true", "answer", "あり"),
        ("due_date", "2027-03-31", "improvement", "令和9年3月31日"),
        ("status", "final", "inspection", "確定（署名済み）"),
        ("status", "closed", "incident", "終結"),
        ("occurred_at", "2026-11-21T07:40:00+09:00", "incident", "令和8年11月21日 07:40"),
        ("step:search", "done", "incident", "完了"),
        (
            "triage",
            '{"over_100": "yes", "personal_info": "yes", "sensitive": "no"}',
            "incident",
            "回答 3 問（はい 2、いいえ 1）",
        ),
        (
            "",
            '{"org": "x", "fiscal_year": 2026, "items": 3, "from": null}',
            "inspection",
            "団体 x、年度 令和8年度（2026年度）、項目数 3、引継ぎ元 （なし）",
        ),
        ("comment", None, "answer", "（なし）"),
    ],
)
def test_values_in_words(field: str, value: str | None, entity: str, shown: str) -> None:
    assert value_text(field, value, entity=entity) == shown


def test_no_raw_json_or_codes_in_an_items_history(ws: Workspace) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="partial", comment="一部")
    inspection.set_improvement(ws, inspection_id=iid, item_id=item, action="直す", due_date="R9.3.31")
    inspection.set_improvement(
        ws, inspection_id=iid, item_id=item, action="直す", due_date="R9.3.31", status="done"
    )
    texts = [describe(r).text for r in audit.item_history(ws, iid, item)]
    joined = "\n".join(texts)
    assert "一部実施している" in joined and "令和9年3月31日" in joined and "予定 → 完了" in joined
    for raw in ("planned", "partial", "{", "2027-03-31", "+09:00"):
        assert raw not in joined, (raw, texts)


def test_audit_log_in_words_and_json_in_codes(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.set_improvement(ws, inspection_id=iid, item_id=item, action="直す", due_date="2027-03-31")
    h = ["--data-dir", str(ws.home)]
    assert main(["audit", "log", *h]) == 0
    out = capsys.readouterr().out
    assert "予定" in out and "令和9年3月31日" in out and '{"' not in out and "planned" not in out
    assert "+09:00" not in out and "T10:00" not in out
    assert main(["audit", "log", "--json", *h]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["new"] == "planned" for r in rows)  # machine values kept
