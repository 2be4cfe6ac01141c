"""Small dialogs of the incident screens: pick what happened, triage questions, outside reports made,
the nine PPC items, the timeline, and a contact form.

They only collect choices and show views handed to them; the screen that opens them calls the core
(`selfcheck.incident`) with the result, so saving and error handling stay in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from selfcheck import dates
from selfcheck.incident.views import TIMELINE_KIND_LABELS, TRIAGE_LABELS
from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.keys import bind
from selfcheck.tui.widgets.incident_panels import deadline_detail, deadline_text
from selfcheck.tui.widgets.wrap import Wrapped

if TYPE_CHECKING:
    from selfcheck.incident.playbook import Playbook
    from selfcheck.incident.views import Deadline, TimelineView, TriageQuestion

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90; max-width: 100%; height: auto; max-height: 100%;
    border: thick $accent; background: $panel; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; margin-top: 1; }}
{name} .dialog-hint {{ color: $text-muted; }}
{name} OptionList {{ height: auto; max-height: 18; }}
"""

ANSWER_STYLE = {"yes": "bold red", "no": "bold green", "unknown": "dim"}


class _PickDialog(ModalScreen[str | None]):
    """A modal that lists options: Enter returns the chosen id, Esc returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "閉じる")]

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlaybookPicker(_PickDialog):
    """「何が起きましたか」: the playbooks with plain descriptions. Returns the playbook id."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PlaybookPicker")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(self, playbooks: list[Playbook]) -> None:
        super().__init__()
        self.playbooks = playbooks

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("何が起きましたか（上下キーで選んで Enter、Esc で取消）", classes="dialog-title")
            options = []
            for pb in self.playbooks:
                t = Text()
                t.append(pb.title, style="bold")
                t.append("\n" + pb.description, style="dim")
                options.append(Option(Wrapped(t), id=pb.id))
            yield OptionList(*options, id="playbooks")


class TriageDialog(ModalScreen[dict[str, str] | None]):
    """The triage questions. 1 = はい, 2 = いいえ, 3 = 分からない (未回答) on the highlighted question, as
    digits choose numbered options on every screen (letters keep their one meaning); Enter saves."""

    DEFAULT_CSS = DIALOG_CSS.format(name="TriageDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "answer('yes')", "はい"),
        Binding("2", "answer('no')", "いいえ"),
        Binding("3", "answer('unknown')", "分からない"),
        Binding("enter,ctrl+s", "save", "保存"),
        bind("back", "cancel", label="取消"),
    ]

    def __init__(self, questions: tuple[TriageQuestion, ...]) -> None:
        super().__init__()
        self.questions = questions
        self.answers = {q.key: q.answer for q in questions}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("判定の質問（いつでも変更できます）", classes="dialog-title")
            yield Static(
                Wrapped(
                    "1 はい　2 いいえ　3 分からない　Enter で保存　Esc で取消。"
                    "分からなければ未回答のままで構いません。"
                ),
                classes="dialog-hint",
            )
            yield OptionList(*[Option(self._prompt(q.key), id=q.key) for q in self.questions], id="questions")
            yield Static("", id="help", classes="dialog-hint")

    def _prompt(self, key: str) -> Text:
        q = next(x for x in self.questions if x.key == key)
        a = self.answers[key]
        t = Text()
        label = f"[{TRIAGE_LABELS.get(a, a)}]"
        t.append(label + " " * (9 - cell_len(label)), style=ANSWER_STYLE[a])
        t.append(" " + q.text)
        return t

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        ol.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        q = next((x for x in self.questions if x.key == event.option.id), None)
        self.query_one("#help", Static).update(Wrapped(q.help) if q else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_save()

    def action_answer(self, value: str) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return
        key = ol.get_option_at_index(ol.highlighted).id
        assert key is not None
        self.answers[key] = value
        ol.replace_option_prompt(key, self._prompt(key))
        if ol.highlighted < ol.option_count - 1:
            ol.highlighted += 1

    def action_save(self) -> None:
        self.dismiss(dict(self.answers))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportsDialog(_PickDialog):
    """Outside reports due: Enter on one toggles 報告済み (returns its id)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ReportsDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "閉じる")]

    def __init__(self, deadlines: tuple[Deadline, ...], titles: dict[str, str] | None = None) -> None:
        super().__init__()
        self.deadlines = deadlines
        self.titles = titles or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "外部への報告（Enter で「報告済み」にする・取り消す、Esc で閉じる）", classes="dialog-title"
            )
            if not self.deadlines:
                yield Static("今の判定では、期限のある報告はありません。", classes="dialog-hint")
            options = []
            for d in self.deadlines:
                t = deadline_text(d)
                t.append_text(deadline_detail(d, self.titles.get(d.to, d.to)))
                options.append(Option(Wrapped(t), id=d.id))  # 禁則: no 「）」 starting a line
            yield OptionList(*options, id="reports")


class FieldsDialog(_PickDialog):
    """What the incident report says in words: 件名, 概要, 発生日時, 覚知日時, then the nine
    個人情報保護委員会 items. Enter picks one to edit (returns its key)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FieldsDialog")
    BINDINGS: ClassVar[list[BindingType]] = [bind("back", "cancel", label="閉じる")]

    def __init__(
        self, fields: dict[str, tuple[str, str]], ppc_items: dict[str, str], ppc_values: dict[str, str]
    ) -> None:
        super().__init__()
        self.fields = fields
        self.ppc_items = ppc_items
        self.ppc_values = ppc_values

    @staticmethod
    def _option(key: str, label: str, value: str) -> Option:
        t = Text()
        t.append(label, style="bold")
        t.append(
            "\n   " + (value.replace("\n", " ")[:70] if value else "（未記入）"),
            style="" if value else "dim",
        )
        return Option(Wrapped(t), id=key)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("記入事項（Enter で編集、Esc で閉じる）", classes="dialog-title")
            options = [self._option(k, label, value) for k, (label, value) in self.fields.items()]
            options.append(
                Option(Text("個人情報保護委員会への報告事項", style="bold underline"), disabled=True)
            )
            for n, (key, label) in enumerate(self.ppc_items.items(), start=1):
                options.append(self._option(key, f"{n}. {label}", self.ppc_values.get(key, "")))
            yield OptionList(*options, id="fields")


class TimelineDialog(ModalScreen[None]):
    """The whole timeline, newest last, read-only (corrections are new entries)."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="TimelineDialog")
        + """
    TimelineDialog VerticalScroll { height: auto; max-height: 20; }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [bind("back", "close", label="閉じる")]

    def __init__(self, entries: tuple[TimelineView, ...], step_titles: dict[str, str]) -> None:
        super().__init__()
        self.entries = entries
        self.step_titles = step_titles

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"時系列（{len(self.entries)}件、Esc で閉じる）", classes="dialog-title")
            with VerticalScroll():
                for e in self.entries:
                    t = Text()
                    t.append(dates.time_text(e.at), style="dim")
                    t.append(f" {TIMELINE_KIND_LABELS.get(e.kind, e.kind)} ", style="bold")
                    if e.step_id:
                        t.append(f"［{self.step_titles.get(e.step_id, e.step_id)}］")
                    t.append(e.text)
                    t.append(f"（{e.actor}）", style="dim")
                    yield Static(Wrapped(t), classes="entry")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)  # newest entries first in view

    def action_close(self) -> None:
        self.dismiss(None)


class ContactDialog(FormDialog[dict[str, str]]):
    """Add or edit a contact. With `save` (the core call), a refusal such as a malformed phone number is
    shown in the dialog and the form stays open with what was typed; returns the saved values."""

    DEFAULT_CSS = (
        form_css("ContactDialog", width=90)
        + """
    ContactDialog Label { margin-top: 0; }
    """
    )
    FIELDS: ClassVar[list[tuple[str, str]]] = [
        ("name", "氏名・窓口名"),
        ("organization", "所属"),
        ("phone", "電話番号"),
        ("email", "メール"),
        ("note", "備考"),
    ]

    def __init__(
        self,
        roles: dict[str, str],
        values: dict[str, Any] | None = None,
        *,
        save: Callable[[dict[str, str]], object] | None = None,
    ) -> None:
        super().__init__()
        self.roles = roles
        self.values = values or {}
        self.save_fn = save

    def compose(self) -> ComposeResult:
        role = str(self.values.get("role") or next(iter(self.roles), ""))
        with Vertical():
            yield Static("連絡先（Enter で次の欄、Ctrl+S で保存、Esc で取消）", classes="dialog-title")
            yield Label("役割")
            yield Select(
                [(t, k) for k, t in self.roles.items()],
                value=role,
                allow_blank=False,
                id="role",
                compact=True,
            )
            # the body's own word for the role (e.g. 総務課長 for 情報セキュリティ管理者), shared by everyone
            # with this role; never the internal id
            yield Label("この役割の呼び方（役職名。同じ役割の全員に反映されます）")
            yield Input(self.roles.get(role, ""), id="role_title", compact=True)
            # compact fields: the whole form, with its buttons, fits 80x24
            for key, label in self.FIELDS:
                yield Label(label)
                yield Input(str(self.values.get(key, "")), id=key, compact=True)
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#role_title", Input).value = self.roles.get(str(event.value), "")

    def _save(self) -> None:
        out = {key: self.query_one(f"#{key}", Input).value for key, _ in self.FIELDS}
        out["role"] = str(self.query_one("#role", Select).value)
        out["role_title"] = self.query_one("#role_title", Input).value
        if self.save_fn is None or self.attempt_save(self.save_fn, out):
            self.dismiss(out)
