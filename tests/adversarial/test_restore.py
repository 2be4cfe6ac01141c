"""Restore against a writer that starts as soon as the staging folder appears (issue 10, point 1).

Before the data-directory lock, such a writer got success for every write and those writes ended up in
neither the restored database nor the before-restore archive. Now restore holds the lock exclusively
from its in-use check to the swap: the writer is told 「使用中」 until the swap is done, and every write
it was told succeeded is in the live database afterwards. The race also runs with the data on a
PostgreSQL server ([pg], fewer rounds), where the lock is the server's data lock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from adv_helpers import populated
from engines import Raw

from selfcheck import dbconfig, inspection
from selfcheck.errors import DataInUseError
from selfcheck.trust.backup import backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import open_workspace

RACES = 50
WRITER = Path(__file__).with_name("race_writer.py")


def _comments(ws: object) -> set[str]:
    with Raw(ws) as db:  # type: ignore[arg-type]
        return {
            r[0] for r in db.rows("SELECT new FROM auditrecord WHERE entity = 'answer' AND field = 'comment'")
        }


@pytest.mark.engines
def test_writer_starting_during_restore_never_loses_an_acknowledged_write(
    home: Path, place: dbconfig.Place | None, tmp_path: Path
) -> None:
    races = RACES if place is None else 10
    ws = open_workspace(home, actor="setup")
    populated(ws, tmp_path, files=6)  # some evidence, so the restore takes a little while
    item = inspection.detail(ws, 1).items[0].item_id
    archive = backup(ws, tmp_path / "b.zip").path
    ws.close()
    flags = tmp_path / "flags"
    flags.mkdir()
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(home), item, str(flags)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert writer.stdin is not None and writer.stdout is not None
    started = time.perf_counter()
    lost: list[str] = []
    observed = acked_total = refused_total = 0
    try:
        assert writer.stdout.readline().strip() == "READY"
        for race in range(races):
            writer.stdin.write(f"arm {race}\n")
            writer.stdin.flush()
            assert writer.stdout.readline().strip() == "ARMED"
            for _ in range(200):  # the writer may still be finishing its previous write
                try:
                    restore(home, archive, place=place)
                    break
                except DataInUseError:
                    time.sleep(0.005)
            else:
                pytest.fail("restore never got the data directory")
            (flags / f"STOP-{race}").touch()
            result = json.loads(writer.stdout.readline())
            observed += result["saw_staging"]
            acked_total += len(result["acked"])
            refused_total += result["in_use"]
            live = _comments(ws)
            lost += [m for m in result["acked"] if m not in live]
        writer.stdin.write("quit\n")
        writer.stdin.flush()
        writer.wait(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
    elapsed = time.perf_counter() - started
    print(
        f"\nrestore races ({ws.db.kind}): {races}, staging seen by the writer in {observed}, writes acknowledged "
        f"{acked_total}, told 使用中 {refused_total}, acknowledged writes lost {len(lost)}, {elapsed:.1f} s"
    )
    assert lost == []
    assert observed >= races * 0.8, "the writer must really have raced the restore"
    assert refused_total > 0  # it was refused while the restore held the lock, not silently accepted
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""


def test_restore_is_refused_while_any_workspace_is_open_and_others_are_refused_while_it_runs(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home, actor="a")
    populated(ws, tmp_path)
    archive = backup(ws, tmp_path / "b.zip").path
    with pytest.raises(DataInUseError):  # the same process holds it open: still "in use"
        restore(home, archive)
    other = open_workspace(home, actor="b")  # two app processes/workspaces share the data normally
    inspection.record_answer(
        other, inspection_id=1, item_id=inspection.detail(other, 1).items[0].item_id, comment="x"
    )
    other.close()
    ws.close()
    from selfcheck import datalock

    held = datalock.acquire(home, exclusive=True)  # what restore holds from its check to its swap
    try:
        with pytest.raises(DataInUseError) as err:
            open_workspace(home)
        assert "復元" in err.value.message_ja
    finally:
        held.release()
    restore(home, archive)
