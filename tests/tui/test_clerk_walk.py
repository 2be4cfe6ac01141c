"""What the clerk's walk through the merged TUI turned up, each driven with Pilot and checked through the
core: after `selfcheck demo` only the name is asked; a signed year is changed through a new 版 from the
start dialog; the key set-up can keep the passphrase out of the credential store; a 覚知日時 the core
cannot read keeps its dialog open; r on an answered item does not open a 理由 form; the glance knows
which inspection the clerk left the program in."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Input

from selfcheck import glance, inspection, orgs, settings
from selfcheck.demo import ensure_demo
from selfcheck.incident import cases, queries
from selfcheck.signing import keystore
from selfcheck.tui.app import make_app
from selfcheck.tui.dialogs.start_inspection import StartInspectionDialog
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.incident import IncidentScreen
from selfcheck.tui.screens.incident_home import IncidentHomeScreen
from selfcheck.tui.screens.inspection import InspectionScreen
from selfcheck.tui.screens.keys import KeySetupScreen
from selfcheck.tui.screens.report import ReportScreen
from selfcheck.tui.screens.setup import SetupScreen
from selfcheck.workspace import Workspace, open_workspace
from tests.tui.conftest import CLOCK, ORG, screen_text, settle
from tests.tui.test_screens import _open


async def test_after_the_demo_only_the_name_is_asked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home, clock=CLOCK)
    demo = ensure_demo(ws, ORG, with_incident=False)
    ws.close()
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        setup = app.screen
        assert isinstance(setup, SetupScreen) and setup.name_only
        text = screen_text(app)
        assert "お名前を入力してください" in text and "周南地区衛生施設組合" in text and "デモデータ" in text
        assert app.focused is setup.query_one("#name", Input)  # typing goes straight into the name
        await pilot.press(*"佐藤 一郎", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "佐藤 一郎さんとして記録します" in screen_text(app) and "回答" in screen_text(app)
        ws = app.ws
        assert ws is not None
        assert settings.get(ws, "actor") == "佐藤 一郎" and orgs.current_org(ws) == ORG
        listed = {i.id for i in inspection.list_inspections(ws, org_id=ORG)}
        assert demo.inspection_id in listed


async def test_a_signed_year_is_revised_from_the_start_dialog(prepared: Workspace) -> None:
    ws = prepared
    signed = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    inspection.finalize(ws, signed)
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1")  # no open inspection: 1 starts one; the dialog proposes 2027
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StartInspectionDialog)
        await pilot.press(*"R8")
        await pilot.pause()
        assert "署名済みで確定しています" in screen_text(app) and "新しい版を作る" in screen_text(app)
        assert dialog.query_one("#save", Button).disabled  # never a second 令和8年度
        dialog.query_one("#revise", Button).press()
        await settle(app, pilot)
        assert isinstance(app.screen, InspectionScreen)
        revised = app.screen.inspection_id
    info = inspection.info(ws, revised)
    assert (info.fiscal_year, info.status, info.revision, info.revision_of) == (2026, "open", 2, signed)


async def test_key_set_up_can_keep_the_passphrase_out_of_the_store(
    prepared: Workspace, mem_keyring: object
) -> None:
    ws = prepared
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await pilot.pause()
        keys = app.screen
        assert isinstance(keys, KeySetupScreen) and keys.store
        remember = keys.query_one("#remember", Checkbox)
        assert remember.display and remember.value  # a store exists: the clerk chooses, default keep
        remember.value = False
        keys.query_one("#passphrase", Input).value = "ひみつのあいことば"
        keys.query_one("#again", Input).value = "ひみつのあいことば"
        keys.query_one("#again", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert "証明書の指紋" in screen_text(app)
    assert mem_keyring.store == {}  # type: ignore[attr-defined]
    assert keystore.readiness(ws).state == "ask"


async def test_an_unreadable_detection_time_keeps_the_dialog_open(prepared: Workspace) -> None:
    ws = prepared
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(IncidentHomeScreen())
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")  # the first kind of incident
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextInputDialog)
        assert dialog.query_one(Input).value == "令和8年11月23日 10:00"  # now, as a clerk writes it
        dialog.query_one(Input).value = "きのうの夕方"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "日時として読めません" in screen_text(app)
        assert queries.list_incidents(ws) == []
        dialog.query_one(Input).value = "R8.11.22 17:30"
        await pilot.press("enter")
        await settle(app, pilot)
        assert any(isinstance(s, IncidentScreen) for s in app.screen_stack)  # then its triage questions
    (opened,) = queries.list_incidents(ws)
    assert opened.detected_at.startswith("2026-11-22T17:30:00+09:00")


async def test_reason_key_on_an_answered_item_explains_instead_of_opening_a_form(prepared: Workspace) -> None:
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    first = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=first, value="implemented")
    _open(ws, iid, first)
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen  # no 理由 form for an item answered 実施している
        messages = [n.message for n in app._notifications]
        assert any("4（該当しない）と回答した項目" in m for m in messages)


@pytest.mark.parametrize("where", ["inspection", "home"])
def test_the_glance_knows_where_the_clerk_left(prepared: Workspace, where: str) -> None:
    """The home shows 「前回の続き…を開いています」 instead of its menu while the inspection reopens."""
    ws = prepared
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    _open(ws, iid)
    settings.set_(ws, "ui.screen", where)
    g = glance.home_glance(ws.home)
    assert g is not None and g.resume == (iid if where == "inspection" else None)


async def test_an_incident_report_is_signed_not_finalised(prepared: Workspace) -> None:
    """w means the same on both report screens; only the inspection's signing finalises, so the
    incident's footer (and its key list) says 署名して作成."""
    ws = prepared
    iid = cases.open_incident(ws, org_id=ORG, playbook_id="lost-stolen", detected_at="R8.11.21 16:40")
    app = make_app(home=ws.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(ReportScreen(iid, kind="incident"))
        await pilot.pause()
        text = screen_text(app)
        assert "w 署名して作成" in text and "署名して確定" not in text
        assert "インシデント報告書" in text
