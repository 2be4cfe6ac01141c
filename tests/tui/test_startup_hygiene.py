"""Start-up stays light: importing the app and every screen, dialog and widget of the self-inspection
flow must not load the database, PDF, signing, keyring or checklist-loading stacks (they are imported
in the worker after the first paint). Runs in a fresh interpreter so other tests cannot mask it."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "selfcheck.tui.app",
    "selfcheck.tui.screens.home",
    "selfcheck.tui.screens.setup",
    "selfcheck.tui.screens.inspection",
    "selfcheck.tui.screens.summary",
    "selfcheck.tui.screens.history",
    "selfcheck.tui.dialogs.error",
    "selfcheck.tui.dialogs.help",
    "selfcheck.tui.dialogs.text_input",
    "selfcheck.tui.dialogs.improvement",
    "selfcheck.tui.dialogs.evidence",
    "selfcheck.tui.dialogs.start_inspection",
    "selfcheck.tui.widgets.item_card",
    "selfcheck.tui.widgets.lists",
    "selfcheck.tui.widgets.labels",
]
HEAVY = ["sqlmodel", "sqlalchemy", "alembic", "reportlab", "pyhanko", "keyring", "pydantic", "yaml"]


def test_tui_modules_do_not_import_heavy_stacks() -> None:
    code = (
        f"import importlib, sys\nfor m in {MODULES!r}: importlib.import_module(m)\n"
        f"print(' '.join(h for h in {HEAVY!r} if h in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
