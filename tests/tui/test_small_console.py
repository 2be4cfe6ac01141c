"""A terminal smaller than 80×24 gets a Japanese message saying how to enlarge it (and recommending
Windows Terminal) instead of a broken screen; enlarging it brings back the screen that was there, and
keys pressed meanwhile do not reach the screen behind the message."""

from __future__ import annotations

from pathlib import Path

from selfcheck.tui.app import make_app
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.setup import SetupScreen
from selfcheck.tui.screens.too_small import TooSmallScreen
from selfcheck.workspace import Workspace
from tests.tui.conftest import CLOCK, ORG, screen_text, settle


async def test_small_console_at_start_shows_how_to_enlarge(prepared: Workspace) -> None:
    app = make_app(home=prepared.home, clock=CLOCK)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TooSmallScreen)
        text = screen_text(app)
        assert "画面が小さすぎます" in text
        assert "横 70 文字 × 縦 20 行" in text
        assert "横 80 文字 × 縦 24 行 以上" in text
        assert "Windows Terminal" in text
        # the message stays on top and swallows keys: "1" would otherwise open the inspection
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        # enlarging brings the home screen back, filled in by the worker that ran meanwhile
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "山田 花子さんとして記録します" in screen_text(app)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)


async def test_shrinking_below_80x24_shows_the_message_and_the_size_follows(prepared: Workspace) -> None:
    app = make_app(home=prepared.home, clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)  # exactly 80x24 is enough
        await pilot.resize_terminal(79, 24)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "横 79 文字 × 縦 24 行" in screen_text(app)
        await pilot.resize_terminal(79, 18)
        await pilot.pause()
        assert "横 79 文字 × 縦 18 行" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_screen_pushed_while_small_stays_behind_the_message(tmp_path: Path) -> None:
    # first run: the home screen pushes the setup screen after loading, while the console is small
    app = make_app(home=tmp_path / "home", clock=CLOCK)
    async with app.run_test(size=(60, 15)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert any(isinstance(s, SetupScreen) for s in app.screen_stack)
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)
        # the message left below the setup screen removes itself when setup closes: home comes next
        index = [o.id for o in app.screen.orgs].index(ORG)
        await pilot.press(*["down"] * index, "enter")
        await pilot.press(*"山田", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)


async def test_ctrl_q_quits_from_the_message(prepared: Workspace) -> None:
    app = make_app(home=prepared.home, clock=CLOCK)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
