"""One clear line, exit 2, for the faults an office PC really sees (issue 10, point 10): a read-only
mount, a 0400 database, a full disk, a database with no version table."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from adv_helpers import cli, one_line_error, populated

from selfcheck.workspace import open_workspace


def _item(home: Path) -> str:
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    try:
        return str(con.execute("SELECT item_id FROM inspectionitem ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        con.close()


def test_read_only_mount(small_fs: Path, tmp_path: Path) -> None:
    home = small_fs / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path, answers=2)
    ws.close()
    item = _item(home)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    assert cli("inspection", "list", home=home).returncode == 0  # reading still works
    line = one_line_error(cli("inspection", "answer", "1", item, "partial", home=home))
    assert "読み取り専用" in line and "read-only file system" in line
    line = one_line_error(cli("inspection", "list", home=small_fs / "new"))
    assert "読み取り専用" in line and "cannot create the data directory" in line


def test_database_file_0400(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path, answers=2)
    ws.close()
    (home / "selfcheck.sqlite3").chmod(0o400)
    line = one_line_error(cli("inspection", "answer", "1", _item(home), "partial", home=home))
    assert "読み取り専用" in line and "0400" in line and "sqlalchemy" not in line.lower()
    assert (home / "selfcheck.sqlite3").stat().st_mode & 0o777 == 0o400  # not chmod-ed back


def test_full_disk(small_fs: Path, tmp_path: Path) -> None:
    home = small_fs / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path, answers=2)
    ws.close()
    item = _item(home)
    filler = small_fs / "filler"
    with filler.open("wb") as f:  # fill the disk to the last block
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    long_comment = "x" * 20000
    res = cli("inspection", "answer", "1", item, "partial", "--comment", long_comment, home=home)
    line = one_line_error(res)
    assert "ディスク" in line and "disk is full" in line
    line = one_line_error(cli("backup", home=home))
    assert "disk is full" in line
    filler.unlink()
    assert cli("inspection", "list", home=home).returncode == 0  # nothing was damaged


def test_database_without_version_table(tmp_path: Path) -> None:
    home = tmp_path / "home"
    open_workspace(home).close()
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    con.execute("DROP TABLE alembic_version")
    con.commit()
    con.close()
    line = one_line_error(cli("inspection", "list", home=home))
    assert "版の情報" in line and "no version table" in line and "None" not in line
