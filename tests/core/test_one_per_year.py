"""One inspection per body and fiscal year (issue 11): a second start is refused with the id to use and
how; a signed year is changed through a new revision, and a year's line has at most one open revision;
the start dialog is offered the next year. Core and CLI share the rule."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from selfcheck import inspection
from selfcheck.cli import main
from selfcheck.clock import JST, fixed_clock
from selfcheck.errors import InspectionExistsError
from selfcheck.workspace import Workspace, open_workspace

ORG = "gunma-sogo-jimu"


def _count(ws: Workspace, year: int) -> int:
    return sum(1 for r in inspection.list_inspections(ws, org_id=ORG) if r.fiscal_year == year)


def test_a_second_start_of_the_same_year_is_refused_with_the_open_one(ws: Workspace) -> None:
    first = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    with pytest.raises(InspectionExistsError) as exc:
        inspection.start(ws, org_id=ORG, fiscal_year=2026)
    err = exc.value
    assert (err.inspection_id, err.status, err.exit_code) == (first, "open", 2)
    assert f"点検 {first}" in err.message_ja and "令和8年度" in err.message_ja
    assert f"selfcheck inspection summary {first}" in err.message_ja
    assert _count(ws, 2026) == 1
    # another body, or another year, is a different inspection
    inspection.start(ws, org_id="abira-cho", fiscal_year=2026)
    inspection.start(ws, org_id=ORG, fiscal_year=2027, from_previous=first)


def test_a_signed_year_is_revised_not_started_again(ws: Workspace) -> None:
    first = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    inspection.finalize(ws, first)
    with pytest.raises(InspectionExistsError) as exc:
        inspection.start(ws, org_id=ORG, fiscal_year=2026)
    assert (exc.value.inspection_id, exc.value.status) == (first, "final")
    assert f"selfcheck report revise {first}" in exc.value.message_ja

    # reopening the signed inspection is the same year's line, not a second inspection
    rev = inspection.new_revision(ws, first)
    assert inspection.info(ws, rev).revision == 2
    # ... but only once: the line has one open revision
    with pytest.raises(InspectionExistsError) as exc:
        inspection.new_revision(ws, first)
    assert (exc.value.inspection_id, exc.value.status) == (rev, "open")
    with pytest.raises(InspectionExistsError, match="not final"):
        inspection.new_revision(ws, rev)
    # once revision 2 is signed, revision 1 is no longer the one to revise
    inspection.finalize(ws, rev)
    with pytest.raises(InspectionExistsError) as exc:
        inspection.new_revision(ws, first)
    assert exc.value.inspection_id == rev and "新しい版" in exc.value.message_ja
    third = inspection.new_revision(ws, rev)
    assert inspection.info(ws, third).revision == 3
    assert [r.status for r in inspection.list_inspections(ws, org_id=ORG)] == ["final", "final", "open"]


def test_the_next_year_is_proposed(home: Path) -> None:
    ws = open_workspace(home, clock=fixed_clock(datetime(2026, 11, 23, 10, 0, tzinfo=JST)))
    p = inspection.propose_start(ws, ORG)
    assert (p.fiscal_year, p.previous, p.current_fiscal_year) == (2026, None, 2026)
    assert p.fiscal_year_label == "令和8年度（2026年度）"
    first = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    p = inspection.propose_start(ws, ORG)
    assert p.fiscal_year == 2027 and p.previous is not None and p.previous.id == first
    assert inspection.existing_for_year(ws, ORG, 2026) is not None
    assert inspection.existing_for_year(ws, ORG, 2027) is None
    # the newest revision of the newest earlier year is the one to carry over from
    inspection.finalize(ws, first)
    rev = inspection.new_revision(ws, first)
    p = inspection.propose_start(ws, ORG)
    assert p.previous is not None and p.previous.id == rev


def test_a_body_that_skipped_years_is_offered_the_current_year(home: Path) -> None:
    ws = open_workspace(home, clock=fixed_clock(datetime(2026, 11, 23, 10, 0, tzinfo=JST)))
    old = inspection.start(ws, org_id=ORG, fiscal_year=2023)
    p = inspection.propose_start(ws, ORG)
    assert p.fiscal_year == 2026 and p.previous is not None and p.previous.id == old


def test_the_proposal_follows_the_fiscal_year_in_japan(home: Path) -> None:
    # 31 March 2027, 16:00 UTC is 1 April in Japan: 令和9年度 has begun

    ws = open_workspace(home, clock=fixed_clock(datetime(2027, 3, 31, 16, 0, tzinfo=UTC)))
    assert inspection.propose_start(ws, ORG).fiscal_year == 2027


def test_cli_refuses_a_second_start_with_exit_2_and_the_way_to_the_open_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path / "home")]
    assert main(["inspection", "start", ORG, "--year", "2026", *d]) == 0
    first = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["inspection", "start", ORG, "--year", "令和8年度", *d]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "すでに実施中" in err and "selfcheck inspection summary" in err
    assert first in err
    assert main(["inspection", "list", "--json", *d]) == 0
    import json

    assert len(json.loads(capsys.readouterr().out)) == 1
