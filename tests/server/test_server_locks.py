"""The server's locks and schema: restore waits for nobody and is refused while any PC has the data open;
a PC starting during a restore is told so; two PCs upgrading an empty database at once; a writer killed
while holding the writers' lock does not stop the others; the migrations create on PostgreSQL what the
models declare (append-only triggers, identity mark) and go down and up again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import engines
import pytest

from selfcheck import inspection
from selfcheck.errors import DataInUseError
from selfcheck.models import pg
from selfcheck.models.migrations import HEAD
from selfcheck.trust.backup import backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import Workspace, open_workspace

ON_SERVER = pytest.mark.parametrize("engine", ["pg"], indirect=True)  # the `ws` fixture, on a server database


def populated(ws: Workspace, answers: int) -> int:
    iid = inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)
    for item in inspection.detail(ws, iid).items[:answers]:
        inspection.record_answer(ws, inspection_id=iid, item_id=item.item_id, value="implemented")
    return iid


HOLD = """
import sys, time
from pathlib import Path
from selfcheck.workspace import open_workspace
ws = open_workspace(Path(sys.argv[1]), actor="other PC")
if sys.argv[2] == "write":
    with ws.write() as s:
        s.execute(__import__("sqlalchemy").text("SELECT 1"))
        print("holding", flush=True)
        time.sleep(60)
print("open", flush=True)
time.sleep(60)
"""


def _hold(home: Path, mode: str) -> subprocess.Popen[str]:
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(home), mode], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().strip()  # type: ignore[union-attr]
    assert line in ("open", "holding"), line
    return p


@ON_SERVER
def test_restore_is_refused_while_another_pc_has_the_data_open(ws: Workspace, tmp_path: Path) -> None:
    populated(ws, answers=2)
    archive = backup(ws, tmp_path / "b.zip").path
    inspection.record_answer(
        ws, inspection_id=1, item_id=inspection.detail(ws, 1).items[9].item_id, value="partial"
    )
    ws.close()
    other = _hold(ws.home, "open")
    try:
        with pytest.raises(DataInUseError) as err:
            restore(ws.home, archive, place=ws.place)
        assert "ほかの PC" in err.value.message_ja
    finally:
        other.kill()
        other.wait()
    w = open_workspace(ws.home)
    assert inspection.detail(w, 1).items[9].value == "partial"  # nothing was restored
    w.close()
    restore(ws.home, archive, place=ws.place)  # once everyone has closed it


@ON_SERVER
def test_a_pc_starting_during_a_restore_is_told_so(ws: Workspace) -> None:
    ws.close()
    engine = pg.create_engine_for(ws.db, pooled=False)
    lock = pg.try_data_lock(engine, ws.db, exclusive=True)  # what restore holds
    try:
        assert lock is not None
        with pytest.raises(DataInUseError) as err:
            open_workspace(ws.home)
        assert "復元中" in err.value.message_ja
    finally:
        assert lock is not None
        lock.release()
        engine.dispose()
    open_workspace(ws.home).close()


@ON_SERVER
def test_a_killed_writer_does_not_stop_the_others(ws: Workspace) -> None:
    iid = populated(ws, answers=1)
    item = inspection.detail(ws, iid).items[3].item_id
    holder = _hold(ws.home, "write")  # inside a write transaction: it holds the writers' lock
    try:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        started = time.monotonic()
        inspection.record_answer(ws, inspection_id=iid, item_id=item, value="implemented")
        assert time.monotonic() - started < 5  # the server released the lock with the dead connection
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert inspection.detail(ws, iid).items[3].value == "implemented"


def test_two_pcs_upgrade_an_empty_database_at_once(tmp_path: Path) -> None:
    target = engines.fresh_database(migrated=False)
    try:
        homes = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]
        for h in homes:
            engines.use_server(h, target, tmp_path / "share")
        code = (
            "import sys; from selfcheck.workspace import open_workspace; open_workspace(sys.argv[1]).close()"
        )
        procs = [
            subprocess.Popen([sys.executable, "-c", code, str(h)], stderr=subprocess.PIPE, text=True)
            for h in homes
        ]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        assert pg.query(target, "SELECT version_num FROM alembic_version") == [(HEAD,)]
        assert pg.identify(target).kind == "selfcheck"
    finally:
        engines.drop_database(target)


@ON_SERVER
def test_the_schema_on_the_server_is_what_the_models_declare(ws: Workspace) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import BigInteger, Integer, String, Text
    from sqlmodel import SQLModel

    import selfcheck.models.tables  # noqa: F401

    def same_type(
        _ctx: object, _col: object, _meta_col: object, inspected: object, declared: object
    ) -> bool | None:
        # TEXT for every string and BIGINT for byte counts are deliberate on the server (migrations/dialect.py)
        declared = getattr(declared, "impl", declared)  # sqlmodel's AutoString decorates String
        if isinstance(declared, String) and isinstance(inspected, Text | String):
            return False
        if isinstance(declared, Integer) and isinstance(inspected, Integer | BigInteger):
            return False
        return None

    with ws.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": same_type})
        diff = [d for d in compare_metadata(ctx, SQLModel.metadata) if "selfcheck_meta" not in str(d)]
        triggers = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN "
                "('auditrecord', 'timelineentry')"
            )
        }
    assert diff == []
    assert triggers == {
        f"{t}_no_{v}" for t in ("auditrecord", "timelineentry") for v in ("update", "delete", "truncate")
    }
    assert pg.query(ws.db, "SELECT value FROM selfcheck_meta WHERE key = 'application_id'") == [("SCK1",)]


def test_the_migrations_go_down_and_up_on_the_server(tmp_path: Path) -> None:
    from selfcheck.models.db import upgrade_on

    target = engines.fresh_database()
    engine = pg.create_engine_for(target, pooled=False)
    try:
        from alembic import command
        from alembic.config import Config

        with engine.connect() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", "selfcheck.models:migrations")
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
            conn.commit()
            left = {
                r[0]
                for r in conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            }
            functions = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_proc WHERE proname = 'selfcheck_append_only'"
            )
            assert left == {"alembic_version"} and functions.scalar() == 0  # every revision went down
            conn.commit()
            upgrade_on(conn)
        assert pg.identify(target).kind == "selfcheck"
    finally:
        engine.dispose()
        engines.drop_database(target)
