"""Carry-over (要再確認 and confirm), the filter, the key list, bad evidence paths, the item history and
both terminal sizes. Data is prepared through the core; effects are checked through the core."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from selfcheck import inspection, settings
from selfcheck.tui.app import make_app
from selfcheck.tui.dialogs.error import ErrorDialog
from selfcheck.tui.dialogs.evidence import EvidenceDialog
from selfcheck.tui.dialogs.help import HelpScreen
from selfcheck.tui.dialogs.start_inspection import StartInspectionDialog
from selfcheck.tui.screens.history import HistoryScreen
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.inspection import InspectionScreen
from selfcheck.workspace import Workspace
from tests.tui.conftest import CLOCK, ORG, screen_text, settle


def _open(ws: Workspace, iid: int, item_id: str | None = None) -> None:
    """Make the next start resume inside inspection `iid` (what quitting there leaves behind)."""
    settings.set_(ws, "ui.last_inspection", iid)
    settings.set_(ws, "ui.screen", "inspection")
    if item_id:
        settings.set_(ws, f"ui.cursor.{iid}", {"item": item_id, "filter": "all"})


async def test_carry_over_shows_previous_answer_and_confirm_clears_review(prepared: Workspace) -> None:
    ws = prepared
    prev = inspection.start(ws, org_id=ORG, fiscal_year=2025)
    items = inspection.detail(ws, prev).items
    a, b = items[0].item_id, items[1].item_id
    inspection.record_answer(ws, inspection_id=prev, item_id=a, value="partial", comment="昨年のコメント")
    inspection.set_improvement(ws, inspection_id=prev, item_id=a, action="昨年の改善策", owner="係長")
    inspection.record_answer(ws, inspection_id=prev, item_id=b, value="implemented")

    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("4")  # 新しい年度の自己点検を始める
        await pilot.pause()
        assert isinstance(app.screen, StartInspectionDialog)
        text = screen_text(app)
        assert "前回（令和7年度）の回答を引き継ぐ" in text
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        new = screen.inspection_id
        assert new != prev
        assert screen.current == a
        text = screen_text(app)
        assert "要再確認" in text and "前回（令和7年度）" in text
        assert "昨年のコメント" in text and "昨年の改善策" in text
        await pilot.press("y")  # confirm as it was
        await pilot.pause()
        await pilot.press("down", "3")  # answer b anew: also clears 要再確認
        await pilot.pause()
    by_id = {it.item_id: it for it in inspection.detail(ws, new).items}
    assert by_id[a].value == "partial" and not by_id[a].needs_review
    assert by_id[a].improvement is not None and not by_id[a].improvement.needs_review
    assert by_id[b].value == "not_implemented" and not by_id[b].needs_review
    assert by_id[a].answered_by == "山田 花子"


async def test_filter_cycles_and_help_lists_keys(prepared: Workspace) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    items = inspection.detail(ws, iid).items
    inspection.record_answer(ws, inspection_id=iid, item_id=items[0].item_id, value="implemented")
    inspection.record_answer(ws, inspection_id=iid, item_id=items[1].item_id, value="not_implemented")
    _open(ws, iid)
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        assert len(screen.shown_ids) == len(items)
        await pilot.press("slash")
        assert screen.filter == "unanswered"
        assert screen.shown_ids == [it.item_id for it in items[2:]]
        await pilot.press("slash")
        assert screen.filter == "gaps" and screen.shown_ids == [items[1].item_id]
        assert screen.current == items[1].item_id
        await pilot.press("slash")
        assert screen.filter == "review" and screen.shown_ids == []
        assert "該当する項目はありません" in screen_text(app)
        await pilot.press("1")  # nothing under the cursor: nothing happens
        await pilot.press("slash")
        assert screen.filter == "all" and len(screen.shown_ids) == len(items)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "この画面のキー" in screen_text(app)
        described = " ".join(text for _keys, text in app.screen.rows)
        for words in ("絞込", "コメント", "証拠", "改善策", "集計", "履歴", "前回のまま", "終了"):
            assert words in described, words
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    assert inspection.summary(ws, iid).answered == 2


@pytest.mark.parametrize("kind", ["missing", "directory"])
async def test_bad_evidence_path_shows_message_and_changes_nothing(
    prepared: Workspace, tmp_path: Path, kind: str
) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    first = inspection.detail(ws, iid).items[0].item_id
    _open(ws, iid, first)
    bad = tmp_path / "ない.pdf" if kind == "missing" else tmp_path
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        dialog.query_one("#path").value = f'"{bad}"'  # pasted with quotes, as Windows copies paths
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog  # still open, the user can correct the path
        message = str(dialog.query_one("#path-error").render())
        expected = "ファイルが見つかりません" if kind == "missing" else "フォルダは添付できません"
        assert expected in message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)
    assert inspection.detail(ws, iid).items[0].evidence == ()
    assert not any(p.is_file() for p in (ws.home / "evidence").rglob("*"))


async def test_core_error_goes_to_the_error_dialog_and_history_lists_changes(prepared: Workspace) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    first = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=first, value="partial", comment="一回目")
    inspection.set_improvement(ws, inspection_id=iid, item_id=first, action="手順書を作る")
    _open(ws, iid, first)
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert {r[1] for r in rows} == {"山田 花子"}
        changes = {(r[2], r[4], r[6]) for r in rows}
        assert ("回答", "回答", "一部実施している") in changes
        assert ("回答", "コメント", "一回目") in changes
        assert ("改善策", "改善策", "手順書を作る") in changes
        await pilot.press("escape")
        await pilot.pause()
        inspection.finalize(ws, iid)  # signed elsewhere: now any change must be refused
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert "確定" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)
    assert inspection.detail(ws, iid).items[0].value == "partial"


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_item_screen_is_readable_at_both_sizes(prepared: Workspace, size: tuple[int, int]) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    item = next(it for it in inspection.detail(ws, iid).items if it.item_id == "org-01")
    _open(ws, iid, item.item_id)
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, InspectionScreen)
        text = screen_text(app)
        assert f"「{item.clause} {item.clause_title}」" in text
        assert "確認方法" in text and item.how_to_check[:12] in text
        assert item.guideline_ref in text
        assert "回答" in text and "証拠" in text
        await pilot.press("s")
        await pilot.pause()
        assert "実施率" in screen_text(app)


async def test_unopenable_data_directory_shows_japanese_error_not_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    app = make_app(home=blocker / "home", clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "データフォルダを作成できません" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "データを開けませんでした" in screen_text(app)
        assert app.ws is None


async def test_unexpected_error_is_logged_and_shown_generically(
    prepared: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    _open(ws, iid)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("simulated bug")

    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(inspection, "record_answer", broken)  # a bug inside the core call
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        text = screen_text(app)
        assert "予期しないエラー" in text and "simulated bug" not in text
    logs = list((ws.home / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "simulated bug" in logs[0].read_text(encoding="utf-8")


async def test_next_open_jumps_to_the_next_unanswered_item(prepared: Workspace) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    items = [it.item_id for it in inspection.detail(ws, iid).items]
    for item in items[1:4]:
        inspection.record_answer(ws, inspection_id=iid, item_id=item, value="implemented")
    _open(ws, iid, items[0])
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InspectionScreen) and screen.current == items[0]
        await pilot.press("1")  # answer the first; the cursor stays for a comment or evidence
        await settle(app, pilot)
        assert screen.current == items[0]
        await pilot.press("n")  # items 1-3 are answered: the next open one is item 4
        await pilot.pause()
        assert screen.current == items[4]


async def test_start_dialog_offers_the_core_set_or_all_items(prepared: Workspace) -> None:
    """A first inspection defaults to 基本 (with both counts shown); ↑↓ and Enter in the choice switch to
    全項目, and the inspection starts with every item. At 80×24 the whole dialog is on screen."""
    from selfcheck import orgs

    ws = prepared
    core = len(orgs.checklist(ws, ORG, level="基本"))
    full = len(orgs.checklist(ws, ORG))
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, StartInspectionDialog)
        text = screen_text(app)
        assert f"基本項目のみ　{core}項目" in text and f"全項目（基本＋詳細）　{full}項目" in text
        assert f"基本項目のみ　{core}項目で始めます" in text
        assert "開始" in text and "取消" in text  # nothing cut off at 80×24
        await pilot.press("tab", "down", "enter")  # from the year field into the choice, to 全項目, select it
        await pilot.pause()
        assert f"全項目（基本＋詳細）　{full}項目で始めます" in screen_text(app)
        await pilot.click("#save")
        await settle(app, pilot)
        assert isinstance(app.screen, InspectionScreen)
        iid = app.screen.inspection_id
    info = inspection.info(ws, iid)
    assert (info.level, info.item_count) == ("全項目", full)


async def test_start_dialog_defaults_to_last_years_level(prepared: Workspace) -> None:
    ws = prepared
    prev = inspection.start(ws, org_id=ORG, fiscal_year=2025, level="全項目")
    inspection.finalize(ws, prev)
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, StartInspectionDialog)
        text = screen_text(app)
        assert "全項目（基本＋詳細）" in text and "前回（令和7年度）の回答を引き継ぐ" in text
        assert "開始" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, InspectionScreen)
        assert inspection.info(ws, app.screen.inspection_id).level == "全項目"
