"""The summary of one inspection: progress, 実施率 per section and overall, counts per answer, 要再確認,
and the gaps with their 改善策 (or 「改善策未入力」). Selecting a gap returns to that item."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from selfcheck import inspection, scale
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.keys import bind
from selfcheck.tui.widgets.labels import ANSWER_STYLE, due_text, rate_text, short_label
from selfcheck.tui.widgets.wrap import Wrapped

if TYPE_CHECKING:
    from selfcheck.inspection import InspectionInfo, Summary


def overview_text(info: InspectionInfo, s: Summary) -> Text:
    t = Text()
    t.append(f"{info.org_name}  {info.title}\n", style="bold")
    t.append(f"進捗 {s.answered}/{s.total}（{s.progress:.0%}）   ")
    t.append(f"実施率 {rate_text(s.rate)}", style="bold")
    t.append(f"   要再確認 {s.needs_review}件   改善策未入力 {s.gaps_without_action}件\n")
    for key in ("implemented", "partial", "not_implemented", "not_applicable", "unanswered"):
        t.append(f"{scale.ANSWERS[key]} ", style=ANSWER_STYLE[key])
        t.append(f"{s.counts.get(key, 0)}件   ")
    return t


class SummaryScreen(Screen[str | None]):
    """Dismisses with an item_id when a gap is selected (the inspection screen jumps there)."""

    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back"),
        bind("report"),
    ]

    def __init__(self, inspection_id: int) -> None:
        super().__init__()
        self.inspection_id = inspection_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="overview")  # outside the scroll: the totals stay visible at 80×24
        with VerticalScroll(id="summary-body"):
            yield Static("節ごとの実施率", classes="title")
            yield DataTable(id="sections", cursor_type="row", zebra_stripes=True)
            yield Static("", id="gaps-title", classes="title")
            yield DataTable(id="gaps", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:

        detail = attempt(self.app, inspection.detail, workspace(self), self.inspection_id)
        if detail is None:
            return
        s = inspection.summarize(detail.items, self.inspection_id)
        self.sub_title = f"集計 {detail.info.org_name} {detail.info.fiscal_year_label}"
        self.query_one("#overview", Static).update(Wrapped(overview_text(detail.info, s)))
        sections = self.query_one("#sections", DataTable)
        sections.add_columns("節", "題目", "回答", "実施率", "要改善")
        for sec in s.sections:
            gaps = sec.counts.get("partial", 0) + sec.counts.get("not_implemented", 0)
            sections.add_row(
                sec.section,
                sec.title,
                f"{sec.answered}/{sec.total}",
                rate_text(sec.rate),
                str(gaps),
                key=sec.section,
            )
        self.query_one("#gaps-title", Static).update(f"要改善の項目（{len(s.gaps)}件、Enter で項目へ）")
        gap_table = self.query_one("#gaps", DataTable)
        gap_table.add_columns("条項", "回答", "改善策", "担当", "期限", "質問")
        for g in s.gaps:
            imp = g.improvement
            action = Text(imp.action) if imp else Text("改善策未入力", style="bold red")
            gap_table.add_row(
                g.clause,
                Text(short_label(g.value), style=ANSWER_STYLE[g.value]),
                action,
                imp.owner if imp else "",
                due_text(imp.due_date) if imp else "",
                g.question[:40],
                key=g.item_id,
            )
        (gap_table if s.gaps else sections).focus(scroll_visible=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "gaps" and event.row_key.value:
            self.dismiss(event.row_key.value)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_report(self) -> None:
        from selfcheck.tui.screens.report import ReportScreen

        self.app.push_screen(ReportScreen(self.inspection_id))
