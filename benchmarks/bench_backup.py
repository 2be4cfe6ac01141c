"""Backup and restore time for a data directory with 1,000 evidence files.

Run: `python benchmarks/bench_backup.py [--files N] [--quick]`

The files are 4-64 KB of random bytes (incompressible, like scanned PDFs and photos), attached through
`evidence.attach_file` to the items of a real inspection, so the database and the store look like a real
data directory. Measured: `backup()` (online snapshot + zip + manifest + fsync/rename), `check_archive()`
(names/manifest only), `restore()` into a fresh directory, and `restore()` over the live directory (which
also writes the before-restore safety archive).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="100 files instead of 1,000")
    args = ap.parse_args(argv)
    n_files = 100 if args.quick else args.files

    from selfcheck import evidence, inspection
    from selfcheck.trust.archive import check_archive
    from selfcheck.trust.backup import backup
    from selfcheck.trust.restore import restore
    from selfcheck.workspace import open_workspace

    rnd = random.Random(1000)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = open_workspace(root / "home", actor="bench")
        iid = inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)
        items = [it.item_id for it in inspection.detail(ws, iid).items]
        src = root / "src"
        src.mkdir()
        total = 0
        t0 = time.perf_counter()
        for k in range(n_files):
            f = src / f"scan-{k:04d}.pdf"
            data = os.urandom(rnd.randint(4 * 1024, 64 * 1024))
            f.write_bytes(data)
            total += len(data)
            evidence.attach_file(ws, f, inspection_id=iid, item_id=items[k % len(items)])
            f.unlink()
        attach_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        res = backup(ws, root / "out" / "backup.zip")
        backup_s = time.perf_counter() - t0
        ws.close()

        t0 = time.perf_counter()
        check_archive(res.path)
        check_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        fresh = restore(root / "fresh", res.path)
        fresh_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        over = restore(root / "home", res.path)
        over_s = time.perf_counter() - t0
        assert fresh.evidence_files == over.evidence_files == n_files

    print(
        f"bench_backup: {n_files} evidence files, {total / 1e6:.1f} MB evidence "
        f"(attach via evidence.attach_file: {attach_s:.1f} s)"
    )
    print(f"  backup (snapshot+zip+manifest+fsync): {backup_s:.2f} s, archive {res.bytes / 1e6:.1f} MB")
    print(f"  check archive (names, manifest):      {check_s:.3f} s")
    print(f"  restore into an empty directory:      {fresh_s:.2f} s (hash-checked extraction)")
    print(f"  restore over live data:               {over_s:.2f} s (incl. before-restore safety archive)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
