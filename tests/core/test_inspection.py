"""Inspection use cases against a real database (the SQLite file, and a PostgreSQL server): answers,
who/when, improvements, carry-over, summary, finalisation, and hostile text."""

from __future__ import annotations

import pytest
from engines import Raw

from selfcheck import inspection, orgs, scale
from selfcheck.errors import FinalizedError, NotFoundError, SelfcheckError
from selfcheck.vocabulary import LAW_CLAUSE
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"
pytestmark = pytest.mark.engines


def _start(ws: Workspace, year: int = 2026, **kw: object) -> int:
    orgs.choose_org(ws, ORG)
    return inspection.start(ws, org_id=ORG, fiscal_year=year, **kw)  # type: ignore[arg-type]


def test_start_snapshots_the_bodys_checklist(ws: Workspace) -> None:
    iid = _start(ws)
    d = inspection.detail(ws, iid)
    expected = [i.id for i in orgs.checklist(ws, ORG)]
    assert [it.item_id for it in d.items] == expected
    assert all(it.value == "unanswered" for it in d.items)
    assert d.info.fiscal_year_label == "令和8年度（2026年度）"
    # every item cites a clause of the policy, except the law's duty to adopt and publish it
    assert all(
        it.clause.startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9")) or it.clause == LAW_CLAUSE
        for it in d.items
    )


def test_answer_is_durable_and_records_who_and_when(ws: Workspace, home: object) -> None:
    iid = _start(ws)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(
        ws, inspection_id=iid, item_id=item, value="partial", comment="一部の端末が未設定"
    )
    # read back with plain SQL on a connection of its own, as another process would
    with Raw(ws) as db:
        row = db.rows("SELECT value, comment, answered_by, answered_at FROM answer WHERE item_id=?", (item,))[
            0
        ]
    assert row == ("partial", "一部の端末が未設定", "山田 花子", "2026-11-23T10:00:00+09:00")


def test_unknown_item_and_bad_value_are_refused_without_change(ws: Workspace) -> None:
    iid = _start(ws)
    with pytest.raises(NotFoundError):
        inspection.record_answer(ws, inspection_id=iid, item_id="nope-99", value="implemented")
    with pytest.raises(SelfcheckError, match="not one of"):
        inspection.record_answer(
            ws, inspection_id=iid, item_id=inspection.detail(ws, iid).items[0].item_id, value="maybe"
        )
    assert inspection.summary(ws, iid).answered == 0


def test_summary_scores_4_2_0_and_excludes_not_applicable(ws: Workspace) -> None:
    iid = _start(ws)
    items = [it.item_id for it in inspection.detail(ws, iid).items][:4]
    for item, value in zip(
        items, ["implemented", "partial", "not_implemented", "not_applicable"], strict=True
    ):
        inspection.record_answer(ws, inspection_id=iid, item_id=item, value=value)
    s = inspection.summary(ws, iid)
    assert s.answered == 4
    assert s.rate == pytest.approx(100 * (4 + 2 + 0) / 12, abs=0.1)
    assert {g.item_id for g in s.gaps} == {items[1], items[2]}
    assert s.gaps_without_action == 2
    assert scale.rate({"not_applicable": 3}) is None


def test_improvement_owner_due_and_removal(ws: Workspace) -> None:
    iid = _start(ws)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="not_implemented")
    inspection.set_improvement(
        ws, inspection_id=iid, item_id=item, action="手順書を作る", owner="総務係長", due_date="2027/03/31"
    )
    imp = inspection.detail(ws, iid).items[0].improvement
    assert imp is not None and (imp.owner, imp.due_date) == ("総務係長", "2027-03-31")
    with pytest.raises(SelfcheckError, match="not a date"):
        inspection.set_improvement(ws, inspection_id=iid, item_id=item, action="x", due_date="来年")
    assert inspection.detail(ws, iid).items[0].improvement.due_date == "2027-03-31"  # type: ignore[union-attr]
    inspection.set_improvement(ws, inspection_id=iid, item_id=item, action="  ")
    assert inspection.detail(ws, iid).items[0].improvement is None


def test_carry_over_marks_needs_review_until_confirmed_or_answered(ws: Workspace) -> None:
    last = _start(ws, 2025)
    items = [it.item_id for it in inspection.detail(ws, last).items]
    inspection.record_answer(
        ws, inspection_id=last, item_id=items[0], value="partial", comment="昨年のコメント"
    )
    inspection.set_improvement(ws, inspection_id=last, item_id=items[0], action="昨年の改善策", owner="係長")
    inspection.record_answer(ws, inspection_id=last, item_id=items[1], value="implemented")
    now = inspection.start(ws, org_id=ORG, fiscal_year=2026, from_previous=last)
    d = {it.item_id: it for it in inspection.detail(ws, now).items}
    first = d[items[0]]
    assert first.needs_review and first.value == "partial" and first.comment == "昨年のコメント"
    assert first.previous is not None and first.previous.improvement == "昨年の改善策"
    assert first.improvement is not None and first.improvement.needs_review
    assert inspection.summary(ws, now).needs_review == 2
    inspection.confirm(ws, inspection_id=now, item_id=items[0])
    inspection.record_answer(ws, inspection_id=now, item_id=items[1], value="partial")
    d = {it.item_id: it for it in inspection.detail(ws, now).items}
    assert not d[items[0]].needs_review and not d[items[0]].improvement.needs_review  # type: ignore[union-attr]
    assert not d[items[1]].needs_review and d[items[1]].value == "partial"
    # last year's data is untouched
    assert {it.item_id: it.value for it in inspection.detail(ws, last).items}[items[1]] == "implemented"


def test_final_inspection_refuses_edits_and_revision_copies(ws: Workspace) -> None:
    iid = _start(ws)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="implemented", comment="確認済み")
    inspection.finalize(ws, iid)
    with pytest.raises(FinalizedError):
        inspection.record_answer(ws, inspection_id=iid, item_id=item, value="partial")
    rev = inspection.new_revision(ws, iid)
    assert inspection.info(ws, rev).revision == 2
    copied = inspection.detail(ws, rev).items[0]
    assert (copied.value, copied.comment) == ("implemented", "確認済み")
    inspection.record_answer(ws, inspection_id=rev, item_id=item, value="partial")
    assert inspection.detail(ws, iid).items[0].value == "implemented"


@pytest.mark.parametrize(
    "text",
    [
        "😀" * 5000,
        "右から左: שלום עולם مرحبا",
        "制御\x00文字\x07と\x1b[31mエスケープ",
        "長い" * 9000,
    ],
)
def test_hostile_text_is_stored_safely(ws: Workspace, text: str) -> None:
    iid = _start(ws)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="implemented", comment=text)
    stored = inspection.detail(ws, iid).items[0].comment
    assert "\x00" not in stored and "\x1b" not in stored and "\x07" not in stored
    assert stored.replace("[31m", "") == text.replace("\x00", "").replace("\x07", "").replace("\x1b[31m", "")


def test_too_long_text_is_refused_and_nothing_changes(ws: Workspace) -> None:
    iid = _start(ws)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="implemented", comment="元のコメント")
    with pytest.raises(SelfcheckError, match="too long"):
        inspection.record_answer(ws, inspection_id=iid, item_id=item, value="partial", comment="あ" * 20_001)
    it = inspection.detail(ws, iid).items[0]
    assert (it.value, it.comment) == ("implemented", "元のコメント")


def test_every_change_is_audited(ws: Workspace) -> None:
    iid = _start(ws)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="partial", comment="c")
    with Raw(ws) as db:
        rows = db.rows(
            "SELECT entity, entity_id, field, old, new, app_user FROM auditrecord WHERE entity='answer'"
        )
    assert ("answer", f"{iid}/{item}", "value", "unanswered", "partial", "山田 花子") in rows
    assert ("answer", f"{iid}/{item}", "comment", "", "c", "山田 花子") in rows
