"""The main self-inspection story, driven with Pilot and checked through the core: setup, answers,
comment, evidence (file and paper), 改善策, quit, resume at the same item, summary."""

from __future__ import annotations

from pathlib import Path

from selfcheck import inspection, scale
from selfcheck.tui.app import make_app
from selfcheck.tui.dialogs.evidence import EvidenceDialog
from selfcheck.tui.dialogs.improvement import ImprovementDialog
from selfcheck.tui.dialogs.start_inspection import StartInspectionDialog
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.inspection import InspectionScreen
from selfcheck.tui.screens.setup import SetupScreen
from selfcheck.tui.screens.summary import SummaryScreen
from selfcheck.workspace import open_workspace
from tests.tui.conftest import CLOCK, ORG, screen_text, settle


async def test_main_flow_setup_answer_evidence_quit_resume_summary(tmp_path: Path) -> None:
    home = tmp_path / "home"
    doc = tmp_path / "体制表.pdf"
    doc.write_bytes(b"%PDF-1.4 fake but real bytes\n" * 100)

    app = make_app(home=home, clock=CLOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        # first run: choose the body and enter the name
        assert isinstance(app.screen, SetupScreen)
        index = [o.id for o in app.screen.orgs].index(ORG)
        await pilot.press(*["down"] * index, "enter")
        await pilot.press(*"山田", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "山田さんとして記録します" in screen_text(app)
        # start the inspection of the current fiscal year
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, StartInspectionDialog)
        assert "令和8年度（2026年度）" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        iid = screen.inspection_id
        items = inspection.detail(app.ws, iid).items
        first, second, third, fourth = (it.item_id for it in items[:4])
        assert screen.current == first

        # 1 = 実施している; a comment (number keys typed into the comment must not answer)
        await pilot.press("1", "c")
        assert isinstance(app.screen, TextInputDialog)
        await pilot.press(*"規程2", "enter")
        await pilot.pause()
        # evidence: a file (copied in a worker) and a paper location
        await pilot.press("e")
        assert isinstance(app.screen, EvidenceDialog)
        app.screen.query_one("#path").value = str(doc)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, InspectionScreen)
        await pilot.press("e")
        await pilot.click("#paper")
        app.screen.query_one("#paper").value = "総務係キャビネット"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)

        # 2 = 一部実施: no dialog opens by itself; the card asks for the 改善策 inline, i opens it
        await pilot.press("down", "2")
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)
        assert "改善策を i で入力してください" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImprovementDialog)
        dialog = app.screen
        dialog.query_one("#action").value = "管理簿を作る"
        dialog.query_one("#owner").value = "総務係長"
        dialog.query_one("#due").value = "2027-03-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)
        # 3 = 実施していない, no 改善策 yet: stays 「改善策未入力」
        await pilot.press("down", "3")
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)
        # 4 = 該当しない asks for a reason inline; r opens the field
        await pilot.press("down", "4")
        await pilot.pause()
        assert "該当しない理由を r で入力してください" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        await pilot.press(*"対象外", "enter")
        await pilot.pause()
        assert app.screen.current == fourth  # type: ignore[attr-defined]
        await pilot.press("up")  # cursor on the third item when we quit
        await pilot.pause()
        await pilot.press("q")
    assert app.return_code == 0

    # committed through the core, with who
    ws = open_workspace(home, clock=CLOCK)
    by_id = {it.item_id: it for it in inspection.detail(ws, iid).items}
    assert [by_id[i].value for i in (first, second, third, fourth)] == [
        "implemented",
        "partial",
        "not_implemented",
        "not_applicable",
    ]
    assert {by_id[i].answered_by for i in (first, second, third, fourth)} == {"山田"}
    assert by_id[first].comment == "規程2"
    kinds = sorted((e.kind, e.original_name or e.paper_location) for e in by_id[first].evidence)
    assert kinds == [("file", "体制表.pdf"), ("paper", "総務係キャビネット")]
    assert by_id[first].evidence[0].size == doc.stat().st_size
    imp = by_id[second].improvement
    assert imp is not None
    assert (imp.action, imp.owner, imp.due_date) == ("管理簿を作る", "総務係長", "2027-03-31")
    assert by_id[third].improvement is None
    assert by_id[fourth].na_reason == "対象外"
    ws.close()

    # a new app on the same data directory resumes at the same inspection and item
    app2 = make_app(home=home, clock=CLOCK)
    async with app2.run_test(size=(100, 32)) as pilot:
        await settle(app2, pilot)
        assert isinstance(app2.screen, InspectionScreen)
        assert app2.screen.inspection_id == iid
        assert app2.screen.current == third
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app2.screen, SummaryScreen)
        text = screen_text(app2)
        expected = scale.rate({"implemented": 1, "partial": 1, "not_implemented": 1})
        assert expected == 50.0
        assert f"進捗 4/{len(items)}" in text
        assert "実施率 50.0%" in text
        assert "改善策未入力" in text and "管理簿を作る" in text
        assert "実施している 1件" in text and "該当しない 1件" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app2.screen, InspectionScreen)
