"""The shared dialogs: the confirmation asks with the cursor on 取消, and a form keeps what was typed
when the core refuses it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from selfcheck.errors import SelfcheckError
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.incident import ContactDialog


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def show_error(self, err: BaseException) -> None:  # the app's funnel, as SelfcheckApp has it
        self.results.append(err)


async def _confirm(*keys: str) -> object:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConfirmDialog("署名して確定", "確定すると変更できません。"), app.results.append)
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
    return app.results[-1] if app.results else None


async def test_confirm_enter_by_habit_changes_nothing() -> None:
    assert await _confirm("enter") is False


async def test_confirm_y_or_escape() -> None:
    assert await _confirm("y") is True
    assert await _confirm("escape") is False


async def test_contact_form_stays_open_with_what_was_typed_when_refused() -> None:
    app = Host()
    calls: list[dict[str, str]] = []

    def save(values: dict[str, str]) -> None:
        calls.append(values)
        if not values["phone"].replace("-", "").isdigit():
            raise SelfcheckError("電話番号の形式ではありません", "not a phone number")

    async with app.run_test(size=(100, 40)) as pilot:
        dialog = ContactDialog({"manager": "管理者"}, save=save)
        app.push_screen(dialog, app.results.append)
        await pilot.pause()
        dialog.query_one("#name", Input).value = "山田 太郎"
        dialog.query_one("#phone", Input).value = "でんわ"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # still open
        assert dialog.query_one("#name", Input).value == "山田 太郎"
        assert "電話番号の形式" in str(dialog.query_one("#form-error", Static).render())
        dialog.query_one("#phone", Input).value = "0834-00-0000"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not dialog
    assert len(calls) == 2 and app.results[-1]["phone"] == "0834-00-0000"  # type: ignore[index]
