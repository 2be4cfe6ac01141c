"""Database files changed under a running process (issue 10, point 7): a deleted -wal, a replaced or
removed database file. The next write stops with a clear message; nothing is acknowledged that would be
lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from adv_helpers import populated

from selfcheck import inspection
from selfcheck.errors import DataChangedError
from selfcheck.workspace import Workspace, open_workspace


def _setup(tmp_path: Path) -> tuple[Workspace, str]:
    ws = open_workspace(tmp_path / "home", actor="long-running")
    populated(ws, tmp_path, answers=1)
    item = inspection.detail(ws, 1).items[3].item_id
    inspection.record_answer(ws, inspection_id=1, item_id=item, comment="before")
    return ws, item


ON_SERVER_SKIP = (
    "SQLite-specific: a server database has no files of ours that a sync tool or a careless copy could "
    "replace under the process (models/pg.py); the server owns its storage"
)


@pytest.mark.engines
@pytest.mark.parametrize("how", ["delete_wal", "replace_db", "remove_db", "replace_db_and_wal"])
def test_write_after_files_changed_is_refused(tmp_path: Path, how: str, engine: str) -> None:
    if engine == "pg":
        pytest.skip(ON_SERVER_SKIP)
    ws, item = _setup(tmp_path)
    db = ws.db_path
    wal = db.with_name(db.name + "-wal")
    copy = tmp_path / "copy.sqlite3"
    src = sqlite3.connect(db)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    if how == "delete_wal":
        wal.unlink()
    elif how == "replace_db":
        shutil.copy(copy, tmp_path / "swap.tmp")
        (tmp_path / "swap.tmp").replace(db)
    elif how == "remove_db":
        db.unlink()
    else:
        wal.unlink()
        shutil.copy(copy, tmp_path / "swap.tmp")
        (tmp_path / "swap.tmp").replace(db)
    with pytest.raises(DataChangedError) as err:
        inspection.record_answer(ws, inspection_id=1, item_id=item, comment="after")
    assert "置き換えられたか削除されました" in err.value.message_ja
    with pytest.raises(DataChangedError):  # and it stays stopped
        inspection.record_answer(ws, inspection_id=1, item_id=item, comment="again")
    ws.close()


def test_unchanged_files_keep_working_across_many_writes(tmp_path: Path) -> None:
    ws, item = _setup(tmp_path)
    for n in range(30):
        inspection.record_answer(ws, inspection_id=1, item_id=item, comment=f"n{n}")
    assert inspection.detail(ws, 1).items[3].comment == "n29"
    ws.close()
