"""Driver for the eight-writer test: one "PC" (its own data directory pointing at the shared server
database and the shared evidence folder) answering items and attaching evidence through the core API.

Usage: python pg_writer.py HOME TAG ROUNDS GO_FILE SRC_DIR SEED
       python pg_writer.py --reader STORE STOP_FILE

Writer: prints READY, waits for GO_FILE (so all start together), then for each round answers a random
item (comment TAG-round) and attaches one file: every fourth round a file with the same bytes in every
writer at that round (the same blob stored by several PCs at once), else a unique one. Any error ends
the process with its traceback on stderr, which the test treats as a failure: the user must never see
one. Prints one JSON line with its counts at the end.

Reader: until STOP_FILE appears, re-reads every blob in the store and checks that its SHA-256 is its
name (a reader must only ever see complete files); prints one JSON line {checked, incomplete}.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path


def writer(argv: list[str]) -> None:
    from selfcheck import evidence, inspection
    from selfcheck.workspace import open_workspace

    home, tag, rounds, go, src = Path(argv[0]), argv[1], int(argv[2]), Path(argv[3]), Path(argv[4])
    rnd = random.Random(int(argv[5]))
    ws = open_workspace(home, actor=tag)
    items = [it.item_id for it in inspection.detail(ws, 1).items]
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.005)
    started = time.monotonic()
    answers = attachments = 0
    for r in range(rounds):
        item = rnd.choice(items)
        inspection.record_answer(
            ws,
            inspection_id=1,
            item_id=item,
            value=rnd.choice(["implemented", "partial", "not_implemented"]),
            comment=f"{tag}-{r}",
        )
        answers += 1
        f = src / f"{tag}-{r}.bin"
        if r % 4 == 0:
            f.write_bytes(f"shared round {r}\n".encode() * (2000 + r))
        else:
            f.write_bytes(os.urandom(rnd.randint(4 * 1024, 64 * 1024)))
        evidence.attach_file(ws, f, inspection_id=1, item_id=item, description=f"{tag}-{r}")
        attachments += 1
    ws.close()
    elapsed = time.monotonic() - started
    print(json.dumps({"tag": tag, "answers": answers, "attachments": attachments, "seconds": elapsed}))


def reader(store: Path, stop: Path) -> None:
    checked = incomplete = 0
    seen: set[str] = set()
    while not stop.exists():
        for sub in sorted(store.glob("[0-9a-f][0-9a-f]")):
            for blob in sub.iterdir():
                if blob.name in seen and checked % 7:
                    continue
                data = blob.read_bytes()
                checked += 1
                seen.add(blob.name)
                if hashlib.sha256(data).hexdigest() != blob.name:
                    incomplete += 1
        time.sleep(0.01)
    print(json.dumps({"checked": checked, "incomplete": incomplete, "blobs": len(seen)}))


if __name__ == "__main__":
    if sys.argv[1] == "--reader":
        reader(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        writer(sys.argv[1:])
