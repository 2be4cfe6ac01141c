"""`selfcheck incident ...` end to end through main(argv): JSON output, exit codes, bilingual errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck.cli import main
from selfcheck.workspace import Workspace
from tests.incident.conftest import ORG


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_incident_story_via_cli(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    h = ["--data-dir", str(ws.home), "--user", "佐藤"]
    code, out, _ = _run(
        capsys,
        "incident",
        "open",
        "--org",
        ORG,
        "--playbook",
        "misdelivery",
        "--detected-at",
        "2026-11-22T15:00",
        "--title",
        "名簿の誤送信",
        *h,
    )
    assert code == 0
    iid = out.strip()
    assert _run(capsys, "incident", "triage", iid, "personal_info=yes", "over_100=yes", *h)[0] == 0
    assert _run(capsys, "incident", "step", iid, "report-manager", "done", *h)[0] == 0
    code, _, err = _run(capsys, "incident", "step", iid, "ask-delete", "skip", *h)
    assert code == 2 and " / " in err  # bilingual one-liner
    assert _run(capsys, "incident", "step", iid, "ask-delete", "skip", "--reason", "宛先不明", *h)[0] == 0
    assert _run(capsys, "incident", "note", iid, "先方に電話済み", *h)[0] == 0
    assert _run(capsys, "incident", "ppc", iid, "count", "120人", *h)[0] == 0
    assert _run(capsys, "incident", "reported", iid, "ppc_prelim", "--at", "2026-11-23T09:30", *h)[0] == 0
    f = tmp_path / "送信控え.txt"
    f.write_text("誤送信したメールの控え", encoding="utf-8")
    assert _run(capsys, "incident", "evidence", iid, str(f), *h)[0] == 0

    code, out, _ = _run(capsys, "incident", "show", iid, "--json", *h)
    d = json.loads(out)
    assert d["incident"]["title"] == "名簿の誤送信" and d["incident"]["org_name"] == "周南地区衛生施設組合"
    assert d["triage"]["over_100"] == "yes" and d["ppc"]["count"] == "120人"
    states = {s["id"]: s["state"] for s in d["steps"]}
    assert states["report-manager"] == "done" and states["ask-delete"] == "skipped"
    dl = {x["id"]: x for x in d["deadlines"]}
    assert dl["ppc_prelim"]["status"] == "done" and dl["ppc_final"]["due_date"] == "2026-12-21"
    assert {t["actor"] for t in d["timeline"]} == {"佐藤"}
    assert len(d["evidence"][0]["sha256"]) == 64
    assert d["threat"]["clause"] == "3(2)"

    code, out, _ = _run(capsys, "incident", "list", "--json", *h)
    assert [x["id"] for x in json.loads(out)] == [int(iid)]
    code, _, err = _run(capsys, "incident", "close", iid, *h)
    assert code == 2 and "終結できません" in err and "cannot close" in err
    csv_out = tmp_path / "tl.csv"
    assert _run(capsys, "incident", "timeline", iid, "--csv", "-o", str(csv_out), *h)[0] == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_playbooks_json_and_errors(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "incident", "playbooks", "--json")
    books = json.loads(out)
    assert code == 0 and len(books) >= 11 and {"id", "title", "description", "threat"} <= set(books[0])
    code, _, err = _run(capsys, "incident", "show", "999", "--data-dir", str(ws.home))
    assert code == 2 and "見つかりません" in err and "no incident 999" in err
    code, _, err = _run(capsys, "incident", "triage", "1", "personal_info", "--data-dir", str(ws.home))
    assert code == 2 and "KEY=yes" in err
