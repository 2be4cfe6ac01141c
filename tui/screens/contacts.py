"""The body's emergency contact list (緊急連絡先), used by the incident steps to show whom to call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from selfcheck.incident import contacts
from selfcheck.incident.contacts import ContactView
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.dialogs.incident import ContactDialog
from selfcheck.tui.keys import bind


class ContactsScreen(Screen[None]):
    """The body's contact list: a = 追加, Enter = 編集 (also the role's 役職名), x = 削除 (asks first)."""

    CSS_PATH = "incident.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("add"),
        Binding("enter", "edit", "編集"),
        bind("delete"),
        bind("back"),
    ]

    def __init__(self, org_id: str) -> None:
        super().__init__()
        self.org_id = org_id
        """The body whose contacts are shown."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "緊急連絡先（a 追加、Enter 編集、x 削除、Esc 戻る）",
            classes="title",
            id="contacts-title",
        )
        # cell_padding 2: Japanese names and 所属 have no spaces, so one cell of padding read as one word
        yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True, cell_padding=2)
        yield Footer(compact=True)

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

    def _saver(self, contact_id: int | None) -> Callable[[dict[str, str]], None]:
        """The core calls behind the contact form: the contact, then its role's 役職名 when changed."""
        ws, org = workspace(self), self.org_id
        titles = self._roles()

        def save(values: dict[str, str]) -> None:
            fields = dict(values)
            title = fields.pop("role_title", "").strip()
            if contact_id is None:
                contacts.add_contact(ws, org, **fields)
            else:
                contacts.update_contact(ws, contact_id, **fields)
            if title and title != titles.get(fields["role"]):
                contacts.set_role_title(ws, org, fields["role"], title)

        return save

    def action_add(self) -> None:
        self.app.push_screen(ContactDialog(self._roles(), save=self._saver(None)), lambda _s: self.reload())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _current(self) -> ContactView | None:
        cid = self._selected()
        rows = attempt(self.app, contacts.list_contacts, workspace(self), self.org_id) or []
        return next((c for c in rows if c.id == cid), None) if cid is not None else None

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            return
        self.app.push_screen(
            ContactDialog(self._roles(), current.as_dict(), save=self._saver(current.id)),
            lambda _s: self.reload(),
        )

    def action_delete(self) -> None:
        current = self._current()
        if current is None:
            return

        def delete(yes: bool | None) -> None:
            if yes:
                attempt(self.app, contacts.delete_contact, workspace(self), current.id)
                self.reload()

        who = " ".join(x for x in (current.role_title, current.name, current.phone) if x)
        self.app.push_screen(
            ConfirmDialog(
                "連絡先を削除します",
                f"{who} を連絡先から削除します。インシデントの手順にこの連絡先が表示されなくなります。",
                action_label="削除する",
            ),
            delete,
        )

    def action_back(self) -> None:
        self.dismiss(None)
