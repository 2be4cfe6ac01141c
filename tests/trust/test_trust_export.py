"""Excel and CSV export: real files read back with openpyxl and csv; BOM; Japanese headers; formula
injection guarded; incident timeline from the real tables."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from trust_helpers import populated

from selfcheck import inspection
from selfcheck.errors import NotFoundError, SelfcheckError
from selfcheck.spreadsheet import safe_cell
from selfcheck.trust.export import export_inspection, incident_csv
from selfcheck.workspace import Workspace

pytestmark = pytest.mark.engines  # export reads the same rows on both engines

EVIL = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"]


def _setup(ws: Workspace) -> tuple[int, list[str]]:
    iid = populated(ws)
    items = [it.item_id for it in inspection.detail(ws, iid).items]
    for k, text in enumerate(EVIL):
        inspection.record_answer(
            ws, inspection_id=iid, item_id=items[10 + k], value="not_implemented", comment=text
        )
    inspection.set_improvement(ws, inspection_id=iid, item_id=items[10], action="=1+2 手順書", owner="@総務")
    return iid, items


def test_safe_cell() -> None:
    for v in EVIL:
        assert safe_cell(v).startswith("'")
    assert safe_cell("普通の文") == "普通の文" and safe_cell(3) == 3 and safe_cell("a\x00b\x07c") == "abc"
    assert safe_cell("\ud800x") == "x"


def test_xlsx(ws: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    iid, items = _setup(ws)
    out = tmp_path / "点検.xlsx"
    n = export_inspection(ws, iid, out)
    assert n == len(items)
    wb = load_workbook(out)
    assert wb.sheetnames == ["集計", "点検結果", "改善計画"]
    res = wb["点検結果"]
    assert [c.value for c in res[1]][:9] == [
        "No.",
        "項目ID",
        "条項",
        "条項名",
        "区分",
        "区分名",
        "点検項目",
        "確認方法",
        "回答",
    ]
    assert res.freeze_panes == "A2" and res.column_dimensions["G"].width == 48
    assert res.cell(row=2, column=7).alignment.wrap_text
    assert res.max_row == len(items) + 1
    values = [c.value for row in res.iter_rows() for c in row if isinstance(c.value, str)]
    for ws_ in wb.worksheets:  # no cell is a formula anywhere
        for row in ws_.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws_.title, c.coordinate, c.value)
    assert '\'=HYPERLINK("http://x","y")' in values and "実施している" in values
    plan = wb["改善計画"]
    plan_actions = [r[5].value for r in plan.iter_rows(min_row=2)]
    assert (
        "手順書を作る" in plan_actions
        and "'=1+2 手順書" in plan_actions
        and "（改善策未記入）" in plan_actions
    )
    summ = inspection.summary(ws, iid)
    s = wb["集計"]
    rows = list(s.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "区分")
    assert rows[header_at][8] == "実施率（%）"
    body = rows[header_at + 1 :]
    assert len(body) == len(summ.sections) + 1 and body[-1][0] == "合計"
    assert body[-1][2] == summ.total and body[-1][8] == summ.rate
    assert [r[8] for r in body[:-1]] == [sec.rate if sec.rate is not None else None for sec in summ.sections]


def test_csv_items_and_plan(ws: Workspace, tmp_path: Path) -> None:
    iid, items = _setup(ws)
    out = tmp_path / "items.csv"
    export_inspection(ws, iid, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["No.", "項目ID", "条項"] and len(rows) == len(items) + 1
    comments = {r[1]: r[9] for r in rows[1:]}
    assert comments[items[10]] == "'" + EVIL[0] and comments[items[0]] == "コメント0"
    plan = tmp_path / "plan.csv"
    export_inspection(ws, iid, plan, plan=True)
    prow = list(csv.reader(plan.read_text(encoding="utf-8-sig").splitlines()))
    assert prow[0][5] == "改善策" and any(
        r[5] == "手順書を作る" and r[6] == "総務係" and r[7] == "2027-03-31" for r in prow[1:]
    )


def test_bad_extension_and_missing(ws: Workspace, tmp_path: Path) -> None:
    iid, _ = _setup(ws)
    with pytest.raises(SelfcheckError):
        export_inspection(ws, iid, tmp_path / "x.pdf")
    with pytest.raises(NotFoundError):
        export_inspection(ws, 999, tmp_path / "x.csv")
    with pytest.raises(NotFoundError):
        incident_csv(ws, 999, tmp_path / "i.csv")
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob(".tmp-*"))


def _incident(ws: Workspace) -> int:
    from selfcheck.incident import cases

    iid = cases.open_incident(
        ws, org_id="shunan-eisei", playbook_id="ransomware", detected_at="2026-11-23T09:30+09:00"
    )
    cases.add_note(ws, iid, '=WEBSERVICE("x") 端末をネットワークから切り離した')
    cases.add_note(ws, iid, "担当課へ連絡")
    return iid


def test_incident_timeline_csv(ws: Workspace, tmp_path: Path) -> None:
    iid = _incident(ws)
    out = tmp_path / "tl.csv"
    n = incident_csv(ws, iid, out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert n == 3 and len(rows) == 4
    assert rows[0] == ["インシデントID", "件名", "日時", "記録者", "種別", "手順", "内容", "証拠ID", "詳細"]
    assert rows[1][4] == "対応開始" and rows[2][6].startswith("'=WEBSERVICE") and rows[3][3] == "山田 花子"


def test_cli_export(ws: Workspace, tmp_path: Path) -> None:
    iid, _ = _setup(ws)
    inc = _incident(ws)
    ws.close()

    def cli(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "selfcheck", "--data-dir", str(ws.home), *a],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )

    r = cli("export", "inspection", str(iid), "-o", str(tmp_path / "a.xlsx"))
    assert r.returncode == 0, r.stderr
    r = cli("export", "inspection", str(iid), "-o", str(tmp_path / "p.csv"), "--plan")
    assert r.returncode == 0 and (tmp_path / "p.csv").exists()
    r = cli("export", "incident", str(inc), "-o", str(tmp_path / "i.csv"), "--json")
    assert r.returncode == 0 and '"rows": 3' in r.stdout
    r = cli("export", "inspection", "42", "-o", str(tmp_path / "b.xlsx"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "42" in r.stderr
