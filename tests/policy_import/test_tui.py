"""The import wizard driven with Pilot from the real app's home screen: load a policy file (text, PDF,
Word), see the source line of each clause, change one topic, save only after confirming; a refused or cut
off file shows why and what is missing, and saves nothing."""

from __future__ import annotations

from pathlib import Path

from selfcheck import orgs
from selfcheck.tui.app import make_app
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.policy_import import PolicyImportScreen, TopicDialog
from selfcheck.workspace import Workspace
from tests.policy_import.formats import to_docx, to_pdf
from tests.tui.conftest import CLOCK, prepared, screen_text, settle  # noqa: F401  (fixture)

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"


async def _open(app, pilot, path: Path) -> PolicyImportScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("3")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, PolicyImportScreen)
    screen.query_one("#pi-path").value = str(path)
    await pilot.press("enter")
    await settle(app, pilot)
    return screen


def _imported(app) -> list[object]:  # type: ignore[no-untyped-def]
    return [o for o in orgs.list_orgs(app.ws) if o.source == "imported"]


async def test_wizard_load_correct_confirm_save(prepared: Workspace) -> None:  # noqa: F811
    home = prepared.home
    prepared.close()
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, DATA / "dai-fullwidth.txt")
        assert screen.draft is not None
        text = screen_text(app)
        assert "△△広域連合" in text and "2025-04-01" in text and "元の文書" in text
        # go to 6(6) 運用: its source line is shown and highlighted
        rows = [str(k.value) for k in screen.clauses.rows]
        await pilot.press(*["down"] * rows.index("6(6)"))
        await pilot.pause()
        row = screen.rows[screen.clauses.cursor_row]
        assert row.number == "6(6)" and row.line > 0
        assert "監視を行う" in str(screen.query_one("#pi-source").render()) or "運用" in str(
            screen.query_one("#pi-source").render()
        )
        await pilot.press("enter")  # Enter chooses, as everywhere (t is 連絡先 in the one keymap)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TopicDialog)
        keys = [o.id for o in dialog.query_one("#topics").options]
        dialog.query_one("#topics").highlighted = keys.index("human")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.draft.topics["6(6)"] == "human"
        screen.segments.deselect("lgwan")
        await pilot.pause()
        # Ctrl+S asks first; Esc saves nothing
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.saved_id is None and _imported(app) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert screen.saved_id is not None
        body_id = screen.saved_id
        listed = {o.id: o for o in orgs.list_orgs(app.ws)}
        assert body_id in listed and listed[body_id].name == "△△広域連合"
        prof = orgs.profile(app.ws, body_id)
        assert prof.clauses.get("operation") is None and prof.clauses["human"] == "6(4)"
        assert prof.segments == ["internet"]
        assert len(orgs.checklist(app.ws, body_id)) == listed[body_id].item_count > 0
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_wizard_reads_pdf_and_word(prepared: Workspace, tmp_path: Path) -> None:  # noqa: F811
    home = prepared.home
    prepared.close()
    text = (DATA / "reiki-kunrei.txt").read_text(encoding="utf-8")
    for name, data in (("p.pdf", to_pdf(text)), ("p.docx", to_docx(text))):
        path = tmp_path / name
        path.write_bytes(data)
        app = make_app(home=home, clock=CLOCK)
        async with app.run_test(size=(160, 50)) as pilot:
            screen = await _open(app, pilot, path)
            assert screen.draft is not None and screen.draft.name == "梅ヶ丘町"
            shown = screen_text(app)
            assert "梅ヶ丘町" in shown and ("PDF" in shown or "Word" in shown)
            assert "第1条" in shown or "第１条" in shown  # the source text beside the table
            assert screen.has_class("wide")


async def test_wizard_refused_and_incomplete_files_save_nothing(
    prepared: Workspace,  # noqa: F811
    tmp_path: Path,
) -> None:
    home = prepared.home
    prepared.close()
    text = (DATA / "reiki-kunrei.txt").read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("(情報セキュリティ対策)")], encoding="utf-8")
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, cut)
        assert screen.draft is None and screen.refusal is not None
        assert screen.refusal.reason == "incomplete"
        shown = screen_text(app)
        assert "取り込めません" in shown and "情報セキュリティ対策" in shown  # the missing part is named
        assert [r.number for r in screen.rows] == ["1", "2", "3", "4", "5"]  # what was read, with lines
        assert all(r.line > 0 for r in screen.rows)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        screen.query_one("#pi-path").value = str(DATA / "recipe.txt")
        screen.query_one("#pi-path").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.refusal is not None and screen.refusal.reason == "not_policy"
        assert "基本方針として読み取れません" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _imported(app) == []
