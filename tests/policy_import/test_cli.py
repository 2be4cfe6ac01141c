"""`selfcheck policy import` end to end: the dry-run JSON contract, saving, and the kept text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck import orgs
from selfcheck.cli import main
from selfcheck.workspace import open_workspace
from tests.conftest import policy_file

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_dry_run_json_contract(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(
        capsys,
        "policy",
        "import",
        str(policy_file("shunan-eisei")),
        "--dry-run",
        "--json",
        "--data-dir",
        str(home),
    )
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == [
        "ok",
        "organization",
        "title",
        "adopted",
        "sections",
        "measures",
        "segments",
        "threat_count",
        "has_self_inspection",
        "warnings",
        "items",
    ]
    assert doc["organization"] == "周南地区衛生施設組合" and doc["adopted"] == "2026-03-30"
    assert doc["sections"][5] == {"number": "6", "title": "業務委託の管理", "topic": "outsourcing_contract"}
    m8 = doc["measures"][7]
    assert [c["number"] for c in m8["children"]] == ["7(8)①", "7(8)②", "7(8)③"]
    assert set(m8) == {"number", "title", "topic", "children"}
    assert doc["segments"] == ["mynumber", "lgwan", "internet"] and doc["threat_count"] == 5
    code, shown, _ = _run(capsys, "checklist", "show", "shunan-eisei", "--json")
    assert code == 0
    assert doc["items"] == json.loads(shown)["items"]
    assert not home.exists()  # a dry run writes nothing


def test_import_saves_body_text_and_checklist(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "policy",
        "import",
        str(DATA / "dai-fullwidth.txt"),
        "--data-dir",
        str(home),
        "--user",
        "山田 花子",
    )
    assert code == 0
    ws = open_workspace(home, actor="test")
    try:
        new = [o for o in orgs.list_orgs(ws) if o.source == "imported"]
        assert len(new) == 1 and new[0].name == "△△広域連合"
        assert new[0].id in out and f"{new[0].item_count} 件" in out
        items = orgs.checklist(ws, new[0].id)
        assert len(items) == new[0].item_count > 0
        text = orgs.policy_text(ws, new[0].id)
        assert text is not None and "第６　情報セキュリティ対策" in text
    finally:
        ws.close()
    code, clause, _ = _run(capsys, "policy", "clause", new[0].id, "6(3)", "--data-dir", str(home))
    assert code == 0 and clause.startswith("（３）物理的セキュリティ")
    # importing again updates the same body instead of adding another
    assert (
        _run(capsys, "policy", "import", str(DATA / "dai-fullwidth.txt"), "--json", "--data-dir", str(home))[
            0
        ]
        == 0
    )
    ws = open_workspace(home, actor="test")
    try:
        assert len([o for o in orgs.list_orgs(ws) if o.source == "imported"]) == 1
    finally:
        ws.close()


def test_human_summary(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, _ = _run(
        capsys,
        "policy",
        "import",
        str(policy_file("gunma-sogo-jimu")),
        "--dry-run",
        "--data-dir",
        str(home),
    )
    assert code == 0
    assert "6(8) 外部委託・クラウド" in out and "日付がない" in out
