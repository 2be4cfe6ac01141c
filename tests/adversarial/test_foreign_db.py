"""Files that are not selfcheck's database (issue 10, point 3): refused at open and at restore, with one
line and exit 2, and never written into."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from adv_helpers import cli, one_line_error, populated

from selfcheck.errors import BackupError, DatabaseError
from selfcheck.models import health
from selfcheck.trust.backup import backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import open_workspace


def _make(db: Path, kind: str) -> None:
    con = sqlite3.connect(db)
    if kind == "only_alembic_version":
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES ('0002')")
    elif kind == "other_app":
        con.execute("PRAGMA application_id = 1234")
        con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    elif kind == "unrelated_tables":
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()


KINDS = ["only_alembic_version", "other_app", "unrelated_tables"]


@pytest.mark.parametrize("kind", KINDS)
def test_foreign_sqlite_file_in_place_is_refused_and_untouched(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "selfcheck.sqlite3"
    _make(db, kind)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    line = one_line_error(cli("inspection", "list", home=home))
    assert "selfcheck のデータベースではありません" in line
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def _swap_db(archive: Path, dst: Path, new_db: Path) -> Path:
    """The same archive with its database replaced and the manifest recomputed (an honest-looking zip)."""
    data = new_db.read_bytes()
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(dst, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        for info in zin.infolist():
            if info.filename == "manifest.json":
                continue
            body = data if info.filename == "selfcheck.sqlite3" else zin.read(info)
            zout.writestr(info.filename, body)
        manifest["entries"]["selfcheck.sqlite3"] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        zout.writestr("manifest.json", json.dumps(manifest))
    return dst


@pytest.mark.parametrize("kind", KINDS)
def test_restore_of_a_foreign_database_is_refused_before_anything_changes(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path)
    good = backup(ws, tmp_path / "good.zip").path
    ws.close()
    foreign = tmp_path / "foreign.sqlite3"
    _make(foreign, kind)
    bad = _swap_db(good, tmp_path / "bad.zip", foreign)
    db_before = hashlib.sha256((home / "selfcheck.sqlite3").read_bytes()).hexdigest()
    with pytest.raises(BackupError) as err:
        restore(home, bad)
    assert "selfcheck のデータベースではありません" in err.value.message_ja
    assert hashlib.sha256((home / "selfcheck.sqlite3").read_bytes()).hexdigest() == db_before
    assert not list(home.glob(".restore-*")) and not list((home / "backups").glob("before-restore-*"))
    line = one_line_error(cli("restore", bad, home=home))
    assert "selfcheck のデータベースではありません" in line


def test_existing_database_is_stamped_and_recognised(tmp_path: Path) -> None:
    home = tmp_path / "home"
    open_workspace(home).close()
    assert health.read_header_id(home / "selfcheck.sqlite3") == health.APPLICATION_ID
    # a file from before migration 0004 (application_id 0, revision 0003) is recognised and stamped
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    con.execute("PRAGMA application_id = 0")
    con.execute("UPDATE alembic_version SET version_num = '0003'")
    con.commit()
    con.close()
    assert health.identify(home / "selfcheck.sqlite3").kind == "legacy"
    open_workspace(home).close()
    assert health.read_header_id(home / "selfcheck.sqlite3") == health.APPLICATION_ID


def test_required_tables_match_the_models() -> None:
    from sqlmodel import SQLModel

    import selfcheck.models.tables  # noqa: F401

    assert set(SQLModel.metadata.tables) == set(health.REQUIRED_TABLES)


def test_not_sqlite_at_all(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "selfcheck.sqlite3").write_bytes(b"PK\x03\x04 not a database" * 50)
    with pytest.raises(DatabaseError):
        open_workspace(home)
