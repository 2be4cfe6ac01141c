"""Core figures for the self-inspection issue. Run: `python benchmarks/bench_core.py [--quick]`.

- one answer, call to durable commit (synchronous=FULL, WAL), median of 200
- summary of a 300-item inspection (every item answered, 100 with evidence), median of 20
- peak RSS while hashing and copying a 1 GiB evidence file (in a fresh child process)

The same answer figure on a PostgreSQL server, beside SQLite's, and 8 concurrent writers: bench_server.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _synthetic_inspection(ws: object, n_items: int = 300) -> int:
    """An inspection with `n_items` items (the real checklists have 60–150; 300 is the stress size)."""
    from selfcheck import orgs
    from selfcheck.models.tables import Inspection, InspectionItem

    orgs.ensure_org(ws, "shunan-eisei")  # type: ignore[arg-type]
    with ws.write() as s:  # type: ignore[attr-defined]
        row = Inspection(
            org_id="shunan-eisei",
            fiscal_year=2026,
            title="bench",
            created_at="2026-11-23T10:00:00+09:00",
            created_by="bench",
        )
        s.add(row)
        s.flush()
        for i in range(n_items):
            sec = 1 + i // 30
            s.add(
                InspectionItem(
                    inspection_id=row.id,
                    item_id=f"bench-{i:03d}",
                    position=i,
                    clause=f"{sec}({i % 9 + 1})",
                    clause_title="項目",
                    section=f"{sec}",
                    section_title=f"第{sec}節",
                    topic="technical",
                    question="質問文" * 10,
                    how_to_check="確認方法" * 5,
                    guideline_ref="GL 6.1",
                )
            )
        return row.id


def bench_answer(ws: object, iid: int, n: int = 200) -> float:
    from selfcheck import inspection

    values = ["implemented", "partial", "not_implemented", "not_applicable"]
    times = []
    for i in range(n):
        t = time.perf_counter()
        inspection.record_answer(
            ws,
            inspection_id=iid,
            item_id=f"bench-{i % 300:03d}",
            value=values[i % 4],  # type: ignore[arg-type]
            comment=f"コメント {i}",
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def bench_summary(ws: object, iid: int, tmp: Path, n: int = 20) -> float:
    from selfcheck import evidence, inspection

    for i in range(300):
        inspection.record_answer(ws, inspection_id=iid, item_id=f"bench-{i:03d}", value="partial")  # type: ignore[arg-type]
    for i in range(100):
        f = tmp / f"ev{i}.txt"
        f.write_text(f"証拠 {i}", encoding="utf-8")
        evidence.attach_file(ws, f, inspection_id=iid, item_id=f"bench-{i:03d}")  # type: ignore[arg-type]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        s = inspection.summary(ws, iid)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t)
    assert s.total == 300
    return statistics.median(times) * 1000


CHILD = r"""
import resource, sys, time
from pathlib import Path
from selfcheck import evidence, paths
src = Path(sys.argv[1]); home = Path(sys.argv[2])
t = time.perf_counter()
sha, size = evidence.store_file(paths.evidence_dir(home), src, max_bytes=2 * 1024**3)
print(f"{time.perf_counter() - t:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} {size}")
"""


def bench_big_file(tmp: Path, size: int) -> tuple[float, float]:
    src = tmp / "big.bin"
    block = os.urandom(1024 * 1024)
    with src.open("wb") as f:
        for _ in range(size // len(block)):
            f.write(block)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(src), str(tmp / "home")], capture_output=True, text=True, check=True
    ).stdout.split()
    src.unlink()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="64 MiB instead of 1 GiB for the evidence file")
    args = ap.parse_args()
    from selfcheck.workspace import open_workspace

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ws = open_workspace(tmp / "data", actor="bench")
        iid = _synthetic_inspection(ws)
        ans = bench_answer(ws, iid)
        summ = bench_summary(ws, iid, tmp)
        size = (64 if args.quick else 1024) * 1024 * 1024
        secs, rss = bench_big_file(tmp, size)
        ws.close()
    print(f"answer -> durable commit (synchronous=FULL), median of 200: {ans:.2f} ms  (target <= 5 ms)")
    print(f"summary of a 300-item inspection, median of 20:          {summ:.1f} ms  (target <= 100 ms)")
    print(
        f"evidence file of {size // 1024**2} MiB: hashed+copied in {secs:.1f} s, peak RSS {rss:.1f} MB  (target < 150 MB)"
    )


if __name__ == "__main__":
    main()
