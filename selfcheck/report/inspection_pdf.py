"""自己点検結果報告書: the inspection report as an A4 portrait PDF with an embedded Japanese font.

`build(data, out)` takes only the frozen `InspectionReportData` (no session, no keyring, no Textual) and
writes `out`. Signing is a separate stage (`selfcheck.signing.pades`); when the report will be signed the
signer block is drawn here, from `data.signer`, because the PAdES signature itself is invisible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from selfcheck import dates, scale
from selfcheck.inspection import ItemView
from selfcheck.report import blocks, fonts, layout
from selfcheck.report.data import COMPARISON_LABELS, InspectionReportData
from selfcheck.report.inspection_cover import DOC_TITLE, cover, rate_text
from selfcheck.report.layout import grid, mm, para, plain

Progress = Callable[[float, str], None]
COUNT_KEYS = ("implemented", "partial", "not_implemented", "not_applicable", "unanswered")


def build(data: InspectionReportData, out: Path, *, on_progress: Progress | None = None) -> Path:
    """Write the report to `out` and return it."""
    from reportlab.platypus import PageBreak

    def step(frac: float, what: str) -> None:
        if on_progress:
            on_progress(frac, what)

    step(0.05, "表紙")
    story: list[Any] = cover(data)
    story += [PageBreak(), *summary_section(data)]
    step(0.15, "改善計画")
    story += [PageBreak(), *findings_section(data)]
    step(0.25, "点検項目一覧")
    story += [PageBreak(), *items_section(data)]
    if data.previous_label:
        story += [PageBreak(), *comparison_section(data)]
    story += [PageBreak(), *approval_section(data)]
    step(0.4, "PDF を作成中")
    document = layout.doc(
        out,
        title=f"{DOC_TITLE} {data.org_name} {data.fiscal_year_label}",
        author=data.org_name,
        subject=f"文書ID {data.document_id}",
    )
    document.keywords = layout.anchor_keywords(data.signer)
    layout.build_story(
        document,
        story,
        footer_left=f"文書ID {data.document_id}",
        header=f"{data.org_name}　{DOC_TITLE}",
        watermark=layout.DRAFT_MARK if data.draft else "",
    )
    step(1.0, "完了")
    return out


def _day(iso: str | None) -> str:
    """A due date: 和暦 over 西暦, on two lines (a narrow column)."""
    return dates.date_text(iso).replace("（", "\n（")


def summary_section(data: InspectionReportData) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = layout.styles()
    s = data.summary
    head = ["節", "表題", "項目数", *(scale.SHORT[k] for k in COUNT_KEYS), "実施率"]
    rows: list[list[Any]] = [head]
    for sec in s.sections:
        rows.append(
            [
                sec.section,
                sec.title,
                str(sec.total),
                *(str(sec.counts.get(k, 0)) for k in COUNT_KEYS),
                rate_text(sec.rate),
            ]
        )
    rows.append(["計", "", str(s.total), *(str(s.counts.get(k, 0)) for k in COUNT_KEYS), rate_text(s.rate)])
    # 該当しない needs 18 mm at 8 pt to stay on one line in the header
    w = [mm(16), mm(53), mm(14), mm(15), mm(15), mm(15), mm(18), mm(15), mm(19)]
    from reportlab.lib import colors

    rows = [[para(c, "cell") if r and i == 1 else c for i, c in enumerate(row)] for r, row in enumerate(rows)]
    table = grid(
        rows,
        w,
        style="cell_center",
        extra=[("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#F3F3F3"))],
    )
    legend = (
        "実施率 = (実施×4 + 一部×2 + 未実施×0) ÷ (回答数×4)。「該当しない」と「未回答」は計算に含めません"
        "（IPA「5分でできる！情報セキュリティ自己診断」と同じ配点）。"
    )
    return [
        Paragraph("1. 点検結果の概要（基本方針の節ごと）", st["h1"]),
        table,
        Spacer(1, mm(3)),
        Paragraph(layout.markup(legend), st["note"]),
        Spacer(1, mm(6)),
        Paragraph("節ごとの実施率", st["h2"]),
        rate_chart(data),
    ]


def rate_chart(data: InspectionReportData) -> Any:
    """Horizontal bars: 実施率 per policy section (0–100%), drawn with reportlab.graphics."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    font = fonts.register()
    secs = list(data.summary.sections)
    if not secs:
        return para("（点検項目がありません）", "body")
    bar = 14.0
    width = layout.content_width()
    height = max(60.0, bar * len(secs) + 46)
    d = Drawing(width, height)
    d.initialFontName = font  # the renderer starts in Helvetica, which would be referenced unembedded
    chart = HorizontalBarChart()
    chart.x, chart.y = mm(62), 30  # room below the axis labels for the caption
    chart.width, chart.height = width - mm(62) - 30, height - 40
    # reversed: the first section is drawn at the top
    chart.data = [[sec.rate or 0.0 for sec in reversed(secs)]]
    chart.categoryAxis.categoryNames = [
        layout.drawable(f"{sec.section} {sec.title}")[:24] for sec in reversed(secs)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.bars[0].fillColor = colors.HexColor("#3B6EA5")
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "values"  # our own labels: a section with nothing scored says so, not "0%"
    chart.barLabelArray = [
        [rate_text(sec.rate) if sec.rate is not None else "評価対象なし" for sec in reversed(secs)]
    ]
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    d.add(String(mm(62), 2, "実施率（該当しない・未回答を除く）", fontName=font, fontSize=7))
    return d


def _short_answer(it: ItemView) -> str:
    """実施 / 一部 / 未実施 / 該当しない / 未回答 as a cheap unwrapped cell (要再確認 adds a line)."""
    return plain(scale.SHORT.get(it.value, it.value)) if not it.needs_review else _answer(it)


def _answer(it: ItemView) -> str:
    text = scale.ANSWERS.get(it.value, it.value)
    return text + ("\n（要再確認）" if it.needs_review else "")


def findings_section(data: InspectionReportData) -> list[Any]:
    from reportlab.platypus import Paragraph

    st = layout.styles()
    gaps = data.summary.gaps
    out: list[Any] = [Paragraph("2. 指摘事項と改善計画", st["h1"])]
    if not gaps:
        return [
            *out,
            Paragraph("「一部実施している」「実施していない」と回答した項目はありません。", st["body"]),
        ]
    out.append(
        Paragraph(
            layout.markup(
                f"改善を要する項目 {len(gaps)} 件（うち改善策未記入 {data.summary.gaps_without_action} 件）。"
            ),
            st["body"],
        )
    )
    rows = []
    for it in gaps:
        imp = it.improvement
        rows.append(
            [
                it.clause,
                it.question,
                _short_answer(it),
                (imp.action + ("（完了）" if imp.status == "done" else "")) if imp else "（未記入）",
                imp.owner if imp else "",
                _day(imp.due_date) if imp else "",
            ]
        )
    return [
        *out,
        *layout.grids(
            ["条項", "点検項目", "回答", "改善策", "担当", "期限"],
            rows,
            [mm(14), mm(48), mm(18), mm(51), mm(20), mm(29)],  # 期限: 令和9年12月28日 on one line
        ),
    ]


def _evidence_text(it: ItemView) -> str:
    lines = []
    for e in it.evidence:
        if e.kind == "file":
            lines.append(
                f"■ {e.original_name}（{e.size or 0:,} バイト、{dates.wareki_text(e.added_at)}）\n"
                f"SHA-256: {e.sha256 or ''}"
            )
        else:
            lines.append(f"□ 紙: {e.paper_location}")
        if e.description:
            lines.append(f"　{e.description}")
    return "\n".join(lines)


def _comment_text(it: ItemView) -> str:
    parts = []
    if it.comment:
        parts.append(it.comment)
    if it.na_reason:
        parts.append(f"該当しない理由: {it.na_reason}")
    if it.improvement:
        parts.append(f"改善策: {it.improvement.action}")
    return "\n".join(parts)


def by_section(items: Sequence[ItemView]) -> list[tuple[str, list[ItemView]]]:
    """Items grouped by policy section, in checklist order, with a heading such as 「7(1) 組織体制」."""
    groups: dict[str, list[ItemView]] = {}
    for it in items:
        groups.setdefault(it.section, []).append(it)
    return [(f"{its[0].section} {its[0].section_title}", its) for its in groups.values()]


def items_section(data: InspectionReportData) -> list[Any]:
    from reportlab.platypus import Paragraph

    st = layout.styles()
    head = ["No", "条項", "点検項目", "回答", "コメント", "証跡"]
    widths = [mm(9), mm(14), mm(52), mm(15), mm(48), mm(42)]
    out: list[Any] = [Paragraph("3. 点検項目一覧（回答・コメント・証跡）", st["h1"])]
    for heading, its in by_section(data.items):
        rows = [
            [
                plain(str(it.position)),
                plain(it.clause),
                it.question,
                _short_answer(it),
                _comment_text(it),
                para(_evidence_text(it), "cell_small") if it.evidence else "",
            ]
            for it in its
        ]
        out += [*_heading(heading), *layout.grids(head, rows, widths)]
    return out


def _heading(text: str) -> list[Any]:
    """A section heading, moved to the next page when less than ~4 rows would follow it there (not
    keepWithNext: that would push a whole table chunk to the next page and leave a large gap)."""
    from reportlab.platypus import CondPageBreak, Paragraph

    return [CondPageBreak(mm(40)), Paragraph(layout.markup(text), layout.styles()["h2"])]


def comparison_section(data: InspectionReportData) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = layout.styles()
    counts = dict.fromkeys(COMPARISON_LABELS, 0)
    for c in data.comparison:
        counts[c.change] += 1
    line = "、".join(f"{COMPARISON_LABELS[k]} {n} 件" for k, n in counts.items())
    rows = [
        [
            plain(c.clause),
            c.question,
            plain(scale.SHORT.get(c.previous, c.previous)),
            plain(scale.SHORT.get(c.current, c.current)),
            plain(COMPARISON_LABELS[c.change]),
        ]
        for c in data.comparison
    ]
    return [
        Paragraph("4. 前回点検との比較", st["h1"]),
        Paragraph(
            layout.markup(
                f"前回: {data.previous_label}　実施率 {rate_text(data.previous_rate)} → 今回 "
                f"{rate_text(data.summary.rate)}"
            ),
            st["body"],
        ),
        Paragraph(layout.markup(line), st["body"]),
        Spacer(1, mm(3)),
        *layout.grids(
            ["条項", "点検項目", "前回", "今回", "変化"], rows, [mm(16), mm(104), mm(20), mm(20), mm(20)]
        ),
    ]


def approval_section(data: InspectionReportData) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = layout.styles()
    n = 5 if data.previous_label else 4
    out: list[Any] = [
        Paragraph(f"{n}. 確認・承認", st["h1"]),
        Paragraph(
            layout.markup(
                f"{data.org_name}の{data.fiscal_year_label}の情報セキュリティ自己点検を上記のとおり"
                "実施したので報告します。"
            ),
            st["body"],
        ),
        Spacer(1, mm(4)),
        Paragraph(layout.markup(f"{data.issued_wareki}（{data.issued_seireki}）"), st["right"]),
        Paragraph(layout.markup(data.org_name), st["right"]),
        Spacer(1, mm(10)),
        blocks.approval_block(data.stamp_roles),
        Spacer(1, mm(10)),
    ]
    if data.signer is not None:
        out += [
            Paragraph("電子署名", st["h2"]),
            blocks.signer_block(data.signer),
            Spacer(1, mm(2)),
            Paragraph(
                "この PDF には PAdES 形式の電子署名が付いています。内容が署名後に変更されていないことは"
                "「selfcheck verify ファイル名」または PDF 閲覧ソフトの署名パネルで確認できます。",
                st["note"],
            ),
        ]
    elif data.final:
        out.append(
            Paragraph(
                "この PDF は、電子署名により確定した点検の写しです（この PDF 自体には電子署名がありません）。",
                st["note"],
            )
        )
    else:
        out.append(Paragraph("この報告書には電子署名が付いていません（下書き）。", st["note"]))
    return out
