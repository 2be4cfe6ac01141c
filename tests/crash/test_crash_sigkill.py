"""200 SIGKILLs at random moments while a real process answers, attaches evidence and adds incident
notes. After every kill: every change the driver logged (it logs only after the core function returned)
is in the database, `PRAGMA integrity_check` is ok, and the evidence store holds only complete blobs
(hash = name) plus `tmp-*` leftovers, which the next start sweeps. At the end the audit chain verifies
and the app starts normally (open_workspace, a read, `selfcheck inspection list`, `selfcheck audit verify`).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from selfcheck import evidence, inspection
from selfcheck.workspace import open_workspace

KILLS = int(os.environ.get("SELFCHECK_CRASH_KILLS", "200"))
DRIVER = Path(__file__).with_name("crash_driver.py")
SPAWN_EVERY = 10  # every 10th run is a fresh interpreter; the others fork from a pre-imported zygote
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL of a child process is POSIX-only"),
]


def _read_log(path: Path) -> list[dict[str, object]]:
    """The committed changes the drivers logged. Each entry is written as one "\n{json}" line; a kill can
    tear an entry (a write that straddles a page of the page cache may stop half-way), and since every
    entry starts with its own newline a torn one stays on a line of its own: it is skipped, at most one
    per killed process, and it never hides a complete entry."""
    if not path.exists():
        return []
    out, torn = [], 0
    for line in path.read_bytes().split(b"\n"):
        if not line:
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            torn += 1
    assert torn <= KILLS, f"{torn} torn log lines"
    return out


def _check_store(home: Path, verified: set[str]) -> tuple[int, int]:
    """Every file in the store is a tmp-* leftover or a complete blob whose SHA-256 is its name."""
    store = home / "evidence"
    tmp_left = blobs = 0
    for p in store.rglob("*"):
        if p.is_dir():
            continue
        rel = p.relative_to(store).as_posix()
        if p.parent == store and p.name.startswith("tmp-"):
            tmp_left += 1
            continue
        assert len(p.name) == 64 and rel == f"{p.name[:2]}/{p.name}", f"unexpected file in store: {rel}"
        blobs += 1
        if p.name not in verified:
            h = hashlib.sha256(p.read_bytes()).hexdigest()
            assert h == p.name, f"half-written or damaged blob {rel}"
            verified.add(p.name)
    return tmp_left, blobs


def _check_logged(db: Path, log: list[dict[str, object]]) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        comments = {
            r[0] for r in con.execute("SELECT new FROM auditrecord WHERE entity='answer' AND field='comment'")
        }
        current = dict(con.execute("SELECT item_id, comment FROM answer WHERE inspection_id=1").fetchall())
        ev = dict(con.execute("SELECT id, sha256 FROM evidence").fetchall())
        blobs = {r[0] for r in con.execute("SELECT sha256 FROM evidenceblob")}
        notes = {r[0] for r in con.execute("SELECT text FROM timelineentry WHERE kind='note'")}
    finally:
        con.close()
    last_seq: dict[str, tuple[int, int]] = {}
    for e in log:
        if e["t"] == "answer":
            assert e["comment"] in comments, f"lost committed answer {e}"
            last_seq[e["item"]] = (e["run"], e["seq"])
        elif e["t"] == "evidence":
            assert ev.get(e["id"]) == e["sha"] and e["sha"] in blobs, f"lost committed evidence {e}"
        else:
            assert e["text"] in notes, f"lost committed note {e}"
    for item, (run, seq) in last_seq.items():
        # the current comment is the last logged one, or a later one committed just before the kill
        cur = current[item]
        r, s = (int(x[1:]) for x in cur.split("-"))
        assert (r, s) >= (run, seq), f"{item}: current {cur} older than logged r{run}-s{seq}"


def _kill_spawned(args: list[str], rnd: random.Random) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    line = proc.stdout.readline()
    assert line.startswith(b"READY"), (line, proc.stderr.read() if proc.poll() is not None else b"")
    time.sleep(rnd.uniform(0.05, 0.4))
    if proc.poll() is not None:
        pytest.fail(f"driver died on its own: {proc.stderr.read().decode(errors='replace')[-2000:]}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()


def _kill_forked(zygote: subprocess.Popen[str], args: list[str], rnd: random.Random) -> None:
    zygote.stdin.write("RUN " + " ".join(args) + "\n")
    zygote.stdin.flush()
    line = zygote.stdout.readline().split()
    assert line and line[0] == "READY", line
    time.sleep(rnd.uniform(0.05, 0.4))
    os.kill(int(line[1]), signal.SIGKILL)
    done = zygote.stdout.readline().split()
    assert done and done[0] == "DONE", done
    status = int(done[1])
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"driver ended otherwise ({status}); see zygote-stderr.txt in the test's tmp dir"
    )


def test_sigkill_during_answers_evidence_and_incident_notes(tmp_path: Path) -> None:
    from selfcheck.incident import cases

    home = tmp_path / "home"
    ws = open_workspace(home, actor="準備")
    iid = inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)
    incident = cases.open_incident(ws, org_id="shunan-eisei", playbook_id="ransomware")
    ws.close()
    assert iid == 1
    log_path, src = tmp_path / "committed.jsonl", tmp_path / "src"
    src.mkdir()
    rnd = random.Random(20261123)
    verified: set[str] = set()
    started = time.monotonic()
    tmp_leftovers = max_logged = 0
    zlog = (tmp_path / "zygote-stderr.txt").open("w", encoding="utf-8")
    zygote = subprocess.Popen(
        [sys.executable, str(DRIVER), "--zygote"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=zlog,
        text=True,
    )
    assert zygote.stdout.readline().strip() == "ZYGOTE"
    spawned = 0
    for run in range(1, KILLS + 1):
        args = [
            str(home),
            str(log_path),
            str(src),
            str(run),
            str(rnd.randrange(1 << 30)),
            str(iid),
            str(incident),
        ]
        if run % SPAWN_EVERY == 0:  # a fresh interpreter now and then, exactly like a user starting the app
            _kill_spawned(args, rnd)
            spawned += 1
        else:
            _kill_forked(zygote, args, rnd)
        log = _read_log(log_path)
        _check_logged(home / "selfcheck.sqlite3", log)
        left, _ = _check_store(home, verified)
        tmp_leftovers += left
        max_logged = len(log)
    elapsed = time.monotonic() - started
    zygote.stdin.close()
    zygote.wait(timeout=10)
    zlog.close()
    # the next start sweeps leftovers and works normally
    evidence.sweep_temporaries(home)
    assert not list((home / "evidence").glob("tmp-*"))
    ws = open_workspace(home, actor="確認")
    d = inspection.detail(ws, iid)
    assert len(d.items) > 0
    assert evidence.verify_store(ws) == []
    from selfcheck.trust.audit_verify import verify_chain

    chain = verify_chain(ws)
    assert chain.ok, chain.problem
    ws.close()
    for args in (["inspection", "list"], ["audit", "verify"]):
        r = subprocess.run(
            [sys.executable, "-m", "selfcheck", "--data-dir", str(home), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
    kinds = {k: sum(1 for e in log if e["t"] == k) for k in ("answer", "evidence", "note")}
    print(
        f"\ncrash: {KILLS} SIGKILLs ({spawned} of freshly spawned processes), {max_logged} committed changes logged {kinds}, 0 lost, "
        f"{tmp_leftovers} tmp leftovers seen (swept), audit records {chain.checked}, {elapsed:.0f} s"
    )
    assert all(kinds.values())
