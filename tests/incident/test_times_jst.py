"""A time typed without a zone is Japan time, even on a PC whose clock zone is UTC, and every time shown
to a user is JST (issue 11). The subprocess runs with TZ=UTC so the machine's zone really is UTC."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from selfcheck.incident import cases, queries
from selfcheck.workspace import Workspace

from .conftest import ORG


def _cli(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": "UTC", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "selfcheck", *argv, "--data-dir", str(home)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def test_detected_at_without_zone_is_jst_on_a_utc_machine(tmp_path: Path) -> None:
    home = tmp_path / "home"
    r = _cli(
        home,
        "incident",
        "open",
        "--playbook",
        "lost-stolen",
        "--org",
        ORG,
        "--detected-at",
        "2026-04-06T10:00",
    )
    assert r.returncode == 0, r.stderr
    iid = r.stdout.strip()
    r = _cli(home, "incident", "show", iid, "--json")
    data = json.loads(r.stdout)
    assert data["incident"]["detected_at"] == "2026-04-06T10:00:00+09:00"
    # the record of now is JST too, whatever the machine's zone
    assert data["incident"]["opened_at"].endswith("+09:00")
    r = _cli(home, "incident", "show", iid)
    assert "令和8年4月6日 10:00" in r.stdout and "+00:00" not in r.stdout
    r = _cli(home, "incident", "timeline", iid)
    assert r.returncode == 0 and "+00:00" not in r.stdout and "T" not in r.stdout.split()[0]


def test_times_typed_as_clerks_write_them(ws: Workspace) -> None:
    iid = cases.open_incident(
        ws, org_id=ORG, playbook_id="lost-stolen", detected_at="令和8年11月21日 9時30分"
    )
    d = queries.detail(ws, iid)
    assert d.incident.detected_at == "2026-11-21T09:30:00+09:00"
    assert cases.set_fields(ws, iid, {"occurred_at": "R8.11.21 7:40", "title": "USBメモリの紛失"}) == 2
    d = queries.detail(ws, iid)
    assert d.occurred_at == "2026-11-21T07:40:00+09:00" and d.incident.title == "USBメモリの紛失"
    assert "発生日時を令和8年11月21日 07:40に変更" in [t.text for t in d.timeline]
    # an empty 発生日時 means unknown again
    cases.set_fields(ws, iid, {"occurred_at": ""})
    assert queries.detail(ws, iid).occurred_at is None
