"""The item card: one checklist item with everything needed to answer it.

The top part (clause, question, 確認方法, GL reference) never scrolls, so it stays visible even at 80×24;
the answer, last year's answer, comment, 改善策 and evidence scroll below it. Attributes down: the screen
calls `show(item)`; the card never queries anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from selfcheck.tui.widgets.labels import ANSWER_STYLE, answer_label, human_size, short_time

if TYPE_CHECKING:
    from selfcheck.inspection import ItemView


def _row(label: str, body: str | Text, style: str = "") -> Text:
    # no space after the label: Rich wraps at spaces, and a Japanese sentence has none, so a space would
    # push the whole sentence to the next line
    text = Text()
    text.append(f"{label}：", style="bold")
    text.append(body if isinstance(body, Text) else Text(body, style=style))
    return text


def header_text(item: ItemView, position: str) -> Text:
    t = Text()
    t.append(f"「{item.clause} {item.clause_title}」", style="bold")
    if item.needs_review:
        t.append("  ")
        t.append(" 要再確認 ", style="bold black on yellow")
    t.append(f"   {position}", style="dim")
    return t


def answer_text(item: ItemView) -> Text:
    t = Text()
    t.append("回答：", style="bold")
    t.append(answer_label(item.value), style=ANSWER_STYLE.get(item.value, ""))
    if item.answered_by and item.value != "unanswered":
        t.append(f"   {item.answered_by} {short_time(item.answered_at)}", style="dim")
    if item.value == "unanswered":
        t.append("   1 実施している / 2 一部実施 / 3 実施していない / 4 該当しない", style="dim")
    return t


def previous_text(item: ItemView, label: str) -> Text | None:
    p = item.previous
    if p is None:
        return None
    t = Text()
    t.append(f"前回（{label}）\n", style="bold")
    t.append("  回答: ")
    t.append(answer_label(p.value), style=ANSWER_STYLE.get(p.value, ""))
    t.append(f"\n  コメント: {p.comment or 'なし'}")
    t.append(f"\n  改善策: {p.improvement or 'なし'}")
    if item.needs_review:
        t.append("\n  y で前回のまま確認、1〜4 で回答し直し", style="dim")
    return t


def improvement_text(item: ItemView) -> Text | None:
    imp = item.improvement
    if imp is None:
        if not item.is_gap:
            return None
        return _row("改善策", Text("改善策未入力（i で入力）", style="bold red"))
    t = Text()
    t.append("改善策：", style="bold")
    t.append(imp.action)
    status = "完了" if imp.status == "done" else "予定"
    t.append(f"\n  担当: {imp.owner or '未定'}   期限: {imp.due_date or '未定'}   状態: {status}")
    if imp.needs_review:
        t.append("\n  前回から引継ぎ（要再確認）", style="yellow")
    return t


def evidence_text(item: ItemView) -> Text:
    t = Text()
    t.append(f"証拠（{len(item.evidence)}件）：", style="bold")
    if not item.evidence:
        t.append("なし（e で追加）", style="dim")
    for ev in item.evidence:
        if ev.kind == "file":
            t.append(
                f"\n  ファイル  {ev.original_name}  {human_size(ev.size)}  SHA-256 {(ev.sha256 or '')[:12]}"
            )
        else:
            t.append(f"\n  紙  保管場所: {ev.paper_location}")
    return t


class ItemCard(Vertical):
    """Shows one `ItemView`; `show(None)` shows a placeholder (empty filter)."""

    DEFAULT_CSS = """
    ItemCard { padding: 0 1; }
    ItemCard #card-fixed { height: auto; border-bottom: solid $primary-darken-2; padding-bottom: 0; }
    ItemCard #card-fixed Static { height: auto; }
    ItemCard #card-question { margin: 1 0 0 0; text-style: bold; }
    ItemCard #card-more { height: 1fr; }
    ItemCard #card-more Static { height: auto; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="card-fixed"):
            yield Static("", id="card-header")
            yield Static("", id="card-question", markup=False)
            yield Static("", id="card-how", markup=False)
            yield Static("", id="card-ref", markup=False)
        with VerticalScroll(id="card-more"):
            yield Static("", id="card-answer")
            yield Static("", id="card-wording", markup=False)
            yield Static("", id="card-previous")
            yield Static("", id="card-comment")
            yield Static("", id="card-improvement")
            yield Static("", id="card-evidence")

    def show(
        self, item: ItemView | None, *, position: str = "", previous_label: str = "前回", wording: str = ""
    ) -> None:
        """`wording`: the body's own text of the cited clause (imported policies only)."""

        def put(widget_id: str, content: Text | str | None) -> None:
            w = self.query_one(f"#{widget_id}", Static)
            w.display = bool(content)
            w.update(content or "")

        if item is None:
            put("card-header", Text("該当する項目はありません。/ で絞込を切り替えてください。"))
            for wid in (
                "card-question",
                "card-how",
                "card-ref",
                "card-answer",
                "card-wording",
                "card-previous",
                "card-comment",
                "card-improvement",
                "card-evidence",
            ):
                put(wid, None)
            return
        put("card-header", header_text(item, position))
        put("card-question", item.question)
        put("card-how", _row("確認方法", item.how_to_check))
        put("card-ref", _row("参照", f"{item.guideline_ref}（総務省ガイドライン）   項目ID {item.item_id}"))
        put("card-answer", answer_text(item))
        put("card-wording", _row(f"条文 {item.clause}", wording, "dim") if wording else None)
        put("card-previous", previous_text(item, previous_label))
        put("card-comment", self._comment(item))
        put("card-improvement", improvement_text(item))
        put("card-evidence", evidence_text(item))

    @staticmethod
    def _comment(item: ItemView) -> Text:
        t = _row("コメント", item.comment or "なし（c で入力）", "" if item.comment else "dim")
        if item.value == "not_applicable":
            t.append("\n")
            if item.na_reason:
                t.append_text(_row("該当しない理由", item.na_reason))
            else:
                t.append("該当しない理由：", style="bold")
                t.append("未入力（r で入力）", style="bold red")
        return t
