"""Snapshot tests of every screen and dialog at 80×24 and 160×50, on frozen data and a fixed clock.

The data is made once per module through the core (a frozen 9-item checklist from tests/tui/data so the
growing question bank does not change them; last year's inspection carried into this year's with answers
of each kind, evidence and 改善策; an incident with triage answers and contacts) and copied for each test.
Each scene reaches its screen with the keys a clerk would press. Judge the Japanese text in the SVG, not
glyph overlap; behaviour is asserted with Pilot elsewhere."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from selfcheck import evidence, inspection, orgs, settings
from selfcheck.catalog import load_catalog
from selfcheck.incident import cases, contacts
from selfcheck.tui.app import make_app
from selfcheck.workspace import open_workspace
from tests.tui.conftest import CLOCK, ORG, settle

FROZEN = Path(__file__).parent / "data" / "checklists"
SIZES = {"80x24": (80, 24), "160x50": (160, 50)}
Scene = Callable[[Any], Awaitable[None]]


@pytest.fixture(scope="module")
def catalog_patch() -> Iterator[None]:
    catalog = load_catalog(FROZEN)
    assert not catalog.problems
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("selfcheck.catalog.builtin_catalog", lambda: catalog)
        yield


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory, catalog_patch: None) -> Path:
    """One data directory with everything the scenes show, made through the core."""
    root = tmp_path_factory.mktemp("snap")
    ws = open_workspace(root / "home", actor="山田 花子", clock=CLOCK)
    orgs.choose_org(ws, ORG)
    settings.set_(ws, "actor", "山田 花子")
    prev = inspection.start(ws, org_id=ORG, fiscal_year=2025)
    items = inspection.detail(ws, prev).items
    org = [it for it in items if it.section == "7(1)"]
    inspection.record_answer(
        ws, inspection_id=prev, item_id=org[0].item_id, value="partial", comment="体制表に職名のみ記載"
    )
    inspection.set_improvement(
        ws,
        inspection_id=prev,
        item_id=org[0].item_id,
        action="指名日を体制表に追記する",
        owner="総務係長",
        due_date="2026-03-31",
    )
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026, from_previous=prev)
    inspection.record_answer(ws, inspection_id=iid, item_id=org[1].item_id, value="implemented")
    inspection.record_answer(ws, inspection_id=iid, item_id=org[2].item_id, value="not_implemented")
    doc = root / "体制表_令和8年度.pdf"
    doc.write_bytes(b"%PDF-1.4\n" + b"0" * 20_000)
    evidence.attach_file(ws, doc, inspection_id=iid, item_id=org[0].item_id)
    evidence.attach_paper(ws, "総務係 キャビネット2段目", inspection_id=iid, item_id=org[0].item_id)
    contacts.add_contact(ws, ORG, role="manager", name="田中 誠", organization="総務課", phone="0834-55-0101")
    contacts.add_contact(ws, ORG, role="chief", name="山口 次郎", organization="総務課", phone="0834-00-0000")
    inc = cases.open_incident(
        ws,
        org_id=ORG,
        playbook_id="lost-stolen",
        detected_at="2026-11-21T16:40:00+09:00",
        title="USBメモリの紛失",
    )
    cases.set_triage(ws, inc, {"personal_info": "yes", "over_100": "yes"})
    settings.set_(ws, "ui.screen", "home")
    ws.close()
    return root / "home"


@pytest.fixture
def home(master: Path, tmp_path: Path, catalog_patch: None) -> Path:
    target = tmp_path / "home"
    shutil.copytree(master, target)
    return target


async def keys(pilot: Any, *pressed: str) -> None:
    await settle(pilot.app, pilot)
    for key in pressed:
        await pilot.press(key)
        await settle(pilot.app, pilot, rounds=2)


def press(*pressed: str) -> Scene:
    async def scene(pilot: Any) -> None:
        await keys(pilot, *pressed)

    return scene


async def first_run(pilot: Any) -> None:
    await settle(pilot.app, pilot)


async def key_setup(pilot: Any) -> None:
    await keys(pilot, "5")


async def history(pilot: Any) -> None:
    await keys(pilot, "1", "h")


async def contact_form(pilot: Any) -> None:
    await keys(pilot, "2", "t", "enter")


SCENES: dict[str, Scene] = {
    "home": press(),
    "home_help": press("question_mark"),
    "start_dialog": press("4"),
    "start_existing_year": press("4", "backspace", "2", "0", "2", "6"),
    "setup": press("6"),
    "key_setup": key_setup,
    "inspection": press("1"),
    "inspection_help": press("1", "question_mark"),
    "inspection_gap_prompt": press("1", "down", "down"),
    "comment_dialog": press("1", "c"),
    "improvement_dialog": press("1", "i"),
    "evidence_dialog": press("1", "e"),
    "history": history,
    "summary": press("1", "s"),
    "report": press("1", "p"),
    "sign_confirm": press("1", "p", "w"),
    "incident_home": press("2"),
    "playbook_picker": press("2", "a"),
    "incident": press("2", "enter"),
    "triage": press("2", "enter", "g"),
    "reports_dialog": press("2", "enter", "b"),
    "fields_dialog": press("2", "enter", "f"),
    "timeline": press("2", "enter", "h"),
    "skip_reason": press("2", "enter", "down", "v"),
    "contacts": press("2", "t"),
    "contact_form": contact_form,
    "delete_confirm": press("2", "t", "x"),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("scene", list(SCENES))
def test_snapshot(home: Path, scene: str, size: str, snap_compare: Any) -> None:
    assert snap_compare(make_app(home=home, clock=CLOCK), terminal_size=SIZES[size], run_before=SCENES[scene])


def test_first_run_setup_snapshot(tmp_path: Path, snap_compare: Any, catalog_patch: None) -> None:
    """A fresh install: the setup screen (body and name) at 80×24."""
    assert snap_compare(
        make_app(home=tmp_path / "home", clock=CLOCK), terminal_size=(80, 24), run_before=first_run
    )
