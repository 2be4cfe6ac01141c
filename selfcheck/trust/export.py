"""Export inspection results, the improvement plan and incident timelines for Excel users.

The 委員会 and the 構成市町村 work in Excel, so:
- `.xlsx` (openpyxl) has Japanese headers, set column widths, wrapped text, a frozen header row and
  filters: sheet 点検結果 (every item), 改善計画 (every gap and every improvement action), 集計 (one row
  per section with its 実施率, and the total);
- CSV is UTF-8 *with BOM*, which is what makes Excel on Windows read Japanese correctly, CRLF lines;
- every text cell that starts with = + - @ (or a tab / carriage return) gets a leading apostrophe so a
  spreadsheet never runs it as a formula (CSV/formula injection through a comment or an imported name).
Files are written under a temporary name and renamed, so a failed export never leaves half a file.
Data comes from `inspection.detail()` / `summarize()`, the same views the TUI and the PDF use.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from selfcheck import inspection, scale
from selfcheck.errors import NotFoundError, SelfcheckError
from selfcheck.spreadsheet import csv_bytes, safe_cell, write_private
from selfcheck.workspace import Workspace

# XML 1.0 cannot hold these (openpyxl refuses them); surrogates cannot be encoded at all

ITEM_HEADERS: list[tuple[str, int]] = [
    ("No.", 5),
    ("項目ID", 11),
    ("条項", 9),
    ("条項名", 18),
    ("区分", 7),
    ("区分名", 18),
    ("点検項目", 48),
    ("確認方法", 36),
    ("回答", 14),
    ("コメント", 36),
    ("該当しない理由", 24),
    ("要再確認", 8),
    ("回答者", 12),
    ("回答日時", 20),
    ("改善策", 36),
    ("改善担当", 14),
    ("改善期限", 11),
    ("改善状況", 9),
    ("証拠", 30),
    ("参照", 12),
]
PLAN_HEADERS: list[tuple[str, int]] = [
    ("No.", 5),
    ("項目ID", 11),
    ("条項", 9),
    ("点検項目", 48),
    ("回答", 14),
    ("改善策", 48),
    ("担当", 14),
    ("期限", 11),
    ("状況", 9),
    ("要再確認", 8),
    ("更新者", 12),
    ("更新日時", 20),
]
SUMMARY_HEADERS: list[tuple[str, int]] = [
    ("区分", 8),
    ("区分名", 30),
    ("項目数", 8),
    ("実施", 8),
    ("一部実施", 9),
    ("未実施", 8),
    ("該当しない", 11),
    ("未回答", 8),
    ("実施率（%）", 11),
]
PLAN_STATUS = {"planned": "予定", "done": "完了"}
TIMELINE_KIND = {
    "opened": "対応開始",
    "step_done": "手順完了",
    "step_skipped": "手順省略",
    "step_reopened": "手順再開",
    "note": "メモ",
    "evidence": "証拠",
    "triage": "判定",
    "status": "状態変更",
    "report_made": "報告",
    "field": "項目変更",
    "closed": "終了",
    "reopened": "再開",
}


def _rate(value: float | None) -> float | str:
    return "" if value is None else value


def _evidence_text(item: Any) -> str:
    parts = []
    for e in item.evidence:
        parts.append(e.original_name if e.kind == "file" else f"紙: {e.paper_location}")
    return "\n".join(parts)


def item_rows(detail: Any) -> list[list[Any]]:
    rows = []
    for n, it in enumerate(detail.items, start=1):
        imp = it.improvement
        rows.append(
            [
                n,
                it.item_id,
                it.clause,
                it.clause_title,
                it.section,
                it.section_title,
                it.question,
                it.how_to_check,
                scale.ANSWERS.get(it.value, it.value),
                it.comment,
                it.na_reason,
                "要" if it.needs_review else "",
                it.answered_by or "",
                it.answered_at or "",
                imp.action if imp else "",
                imp.owner if imp else "",
                (imp.due_date or "") if imp else "",
                PLAN_STATUS.get(imp.status, imp.status) if imp else "",
                _evidence_text(it),
                it.guideline_ref,
            ]
        )
    return rows


def plan_rows(detail: Any) -> list[list[Any]]:
    """Every item with an improvement action, and every gap still without one (marked 未記入)."""
    rows = []
    n = 0
    for it in detail.items:
        imp = it.improvement
        if imp is None and not it.is_gap:
            continue
        n += 1
        rows.append(
            [
                n,
                it.item_id,
                it.clause,
                it.question,
                scale.ANSWERS.get(it.value, it.value),
                imp.action if imp else "（改善策未記入）",
                imp.owner if imp else "",
                (imp.due_date or "") if imp else "",
                PLAN_STATUS.get(imp.status, imp.status) if imp else "",
                "要" if imp and imp.needs_review else "",
                imp.updated_by if imp else "",
                imp.updated_at if imp else "",
            ]
        )
    return rows


def summary_rows(summary: Any) -> list[list[Any]]:
    rows = []
    for sec in summary.sections:
        c = sec.counts
        rows.append(
            [
                sec.section,
                sec.title,
                sec.total,
                c.get("implemented", 0),
                c.get("partial", 0),
                c.get("not_implemented", 0),
                c.get("not_applicable", 0),
                c.get("unanswered", 0),
                _rate(sec.rate),
            ]
        )
    c = summary.counts
    rows.append(
        [
            "合計",
            "",
            summary.total,
            c.get("implemented", 0),
            c.get("partial", 0),
            c.get("not_implemented", 0),
            c.get("not_applicable", 0),
            c.get("unanswered", 0),
            _rate(summary.rate),
        ]
    )
    return rows


def _load(ws: Workspace, inspection_id: int) -> tuple[Any, Any]:

    d = inspection.detail(ws, inspection_id)
    return d, inspection.summarize(d.items, inspection_id)


def inspection_csv(ws: Workspace, inspection_id: int, out: Path, *, plan: bool = False) -> int:
    """Items (or, with `plan`, the improvement plan) as Excel-ready CSV; returns the row count."""
    d, _ = _load(ws, inspection_id)
    headers, rows = (PLAN_HEADERS, plan_rows(d)) if plan else (ITEM_HEADERS, item_rows(d))
    write_private(out, csv_bytes([h for h, _ in headers], rows))
    return len(rows)


def inspection_xlsx(ws: Workspace, inspection_id: int, out: Path) -> int:
    """Workbook with 集計, 点検結果 and 改善計画 sheets; returns the number of item rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    d, summ = _load(ws, inspection_id)
    info = d.info
    wb = Workbook()
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def table(sheet: Any, headers: list[tuple[str, int]], rows: list[list[Any]], start_row: int = 1) -> None:
        for col, (title, width) in enumerate(headers, start=1):
            cell = sheet.cell(row=start_row, column=col, value=title)
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            sheet.column_dimensions[get_column_letter(col)].width = width
        for r, row in enumerate(rows, start=start_row + 1):
            for col, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=col, value=safe_cell(value))
                cell.alignment = wrap
        sheet.freeze_panes = sheet.cell(row=start_row + 1, column=1)
        last = get_column_letter(len(headers))
        sheet.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(rows), 1)}"

    s = wb.active
    s.title = "集計"
    meta = [
        ("団体", info.org_name),
        ("年度", info.fiscal_year_label),
        ("表題", info.title),
        ("版", info.revision),
        ("状態", "確定（署名済み）" if info.status == "final" else "作業中"),
        ("回答済み", f"{summ.answered} / {summ.total}"),
        ("実施率（%）", _rate(summ.rate)),
        ("改善策未記入の要改善項目", summ.gaps_without_action),
    ]
    for r, (k, v) in enumerate(meta, start=1):
        s.cell(row=r, column=1, value=k).font = head_font
        s.cell(row=r, column=2, value=safe_cell(v))
    table(s, SUMMARY_HEADERS, summary_rows(summ), start_row=len(meta) + 2)
    table(wb.create_sheet("点検結果"), ITEM_HEADERS, item_rows(d))
    table(wb.create_sheet("改善計画"), PLAN_HEADERS, plan_rows(d))
    for sheet in wb.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
    buf = io.BytesIO()
    wb.save(buf)
    write_private(out, buf.getvalue())
    return len(d.items)


def export_inspection(ws: Workspace, inspection_id: int, out: Path, *, plan: bool = False) -> int:
    """Dispatch on the file extension (.xlsx or .csv)."""
    suffix = Path(out).suffix.lower()
    if suffix == ".xlsx":
        return inspection_xlsx(ws, inspection_id, out)
    if suffix == ".csv":
        return inspection_csv(ws, inspection_id, out, plan=plan)
    raise SelfcheckError(
        "出力ファイルの拡張子は .xlsx か .csv にしてください",
        "the output file must end in .xlsx or .csv",
        where=str(out),
    )


INCIDENT_HEADERS = ["インシデントID", "件名", "日時", "記録者", "種別", "手順", "内容", "証拠ID", "詳細"]


def incident_csv(ws: Workspace, incident_id: int, out: Path) -> int:
    """The incident's append-only timeline, oldest first, as Excel-ready CSV; returns the row count."""
    from sqlmodel import col, select

    from selfcheck.models.tables import Incident, TimelineEntry

    if Path(out).suffix.lower() != ".csv":
        raise SelfcheckError(
            "出力ファイルの拡張子は .csv にしてください", "the output file must end in .csv", where=str(out)
        )
    with ws.read() as s:
        inc = s.get(Incident, incident_id)
        if inc is None:
            raise NotFoundError(f"インシデント {incident_id} は見つかりません", f"no incident {incident_id}")
        entries = s.exec(
            select(TimelineEntry)
            .where(TimelineEntry.incident_id == incident_id)
            .order_by(col(TimelineEntry.at), col(TimelineEntry.id))
        ).all()
        title = inc.title
    rows = []
    for e in entries:
        try:
            data = json.loads(e.data_json or "{}")
        except ValueError:
            data = e.data_json
        detail = "" if data in ({}, "", None) else json.dumps(data, ensure_ascii=False, sort_keys=True)
        rows.append(
            [
                incident_id,
                title,
                e.at,
                e.actor,
                TIMELINE_KIND.get(e.kind, e.kind),
                e.step_id or "",
                e.text,
                e.evidence_id or "",
                detail,
            ]
        )
    write_private(out, csv_bytes(INCIDENT_HEADERS, rows))
    return len(rows)
