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


def test_show_json_keeps_its_fields_and_adds_tracks_and_deadline_dates(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    h = ["--data-dir", str(ws.home)]
    opened = ["open", "--org", ORG, "--playbook", "ransomware", "--detected-at", "2026-04-06T10:00"]
    code, out, _ = _run(capsys, "incident", *opened, *h)
    assert code == 0
    iid = out.strip()
    _run(capsys, "incident", "triage", iid, "personal_info=yes", "over_100=yes", "mynumber=yes", *h)
    d = json.loads(_run(capsys, "incident", "show", iid, "--json", *h)[1])
    # documented fields stay
    assert {"incident", "threat", "shape", "triage", "triage_questions", "steps", "current_step"} <= set(d)
    assert {"deadlines", "ppc", "timeline", "evidence"} <= set(d)
    step = d["steps"][0]
    assert {"id", "phase_id", "phase_title", "title", "state", "within_hours", "target_at"} <= set(step)
    # containment first, in parallel with the first report
    assert d["current_step"] == "isolate" and step["track"] == "act"
    assert d["current_steps"] == {"act": "isolate", "report": "report-manager"}
    assert d["tracks"] == {"act": "封じ込め・対処", "report": "報告・連絡"}
    dl = {x["id"]: x for x in d["deadlines"]}
    final = dl["ppc_final"]
    assert {"due_date", "limit_date", "status", "remaining_seconds", "basis", "note"} <= set(final)
    assert (final["legal_date"], final["due_date"], final["limit_date"]) == (
        "2026-05-07",
        "2026-05-05",
        "2026-05-07",
    )
    assert final["rolled_over"] == ["2026-05-05（火） こどもの日", "2026-05-06（水） 振替休日"]
    # 特定個人情報 with its triggers unanswered: 要判断, no date
    mn = dl["ppc_mynumber_final"]
    assert (mn["status"], mn["decided"], mn["due_date"], mn["legal_date"]) == ("undecided", False, None, None)
    assert mn["pending"] == ["improper_purpose", "mynumber_system", "mynumber_public", "mynumber_over_100"]
    out = _run(capsys, "incident", "show", iid, *h)[1]
    assert "今 封じ込め・対処: 端末をネットワークから切り離す (isolate)" in out
    assert "法定期限 令和8年5月7日  内部目標 令和8年5月5日" in out and "要判断" in out  # 和暦 (issue 11)
    assert "未回答の質問: 不正の目的によるおそれがありますか" in out  # the question, not its key


def test_closed_days_command_moves_the_legal_deadline(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    h = ["--data-dir", str(ws.home), "--org", ORG]
    code, out, _ = _run(capsys, "incident", "closed-days", *h)
    assert code == 0 and "登録されていません" in out
    assert _run(capsys, "incident", "closed-days", "add", "06-23", "--note", "慰霊の日（条例）", *h)[0] == 0
    assert _run(capsys, "incident", "closed-days", "add", "2026/08/14", "--note", "夏季一斉閉庁", *h)[0] == 0
    code, out, _ = _run(capsys, "incident", "closed-days", "--json", *h)
    assert json.loads(out) == [
        {"day": "06-23", "note": "慰霊の日（条例）"},
        {"day": "2026-08-14", "note": "夏季一斉閉庁"},
    ]
    code, _, err = _run(capsys, "incident", "closed-days", "add", "02-30", *h)
    assert code == 2 and "MM-DD" in err
    code, out, _ = _run(
        capsys, "incident", "open", "--playbook", "misdelivery", "--detected-at", "2026-05-25T09:00", *h
    )
    iid = out.strip()
    _run(capsys, "incident", "triage", iid, "personal_info=yes", "sensitive=yes", "--data-dir", str(ws.home))
    d = json.loads(_run(capsys, "incident", "show", iid, "--json", "--data-dir", str(ws.home))[1])
    final = next(x for x in d["deadlines"] if x["id"] == "ppc_final")
    assert (final["due_date"], final["legal_date"]) == ("2026-06-23", "2026-06-24")
    assert "要確認" in final["legal_caveat"]
    assert d["closed_days"][0]["day"] == "06-23"
    assert _run(capsys, "incident", "closed-days", "remove", "06-23", *h)[0] == 0
    code, _, err = _run(capsys, "incident", "closed-days", "remove", "06-23", *h)
    assert code == 2 and "ありません" in err
    d = json.loads(_run(capsys, "incident", "show", iid, "--json", "--data-dir", str(ws.home))[1])
    assert next(x for x in d["deadlines"] if x["id"] == "ppc_final")["legal_date"] == "2026-06-23"


def test_playbooks_for_a_body(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    def ids(org: str) -> set[str]:
        out = _run(capsys, "incident", "playbooks", "--json", "--org", org)[1]
        return {b["id"] for b in json.loads(out)}

    assert "sns-takeover" not in ids("abira-cho")
    assert "sns-takeover" in ids("shunan-eisei")
    code, _, err = _run(
        capsys,
        "incident",
        "open",
        "--org",
        "abira-cho",
        "--playbook",
        "sns-takeover",
        "--data-dir",
        str(ws.home),
    )
    assert code == 2 and "安平町" in err
