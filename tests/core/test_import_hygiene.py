"""Start-up stays fast: importing the CLI must not pull in the heavy libraries (sqlmodel ≈ 350 ms,
pyhanko ≈ 370 ms, reportlab, keyring, textual). They are imported inside the functions that use them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("textual", "sqlmodel", "sqlalchemy", "reportlab", "pyhanko", "keyring", "openpyxl", "alembic")


def test_cli_import_is_light() -> None:
    code = f"import sys, selfcheck.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_version_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\nfrom selfcheck.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "selfcheck 0.1.0"
    assert proc.stderr.strip() == ""


DOCUMENT_READERS = ("pypdfium2", "docx", "lxml")


def test_start_up_does_not_load_the_pdf_word_html_readers() -> None:
    """The policy import screen is part of the TUI, but its readers load only when a file is read."""
    code = (
        "import sys, selfcheck.cli, selfcheck.tui.app, selfcheck.tui.screens.policy_import, "
        "selfcheck.policy_import.sources\n"
        f"print(','.join(m for m in {DOCUMENT_READERS!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
