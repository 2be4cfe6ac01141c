"""Eight selfcheck processes, each like a PC of its own (own data directory, same server database, same
shared evidence folder), answering and attaching evidence at once: 8 x 200 answers and 8 x 200 files.

No error is shown (every process exits 0 with nothing on stderr), no update is lost (every answer is in
the audit trail, the rows are exactly what the trail says, and each item holds the last comment written
to it), `audit verify` is intact, every blob in the store is complete (checked by the end and by a reader
that hashes blobs while the writers run), and the same content stored by several PCs at once is one blob.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import engines
import pytest
from engines import Raw

from selfcheck import evidence, inspection
from selfcheck.trust.audit_state import check_state
from selfcheck.trust.audit_verify import verify_chain
from selfcheck.workspace import open_workspace

DRIVER = Path(__file__).with_name("pg_writer.py")
WRITERS = int(os.environ.get("SELFCHECK_PG_WRITERS", "8"))
ROUNDS = int(os.environ.get("SELFCHECK_PG_ROUNDS", "200"))


@pytest.fixture
def server_db() -> object:
    target = engines.fresh_database()
    yield target
    engines.drop_database(target)


def test_eight_pcs_answer_and_attach_at_once(server_db: object, tmp_path: Path) -> None:
    # an administrator's SERIALIZABLE default must change nothing: selfcheck pins its isolation levels,
    # so no serialization failure can reach a user
    with engines.admin() as con:
        con.execute(f"ALTER DATABASE {server_db.dbname} SET default_transaction_isolation = 'serializable'")  # type: ignore[attr-defined]
    shared = tmp_path / "share" / "evidence"
    homes = [tmp_path / f"pc{n}" for n in range(WRITERS)]
    for h in homes:
        engines.use_server(h, server_db, shared)  # type: ignore[arg-type]
    ws = open_workspace(homes[0], actor="準備")
    assert inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026) == 1
    ws.close()
    go, stop = tmp_path / "go", tmp_path / "stop"
    procs = []
    for n, h in enumerate(homes):
        src = tmp_path / f"src{n}"
        src.mkdir()
        procs.append(
            subprocess.Popen(
                [sys.executable, str(DRIVER), str(h), f"W{n}", str(ROUNDS), str(go), str(src), str(n)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        )
    for p in procs:
        line = p.stdout.readline().strip()
        assert line == "READY", (line, p.stderr.read() if p.poll() is not None else "")
    reader = subprocess.Popen(
        [sys.executable, str(DRIVER), "--reader", str(shared), str(stop)], stdout=subprocess.PIPE, text=True
    )
    started = time.monotonic()
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0 and err == "", err[-3000:]  # no error reached a "user"
        results.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.monotonic() - started
    stop.touch()
    seen = json.loads(reader.communicate(timeout=120)[0])
    assert seen["incomplete"] == 0 and seen["checked"] > 0, seen
    total = WRITERS * ROUNDS
    assert sum(r["answers"] for r in results) == sum(r["attachments"] for r in results) == total

    ws = open_workspace(homes[0], actor="確認")
    chain = verify_chain(ws)
    assert chain.ok, chain.problem
    assert check_state(ws) == []  # every row is what the trail says: nothing written past it, nothing lost
    assert evidence.verify_store(ws) == []  # every blob complete, its hash its name
    with Raw(ws) as db:
        comments = db.rows(
            "SELECT entity_id, new FROM auditrecord WHERE entity = 'answer' AND field = 'comment' ORDER BY id"
        )
        current = dict(db.rows("SELECT item_id, comment FROM answer WHERE inspection_id = 1"))
        n_evidence = db.scalar("SELECT count(*) FROM evidence")
        n_blobs = db.scalar("SELECT count(*) FROM evidenceblob")
    assert len(comments) == total  # each of the 1600 answers, once
    assert len({new for _, new in comments}) == total
    last: dict[str, str] = {}
    for entity_id, new in comments:
        last[entity_id.split("/", 1)[1]] = new
    assert all(current[item] == value for item, value in last.items())  # the last write won, for every item
    for n in range(WRITERS):  # each writer's answers are in the trail in its own order
        mine = [int(new.split("-")[1]) for _, new in comments if new.startswith(f"W{n}-")]
        assert mine == list(range(ROUNDS))
    order = [new.split("-")[0] for _, new in comments]
    assert sum(1 for a, b in itertools.pairwise(order) if a != b) > WRITERS * 10  # really at once
    assert n_evidence == total
    shared_rounds = len(range(0, ROUNDS, 4))
    assert n_blobs == total - WRITERS * shared_rounds + shared_rounds  # the same bytes from 8 PCs: one blob
    assert not list(shared.glob("tmp-*"))
    ws.close()
    rate = 2 * total / elapsed
    print(
        f"\npg concurrency: {WRITERS} processes x {ROUNDS} answers + {ROUNDS} attachments in {elapsed:.1f} s "
        f"({rate:.0f} writes/s), 0 errors, audit records {chain.checked}, blobs {n_blobs}, "
        f"reader hashed {seen['checked']} blob reads, 0 incomplete"
    )
