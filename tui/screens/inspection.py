"""The inspection screen: work through the checklist section by section.

Left: the sections (answered/total, 実施率) and the items of the current filter. Right: the item card
(clause, question, 確認方法 and GL reference always visible). Every key calls one core function, which
commits at once; then the screen reloads the inspection's frozen view and re-renders. The cursor (item
and filter) is stored in the `ui.cursor.<id>` setting on every move, so a restart resumes at the same item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from selfcheck import inspection, orgs, settings
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt, attempt_ok
from selfcheck.tui.keys import bind, key_of
from selfcheck.tui.screens.item_editing import ItemEditing
from selfcheck.tui.widgets.item_card import ItemCard
from selfcheck.tui.widgets.labels import ANSWER_KEYS, FILTERS, era_fy, matches, rate_text
from selfcheck.tui.widgets.lists import ItemList, SectionList

if TYPE_CHECKING:
    from selfcheck.inspection import InspectionDetail, ItemView, Summary
    from selfcheck.workspace import Workspace

ANSWER_GROUP = Binding.Group("回答 ", compact=True)  # the space: a compact group runs into the next key
NARROW = 120
"""Below this many columns the item list sits above the card (see inspection.tcss)."""


class InspectionScreen(ItemEditing, Screen[None]):
    CSS_PATH = "inspection.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "answer('1')", "実施", group=ANSWER_GROUP),
        Binding("2", "answer('2')", "一部", group=ANSWER_GROUP),
        Binding("3", "answer('3')", "未実施", group=ANSWER_GROUP),
        Binding("4", "answer('4')", "該当しない", group=ANSWER_GROUP),
        Binding("down", "move(1)", "次の項目", show=False),
        Binding("up", "move(-1)", "前の項目", show=False),
        bind("next_open", show=False),
        bind("section", "section(1)", show=False),
        bind("section_back", "section(-1)", show=False),
        bind("filter", "cycle_filter", show=False),
        bind("comment"),
        bind("evidence"),
        bind("improvement"),
        bind("reason", show=False),
        bind("confirm_previous", "confirm", show=False),
        bind("summary"),
        bind("history", show=False),
        bind("report"),
        bind("back", show=False),  # the footer keeps room for ? at 80 columns; Esc is in the key list
    ]

    def __init__(self, inspection_id: int, *, item_id: str | None = None) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        """The inspection shown."""
        self.current: str | None = item_id
        """item_id under the cursor (None when the filter shows nothing)."""
        self.filter = "all"
        """Key of FILTERS."""
        self.detail: InspectionDetail | None = None
        self.summary: Summary | None = None
        self.shown_ids: list[str] = []
        self.previous_label = "前回"
        self.wordings: dict[str, str] = {}
        """The body's own wording per clause (imported policies only), shown on the item card."""
        self._saved_cursor: tuple[str | None, str] | None = None
        self._anchor: str | None = item_id
        """The item the clerk was on, kept while a filter lists nothing."""

    # -- typed children ------------------------------------------------------------------------
    @property
    def section_list(self) -> SectionList:
        return self.query_one(SectionList)

    @property
    def item_list(self) -> ItemList:
        return self.query_one(ItemList)

    @property
    def card(self) -> ItemCard:
        return self.query_one(ItemCard)

    @property
    def ws(self) -> Workspace:
        return workspace(self)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="status-line")
        with Horizontal(id="inspection-body"):
            with Vertical(id="nav"):
                yield SectionList(id="sections")
                yield ItemList(id="items")
            yield ItemCard(id="card")
        yield Footer(compact=True)

    def on_mount(self) -> None:

        self.section_list.border_title = "節（回答数・実施率）"
        self.item_list.border_title = "項目"
        stored = attempt(self.app, settings.get, self.ws, f"ui.cursor.{self.inspection_id}")
        if isinstance(stored, dict):
            if self.current is None:
                self.current = stored.get("item")
            chosen = stored.get("filter")
            self.filter = chosen if isinstance(chosen, str) and chosen in FILTERS else "all"
        info = attempt(self.app, inspection.info, self.ws, self.inspection_id)
        if info is not None and info.previous_id is not None:
            prev = attempt(self.app, inspection.info, self.ws, info.previous_id)
            if prev is not None:
                self.previous_label = era_fy(prev.fiscal_year)
        self.reload(rebuild=True)
        if self.detail is not None:
            self.wordings = (
                attempt(
                    self.app,
                    orgs.clause_wordings,
                    self.ws,
                    self.detail.info.org_id,
                    [it.clause for it in self.detail.items],
                )
                or {}
            )
            self._show_current()
        self.item_list.focus()
        self._remember_screen("inspection")

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "narrow")

    # -- data ----------------------------------------------------------------------------------
    def reload(self, *, rebuild: bool = False) -> None:
        """Re-read the inspection (frozen views) and re-render; `rebuild` re-applies the filter."""

        detail = attempt(self.app, inspection.detail, self.ws, self.inspection_id)
        if detail is None:
            return
        before = {it.item_id: it for it in self.detail.items} if self.detail else {}
        self.detail = detail
        self.summary = inspection.summarize(detail.items, self.inspection_id)
        by_id = {it.item_id: it for it in detail.items}
        if rebuild or any(i not in by_id for i in self.shown_ids):
            self.shown_ids = [
                it.item_id
                for it in detail.items
                if matches(self.filter, it.value, it.is_gap, it.needs_review)
            ]
            if self.current is not None:
                self._anchor = self.current  # remembered across a filter that lists nothing
            if self.current not in self.shown_ids:
                self.current = self._nearest_shown(detail.items)
            self.item_list.show_items([by_id[i] for i in self.shown_ids], self.current)
        else:
            for i in self.shown_ids:
                if before.get(i) != by_id[i]:  # re-render only the lines that changed
                    self.item_list.refresh_item(by_id[i])
        item = self.current_item
        self.section_list.show_sections(self.summary.sections, item.section if item else None)
        self._render_status()
        self._show_current()

    def _nearest_shown(self, items: list[ItemView]) -> str | None:
        """The item to put the cursor on when the current one is not listed: the next listed one in
        checklist order (else the last listed), so changing the filter does not throw the clerk back to
        the top of the list."""
        if not self.shown_ids:
            return None
        order = [it.item_id for it in items]
        here = order.index(self._anchor) if self._anchor in order else 0
        after = [i for i in self.shown_ids if order.index(i) >= here]
        return after[0] if after else self.shown_ids[-1]

    @property
    def current_item(self) -> ItemView | None:
        if self.detail is None or self.current is None:
            return None
        return next((it for it in self.detail.items if it.item_id == self.current), None)

    def _render_status(self) -> None:
        if self.detail is None or self.summary is None:
            return
        info, s = self.detail.info, self.summary
        final = " 【確定済み】" if info.status == "final" else ""
        self.sub_title = f"{info.org_name} {info.fiscal_year_label}{final}"
        item = self.current_item
        section = f"  節 {item.section} {item.section_title}" if item is not None else ""
        self.query_one("#status-line", Static).update(
            f"回答 {s.answered}/{s.total}  実施率 {rate_text(s.rate)}  要再確認 {s.needs_review}"
            f"  絞込 {FILTERS[self.filter]}（{len(self.shown_ids)}件）{section}"
        )

    def _show_current(self) -> None:
        item = self.current_item
        pos = ""
        if item is not None and self.current in self.shown_ids:
            pos = f"{self.shown_ids.index(self.current) + 1}/{len(self.shown_ids)}"
        self.card.show(
            item,
            position=pos,
            previous_label=self.previous_label,
            wording=self.wordings.get(item.clause, "") if item is not None else "",
        )
        if item is not None:
            self.section_list.mark(item.section)
        self._render_status()
        self._save_cursor()

    def _save_cursor(self) -> None:

        cursor = (self.current, self.filter)
        if cursor == self._saved_cursor:
            return
        self._saved_cursor = cursor
        attempt(
            self.app,
            settings.set_,
            self.ws,
            f"ui.cursor.{self.inspection_id}",
            {"item": self.current, "filter": self.filter},
        )

    def _remember_screen(self, name: str) -> None:

        attempt(self.app, settings.set_, self.ws, "ui.last_inspection", self.inspection_id)
        attempt(self.app, settings.set_, self.ws, "ui.screen", name)

    def go_to(self, item_id: str) -> None:
        """Put the cursor on `item_id`, switching to 全項目 if the filter hides it."""
        if item_id not in self.shown_ids:
            self.filter = "all"
            self.current = item_id
            self.reload(rebuild=True)
        else:
            self.current = item_id
            self.item_list.highlighted = self.shown_ids.index(item_id)
            self._show_current()

    # -- list events ---------------------------------------------------------------------------
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self.item_list and event.option.id != self.current:
            self.current = event.option.id
            self._show_current()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is self.section_list:
            self._jump_to_section(event.option.id)
            self.item_list.focus()

    def _jump_to_section(self, section: str | None) -> None:
        if self.detail is None:
            return
        first = next(
            (
                it.item_id
                for it in self.detail.items
                if it.section == section and it.item_id in self.shown_ids
            ),
            None,
        )
        if first is None:
            self.notify(f"この節に「{FILTERS[self.filter]}」の項目はありません")
            return
        self.go_to(first)

    # -- actions -------------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        if not self.shown_ids:
            return
        index = self.shown_ids.index(self.current) if self.current in self.shown_ids else 0
        index = max(0, min(len(self.shown_ids) - 1, index + delta))
        self.go_to(self.shown_ids[index])

    def action_next_open(self) -> None:
        """Jump to the next item that still needs work (未回答 or 要再確認), wrapping around; the cursor
        stays on the answered item otherwise, so a comment or evidence can follow the answer."""
        if self.detail is None:
            return
        ids = [it.item_id for it in self.detail.items]
        start = ids.index(self.current) + 1 if self.current in ids else 0
        order = self.detail.items[start:] + self.detail.items[:start]
        target = next((it.item_id for it in order if it.value == "unanswered" or it.needs_review), None)
        if target is None:
            self.notify(f"未回答・要再確認の項目はありません。{key_of('summary')} で集計を確認できます。")
            return
        if target not in self.shown_ids:
            self.filter = "all"
            self.reload(rebuild=True)
        self.go_to(target)

    def action_section(self, delta: int) -> None:
        if self.summary is None:
            return
        if self.detail is None or self.summary is None:
            return
        sections = [s.section for s in self.summary.sections]
        items = self.detail.items
        item = self.current_item
        here = sections.index(item.section) if item and item.section in sections else 0
        target = here + delta
        while 0 <= target < len(sections):
            if any(it.section == sections[target] and it.item_id in self.shown_ids for it in items):
                self._jump_to_section(sections[target])
                return
            target += delta

    def action_cycle_filter(self) -> None:
        keys = list(FILTERS)
        self.filter = keys[(keys.index(self.filter) + 1) % len(keys)]
        self.reload(rebuild=True)
        self.notify(f"絞込: {FILTERS[self.filter]}（{len(self.shown_ids)}件）", timeout=2)

    def action_answer(self, key: str) -> None:

        item = self.current_item
        if item is None:
            return
        value = ANSWER_KEYS[key]
        attempt_ok(
            self.app,
            inspection.record_answer,
            self.ws,
            inspection_id=self.inspection_id,
            item_id=item.item_id,
            value=value,
        )
        # no dialog opens by itself: keys typed right after an answer (n, the next answer) must reach this
        # screen, not a form. The card asks for the 改善策 or the reason inline (「次に：… i で入力」).
        self.reload()

    def action_summary(self) -> None:
        from selfcheck.tui.screens.summary import SummaryScreen

        def back(item_id: str | None) -> None:
            self._remember_screen("inspection")
            self.reload()
            if item_id:
                self.go_to(item_id)

        self._remember_screen("summary")
        self.app.push_screen(SummaryScreen(self.inspection_id), back)

    def action_history(self) -> None:
        from selfcheck.tui.screens.history import HistoryScreen

        item = self.current_item
        if item is not None:
            self.app.push_screen(HistoryScreen(self.inspection_id, item))

    def action_report(self) -> None:
        from selfcheck.tui.screens.report import ReportScreen

        self.app.push_screen(ReportScreen(self.inspection_id))

    def action_back(self) -> None:

        attempt(self.app, settings.set_, self.ws, "ui.screen", "home")
        self.dismiss(None)
