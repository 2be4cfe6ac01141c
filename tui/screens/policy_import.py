"""The policy import wizard: give the text file, see what was read, correct it, save.

A clerk saves the body's 基本方針 from Word or a PDF as text and types its path. The screen shows what the
importer recognised (title, body, adoption date, every section and measure with its topic, the network
segments, the number of threats, warnings) and the wording of the highlighted clause, lets the clerk change
a topic (Enter or t on a row) or tick/untick a segment, and saves with Ctrl+S. All reading and saving is
done by `selfcheck.policy_import.build` (a `Draft`); this screen only shows it and forwards corrections.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from selfcheck import orgs
from selfcheck.tui.dialogs.error import attempt
from selfcheck.vocabulary import SEGMENT_LABELS, TOPICS

if TYPE_CHECKING:
    from selfcheck.policy_import.draft import Draft

NO_TOPIC = "__none__"
SHORT_SEGMENTS = {
    "mynumber": "マイナンバー系",
    "lgwan": "LGWAN接続系",
    "internet": "インターネット系",
    "school_admin": "校務系",
    "school_edu": "教育系",
}
"""Short labels so the segment list fits beside the table at 80 columns."""
TITLE_WIDTH = 12
KIND_LABELS = {
    "union": "一部事務組合等",
    "committee": "委員会・委員",
    "town": "町村",
    "city": "市",
    "other": "その他",
}


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
                f"「{self.clause} {self.clause_title}」の分野を選んでください（Enter で決定、Esc で取消）"
            )
            options = [Option("（分野なし）", id=NO_TOPIC)]
            options += [Option(f"{label}（{key}）", id=key) for key, label in TOPICS.items()]
            yield OptionList(*options, id="topics")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        keys = [NO_TOPIC, *TOPICS]
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
        Binding("t", "change_topic", "分野を変更"),
        Binding("escape", "back", "戻る"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.draft: Draft | None = None
        """What was read from the file, with the clerk's corrections."""
        self.saved_id: str | None = None
        """Body id after a successful save."""

    # -- layout ---------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pi-file"):
            yield Input(
                placeholder="基本方針のテキストファイル（例: C:\\Users\\...\\基本方針.txt）", id="pi-path"
            )
            yield Button("読み取る", id="pi-read", variant="primary")
        yield Static(
            "基本方針をテキスト形式（.txt）で保存し、そのファイルの場所を入力して Enter を押してください。",
            id="pi-summary",
        )
        with Horizontal(id="pi-main"):
            yield DataTable(id="pi-clauses", cursor_type="row", zebra_stripes=True)
            with Vertical(id="pi-side"):
                yield Static("区分（Space で切替）", classes="title")
                yield SelectionList[str](
                    *[(SHORT_SEGMENTS[key], key) for key in SEGMENT_LABELS], id="pi-segments"
                )
        yield Static("", id="pi-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "方針の取込"
        table = self.query_one("#pi-clauses", DataTable)
        table.add_columns("番号", "見出し", "分野")
        self.query_one("#pi-main").display = False
        self.query_one("#pi-path", Input).focus()

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

        from selfcheck.policy_import.build import draft_from_file

        path = value.strip().strip('"').strip("'")
        if not path:
            self.notify("ファイルの場所を入力してください", severity="warning")
            return
        draft = attempt(self.app, draft_from_file, Path(path).expanduser())
        if draft is None:
            return
        self.draft, self.saved_id = draft, None
        self.query_one("#pi-main").display = True
        self._fill_segments()
        self._fill_table()
        self._show_summary()
        self.clauses.focus()

    def _fill_segments(self) -> None:
        assert self.draft is not None
        sl = self.segments
        with self.prevent(SelectionList.SelectedChanged):
            sl.deselect_all()
            for seg in self.draft.segments:
                sl.select(seg)

    def _rows(self) -> list[tuple[str, str, str | None]]:
        """(number, title, topic) of every clause the profile keeps, sections with their measures inline."""
        assert self.draft is not None
        prof = self.draft.profile()
        rows: list[tuple[str, str, str | None]] = []

        def add(clauses: list[Any], depth: int) -> None:
            for c in clauses:
                rows.append((c.number, "　" * depth + c.title, c.topic))
                add(c.children, depth + 1)

        for s in prof.sections:
            add([s], 0)
            if s.number == prof.measures_section:
                add(prof.measures, 1)
        return rows

    def _fill_table(self, keep: int = 0) -> None:
        table = self.clauses
        table.clear()
        for number, title, topic in self._rows():
            name = TOPICS.get(topic or "", "（分野なし）")
            label = Text(
                name if len(name) <= TITLE_WIDTH else name[: TITLE_WIDTH - 1] + "…",
                style="" if topic else "bold red",
            )
            short = title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"
            table.add_row(number, short, label, key=number)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _show_summary(self) -> None:
        d = self.draft
        assert d is not None
        prof = d.profile()
        t = Text()
        t.append(f"{prof.name}", style="bold")
        t.append(f" — {prof.policy_title}\n")
        adopted = prof.adopted.isoformat() if prof.adopted else "不明"
        t.append(
            f"策定 {adopted}（{prof.adopted_text or '記載なし'}）  種別 {KIND_LABELS[prof.kind]}  ID {prof.id}\n"
        )
        t.append(
            f"脅威 {prof.threat_count}件  自己点検の定め {'あり' if prof.has_self_inspection else 'なし'}  "
            f"点検項目 {len(d.items())}件"
        )
        if self.saved_id:
            t.append("  保存済み", style="bold green")
        for w in d.warnings:
            t.append(f"\n注意: {w.split(' / ')[0]}", style="yellow")
        self.query_one("#pi-summary", Static).update(t)

    # -- corrections ----------------------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        from selfcheck.policy_import.wording import clause_text

        if self.draft is None or event.row_key.value is None:
            return
        wording = clause_text(self.draft.text, None, str(event.row_key.value))
        self.query_one("#pi-preview", Static).update(Text(wording or "（本文が見つかりません）"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_change_topic()

    def action_change_topic(self) -> None:
        if self.draft is None or not self.clauses.row_count:
            return
        number = str(self.clauses.coordinate_to_cell_key(self.clauses.cursor_coordinate).row_key.value)
        title = next((t for n, t, _ in self._rows() if n == number), number).strip("　")
        current = self.draft.topics.get(number)
        row = self.clauses.cursor_row

        def chosen(topic: str | None) -> None:
            if topic is None or self.draft is None:
                return
            if attempt(self.app, self.draft.set_topic, number, None if topic == NO_TOPIC else topic) is None:
                self.saved_id = None
                self._fill_table(keep=row)
                self._show_summary()

        self.app.push_screen(TopicDialog(number, title, current), chosen)

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
            self.notify("先にファイルを読み取ってください", severity="warning")
            return
        ws = getattr(self.app, "ws", None)
        if ws is None:
            self.notify("データを読み込み中です。少しお待ちください。", severity="warning")
            return

        prof = attempt(self.app, orgs.save_draft, ws, self.draft)
        if prof is None:
            return
        self.saved_id = prof.id
        self._show_summary()
        count = len(self.draft.items())
        self.notify(
            f"{prof.name} を登録しました（点検項目 {count} 件）。ホームの「団体を変更」で選べます。",
            title="保存しました",
        )

    def action_back(self) -> None:
        home = getattr(self.app, "home_screen", None)
        self.dismiss(None)
        if home is not None and hasattr(home, "reload"):
            home.reload()  # the body list on the home screen now includes the imported body
