"""Report data and unsigned builds: document id determinism, comparison by score, renamable 押印欄."""

from __future__ import annotations

import subprocess
from pathlib import Path

from selfcheck import inspection, roles
from selfcheck.cli import main
from selfcheck.report import data, inspection_pdf

from .conftest import ORG, Prepared


def test_document_id_depends_on_data_only(prepared: Prepared) -> None:
    ws, iid = prepared.ws, prepared.inspection_id
    a, b = data.gather(ws, iid), data.gather(ws, iid)
    assert a.document_id == b.document_id and len(a.document_id) == 64
    inspection.record_answer(ws, inspection_id=iid, item_id=prepared.item_ids[4], value="partial")
    assert data.gather(ws, iid).document_id != a.document_id


def test_comparison_by_score(prepared: Prepared) -> None:
    rd = data.gather(prepared.ws, prepared.inspection_id)
    change = {c.item_id: c.change for c in rd.comparison}
    ids = prepared.item_ids
    # previous: not_implemented, implemented, partial; now: implemented, partial, not_implemented, n/a
    assert change[ids[0]] == "improved"
    assert change[ids[1]] == "worse"
    assert change[ids[2]] == "worse"
    assert change[ids[3]] == "other"
    assert change[ids[4]] == "unchanged"  # unanswered both times
    assert rd.respondents == ("山田 花子",)
    assert rd.fiscal_year_label == "令和8年度（2026年度）"
    assert rd.adopted_text.startswith("令和8年3月30日")


def test_stamp_roles_are_renamable_and_audited(prepared: Prepared, tmp_path: Path) -> None:
    ws = prepared.ws
    assert main(["report", "roles", "set", ORG, "係員", "事務局長（CISO）", "--data-dir", str(ws.home)]) == 0
    assert roles.stamp_roles(ws, ORG) == ("係員", "事務局長（CISO）")
    out = tmp_path / "draft.pdf"
    inspection_pdf.build(data.gather(ws, prepared.inspection_id), out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    last = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    text = subprocess.run(
        ["pdftotext", "-f", last, "-l", last, str(out), "-"], capture_output=True, text=True, check=True
    ).stdout  # the approval page
    assert "係員" in text and "事務局長（CISO）" in text and "統括情報セキュリティ責任者" not in text
    assert "電子署名が付いていません" in text
    roles.set_stamp_roles(ws, ORG, [])
    assert roles.stamp_roles(ws, ORG) == roles.DEFAULT_STAMP_ROLES
    with ws.read() as s:
        from sqlmodel import select

        from selfcheck.models.tables import AuditRecord

        assert s.exec(select(AuditRecord).where(AuditRecord.field == "stamp_roles")).all()


def test_cover_names_the_level_of_the_inspection(prepared: Prepared, tmp_path: Path) -> None:
    """The cover says which items were checked: 全項目 for the prepared inspection, 基本項目のみ for one
    started with the core set (and its item count is the core set's)."""
    ws = prepared.ws
    full_pdf, core_pdf = tmp_path / "full.pdf", tmp_path / "core.pdf"
    inspection_pdf.build(data.gather(ws, prepared.inspection_id), full_pdf)
    core = inspection.start(ws, org_id=ORG, fiscal_year=2027, level="基本")
    rd = data.gather(ws, core)
    assert rd.level == "基本" and rd.summary.total == inspection.info(ws, core).item_count
    inspection_pdf.build(rd, core_pdf)

    def cover(pdf: Path) -> str:
        return subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout

    assert "点検の範囲" in cover(full_pdf) and "全項目（基本＋詳細）" in cover(full_pdf)
    assert "基本項目のみ" in cover(core_pdf) and f"{rd.summary.total} 項目" in cover(core_pdf)
