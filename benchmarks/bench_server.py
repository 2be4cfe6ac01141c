"""The embedded database beside a PostgreSQL server, in one run. Run: `python benchmarks/bench_server.py
[--quick] [--pg-url URL]`.

- one answer, call to durable commit, median of 200: SQLite (WAL, synchronous=FULL) and PostgreSQL
  (synchronous_commit on, the server's default) on this machine; target for the server <= 10 ms
- 8 writer processes answering at once (each its own data directory, like 8 PCs): answers per second
  on each engine, and the slowest single answer seen

The server: --pg-url, else $SELFCHECK_TEST_PG_URL (a login that may create databases), else a throwaway
cluster started with .ci/pg_cluster.sh for this run and stopped at the end (needs initdb). A database
is created for the run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLUSTER = HERE.parent / ".ci" / "pg_cluster.sh"
sys.path.insert(0, str(HERE))

WRITER = r"""
import json, sys, time
from pathlib import Path
from selfcheck import inspection
from selfcheck.workspace import open_workspace
home, tag, n, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
ws = open_workspace(home, actor=tag)
inspection.list_inspections(ws)
print("READY", flush=True)
while not go.exists():
    time.sleep(0.002)
worst = 0.0
for i in range(n):
    t = time.perf_counter()
    inspection.record_answer(ws, inspection_id=1, item_id=f"bench-{(i * 7 + len(tag)) % 300:03d}",
                             value=("implemented", "partial")[i % 2], comment=f"{tag}-{i}")
    worst = max(worst, time.perf_counter() - t)
ws.close()
print(json.dumps({"worst_ms": worst * 1000}))
"""


def _server(url: str | None) -> tuple[str, dict[str, str], str | None]:
    """(admin URL, environment additions, cluster folder to stop or None)."""
    if url:
        return url, {}, None
    if os.environ.get("SELFCHECK_TEST_PG_URL"):
        return os.environ["SELFCHECK_TEST_PG_URL"], {}, None
    out = subprocess.run(["bash", str(CLUSTER), "start"], capture_output=True, text=True, check=True).stdout
    env = {}
    for line in out.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    return env["SELFCHECK_TEST_PG_URL"], env, env["SELFCHECK_PG_DIR"]


def _admin(url: str) -> object:
    import psycopg

    from selfcheck.models.target import parse_url

    t = parse_url(url)
    info = {"dbname": t.dbname, "user": t.user, "host": t.host or None, "port": t.port}
    if t.password:
        info["password"] = t.password
    return psycopg.connect(**{k: v for k, v in info.items() if v is not None}, autocommit=True)


def answer_median(ws: object, n: int) -> float:
    from bench_core import _synthetic_inspection, bench_answer

    iid = _synthetic_inspection(ws)
    bench_answer(ws, iid, n=50)  # warm: connection, prepared statements, first inserts of answer rows
    return bench_answer(ws, iid, n=n)


def writers(homes: list[Path], tmp: Path, per_writer: int) -> tuple[float, float]:
    go = tmp / f"go-{uuid.uuid4().hex[:6]}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(h), f"W{k}", str(per_writer), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k, h in enumerate(homes)
    ]
    for p in procs:
        line = p.stdout.readline().strip()  # type: ignore[union-attr]
        if line != "READY":
            raise SystemExit(f"writer failed: {p.stderr.read()}")  # type: ignore[union-attr]
    t = time.perf_counter()
    go.touch()
    worst = 0.0
    for p in procs:
        out, err = p.communicate(timeout=1800)
        if p.returncode != 0:
            raise SystemExit(f"writer failed: {err[-2000:]}")
        worst = max(worst, json.loads(out.strip().splitlines()[-1])["worst_ms"])
    return len(homes) * per_writer / (time.perf_counter() - t), worst


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer answers per writer (50 instead of 200)")
    ap.add_argument("--pg-url", help="admin URL of a PostgreSQL server (default: see the docstring)")
    args = ap.parse_args()
    from selfcheck import dbconfig
    from selfcheck.models.target import parse_url
    from selfcheck.workspace import open_workspace

    per_writer = 50 if args.quick else 200
    url, env, cluster = _server(args.pg_url)
    os.environ.update(env)
    name = f"selfcheck_bench_{uuid.uuid4().hex[:8]}"
    admin = _admin(url)
    try:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")  # type: ignore[attr-defined]
        version = admin.execute("SHOW server_version").fetchone()[0]  # type: ignore[attr-defined]
        base = parse_url(url)
        target = parse_url(url.rsplit("/", 1)[0] + f"/{name}")
        if base.password:
            target = target.with_password(base.password)
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            lite = open_workspace(tmp / "lite", actor="bench")
            lite_ms = answer_median(lite, 200)
            lite.close()
            server_home = tmp / "server"
            dbconfig.write_config(server_home, {"url": target.url})
            ws = open_workspace(server_home, actor="bench")
            pg_ms = answer_median(ws, 200)
            ws.close()
            lite_homes = [tmp / "lite"] * 8
            lite_rate, lite_worst = writers(lite_homes, tmp, per_writer)
            pg_homes = []
            for k in range(8):
                h = tmp / f"pc{k}"
                dbconfig.write_config(h, {"url": target.url})
                pg_homes.append(h)
            pg_rate, pg_worst = writers(pg_homes, tmp, per_writer)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]
        if cluster:
            subprocess.run(["bash", str(CLUSTER), "stop", cluster], check=False)
    print(
        f"answer -> durable commit, median of 200:  SQLite {lite_ms:.2f} ms   PostgreSQL {version.split()[0]} {pg_ms:.2f} ms  (target <= 10 ms)"
    )
    print(
        f"8 writers at once, {per_writer} answers each: SQLite {lite_rate:.0f} answers/s (slowest {lite_worst:.0f} ms)"
        f"   PostgreSQL {pg_rate:.0f} answers/s (slowest {pg_worst:.0f} ms)"
    )
    print(f"server: {shlex.quote(parse_url(url).display)}{' (throwaway cluster)' if cluster else ''}")


if __name__ == "__main__":
    main()
