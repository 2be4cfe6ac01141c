"""The traps and dead ends of issue 11, each driven as a clerk would with Pilot and checked through the
core: answer keys never open a dialog, the start dialog never makes a second inspection of a year,
deleting a contact and signing ask first (signing with the counts of what is left), a key can be set up
from the report screen and a signing failure says why, the incident's words are editable on its screen,
the filter keeps the cursor, and the key list scrolls at 80×24."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Input

from selfcheck import inspection
from selfcheck.errors import SelfcheckError
from selfcheck.incident import cases, contacts, queries
from selfcheck.signing import keystore
from selfcheck.tui.app import make_app
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.help import HelpScreen
from selfcheck.tui.dialogs.incident import FieldsDialog
from selfcheck.tui.dialogs.passphrase import PassphraseDialog
from selfcheck.tui.dialogs.start_inspection import StartInspectionDialog
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.screens.contacts import ContactsScreen
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.incident import IncidentScreen
from selfcheck.tui.screens.inspection import InspectionScreen
from selfcheck.tui.screens.keys import KeySetupScreen
from selfcheck.tui.screens.report import ReportScreen
from selfcheck.workspace import Workspace
from tests.tui.conftest import CLOCK, ORG, screen_text, settle
from tests.tui.test_screens import _open


async def test_answer_keys_never_open_a_dialog(prepared: Workspace) -> None:
    """「n1n3n1n4」 typed quickly answers four items; nothing swallows the keys."""
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    ids = [it.item_id for it in inspection.detail(ws, iid).items]
    _open(ws, iid, ids[0])
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        await pilot.press("1", "n", "3", "n", "2", "n", "4")
        await pilot.pause()
        assert app.screen is screen  # no 改善策 or 理由 dialog opened by itself
        text = screen_text(app)
        assert "該当しない理由を r で入力してください" in text
    values = [it.value for it in inspection.detail(ws, iid).items[:4]]
    assert values == ["implemented", "not_implemented", "partial", "not_applicable"]


async def test_start_dialog_proposes_next_year_and_opens_an_existing_one(prepared: Workspace) -> None:
    ws = prepared
    last = inspection.start(ws, org_id=ORG, fiscal_year=2026)  # the current fiscal year already exists
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("4")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StartInspectionDialog)
        fy = dialog.query_one("#fy", Input)
        assert fy.value == "2027" and app.focused is fy  # next year, cursor in the year field
        assert "令和9年度（2027年度）" in screen_text(app)
        await pilot.press(*"2026")  # the proposal is selected: typing replaces it
        await pilot.pause()
        assert fy.value == "2026"
        assert "実施中です" in screen_text(app) and "この点検を開く" in screen_text(app)
        await pilot.press("enter")  # Enter opens the existing inspection, never a second one
        await settle(app, pilot)
        assert isinstance(app.screen, InspectionScreen) and app.screen.inspection_id == last
    assert [i.fiscal_year for i in inspection.list_inspections(ws, org_id=ORG)] == [2026]


async def test_start_refused_by_the_core_offers_to_open(
    prepared: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the core refuses (another PC started the year meanwhile), the dialog says so and opens it."""
    ws = prepared
    other = inspection.start(ws, org_id=ORG, fiscal_year=2025)

    class Exists(SelfcheckError):
        inspection_id = other

    def refuse(*_a: object, **_k: object) -> int:
        raise Exists("令和8年度の自己点検はすでに実施中です", "exists")

    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(inspection, "start", refuse)
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartInspectionDialog)
        assert "すでに実施中です" in screen_text(app)
        await pilot.press("enter")  # the focus is on 「この点検を開く」
        await settle(app, pilot)
        assert isinstance(app.screen, InspectionScreen) and app.screen.inspection_id == other


async def test_deleting_a_contact_asks_first(prepared: Workspace) -> None:
    ws = prepared
    contacts.add_contact(ws, ORG, role="manager", name="田中 誠", phone="0834-55-0101")
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(ContactsScreen(ORG))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "田中 誠" in screen_text(app)
        await pilot.press("enter")  # 取消 has the focus: an Enter by habit deletes nothing
        await pilot.pause()
        assert len(contacts.list_contacts(ws, ORG)) == 1
        await pilot.press("x", "y")
        await pilot.pause()
    assert contacts.list_contacts(ws, ORG) == []


async def test_signing_warns_with_counts_and_sets_up_a_key_from_the_screen(prepared: Workspace) -> None:
    """Fresh install: w offers the key set-up, the key is made there, then signing asks first with the
    counts of 未回答 and 要再確認 items, and the passphrase (no credential store here)."""
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    items = inspection.detail(ws, iid).items
    inspection.record_answer(ws, inspection_id=iid, item_id=items[0].item_id, value="implemented")
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        screen = ReportScreen(iid)
        app.push_screen(screen)
        await pilot.pause()
        assert "署名用の鍵：まだありません" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "鍵を作成する" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        keys = app.screen
        assert isinstance(keys, KeySetupScreen)
        keys.query_one("#role", Input).value = "総務課長"
        keys.query_one("#passphrase", Input).value = "ひみつのあいことば"
        keys.query_one("#again", Input).value = "ひみつのあいことば"
        keys.query_one("#again", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "証明書の指紋" in text
        cert = keystore.show(ws)
        assert cert is not None and cert.common_name == "山田 花子" and cert.title == "総務課長"
        assert cert.fingerprint[:4].upper() in text
        await pilot.press("escape")  # back: signing continues where it was
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert f"未回答が{len(items) - 1}件" in text and "要再確認が0件" in text
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseDialog)
        await pilot.press(*"ちがうことば", "enter")  # a wrong passphrase: the screen says why
        await settle(app, pilot)
        await pilot.press("enter")  # close the error dialog
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert "パスフレーズが違う" in screen_text(
            app
        )  # the status line says why, not only 「できませんでした」
        assert inspection.info(ws, iid).status == "open"


async def test_incident_words_are_editable_on_its_screen(prepared: Workspace) -> None:
    ws = prepared
    iid = cases.open_incident(
        ws, org_id=ORG, playbook_id="lost-stolen", detected_at="2026-11-21T16:40:00+09:00"
    )
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(IncidentScreen(iid))
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        await pilot.press("enter")  # 件名
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        app.screen.query_one(Input).value = "会議資料入りUSBメモリの紛失"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)  # back in the list for the next field
        await pilot.press("down", "down", "enter")  # 発生日時
        await pilot.pause()
        app.screen.query_one(Input).value = "2026-11-21 15:30"  # typed without a zone: Japan time
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        assert "会議資料入りUSBメモリの紛失" in screen_text(app)
    d = queries.detail(ws, iid)
    assert d.incident.title == "会議資料入りUSBメモリの紛失"
    assert d.occurred_at is not None and d.occurred_at.startswith("2026-11-21T15:30")


async def test_filter_keeps_the_cursor_on_the_same_item(prepared: Workspace) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    ids = [it.item_id for it in inspection.detail(ws, iid).items]
    inspection.record_answer(ws, inspection_id=iid, item_id=ids[0], value="implemented")
    _open(ws, iid, ids[3])
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InspectionScreen) and screen.current == ids[3]
        await pilot.press("slash")  # 未回答: item 3 is still listed
        await pilot.pause()
        assert screen.filter == "unanswered" and screen.current == ids[3]
        await pilot.press("slash", "slash", "slash")  # 要改善 (none), 要再確認 (none), back to 全項目
        await pilot.pause()
        assert screen.filter == "all" and screen.current == ids[3]


async def test_key_list_is_complete_and_scrolls_at_80x24(prepared: Workspace) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    _open(ws, iid)
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroller = app.screen.query_one("#help-keys", VerticalScroll)
        assert app.focused is scroller
        await pilot.press("end")
        await pilot.pause()
        assert scroller.scroll_y > 0
        assert "作成したPDFを印刷する" in screen_text(app)  # the last row of the keymap
