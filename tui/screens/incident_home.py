"""インシデント対応 home: the list of incidents (open ones first) and 「新しいインシデント」.

Opening an incident asks for the playbook and the 覚知 time, then shows its step-by-step screen with the
triage questions. Every action is one core call; errors go through the app's funnel (`attempt`).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from selfcheck import orgs
from selfcheck.incident import cases, queries
from selfcheck.tui.context import services, workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.dialogs.incident import PlaybookPicker
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.keys import bind
from selfcheck.tui.screens.contacts import ContactsScreen
from selfcheck.tui.screens.incident import IncidentScreen
from selfcheck.tui.widgets.labels import short_time

NEW_ID = "new"


class IncidentHomeScreen(Screen[None]):
    """Open incidents first, then closed ones; 「新しいインシデント」 at the top."""

    CSS_PATH = "incident.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("add", "new", label="追加"),
        bind("contacts"),
        bind("back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="incident-home"):
            yield Static("インシデント対応", classes="title", id="home-title")
            yield Static(
                "上下キーで選んで Enter で開く。a で新しいインシデント、t で連絡先。", classes="muted"
            )
            yield OptionList(id="incident-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        org = orgs.current_org(workspace(self))
        rows = attempt(self.app, queries.list_incidents, workspace(self), org_id=org) or []
        rows = sorted(rows, key=lambda r: (r.status != "open", -r.id))
        ol = self.query_one("#incident-list", OptionList)
        ol.clear_options()
        ol.add_option(Option(Text("＋ 新しいインシデント", style="bold"), id=NEW_ID))
        for r in rows:
            t = Text()
            t.append(
                "対応中 " if r.status == "open" else "終結   ",
                style="bold red" if r.status == "open" else "dim",
            )
            t.append(f"#{r.id} {r.title}", style="bold" if r.status == "open" else "dim")
            t.append(f"\n       覚知 {short_time(r.detected_at)}  {r.playbook_title}", style="dim")
            ol.add_option(Option(t, id=str(r.id)))
        ol.highlighted = 1 if rows and rows[0].status == "open" else 0
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == NEW_ID:
            self.action_new()
        elif event.option.id:
            self.open_incident(int(event.option.id))

    def open_incident(self, incident_id: int, *, triage: bool = False) -> None:
        self.app.push_screen(IncidentScreen(incident_id, ask_triage=triage), lambda _r: self.reload())

    def action_new(self) -> None:
        org = orgs.current_org(workspace(self))
        if org is None:
            self.notify("先に団体を選んでください。", severity="warning")
            return
        from selfcheck.incident.playbook import playbooks_for  # YAML checked by pydantic

        # only the playbooks that fit the body's policy (no SNS playbook without an SNS clause)
        books = attempt(self.app, playbooks_for, workspace(self), org)
        if books:
            self.app.push_screen(PlaybookPicker(books), self._picked)

    def _picked(self, playbook_id: str | None) -> None:

        if not playbook_id:
            return
        now = short_time(services(self).clock().isoformat())
        dialog = TextInputDialog(
            "覚知日時（インシデントを知った日時、日本時間）",
            value=now,
            placeholder="例: 2026-12-01 10:00、令和8年12月1日 10:00",
            hint="報告期限はこの日時から数えます。分かる範囲で正確に。Enter で開始、Esc で取消",
            required=True,
        )
        self.app.push_screen(dialog, lambda value: self._open(playbook_id, value))

    def _open(self, playbook_id: str, detected: str | None) -> None:
        org = orgs.current_org(workspace(self))
        if detected is None or org is None:
            return
        iid = attempt(
            self.app,
            cases.open_incident,
            workspace(self),
            org_id=org,
            playbook_id=playbook_id,
            detected_at=detected,
        )
        if iid is not None:
            self.reload()
            self.open_incident(iid, triage=True)

    def action_contacts(self) -> None:
        org = orgs.current_org(workspace(self))
        if org:
            self.app.push_screen(ContactsScreen(org))

    def action_back(self) -> None:
        self.dismiss(None)
