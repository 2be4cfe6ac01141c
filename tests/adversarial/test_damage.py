"""Damage that must not go unnoticed (issue 10, point 2): a damaged page, an emptied or missing
database next to evidence and backups, rotation that would push the last good archive out, and the TUI
showing a damaged database as an error instead of 「読み込み中…」 for ever."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from adv_helpers import cli, one_line_error, populated

from selfcheck import settings
from selfcheck.errors import DatabaseError
from selfcheck.models import health
from selfcheck.trust.backup import auto_backup, auto_backups, backup
from selfcheck.workspace import open_workspace


def _damage_index(db: Path) -> None:
    """Overwrite one index b-tree page with garbage (what `integrity_check` calls malformed)."""
    con = sqlite3.connect(db)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE type='index' AND tbl_name='answer' ORDER BY rootpage LIMIT 1"
    ).fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))


@pytest.mark.engines
def test_damaged_page_is_refused_at_start_and_never_archived(tmp_path: Path, engine: str) -> None:
    if engine == "pg":
        pytest.skip(
            "SQLite-specific: PostgreSQL has no quick_check/integrity_check; the server checks its own pages "
            "(WAL, crash recovery, data checksums shown by `db status`), and a server backup's SQLite copy "
            "still passes integrity_check before it is archived (models/pg.py)"
        )
    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path)
    good = backup(ws, tmp_path / "good.zip").path
    ws.close()
    _damage_index(home / "selfcheck.sqlite3")
    assert health.integrity_check(home / "selfcheck.sqlite3")  # really damaged
    with pytest.raises(DatabaseError) as err:
        open_workspace(home)
    assert "壊れています" in err.value.message_ja and "restore" in err.value.message_ja
    res = cli("backup", "-o", tmp_path / "bad.zip", home=home)
    assert "壊れています" in one_line_error(res)
    assert not (tmp_path / "bad.zip").exists() and not list(tmp_path.glob(".tmp-*"))
    assert cli("restore", good, home=home).returncode == 0  # restore over the damage is the way out
    open_workspace(home).close()


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_lost_database_next_to_evidence_or_backups_points_to_restore(tmp_path: Path, how: str) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path, files=2)
    backup(ws)
    ws.close()
    db = home / "selfcheck.sqlite3"
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    if how == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    res = cli("inspection", "list", home=home)
    line = one_line_error(res)
    assert "restore" in line and "証拠ファイル" in line
    assert not db.exists() or db.stat().st_size == 0  # nothing was created in its place
    # the automatic backup at exit cannot run on it either, so no good archive is rotated away
    assert len(list((home / "backups").glob("*.zip"))) == 1


def test_rotation_never_drops_an_archive_with_more_history_than_the_data(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from selfcheck.clock import JST, fixed_clock

    home = tmp_path / "home"
    day = datetime(2026, 11, 1, 9, 0, tzinfo=JST)
    ws = open_workspace(home, clock=fixed_clock(day))
    populated(ws, tmp_path)
    settings.set_(ws, "backup.keep", 1)
    first = auto_backup(ws, force=True)
    ws.close()
    # the data is rolled back to almost nothing (a fresh database in its place, no evidence or backups
    # in the way), then the daily backup runs with keep=1
    (home / "selfcheck.sqlite3").unlink()
    for p in home.glob("selfcheck.sqlite3-*"):
        p.unlink()
    keep_aside = tmp_path / "aside"
    (home / "backups").rename(keep_aside)
    ws2 = open_workspace(home, clock=fixed_clock(day + timedelta(days=1)))
    settings.set_(ws2, "backup.keep", 1)
    (home / "backups").rmdir() if (home / "backups").exists() else None
    keep_aside.rename(home / "backups")
    second = auto_backup(ws2, force=True)
    ws2.close()
    names = [p.name for p in auto_backups(home)]
    assert first is not None and second is not None
    assert first.name in names and second.name in names  # the longer history stays
    with zipfile.ZipFile(first) as zf:
        assert zf.testzip() is None


async def test_damaged_database_reaches_the_tui_as_an_error_dialog(tmp_path: Path) -> None:
    from selfcheck.tui.app import make_app
    from selfcheck.tui.dialogs.error import ErrorDialog

    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path)
    ws.close()
    _damage_index(home / "selfcheck.sqlite3")
    app = make_app(home=home, actor="tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "壊れています" in text and "restore" in text
        loading = app.home_screen.query_one("#loading")
        assert "読み込み中" not in str(loading.render())
