"""The policy import wizard: give the file (text, PDF, Word .docx or a saved HTML page), see what was read
next to the source text, correct it, save after confirming.

The table lists every section and measure read, with its topic, the network segments named in it and the
source line it starts on; the source panel shows that line in its context (beside the table on a wide
terminal, under it at 80 columns). Enter on a clause changes its topic (Enter chooses, as everywhere:
the app's one keymap, `tui/keys.py`, has no letter for it), Space ticks a segment, Ctrl+S saves after a
ConfirmDialog, Esc goes back. A refused file (cut off, not a policy, a scan …) shows its
reason, what was read as far as it went and which part is missing; nothing can be saved from it. Reading
runs in a worker (a 30-page PDF takes a moment); all reading and saving is done by the core
(`policy_import.build`, `orgs.save_draft`), this screen only shows it and forwards corrections.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from selfcheck import dates, orgs
from selfcheck.tui.context import services
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.error import attempt, attempt_ok
from selfcheck.tui.keys import bind
from selfcheck.tui.widgets.wrap import Wrapped
from selfcheck.vocabulary import HEADING_TOPICS, KIND_LABELS, SEGMENT_LABELS, TOPICS

if TYPE_CHECKING:
    from selfcheck.errors import ImportRejected
    from selfcheck.policy_import.draft import Draft
    from selfcheck.policy_import.view import ClauseRow, WizardRead

NO_TOPIC = "__none__"
SHORT_SEGMENTS = {
    "mynumber": "マイナンバー系",
    "lgwan": "LGWAN接続系",
    "internet": "インターネット系",
    "school_admin": "校務系",
    "school_edu": "教育系",
}
"""Short labels so the segment list fits beside the table at 80 columns."""
TINY_SEGMENTS = {"mynumber": "マ", "lgwan": "Ｌ", "internet": "イ", "school_admin": "校", "school_edu": "教"}
SOURCE_KINDS = {"text": "テキスト", "pdf": "PDF", "docx": "Word", "html": "HTML"}
WIDE = 120


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ClauseTable(DataTable[Any]):
    """The clauses read from the file. Enter on a row changes its topic: DataTable's own Enter, given
    its words so the footer shows it while the table has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "分野を変更", key_display="Enter"),
    ]


class TopicDialog(ModalScreen[str | None]):
    """Choose a topic for one clause. Returns the key, NO_TOPIC for 「分野なし」, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]
    DEFAULT_CSS = """
    TopicDialog { align: center middle; }
    TopicDialog > Vertical { width: 60; height: auto; max-height: 90%; border: round $accent;
                             background: $panel; padding: 0 1; }
    TopicDialog OptionList { height: auto; max-height: 18; }
    """

    def __init__(self, clause: str, title: str, current: str | None) -> None:
        super().__init__()
        self.clause, self.clause_title, self.current = clause, title, current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Wrapped(
                    f"「{self.clause} {self.clause_title}」の分野を選んでください（Enter で決定、Esc で取消）"
                )
            )
            options = [Option("（分野なし）", id=NO_TOPIC)]
            options += [Option(label, id=key) for key, label in HEADING_TOPICS.items()]
            yield OptionList(*options, id="topics")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        keys = [NO_TOPIC, *HEADING_TOPICS]
        ol.highlighted = keys.index(self.current) if self.current in keys else 0
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PolicyImportScreen(Screen[None]):
    """Import wizard (pushed from the home screen's 「方針の取込」)."""

    CSS_PATH = "policy_import.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", priority=True),
        bind("back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.draft: Draft | None = None
        """What was read from the file, with the clerk's corrections (None for a refused file)."""
        self.refusal: ImportRejected | None = None
        """Why the last file read cannot be imported."""
        self.source_text = ""
        self.rows: list[ClauseRow] = []
        self.saved_id: str | None = None
        """Body id after a successful save."""

    # -- layout ---------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pi-body"):  # vertical at 80 columns (.wide makes it side by side)
            with Vertical(id="pi-left"):
                with Horizontal(id="pi-file"):
                    yield Input(placeholder="基本方針のファイル（.txt .pdf .docx .html）の場所", id="pi-path")
                    yield Button("読み取る", id="pi-read", variant="primary")
                yield Static(
                    "基本方針のファイル（テキスト、PDF、Word（.docx）、保存した例規集・ホームページの HTML）の"
                    "場所を入力して Enter を押してください。",
                    id="pi-summary",
                )
                with Horizontal(id="pi-main"):
                    yield ClauseTable(id="pi-clauses", cursor_type="row", zebra_stripes=True)
                    with Vertical(id="pi-side"):
                        yield Static("区分（Space）", classes="title")
                        yield SelectionList[str](
                            *[(SHORT_SEGMENTS[key], key) for key in SEGMENT_LABELS], id="pi-segments"
                        )
            yield Static("", id="pi-source")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "方針の取込"
        self.clauses.add_columns("番号", "行", "見出し", "分野", "区分")
        self.query_one("#pi-main").display = False
        self.query_one("#pi-source").display = False
        self.query_one("#pi-path", Input).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "wide")
        if self.rows:
            self._fill_table(keep=self.clauses.cursor_row)
        if self.draft is not None or self.refusal is not None:
            self._show_summary()
        self._show_source()

    @property
    def clauses(self) -> DataTable[Any]:
        return self.query_one("#pi-clauses", DataTable)

    @property
    def segments(self) -> SelectionList[str]:
        return self.query_one("#pi-segments", SelectionList)

    # -- reading --------------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "pi-path":
            self.read_file(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pi-read":
            self.read_file(self.query_one("#pi-path", Input).value)

    def read_file(self, value: str) -> None:
        path = value.strip().strip('"').strip("'")
        if not path:
            self.notify("ファイルの場所を入力してください", severity="warning")
            return
        self.query_one("#pi-summary", Static).update("読み取っています…")
        self.read_worker(Path(path).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="policy-import", name="policy-read")
    def read_worker(self, path: Path) -> WizardRead:
        # the importer (pydantic, and the PDF/Word/HTML readers): loaded when a file is read, not at start-up
        from selfcheck.policy_import.view import read_for_wizard

        return read_for_wizard(path)  # a refusal comes back as data, shown with what was read

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "policy-read" or event.state != WorkerState.SUCCESS:
            return  # errors: the app's central handler shows them
        result = event.worker.result
        assert result is not None
        self.saved_id = None
        self.draft, self.refusal, self.source_text, self.rows = (
            result.draft,
            result.refusal,
            result.text,
            result.rows,
        )
        if self.draft is not None:
            self._fill_segments()
        self.query_one("#pi-main").display = bool(self.rows) or self.draft is not None
        self.query_one("#pi-side").display = self.draft is not None
        self.query_one("#pi-source").display = bool(self.source_text)
        self._fill_table()
        self._show_summary()
        if self.rows:
            self.clauses.focus()

    def _fill_segments(self) -> None:
        assert self.draft is not None
        sl = self.segments
        with self.prevent(SelectionList.SelectedChanged):
            sl.deselect_all()
            for seg in self.draft.segments:
                sl.select(seg)

    def _fill_table(self, keep: int = 0) -> None:
        table = self.clauses
        table.clear()
        wide = self.size.width >= WIDE
        for row in self.rows:
            name = TOPICS.get(row.topic or "", "（分野なし）")
            label = Text(_cut(name, 10 if wide else 7), style="" if row.topic else "bold red")
            segs = "".join(TINY_SEGMENTS[s] for s in row.segments)
            title = "　" * row.depth + row.title
            line = str(row.line or "")
            table.add_row(row.number, line, _cut(title, 14 if wide else 9), label, segs, key=row.number)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _show_summary(self) -> None:
        t = Text()
        if self.refusal is not None:
            found = self.refusal.found
            t.append("取り込めません: ", style="bold red")
            t.append(self.refusal.message_ja, style="red")
            if found.get("organization") or found.get("title"):
                t.append(
                    f"\n読み取れた表題: {found.get('title') or ''}（{found.get('organization') or '団体名不明'}）"
                )
            if self.refusal.reason == "incomplete":
                t.append(
                    "\n不足している部分を含む完全な基本方針のファイルを指定してください。何も保存されていません。",
                    style="yellow",
                )
            self.query_one("#pi-summary", Static).update(t)
            return
        d = self.draft
        assert d is not None
        prof = d.profile()
        t.append(prof.name, style="bold")
        t.append(f" — {prof.policy_title}（{SOURCE_KINDS.get(d.source_kind, d.source_kind)}）\n")
        adopted = dates.date_text(prof.adopted) if prof.adopted else "不明"
        t.append(f"策定 {adopted}  種別 {KIND_LABELS[prof.kind]}  脅威 {prof.threat_count}件  ")
        t.append(f"点検項目 {len(d.items())}件")
        if self.saved_id:
            t.append("  保存済み", style="bold green")
        shown = d.warnings if self.size.width >= WIDE else d.warnings[:1]
        for w in shown:  # one line each at 80 columns, so the table keeps its rows
            note = Text(f"\n注意: {w.split(' / ')[0]}", style="yellow")
            if self.size.width < WIDE:
                note.truncate(self.size.width - 2 + 1, overflow="ellipsis")
            t.append_text(note)
        if len(shown) < len(d.warnings):
            t.append(
                f"\n（ほかに注意 {len(d.warnings) - len(shown)} 件: 横幅 120 桁以上で全件を表示）",
                style="yellow",
            )
        self.query_one("#pi-summary", Static).update(t)

    def _current(self) -> ClauseRow | None:
        table = self.clauses
        if not table.row_count or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _show_source(self) -> None:
        if not self.source_text:
            return
        from selfcheck.policy_import.view import source_window  # loaded by the read already

        row = self._current()
        line = row.line if row else 1
        wide = self.size.width >= WIDE
        height = max(3, self.size.height - 4) if wide else 5
        width = max(20, (self.size.width * 38 // 100 if wide else self.size.width) - 8)
        t = Text()
        where = f"{row.number} {row.title}" if row else ""
        t.append(f"元の文書（{line}行目 {where}）\n", style="bold")
        for no, body in source_window(self.source_text, line, height):
            text = Text(body, style="reverse" if no == line else "")
            text.truncate(width, overflow="ellipsis")  # by cells: a 全角 character takes two
            t.append(f"{no:>4} ", style="dim")
            t.append_text(text)
            t.append("\n")
        self.query_one("#pi-source", Static).update(t)

    # -- corrections ----------------------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_source()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_change_topic()

    def action_change_topic(self) -> None:
        row = self._current()
        if self.draft is None or row is None:
            return
        index = self.clauses.cursor_row

        def chosen(topic: str | None) -> None:
            if topic is None or self.draft is None:
                return
            if attempt_ok(self.app, self.draft.set_topic, row.number, None if topic == NO_TOPIC else topic):
                from selfcheck.policy_import.view import draft_rows  # loaded by the read already

                self.saved_id = None
                self.rows = draft_rows(self.draft)
                self._fill_table(keep=index)
                self._show_summary()

        self.app.push_screen(TopicDialog(row.number, row.title, self.draft.topics.get(row.number)), chosen)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        if self.draft is None:
            return
        chosen = set(event.selection_list.selected)
        for seg in SEGMENT_LABELS:
            if seg in chosen:
                self.draft.add_segment(seg)
            else:
                self.draft.remove_segment(seg)
        self.saved_id = None
        self._show_summary()

    # -- saving ---------------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.draft is None:
            self.notify(
                "保存できる読み取り結果がありません" if self.refusal else "先にファイルを読み取ってください",
                severity="warning",
            )
            return
        ws = services(self).ws
        if ws is None:
            self.notify("データを読み込み中です。少しお待ちください。", severity="warning")
            return
        draft = self.draft
        prof = attempt(self.app, draft.profile)
        if prof is None:
            return
        message = (
            f"{prof.name}（ID {prof.id}）を団体として登録し、点検項目 {len(draft.items())} 件を作ります。\n"
            "同じIDの団体がすでにあれば、その方針と点検項目を置き換えます。"
        )

        def confirmed(yes: bool | None) -> None:
            if not yes or self.draft is not draft:
                return
            saved = attempt(self.app, orgs.save_draft, ws, draft)
            if saved is None:
                return
            self.saved_id = saved.id
            self._show_summary()
            self.notify(
                f"{saved.name} を登録しました。ホームの「6 名前・団体を変更」で選べます。",
                title="保存しました",
            )

        self.app.push_screen(ConfirmDialog("方針の取込を保存", message, action_label="保存する"), confirmed)

    def action_back(self) -> None:
        # the home screen (which pushed this one with a callback) reloads: its body list now includes
        # the imported body
        self.dismiss(None)
