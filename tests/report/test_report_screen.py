"""ReportScreen driven with Pilot: a draft report, then a signed one with the passphrase typed into the
dialog (no credential store here), checked through the core and with pyHanko."""

from __future__ import annotations

import asyncio
from pathlib import Path

from selfcheck import inspection
from selfcheck.signing import keystore
from selfcheck.signing.verify import verify_pdf
from selfcheck.tui.app import make_app
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.passphrase import PassphraseDialog
from selfcheck.tui.screens.report import ReportScreen
from tests.tui.conftest import CLOCK, settle

from .conftest import ORG, Prepared


async def test_report_screen_draft_then_signed_with_typed_passphrase(prepared: Prepared) -> None:
    ws = prepared.ws
    keystore.init_key(
        ws,
        org_id=ORG,
        name="山田 花子",
        role="管理者",
        passphrase=keystore.Passphrase(given="秘密のパスフレーズ"),
    )
    app = make_app(home=ws.home, actor="山田 花子", clock=CLOCK)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(app, pilot)
        screen = ReportScreen(prepared.inspection_id)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("m")
        await settle(app, pilot)
        assert screen.result is not None and not screen.result.signed
        draft = Path(screen.result.path)
        assert draft.is_file() and str(draft) in str(screen.query_one("#report-path").render())
        assert screen.progress_bar.progress == 100
        assert inspection.info(ws, prepared.inspection_id).status == "open"

        await pilot.press("w")  # sign: asks first, then the passphrase (no credential store here)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseDialog)
        await pilot.press(*"秘密のパスフレーズ", "enter")
        await settle(app, pilot)
        assert screen.result is not None and screen.result.signed
        assert inspection.info(ws, prepared.inspection_id).status == "final"
        # pyHanko's synchronous validation runs its own event loop: not inside Pilot's loop
        res = await asyncio.to_thread(verify_pdf, Path(screen.result.path), home=ws.home)
        assert res.valid
