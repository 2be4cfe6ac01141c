"""Pilot story at 80×24: from the home screen open an incident, answer triage, complete and skip steps,
add a note and evidence, quit, resume in a new app, be refused closing with an open required step, then
close. Everything is checked through the core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfcheck import orgs, settings
from selfcheck.clock import fixed_clock
from selfcheck.incident import cases, contacts, queries
from selfcheck.incident.playbook import builtin_playbooks
from selfcheck.tui.app import make_app
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.error import ErrorDialog
from selfcheck.tui.dialogs.evidence import EvidenceDialog
from selfcheck.tui.dialogs.incident import PlaybookPicker, TriageDialog
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.screens.contacts import ContactsScreen
from selfcheck.tui.screens.incident import IncidentScreen
from selfcheck.tui.screens.incident_home import IncidentHomeScreen
from selfcheck.tui.screens.report import ReportScreen
from selfcheck.workspace import open_workspace
from tests.conftest import FIXED_NOW
from tests.incident.conftest import ORG

CLOCK = fixed_clock(FIXED_NOW)
SIZE = (80, 24)


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app: Any) -> str:
    import html
    import re

    parts = re.findall(r"<text[^>]*>(.*?)</text>", app.export_screenshot(), flags=re.S)
    return html.unescape("".join(parts)).replace("\xa0", " ")


def _prepare(home: Path) -> None:
    ws = open_workspace(home, actor="山田 花子", clock=CLOCK)
    orgs.choose_org(ws, ORG)
    settings.set_(ws, "actor", "山田 花子")
    contacts.add_contact(ws, ORG, role="manager", name="田中 誠", phone="0834-55-0101")
    ws.close()


async def test_incident_story(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _prepare(home)
    memo = tmp_path / "状況メモ.txt"
    memo.write_text("USBメモリを紛失した経緯", encoding="utf-8")

    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")  # 「インシデント対応」 from the home screen
        await pilot.pause()
        assert isinstance(app.screen, IncidentHomeScreen)
        await pilot.press("a")  # 追加: a new incident
        await pilot.pause()
        assert isinstance(app.screen, PlaybookPicker)
        index = list(builtin_playbooks()).index("lost-stolen")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)  # 覚知, default now
        assert app.screen.query_one("#text").value == "令和8年11月23日 10:00"  # as a clerk writes it
        app.screen.query_one("#text").value = "2026-11-21 16:40"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TriageDialog)
        # personal_info yes, sensitive no, financial no, improper no, over_100 yes
        await pilot.press("1", "2", "2", "2", "1", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        iid = screen.incident_id
        text = screen_text(app)
        assert "情報セキュリティ管理者に報告する" in text and "田中 誠" in text and "0834-55-0101" in text
        assert "速報" in text and "法定期限12/21(月)" in text  # day 30 is Sun 12/20: the legal deadline rolls
        # both tracks have a step to do now, shown on their own lines whichever step is highlighted
        assert "今 封じ込め・対処 遠隔でロック・消去する" in text
        assert "今 報告・連絡     情報セキュリティ管理者に報告する" in text
        await pilot.press("d")  # report-manager done
        await pilot.pause()
        assert screen.selected_step_id() == "remote-lock"  # the first open step of either track
        await pilot.press(
            "v"
        )  # skip 遠隔ロック (a USB stick cannot be locked): a reason, then a confirmation
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        await pilot.press(*"USBメモリのため", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert screen.selected_step_id() == "search"
        await pilot.press("n")  # jump to the other track's now step
        await pilot.pause()
        assert screen.selected_step_id() == "escalate"
        await pilot.press("n")
        await pilot.pause()
        assert screen.selected_step_id() == "search"
        await pilot.press("v")  # skip 「まず探す」
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        await pilot.press(*"既に探した", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "省略" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("c")  # メモ
        await pilot.pause()
        await pilot.press(*"会場に確認中", "enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceDialog)
        app.screen.query_one("#path").value = str(memo)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, IncidentScreen)
        await pilot.press("ctrl+q")

    ws = open_workspace(home, clock=CLOCK)
    d = queries.detail(ws, iid)
    states = {s.id: (s.state, s.reason) for s in d.steps}
    assert states["report-manager"] == ("done", "") and states["search"] == ("skipped", "既に探した")
    assert {q.key: q.answer for q in d.triage}["over_100"] == "yes"
    assert d.incident.detected_at == "2026-11-21T16:40:00+09:00"
    assert [e.original_name for e in d.evidence] == ["状況メモ.txt"]
    kinds = [t.kind for t in d.timeline]
    assert kinds.count("triage") == 5 and "note" in kinds and "evidence" in kinds
    assert {t.actor for t in d.timeline} == {"山田 花子"}
    ws.close()

    # resume in a new app: the incident is where it was; closing is refused with a clear message
    app2 = make_app(home=home, clock=CLOCK)
    async with app2.run_test(size=SIZE) as pilot:
        await settle(app2, pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("enter")  # the open incident is highlighted
        await pilot.pause()
        screen = app2.screen
        assert isinstance(screen, IncidentScreen) and screen.incident_id == iid
        assert screen.selected_step_id() == "escalate"
        await pilot.press("z")  # 終結: asks first
        await pilot.pause()
        assert isinstance(app2.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app2.screen, ErrorDialog)
        text = screen_text(app2)
        assert "終結できません" in text and "必須の手順" in text
        await pilot.press("escape")
        await pilot.pause()
        ws2 = app2.ws
        assert ws2 is not None
        for s in queries.detail(ws2, iid).open_required:
            cases.mark_step(ws2, iid, s.id, "done")
        screen.reload()
        await pilot.press("z", "y")
        await pilot.pause()
        assert isinstance(app2.screen, IncidentScreen)
        assert queries.detail(ws2, iid).incident.status == "closed"
        await pilot.press("p")  # the report screen, same keys as the inspection's: m makes a draft
        await pilot.pause()
        assert isinstance(app2.screen, ReportScreen)
        await pilot.press("m")
        await settle(app2, pilot)
        assert (home / "reports" / f"インシデント報告書_{iid}_下書き.pdf").stat().st_size > 10_000
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")  # 連絡先
        await pilot.pause()
        assert isinstance(app2.screen, ContactsScreen)
        assert "田中 誠" in screen_text(app2)
        await pilot.press("ctrl+q")


async def test_unanswered_triage_is_not_shown_as_nothing_due(tmp_path: Path) -> None:
    """With triage questions still open, the dashboard must not say that no report is due."""
    home = tmp_path / "home"
    _prepare(home)
    ws = open_workspace(home, actor="山田 花子", clock=CLOCK)
    iid = cases.open_incident(
        ws, org_id=ORG, playbook_id="lost-stolen", detected_at="2026-11-23T09:00:00+09:00"
    )
    ws.close()
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(IncidentScreen(iid))
        await settle(app, pilot)
        text = screen_text(app)
        assert "要判断" in text and "g で回答" in text


async def test_picker_offers_only_the_playbooks_that_fit_the_body(tmp_path: Path) -> None:
    """安平町's policy has no SNS clause: the SNS takeover playbook is not offered to it."""
    home = tmp_path / "home"
    ws = open_workspace(home, actor="山田 花子", clock=CLOCK)
    orgs.choose_org(ws, "abira-cho")
    settings.set_(ws, "actor", "山田 花子")
    ws.close()
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "a")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PlaybookPicker)
        ids = [pb.id for pb in picker.playbooks]
        assert "sns-takeover" not in ids and {"ransomware", "theft", "payment-fraud"} <= set(ids)


async def test_reports_dialog_shows_legal_deadline_and_target(tmp_path: Path) -> None:
    from selfcheck.tui.dialogs.incident import ReportsDialog

    home = tmp_path / "home"
    _prepare(home)
    ws = open_workspace(home, actor="山田 花子", clock=CLOCK)
    iid = cases.open_incident(ws, org_id=ORG, playbook_id="misdelivery", detected_at="2026-11-21T09:00")
    cases.set_triage(ws, iid, {"personal_info": "yes", "over_100": "yes", "improper_purpose": "no"})
    ws.close()
    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(IncidentScreen(iid))
        await settle(app, pilot)
        await pilot.press("b")  # 外部報告
        await pilot.pause()
        assert isinstance(app.screen, ReportsDialog)
        text = screen_text(app)
        assert "法定期限 令和8年12月21日（月）" in text and "内部目標 令和8年12月20日（日）" in text
        assert "休日のため繰下げ" in text
