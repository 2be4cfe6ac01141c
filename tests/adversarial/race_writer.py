"""A writer that starts as soon as a restore's staging folder appears (tests/adversarial/test_restore).

Protocol on stdin/stdout, one line each: `arm N` -> prints ARMED, then polls HOME for `.restore-*`; once
seen (or after 5 s), opens the data and answers an item again and again (a fresh open for every
attempt, as a newly started selfcheck would), counting 「使用中」 refusals, until the file STOP-N appears;
then one more write, and a JSON line {race, saw_staging, acked: [...], in_use}. `quit` ends.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from selfcheck import inspection
from selfcheck.errors import DataInUseError
from selfcheck.workspace import open_workspace


def attempt(home: Path, item: str, marker: str) -> bool:
    try:
        ws = open_workspace(home, actor="racer")
        try:
            inspection.record_answer(ws, inspection_id=1, item_id=item, comment=marker)
        finally:
            ws.close()
    except DataInUseError:
        return False
    return True


def main() -> None:
    home, item, flags = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    attempt(home, item, "warm-up")  # imports and engine code loaded before the first race
    print("READY", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        race = int(cmd[1])
        print("ARMED", flush=True)
        stop = flags / f"STOP-{race}"
        deadline = time.monotonic() + 5
        saw = False
        while time.monotonic() < deadline and not stop.exists():
            if any(home.glob(".restore-*")):
                saw = True
                break
            time.sleep(0.0005)
        acked, in_use, k = [], 0, 0
        while True:
            last = stop.exists()
            marker = f"race-{race}-{k}"
            k += 1
            if attempt(home, item, marker):
                acked.append(marker)
            else:
                in_use += 1
            if last:
                break
            time.sleep(0.001)
        print(json.dumps({"race": race, "saw_staging": saw, "acked": acked, "in_use": in_use}), flush=True)


if __name__ == "__main__":
    main()
