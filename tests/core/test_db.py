"""The database file: pragmas, migrations, refusal of a newer schema, private permissions."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from selfcheck.errors import DatabaseError
from selfcheck.models.migrations import HEAD, KNOWN_REVISIONS
from selfcheck.workspace import Workspace, open_workspace


def test_connection_pragmas(ws: Workspace) -> None:
    from sqlalchemy import text

    with ws.engine.connect() as conn:
        values = {
            p: conn.execute(text(f"PRAGMA {p}")).scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert values == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000}


def test_known_revisions_match_the_migration_files() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "selfcheck.models:migrations")
    script = ScriptDirectory.from_config(cfg)
    assert script.get_heads() == [HEAD]
    assert sorted(r.revision for r in script.walk_revisions()) == sorted(KNOWN_REVISIONS)


def test_schema_matches_the_models(ws: Workspace) -> None:
    """alembic check: the migrations create exactly what models/tables.py declares."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import selfcheck.models.tables  # noqa: F401

    with ws.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], "models changed without a migration: add a revision in models/migrations/versions"


def test_reopening_is_a_no_op_and_keeps_data(home: Path) -> None:
    ws = open_workspace(home)
    from selfcheck import settings

    settings.set_(ws, "actor", "鈴木")
    ws.close()
    ws2 = open_workspace(home)
    assert settings.get(ws2, "actor") == "鈴木"


def test_database_from_a_newer_version_is_refused(home: Path) -> None:
    open_workspace(home).close()
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError) as err:
        open_workspace(home)
    assert "新しい版" in err.value.message_ja and "9999" in err.value.message_en


def test_garbage_database_file_gives_a_clear_error(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "selfcheck.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError) as err:
        open_workspace(home)
    assert "selfcheck のデータベースではありません" in err.value.message_ja


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_data_dir_and_database_are_private(ws: Workspace) -> None:
    assert stat.S_IMODE(ws.home.stat().st_mode) == 0o700
    assert stat.S_IMODE((ws.home / "evidence").stat().st_mode) == 0o700
    assert stat.S_IMODE(ws.db_path.stat().st_mode) == 0o600


def test_timeline_is_append_only_in_the_database(ws: Workspace) -> None:
    con = sqlite3.connect(ws.db_path)
    con.execute("INSERT INTO organization (id, name, source, created_at) VALUES ('x', 'x', 'builtin', 't')")
    con.execute(
        "INSERT INTO incident (org_id, playbook_id, title, summary, detected_at, status, triage_json, "
        "ppc_json, opened_by, opened_at) VALUES ('x', 'p', 't', '', 't', 'open', '{}', '{}', 'a', 't')"
    )
    con.execute(
        "INSERT INTO timelineentry (incident_id, at, actor, kind, text, data_json) "
        "VALUES (1, 't', 'a', 'note', 'first', '{}')"
    )
    con.commit()
    for sql in ("UPDATE timelineentry SET text='changed'", "DELETE FROM timelineentry"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(sql)
    assert con.execute("SELECT text FROM timelineentry").fetchall() == [("first",)]
    con.close()
