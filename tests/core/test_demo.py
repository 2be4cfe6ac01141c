"""`selfcheck demo` makes realistic data: every answer kind, comments, evidence files and paper notes,
improvement actions, a previous year to compare with, and one incident in progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck import evidence, inspection
from selfcheck.cli import main
from selfcheck.demo import NOT_APPLICABLE
from selfcheck.workspace import open_workspace


def test_demo_creates_every_kind_of_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert main(["demo", "--data-dir", str(home), "--json"]) == 0
    new_id = int(json.loads(capsys.readouterr().out)["inspection_id"])
    ws = open_workspace(home)
    d = inspection.detail(ws, new_id)
    values = {it.value for it in d.items}
    assert {"implemented", "partial", "not_implemented", "not_applicable"} <= values
    assert sum(1 for it in d.items if it.comment) > 20
    kinds = {e.kind for it in d.items for e in it.evidence}
    assert kinds == {"file", "paper"} or "file" in kinds
    assert any(
        it.improvement and it.improvement.owner and it.improvement.due_date for it in d.items if it.is_gap
    )
    assert any(it.needs_review for it in d.items) and any(not it.needs_review for it in d.items)
    # coherent answers: 該当しない only where it is plausible, with its reason, and never with a 改善策;
    # an open 改善策 only on a gap (one carried out after a gap is kept as done)
    for insp in (d, inspection.detail(ws, d.info.previous_id)):  # type: ignore[arg-type]
        for it in insp.items:
            if it.value == "not_applicable":
                assert it.item_id in NOT_APPLICABLE and it.na_reason and it.improvement is None, it.item_id
            if it.improvement is not None and it.improvement.status == "planned":
                assert it.is_gap, (it.item_id, it.value)
    assert d.info.previous_id is not None
    assert inspection.info(ws, d.info.previous_id).status == "final"
    assert evidence.verify_store(ws) == []
    from selfcheck.incident import queries

    assert [i.status for i in queries.list_incidents(ws)] == ["open"]
