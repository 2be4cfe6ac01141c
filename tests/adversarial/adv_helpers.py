"""Shared by the adversarial tests: a populated data directory, the CLI run as a real process, and a
count of the cases each file tries (printed at the end of the run by conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from selfcheck import evidence, inspection
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"
REPO = Path(__file__).resolve().parents[2]


def populated(ws: Workspace, tmp: Path, *, answers: int = 6, files: int = 0, size: int = 4000) -> int:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    items = [it.item_id for it in inspection.detail(ws, iid).items]
    for n, item in enumerate(items[:answers]):
        inspection.record_answer(ws, inspection_id=iid, item_id=item, value="implemented", comment=f"c{n}")
    inspection.set_improvement(
        ws, inspection_id=iid, item_id=items[1], action="手順書を作る", owner="総務係", due_date="2027-03-31"
    )
    for k in range(files):
        f = tmp / f"ev{k}.bin"
        f.write_bytes(os.urandom(size + k))
        evidence.attach_file(ws, f, inspection_id=iid, item_id=items[k % len(items)])
        f.unlink()
    return iid


def cli(
    *args: object, home: Path | None = None, timeout: float = 60, **kw: object
) -> subprocess.CompletedProcess[str]:
    """`selfcheck ARGS` as a real process (so hangs, exit codes and stray tracebacks are real)."""
    cmd = [sys.executable, "-m", "selfcheck", *(str(a) for a in args)]
    if home is not None:
        cmd += ["--data-dir", str(home)]
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
        cwd=REPO,
        check=False,
        **kw,
    )


def one_line_error(res: subprocess.CompletedProcess[str]) -> str:
    """The user-facing failure: exit 2, no traceback, one line on stderr naming what went wrong."""
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    return lines[0]
