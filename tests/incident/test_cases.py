"""Incident use cases on a real database (the SQLite file, and a PostgreSQL server): append-only
timeline (trigger tested with raw SQL), step state from the latest entry, triage and deadlines, reports
made, PPC items, evidence, close/reopen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engines import Raw

from selfcheck.errors import CloseRefused, IncidentClosedError, SelfcheckError
from selfcheck.incident import attachments, cases, queries
from selfcheck.incident.demo import create_demo_incident
from selfcheck.workspace import Workspace
from tests.incident.conftest import ORG, TOWN

pytestmark = pytest.mark.engines


def _audit_count(ws: Workspace) -> int:
    with Raw(ws) as db:
        return int(db.scalar("SELECT count(*) FROM auditrecord"))


def test_timeline_trigger_rejects_update_and_delete(ws: Workspace, incident: int) -> None:
    cases.add_note(ws, incident, "最初のメモ")
    with Raw(ws) as db:
        statements = [
            f"UPDATE timelineentry SET text = 'rewritten' WHERE incident_id = {incident}",
            f"DELETE FROM timelineentry WHERE incident_id = {incident}",
        ]
        if ws.on_server:  # PostgreSQL's TRUNCATE fires no row trigger: it has its own
            statements.append("TRUNCATE timelineentry CASCADE")
        for sql in statements:
            with pytest.raises(db.integrity_error, match="append-only"):
                db.run(sql)
        texts = [r[0] for r in db.rows("SELECT text FROM timelineentry ORDER BY id")]
    assert "最初のメモ" in texts and "rewritten" not in texts


def test_open_records_entry_and_audit(ws: Workspace) -> None:
    before = _audit_count(ws)
    iid = cases.open_incident(
        ws,
        org_id=TOWN,
        playbook_id="ransomware",
        detected_at="2026-11-23T08:15",
        title="端末に身代金要求の画面",
    )
    d = queries.detail(ws, iid)
    assert d.incident.title == "端末に身代金要求の画面"
    assert d.incident.detected_at == "2026-11-23T08:15:00+09:00"
    assert [t.kind for t in d.timeline] == ["opened"]
    assert d.timeline[0].actor == "山田 花子"
    assert _audit_count(ws) > before
    assert d.threat.clause == "3(1)"


def test_future_detection_time_and_unknown_playbook_are_refused(ws: Workspace) -> None:
    with pytest.raises(SelfcheckError, match="future"):
        cases.open_incident(ws, org_id=ORG, playbook_id="outage", detected_at="2026-11-24T09:00")
    with pytest.raises(SelfcheckError, match="no playbook"):
        cases.open_incident(ws, org_id=ORG, playbook_id="nope")
    with pytest.raises(SelfcheckError, match="bad date"):
        cases.open_incident(ws, org_id=ORG, playbook_id="outage", detected_at="昨日")


def test_step_state_is_the_latest_entry(ws: Workspace, incident: int) -> None:
    cases.mark_step(ws, incident, "search", "done")
    cases.mark_step(ws, incident, "search", "reopen", "まだ探していない場所があった")
    cases.mark_step(ws, incident, "search", "skip", "会場が閉館していた")
    step = next(s for s in queries.detail(ws, incident).steps if s.id == "search")
    assert (step.state, step.reason, step.state_by) == ("skipped", "会場が閉館していた", "山田 花子")
    kinds = [t.kind for t in queries.timeline(ws, incident) if t.step_id == "search"]
    assert kinds == ["step_done", "step_reopened", "step_skipped"]


def test_skip_needs_reason_and_ciso_report_cannot_be_skipped(ws: Workspace, incident: int) -> None:
    with pytest.raises(SelfcheckError, match="empty"):
        cases.mark_step(ws, incident, "search", "skip", "  ")
    with pytest.raises(SelfcheckError, match="never skipped"):
        cases.mark_step(ws, incident, "report-ciso", "skip", "忙しい")
    with pytest.raises(SelfcheckError, match="no step"):
        cases.mark_step(ws, incident, "nope", "done")


def test_current_step_and_target_time(ws: Workspace, incident: int) -> None:
    d = queries.detail(ws, incident)
    assert d.current_step is not None and d.current_step.id == "report-manager"
    assert d.current_step.target_at == "2026-11-21T10:30:00+09:00"  # within 1 hour of 覚知
    assert d.current_step.target_passed  # the fixed clock is two days later
    cases.mark_step(ws, incident, "report-manager", "done")
    d = queries.detail(ws, incident)
    assert d.current_step is not None and d.current_step.id == "remote-lock"
    # the two tracks run at the same time: containment does not wait for the reporting chain
    assert {t: s.id for t, s in d.current_steps.items()} == {"act": "remote-lock", "report": "escalate"}
    assert d.as_dict()["current_steps"] == {"act": "remote-lock", "report": "escalate"}


def test_steps_show_contacts_for_their_roles(ws: Workspace, incident: int) -> None:
    from selfcheck.incident import contacts, queries

    contacts.add_contact(ws, ORG, role="manager", name="田中 誠", phone="0834-55-0101")
    contacts.set_role_title(ws, ORG, "manager", "情報セキュリティ管理者（総務課長）")
    step = queries.detail(ws, incident).steps[0]
    assert [(c.name, c.phone) for c in step.contacts] == [("田中 誠", "0834-55-0101")]
    assert step.contacts[0].role_title == "情報セキュリティ管理者（総務課長）"
    assert step.missing_contacts == ("代行者",)


def test_triage_changes_are_timeline_entries_and_drive_deadlines(ws: Workspace, incident: int) -> None:
    before = queries.detail(ws, incident).deadlines
    # nothing answered yet: every report that may apply is 要判断, none is left out and none has a date
    assert {x.status for x in before} == {"undecided"} and {"ppc_prelim", "ppc_final"} <= {
        x.id for x in before
    }
    assert all(x.due_date is None for x in before)
    assert cases.set_triage(ws, incident, {"personal_info": "yes", "over_100": "yes"}) == 2
    assert cases.set_triage(ws, incident, {"personal_info": "yes"}) == 0  # unchanged: no entry
    d = queries.detail(ws, incident)
    ids = {x.id for x in d.deadlines}
    assert {"ppc_prelim", "ppc_final", "persons", "members"} <= ids  # union -> 構成市町村
    assert "police" not in ids  # 紛失 is not a crime (盗難 is the theft playbook)
    final = next(x for x in d.deadlines if x.id == "ppc_final")
    # 覚知 11/21 = day 1; day 30 is Sun 12/20: legal deadline Mon 12/21, internal target stays 12/20
    assert (final.due_date, final.legal_date) == ("2026-12-20", "2026-12-21")
    assert final.alternative.startswith("不正の目的")  # improper purpose unanswered: the 60-day case is named
    cases.set_triage(ws, incident, {"encrypted": "yes"})
    assert "ppc_prelim" not in {x.id for x in queries.detail(ws, incident).deadlines}
    cases.set_triage(ws, incident, {"encrypted": "unknown"})
    entries = [t for t in queries.timeline(ws, incident) if t.kind == "triage"]
    assert [(t.data["key"], t.data["old"], t.data["new"]) for t in entries][-2:] == [
        ("encrypted", "unknown", "yes"),
        ("encrypted", "yes", "unknown"),
    ]
    with pytest.raises(SelfcheckError):
        cases.set_triage(ws, incident, {"personal_info": "maybe"})
    with pytest.raises(SelfcheckError):
        cases.set_triage(ws, incident, {"colour": "yes"})


def test_non_union_has_no_member_report(ws: Workspace) -> None:
    iid = cases.open_incident(ws, org_id=TOWN, playbook_id="misdelivery", detected_at="2026-11-22T10:00")
    cases.set_triage(ws, iid, {"personal_info": "yes", "sensitive": "yes"})
    assert "members" not in {x.id for x in queries.detail(ws, iid).deadlines}


def test_report_made_clears_the_countdown_and_can_be_undone(ws: Workspace, incident: int) -> None:
    cases.set_triage(ws, incident, {"personal_info": "yes", "over_100": "yes"})
    prelim = lambda: next(x for x in queries.detail(ws, incident).deadlines if x.id == "ppc_prelim")  # noqa: E731
    assert prelim().status == "due"  # 11/23 is day 3
    cases.mark_report(ws, incident, "ppc_prelim", made_at="2026-11-23T09:00")
    assert (prelim().status, prelim().made_at) == ("done", "2026-11-23T09:00:00+09:00")
    cases.mark_report(ws, incident, "ppc_prelim", undo=True)
    assert prelim().status == "due"
    with pytest.raises(SelfcheckError):
        cases.mark_report(ws, incident, "nope")


def test_ppc_items_and_fields(ws: Workspace, incident: int) -> None:
    cases.set_ppc(ws, incident, "count", "150人")
    cases.set_ppc(ws, incident, "count", "152人")
    cases.set_field(ws, incident, "title", "USBメモリ紛失")
    cases.set_field(ws, incident, "detected_at", "2026-11-22T08:00")
    d = queries.detail(ws, incident)
    assert d.ppc["count"] == "152人" and d.incident.title == "USBメモリ紛失"
    assert d.as_dict()["ppc"]["overview"] == ""
    fields = [t.data for t in d.timeline if t.kind == "field"]
    assert fields[1] == {"field": "ppc.count", "old": "150人", "new": "152人"}
    assert fields[-1]["field"] == "detected_at"
    with pytest.raises(SelfcheckError):
        cases.set_ppc(ws, incident, "nope", "x")
    with pytest.raises(SelfcheckError):
        cases.set_field(ws, incident, "status", "closed")


def test_evidence_file_gets_timeline_entry_with_hash(ws: Workspace, incident: int, tmp_path: Path) -> None:
    f = tmp_path / "写真.txt"
    f.write_text("画面の写真の代わり", encoding="utf-8")
    ev = attachments.add_evidence_file(ws, incident, f, description="画面")
    attachments.add_evidence_paper(ws, incident, "総務係 キャビネット2段目")
    d = queries.detail(ws, incident)
    assert [e.id for e in d.evidence] == [ev.id, ev.id + 1]
    entry = next(t for t in d.timeline if t.kind == "evidence")
    assert entry.evidence_id == ev.id and entry.data["sha256"] == ev.sha256 and len(ev.sha256 or "") == 64


def test_close_refused_with_open_required_steps_then_closed(ws: Workspace, incident: int) -> None:
    with pytest.raises(CloseRefused) as e:
        cases.close_incident(ws, incident)
    assert "終結できません" in e.value.message_ja and "CISOに報告する（report-ciso）" in e.value.message_ja
    d = queries.detail(ws, incident)
    for s in d.steps:
        if s.required:
            if s.skippable:
                cases.mark_step(ws, incident, s.id, "skip", "訓練のため省略")
            else:
                cases.mark_step(ws, incident, s.id, "done")
    cases.close_incident(ws, incident, "訓練終了")
    d = queries.detail(ws, incident)
    assert d.incident.status == "closed" and d.closed_by == "山田 花子"
    with pytest.raises(IncidentClosedError):
        cases.add_note(ws, incident, "終結後のメモ")
    cases.reopen_incident(ws, incident, "追加の被害が判明")
    cases.add_note(ws, incident, "再開後のメモ")
    statuses = [t.text for t in queries.timeline(ws, incident) if t.kind == "status"]
    assert statuses == ["終結（訓練終了）", "再開（追加の被害が判明）"]


def test_timeline_csv_has_bom_and_neutralises_formulas(ws: Workspace, incident: int, tmp_path: Path) -> None:
    cases.add_note(ws, incident, '=HYPERLINK("http://x")')
    out = tmp_path / "t.csv"
    assert queries.timeline_csv(ws, incident, out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")


def test_demo_incident(ws: Workspace) -> None:
    iid = create_demo_incident(ws, ORG)
    d = queries.detail(ws, iid)
    assert d.incident.status == "open"
    assert {s.state for s in d.steps} == {"done", "skipped", "open"}
    assert d.evidence and d.evidence[0].sha256
    assert any(t.kind == "note" for t in d.timeline)
    assert {"ppc_prelim", "ppc_final", "persons"} <= {x.id for x in d.deadlines}
    assert json.loads(json.dumps(d.as_dict(), ensure_ascii=False))["triage"]["over_100"] == "yes"
    assert any(c.phone for s in d.steps for c in s.contacts)
