"""Two real selfcheck processes writing to the same data at once (the same data directory, or the same
server database): no lost update, an intact audit chain; a process that cannot get the lock in time gets
a clear DataInUseError, not a traceback."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import engines
import pytest
from engines import Raw
from trust_helpers import ORG

from selfcheck import inspection
from selfcheck.errors import DataInUseError
from selfcheck.trust.audit_verify import verify_chain
from selfcheck.workspace import Workspace, open_workspace

DRIVER = Path(__file__).with_name("concurrent_writer.py")
ROUNDS = 15
pytestmark = pytest.mark.engines


def test_two_processes_write_at_once_without_lost_updates(ws: Workspace, tmp_path: Path) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    assert iid == 1
    items = [it.item_id for it in inspection.detail(ws, iid).items]
    a_items, b_items = items[0:12:2], items[1:12:2]
    go = tmp_path / "go"
    procs = {
        tag: subprocess.Popen(
            [sys.executable, str(DRIVER), str(ws.home), tag, str(ROUNDS), str(go), *its],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for tag, its in (("A", a_items), ("B", b_items))
    }
    for p in procs.values():
        assert p.stdout.readline().strip() == "READY"
    go.touch()
    results = {}
    for tag, p in procs.items():
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        results[tag] = json.loads(out.strip().splitlines()[-1])
    assert results["A"]["writes"] == results["B"]["writes"] == ROUNDS * 6
    # every write is in the audit trail, in each process's own order; the final state is each one's last
    with Raw(ws) as db:
        rows = db.rows(
            "SELECT app_user, entity_id, new FROM auditrecord WHERE entity='answer' AND field='comment'"
            " ORDER BY id"
        )
    for tag, its in (("A", a_items), ("B", b_items)):
        for item in its:
            seen = [new for user, eid, new in rows if user == tag and eid == f"{iid}/{item}"]
            assert seen == [f"{tag}-{r}" for r in range(ROUNDS)], (tag, item)
    final = {it.item_id: it.comment for it in inspection.detail(ws, iid).items}
    assert all(final[i] == f"A-{ROUNDS - 1}" for i in a_items) and all(
        final[i] == f"B-{ROUNDS - 1}" for i in b_items
    )
    chain = verify_chain(ws)
    assert chain.ok, chain.problem  # the chain never forked between the two writers
    # interleaved, not one after the other: the writers really overlapped
    order = [user for user, _, _ in rows]
    switches = sum(1 for x, y in itertools.pairwise(order) if x != y)
    assert switches > 2


def test_second_process_is_told_clearly_the_data_is_in_use(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    item = inspection.detail(ws, iid).items[0].item_id
    ws.close()
    if ws.on_server:  # another client holding the writers' lock (a hung PC in the middle of a write)
        from selfcheck.models import pg

        code = (
            "import psycopg,sys,time,json; c=psycopg.connect(**json.loads(sys.argv[1]));"
            f"c.execute('SELECT pg_advisory_lock({pg.WRITE_LOCK})'); print('locked', flush=True); time.sleep(30)"
        )
        arg = json.dumps(engines.conninfo(ws.db))
    else:
        code = (
            "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None);"
            "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(30)"
        )
        arg = str(ws.db_path)
    holder = subprocess.Popen([sys.executable, "-c", code, arg], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr("selfcheck.models.db.BUSY_TIMEOUT_MS", 300)
        monkeypatch.setattr("selfcheck.models.pg.LOCK_TIMEOUT_MS", 300)
        w = Workspace(home=ws.home, actor="B", place=ws.place)
        started = time.monotonic()
        with pytest.raises(DataInUseError) as err:
            inspection.record_answer(w, inspection_id=iid, item_id=item, value="implemented")
        assert time.monotonic() - started < 5
        assert "使用中" in err.value.message_ja and "in use" in err.value.message_en
        w.close()
    finally:
        holder.kill()
        holder.wait()
    w = open_workspace(ws.home, actor="B")
    inspection.record_answer(w, inspection_id=iid, item_id=item, value="implemented")  # works once released
    assert inspection.detail(w, iid).items[0].value == "implemented"
    w.close()
