"""The cover of the 自己点検結果報告書: who, which year, how far the inspection got, and, on a report that
is not signed, the 「下書き」 banner saying what is missing before it is final."""

from __future__ import annotations

from typing import Any

from selfcheck.report import blocks, layout
from selfcheck.report.data import InspectionReportData
from selfcheck.report.layout import mm
from selfcheck.vocabulary import INSPECTION_LEVELS

DOC_TITLE = "情報セキュリティ自己点検結果報告書"


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def cover(data: InspectionReportData) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = layout.styles()
    pairs = [
        ("団体名", data.org_name),
        (
            "基本方針",
            f"{data.policy_title}\n（{data.adopted_text}）" if data.adopted_text else data.policy_title,
        ),
        ("年度", data.fiscal_year_label),
        ("点検", f"{data.title}（点検番号 {data.inspection_id}、第{data.revision}版）"),
        ("点検期間", data.period_text),
        ("回答者", "、".join(data.respondents) or "（なし）"),
        ("点検の範囲", INSPECTION_LEVELS.get(data.level, data.level)),
        ("回答", answered_text(data)),
        ("実施率", cover_rate(data)),
        ("発行日", f"{data.issued_wareki}（{data.issued_seireki}）"),
        ("文書ID", data.document_id),
    ]
    top: list[Any] = [Spacer(1, mm(30))]
    if data.draft:
        top = [Spacer(1, mm(8)), blocks.draft_banner(draft_lines(data)), Spacer(1, mm(14))]
    return [
        *top,
        Paragraph(layout.markup(DOC_TITLE + ("（下書き）" if data.draft else "")), st["title"]),
        Paragraph(layout.markup(data.fiscal_year_label), st["subtitle"]),
        Spacer(1, mm(8)),
        Paragraph(layout.markup(data.org_name), st["subtitle"]),
        Spacer(1, mm(18)),
        layout.kv_table(pairs),
        Spacer(1, mm(6)),
        Paragraph(
            "文書IDは、この報告書の作成に用いた点検データ（回答・コメント・改善策・証跡の記録）の"
            "SHA-256 ハッシュ値です。同じデータから作成した報告書は同じ文書IDになります。",
            st["note"],
        ),
    ]


def answered_text(data: InspectionReportData) -> str:
    """「回答 14 / 149 項目（未回答 135、要再確認 6）」: how far the inspection got, on the cover."""
    s = data.summary
    rest = [f"未回答 {s.total - s.answered}"] if s.answered < s.total else []
    if s.needs_review:
        rest.append(f"要再確認 {s.needs_review}")
    return f"回答 {s.answered} / {s.total} 項目" + (
        f"（{'、'.join(rest)}）" if rest else "（すべて回答済み）"
    )


def cover_rate(data: InspectionReportData) -> str:
    """実施率, saying what it is computed over when items are still open (80.8% of 14 answers is not
    80.8% of the checklist)."""
    s = data.summary
    if s.answered < s.total and s.rate is not None:
        return (
            f"{rate_text(s.rate)}（回答済みの項目のみで計算。未回答 {s.total - s.answered} 項目は含みません）"
        )
    return rate_text(s.rate)


def draft_lines(data: InspectionReportData) -> list[str]:
    """Why this report is a draft and what makes it final."""
    s = data.summary
    lines = ["電子署名前の報告書です。確定した報告書ではありません。", answered_text(data) + "。"]
    if s.gaps_without_action:
        lines.append(f"改善策が未記入の項目が {s.gaps_without_action} 件あります。")
    lines.append("確定するには、報告書を電子署名して作成してください（署名すると点検が確定します）。")
    return lines
