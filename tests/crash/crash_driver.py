"""Driver process for the SIGKILL test: answers, attaches evidence and adds incident notes in a loop
through the core API, and after each function RETURNS appends one JSON line to a side log (flushed and
fsynced). Everything in the log was therefore committed; the test checks it survived the kill.

Usage: python crash_driver.py HOME LOG SRC_DIR RUN SEED INSPECTION_ID INCIDENT_ID
       python crash_driver.py --zygote

Zygote mode exists for speed only: importing SQLAlchemy/SQLModel costs about a second per process on a
slow CI machine, which would make 200 kills take five minutes. The zygote imports once and, for each
`RUN ...` line on stdin, forks a fresh child *before any database or file is opened*; the child is an
ordinary separate process (own pid, own SQLite connections) that the test SIGKILLs. The zygote reaps it
and prints `DONE`. The test also runs some rounds with a freshly spawned interpreter.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

from selfcheck import evidence, inspection
from selfcheck.incident import cases
from selfcheck.workspace import open_workspace


def work(argv: list[str]) -> None:
    home, log_path, src_dir = Path(argv[0]), Path(argv[1]), Path(argv[2])
    run, seed, iid, incident = int(argv[3]), int(argv[4]), int(argv[5]), int(argv[6])
    rnd = random.Random(seed)
    ws = open_workspace(home, actor=f"run{run}")
    evidence.sweep_temporaries(home)  # what the app does at start
    items = [it.item_id for it in inspection.detail(ws, iid).items]
    log = log_path.open("ab")

    def logged(entry: dict[str, object]) -> None:
        # the newline first: a line torn by the kill can never run into the next process's first entry
        log.write(("\n" + json.dumps(entry, ensure_ascii=False)).encode("utf-8"))
        log.flush()
        os.fsync(log.fileno())

    print(f"READY {os.getpid()}", flush=True)
    seq = 0
    while True:
        seq += 1
        tag = f"r{run}-s{seq}"
        roll = rnd.random()
        if roll < 0.55:
            item = rnd.choice(items)
            value = rnd.choice(["implemented", "partial", "not_implemented", "not_applicable"])
            inspection.record_answer(ws, inspection_id=iid, item_id=item, value=value, comment=tag)
            logged({"t": "answer", "item": item, "comment": tag, "run": run, "seq": seq})
        elif roll < 0.80:
            src = src_dir / f"{tag}.bin"
            src.write_bytes(os.urandom(rnd.randint(8 * 1024, 512 * 1024)))
            view = evidence.attach_file(
                ws, src, inspection_id=iid, item_id=rnd.choice(items), description=tag
            )
            logged({"t": "evidence", "id": view.id, "sha": view.sha256, "tag": tag})
            src.unlink()
        else:
            cases.add_note(ws, incident, f"{tag} 状況を確認")
            logged({"t": "note", "text": f"{tag} 状況を確認"})


def zygote() -> None:
    import sqlalchemy.orm  # noqa: F401  (the expensive imports, done once)
    import sqlmodel  # noqa: F401

    import selfcheck.models.tables  # noqa: F401
    from selfcheck.catalog import builtin_catalog
    from selfcheck.incident.playbook import builtin_playbooks

    builtin_catalog()  # packaged YAML only; no database or data-directory file is opened before fork
    builtin_playbooks()
    print("ZYGOTE", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "RUN":
            continue
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # child: a separate process that opens everything itself
            try:
                work(parts[1:])
            finally:
                os._exit(3)
        _, status = os.waitpid(pid, 0)
        print(f"DONE {status}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--zygote"]:
        zygote()
    else:
        work(sys.argv[1:])
