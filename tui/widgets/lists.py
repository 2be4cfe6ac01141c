"""The two navigation lists of the inspection screen: sections with their progress, and the items of
the current filter. Both are OptionLists, so arrows, Enter and mouse clicks work out of the box; the
screen owns the data and calls `show_*`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from selfcheck.tui.widgets.labels import ANSWER_STYLE, rate_text, short_label

if TYPE_CHECKING:
    from selfcheck.inspection import ItemView, SectionSummary


LABEL_CELLS = 10
"""The widest short answer word (該当しない) in cells."""
REVIEW_MARK = "要再確認"


def section_prompt(sec: SectionSummary) -> Text:
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{sec.section} {sec.title}\n", style="bold" if sec.answered < sec.total else "")
    t.append(f"  {sec.answered}/{sec.total}  実施率 {rate_text(sec.rate)}", style="dim")
    return t


def item_prompt(item: ItemView) -> Text:
    # fixed columns separated by spaces, so the answer, the 要再確認 mark and the clause never run
    # together (「未実施再 6」 was read as one word)
    t = Text(no_wrap=True, overflow="ellipsis")
    label = short_label(item.value)
    t.append(label + " " * max(0, LABEL_CELLS - cell_len(label)), style=ANSWER_STYLE.get(item.value, ""))
    t.append(" ")
    t.append(REVIEW_MARK if item.needs_review else " " * cell_len(REVIEW_MARK), style="bold yellow")
    t.append(f" {item.clause}  {item.question}")
    return t


class SectionList(OptionList):
    """Sections with answered/total and 実施率; selecting one jumps to its first item."""

    def show_sections(self, sections: tuple[SectionSummary, ...], current: str | None) -> None:
        keep = self.scroll_y
        self.clear_options()
        self.add_options([Option(section_prompt(s), id=s.section) for s in sections])
        self.scroll_to(y=keep, animate=False)
        self.mark(current)

    def mark(self, section: str | None) -> None:
        if section is None:
            return
        try:
            index = self.get_option_index(section)
        except Exception:  # OptionDoesNotExist: the section vanished from a new revision
            return
        if self.highlighted != index:
            self.highlighted = index
            self.call_after_refresh(self.scroll_to_highlight)


class ItemList(OptionList):
    """Items of the current filter, one line each: answer, 要再確認, clause and question."""

    def show_items(self, items: list[ItemView], current: str | None) -> None:
        self.clear_options()
        self.add_options([Option(item_prompt(it), id=it.item_id) for it in items])
        if current is not None:
            try:
                self.highlighted = self.get_option_index(current)
            except Exception:
                self.highlighted = 0 if items else None
        # the list has no size yet right after a rebuild: scroll once it has been laid out
        self.call_after_refresh(self.scroll_to_highlight)

    def refresh_item(self, item: ItemView) -> None:
        try:
            index = self.get_option_index(item.item_id)
        except Exception:
            return
        self.replace_option_prompt_at_index(index, item_prompt(item))
