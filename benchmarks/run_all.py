"""Run every benchmarks/bench_*.py in its own subprocess (fresh interpreter: no warm caches leaking from
one benchmark into the next) and print their figures in one place.

Run: `python benchmarks/run_all.py [--quick] [--only NAME]`; extra arguments after `--` go to every script.
Exit code 1 when any benchmark failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="pass --quick to scripts that accept it")
    ap.add_argument("--only", action="append", default=[], metavar="NAME", help="e.g. --only backup")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if any(o in s.stem for o in args.only)]
    failed = []
    for script in scripts:
        extra = [a for a in args.rest if a != "--"]
        if args.quick and "--quick" in script.read_text(encoding="utf-8"):
            extra.append("--quick")
        print(f"=== {script.name} {' '.join(extra)}".rstrip(), flush=True)
        t0 = time.perf_counter()
        try:
            r = subprocess.run(
                [sys.executable, str(script), *extra],
                cwd=HERE.parent,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=args.timeout,
            )
            code, out, err = r.returncode, r.stdout, r.stderr
        except subprocess.TimeoutExpired:
            code, out, err = -1, "", f"timed out after {args.timeout:.0f} s"
        sys.stdout.write(out if out.endswith("\n") or not out else out + "\n")
        if code != 0:
            failed.append(script.name)
            sys.stdout.write(f"FAILED (exit {code}): {err.strip()[-1500:]}\n")
        print(f"--- {script.name}: {time.perf_counter() - t0:.1f} s wall", flush=True)
    print(
        f"\n{len(scripts) - len(failed)} of {len(scripts)} benchmarks ran"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
