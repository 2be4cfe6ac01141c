"""The import wizard driven with Pilot from the real app's home screen: load a policy file, change one
topic, save; the body then appears in orgs.list_orgs and its checklist follows the correction."""

from __future__ import annotations

from pathlib import Path

from selfcheck import orgs
from selfcheck.tui.app import make_app
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.policy_import import PolicyImportScreen, TopicDialog
from selfcheck.workspace import Workspace
from tests.tui.conftest import CLOCK, prepared, screen_text, settle  # noqa: F401  (fixture)

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"


async def test_wizard_load_correct_save(prepared: Workspace) -> None:  # noqa: F811
    home = prepared.home
    prepared.close()
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PolicyImportScreen)
        screen.query_one("#pi-path").value = str(DATA / "dai-fullwidth.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.draft is not None
        text = screen_text(app)
        assert "△△広域連合" in text and "2025-04-01" in text
        # go to 6(6) 運用 and make it 人的セキュリティ instead
        rows = [str(k.value) for k in screen.clauses.rows]
        await pilot.press(*["down"] * rows.index("6(6)"))
        await pilot.pause()
        assert "監視を行う" in str(screen.query_one("#pi-preview").render())
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TopicDialog)
        keys = [o.id for o in dialog.query_one("#topics").options]
        dialog.query_one("#topics").highlighted = keys.index("human")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.draft.topics["6(6)"] == "human"
        # untick LGWAN接続系
        screen.segments.deselect("lgwan")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.saved_id is not None
        body_id = screen.saved_id
        ws = app.ws
        assert ws is not None
        listed = {o.id: o for o in orgs.list_orgs(ws)}
        assert body_id in listed and listed[body_id].name == "△△広域連合"
        prof = orgs.profile(ws, body_id)
        assert prof.clauses.get("operation") is None and prof.clauses["human"] == "6(4)"
        assert prof.segments == ["internet"]
        assert len(orgs.checklist(ws, body_id)) == listed[body_id].item_count > 0
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_wizard_bad_file_shows_reason_and_saves_nothing(prepared: Workspace) -> None:  # noqa: F811
    home = prepared.home
    prepared.close()
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PolicyImportScreen)
        screen.query_one("#pi-path").value = str(DATA / "recipe.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert "基本方針として読み取れません" in screen_text(app)
        await pilot.press("enter")  # close the error dialog
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.draft is None
        assert [o for o in orgs.list_orgs(app.ws) if o.source == "imported"] == []
