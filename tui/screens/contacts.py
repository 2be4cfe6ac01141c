"""The body's emergency contact list (緊急連絡先), used by the incident steps to show whom to call."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from selfcheck.incident import contacts
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.dialogs.incident import ContactDialog
from selfcheck.tui.dialogs.text_input import TextInputDialog


class ContactsScreen(Screen[None]):
    """The body's contact list: a = 追加, Enter = 編集, x = 削除, t = 役職名の変更."""

    CSS_PATH = "incident.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "追加"),
        Binding("enter", "edit", "編集", show=False),
        Binding("x", "delete", "削除"),
        Binding("t", "title", "役職名"),
        Binding("escape", "back", "戻る"),
    ]

    def __init__(self, org_id: str) -> None:
        super().__init__()
        self.org_id = org_id
        """The body whose contacts are shown."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "緊急連絡先（a 追加、Enter 編集、x 削除、t 役職名、Esc 戻る）",
            classes="title",
            id="contacts-title",
        )
        yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#contacts", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns("役割", "氏名", "所属", "電話", "メール")
        self.reload()
        self.table.focus()

    def reload(self) -> None:
        rows = attempt(self.app, contacts.list_contacts, workspace(self), self.org_id) or []
        t = self.table
        t.clear()
        for c in rows:
            t.add_row(c.role_title, c.name, c.organization, c.phone, c.email, key=str(c.id))

    def _roles(self) -> dict[str, str]:
        return attempt(self.app, contacts.role_titles, workspace(self), self.org_id) or {}

    def _selected(self) -> int | None:
        t = self.table
        if t.row_count == 0:
            return None
        key = t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value
        return int(key) if key else None

    def action_add(self) -> None:
        ws, org = workspace(self), self.org_id

        def save(values: dict[str, str]) -> None:
            contacts.add_contact(ws, org, **values)

        self.app.push_screen(ContactDialog(self._roles(), save=save), lambda saved: self.reload())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        cid = self._selected()
        if cid is None:
            return
        current = next((c for c in contacts.list_contacts(workspace(self), self.org_id) if c.id == cid), None)
        if current is None:
            return

        def save(values: dict[str, str]) -> None:
            contacts.update_contact(workspace(self), cid, **values)

        self.app.push_screen(
            ContactDialog(self._roles(), current.as_dict(), save=save), lambda saved: self.reload()
        )

    def action_delete(self) -> None:
        cid = self._selected()
        if cid is not None:
            attempt(self.app, contacts.delete_contact, workspace(self), cid)
            self.reload()

    def action_title(self) -> None:

        cid = self._selected()
        current = next((c for c in contacts.list_contacts(workspace(self), self.org_id) if c.id == cid), None)
        if current is None:
            self.notify("役職名を変える役割の連絡先を選んでください。")
            return

        def save(title: str | None) -> None:
            if title:
                attempt(self.app, contacts.set_role_title, workspace(self), self.org_id, current.role, title)
                self.reload()

        self.app.push_screen(
            TextInputDialog(
                f"役割「{current.role}」の役職名（この団体での呼び方）",
                value=current.role_title,
                required=True,
            ),
            save,
        )

    def action_back(self) -> None:
        self.dismiss(None)
