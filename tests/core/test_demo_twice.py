"""`selfcheck demo` run twice leaves the same data and says so; it never mixes a demo into a body's own
inspections of the demo years; it prints a sentence with the ids and what to do next. The demo data is
coherent (no 改善策 on a 該当しない item, no 該当しない reason on an answered item, ...)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck import inspection
from selfcheck.cli import main
from selfcheck.incident import queries
from selfcheck.workspace import open_workspace


def _state(home: Path) -> tuple[object, ...]:
    ws = open_workspace(home)
    rows = inspection.list_inspections(ws)
    return (
        [(r.id, r.fiscal_year, r.status, r.answered) for r in rows],
        [i.id for i in queries.list_incidents(ws)],
    )


def test_demo_twice_changes_nothing_and_says_it_is_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    assert main(["demo", "--data-dir", str(home)]) == 0
    first = capsys.readouterr().out
    before = _state(home)
    assert (
        "デモデータを作成しました" in first
        and "点検 2" in first
        and "selfcheck inspection summary 2" in first
    )
    assert main(["demo", "--data-dir", str(home)]) == 0
    again = capsys.readouterr().out
    assert "すでにあります" in again and "何も変更していません" in again and "点検 2" in again
    assert _state(home) == before
    assert len(before[0]) == 2 and len(before[1]) == 1  # type: ignore[arg-type]
    assert main(["demo", "--data-dir", str(home), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["created"] is False and data["inspection_id"] == 2 and data["incident_id"] == 1


def test_demo_is_not_mixed_into_a_bodys_own_inspections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path / "home")]
    assert main(["inspection", "start", "shunan-eisei", "--year", "2026", *d]) == 0
    capsys.readouterr()
    assert main(["demo", *d]) == 2
    err = capsys.readouterr().err
    assert "別のデータフォルダ" in err and "点検 1" in err and len(err.strip().splitlines()) == 1
    # another body is free for the demo
    assert main(["demo", "--org", "abira-cho", "--no-incident", *d]) == 0


def test_demo_data_is_coherent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert main(["demo", "--data-dir", str(home), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ws = open_workspace(home)
    for iid in (data["inspection_id"], data["previous_id"]):
        for it in inspection.detail(ws, iid).items:
            where = (iid, it.item_id, it.value)
            if it.value == "not_applicable":
                assert it.improvement is None and it.na_reason, where
            else:
                assert not it.na_reason, where
            if it.improvement is not None and it.improvement.status == "planned":
                assert it.is_gap, where
            if it.is_gap and not it.needs_review:
                assert it.improvement is not None and it.improvement.due_date, where
            if it.value == "unanswered":
                assert not it.evidence and it.improvement is None, where
