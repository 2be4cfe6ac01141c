"""Driver for the two-process test: answer the given items over and over through the core API.

Usage: python concurrent_writer.py HOME TAG ROUNDS GO_FILE ITEM...
Prints READY, waits for GO_FILE to appear (so both processes start writing together), then writes
`TAG-round` as the comment of each item in turn. Prints one JSON line with counts at the end.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from selfcheck import inspection
from selfcheck.errors import DataInUseError
from selfcheck.workspace import open_workspace


def main() -> None:
    home, tag, rounds, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    items = sys.argv[5:]
    ws = open_workspace(Path(home), actor=tag)
    inspection.list_inspections(ws)  # engine and connection ready before the race starts
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.005)
    writes = in_use = 0
    for r in range(rounds):
        for item in items:
            while True:
                try:
                    inspection.record_answer(
                        ws,
                        inspection_id=1,
                        item_id=item,
                        value="implemented" if r % 2 else "partial",
                        comment=f"{tag}-{r}",
                    )
                    writes += 1
                    # a person's pace, compressed: a short pause keeps both writers active over the same
                    # window even when the OS schedules one process late (otherwise one may finish first)
                    time.sleep(0.005)
                    break
                except DataInUseError:  # said clearly; the user would try again, so does the driver
                    in_use += 1
    print(json.dumps({"tag": tag, "writes": writes, "in_use": in_use}), flush=True)
    ws.close()


if __name__ == "__main__":
    main()
