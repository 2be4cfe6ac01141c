"""Helpers for the TUI tests: a fixed clock, a prepared data directory, and `settle()`, which waits for
thread workers (workspace opening, state loading, evidence copies) and the messages they post."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from selfcheck.clock import JST, fixed_clock
from selfcheck.workspace import Workspace, open_workspace

NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=JST)
CLOCK = fixed_clock(NOW)
ORG = "shunan-eisei"


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    """Workers may start further workers (open workspace -> load home state); wait a few rounds."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def prepared(tmp_path: Path) -> Iterator[Workspace]:
    """A data directory where the body and the name are already chosen (setup is done)."""
    from selfcheck import orgs, settings

    ws = open_workspace(tmp_path / "home", actor="山田 花子", clock=CLOCK)
    orgs.choose_org(ws, ORG)
    settings.set_(ws, "actor", "山田 花子")
    yield ws
    ws.close()


def screen_text(app: Any) -> str:
    """The visible screen as text (from the SVG screenshot; spaces are encoded there)."""
    import html
    import re

    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(parts)).replace("\xa0", " ")
