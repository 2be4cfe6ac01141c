"""The item card: one checklist item with everything needed to answer it.

The top part (clause, question, 確認方法, the answer and what is still missing) never scrolls, so it stays
visible even at 80×24; the GL reference, last year's answer, comment, 改善策 and evidence scroll below it.
Text is broken with Japanese 禁則 rules (`wrap.Wrapped`). Attributes down: the screen calls
`show(item)`; the card never queries anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from selfcheck.tui.widgets.labels import (
    ANSWER_STYLE,
    IMPROVEMENT_STATUS,
    answer_label,
    due_text,
    human_size,
    short_time,
)
from selfcheck.tui.widgets.wrap import Wrapped

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
        t.append(f"  {item.answered_by} {short_time(item.answered_at)}", style="dim")
    if item.value == "unanswered":
        t.append("\n1 実施している　2 一部実施している　3 実施していない　4 該当しない", style="dim")
    todo = next_step(item)
    if todo:
        t.append("\n")
        t.append(todo, style="bold yellow")
    return t


def next_step(item: ItemView) -> str:
    """What the answer still needs, asked inline (answer keys never open a dialog: a dialog that opens
    by itself swallows the keys typed next)."""
    if item.is_gap and item.improvement is None:
        return "次に：改善策を i で入力してください"
    if item.value == "not_applicable" and not item.na_reason:
        return "次に：該当しない理由を r で入力してください"
    return ""


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
    status = IMPROVEMENT_STATUS.get(imp.status, imp.status)
    t.append(f"\n  担当：{imp.owner or '未定'}　期限：{due_text(imp.due_date)}　状況：{status}")
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
    ItemCard #card-question { text-style: bold; }
    ItemCard #card-more { height: 1fr; }
    ItemCard #card-more Static { height: auto; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="card-fixed"):
            yield Static("", id="card-header")
            yield Static("", id="card-question", markup=False)
            yield Static("", id="card-how", markup=False)
            yield Static("", id="card-answer")
        with VerticalScroll(id="card-more"):
            yield Static("", id="card-ref", markup=False)
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
            w.update(Wrapped(content) if content else "")

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
        put(
            "card-ref", _row("参照", f"総務省ガイドライン {item.guideline_ref}　項目ID {item.item_id}", "dim")
        )
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
