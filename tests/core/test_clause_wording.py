"""An imported policy keeps its text, so each checklist item can show the wording of the clause it cites."""

from __future__ import annotations

from pathlib import Path

from selfcheck import orgs
from selfcheck.cli import main
from selfcheck.workspace import Workspace
from tests.conftest import policy_file


def test_imported_body_shows_its_own_clause_wording(ws: Workspace, tmp_path: Path) -> None:
    text = (
        (policy_file("shunan-eisei"))
        .read_text(encoding="utf-8")
        .replace("周南地区衛生施設組合", "テスト衛生施設組合")
    )
    src = tmp_path / "policy.txt"
    src.write_text(text, encoding="utf-8")
    assert main(["policy", "import", str(src), "--id", "test-eisei", "--data-dir", str(ws.home)]) == 0
    wordings = orgs.clause_wordings(ws, "test-eisei", ["7(4)", "7(8)③", "nope"])
    assert "サーバ、電子計算機室、通信回線" in wordings["7(4)"]
    assert "ソーシャルメディアサービスの運用手順" in wordings["7(8)③"]
    assert "nope" not in wordings


def test_builtin_body_has_no_stored_wording(ws: Workspace) -> None:
    orgs.ensure_org(ws, "abira-cho")
    assert orgs.clause_wordings(ws, "abira-cho", ["6(4)"]) == {}
