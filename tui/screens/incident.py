"""インシデント対応 screens: the list of incidents, and the step-by-step view of one incident.

Written for someone under stress: the current step is shown large (what to do now, who does it, whom to
call with name and phone, what to keep as evidence, by when), with one key per action. Every action is
one core call in `selfcheck.incident` (one transaction + timeline entry); the screen then re-reads the
incident, so what is shown is always what is stored. Errors go through the app's funnel (`attempt`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from selfcheck.tui.dialogs.error import attempt, attempt_ok

if TYPE_CHECKING:
    from selfcheck.incident.cases import IncidentDetail, StepView
    from selfcheck.workspace import Workspace

NEW_ID = "new"
STATE_MARK = {"done": ("[済]", "green"), "skipped": ("[省]", "yellow"), "open": ("[  ]", "")}


def _ws(screen: Screen[Any]) -> Workspace:
    ws = screen.app.ws  # type: ignore[attr-defined]
    assert ws is not None, "the workspace is opened before the home screen offers this screen"
    return ws


def _short(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else ""


def _org_id(screen: Screen[Any]) -> str | None:
    from selfcheck import orgs

    return orgs.current_org(_ws(screen))


class IncidentHomeScreen(Screen[None]):
    """Open incidents first, then closed ones; 「新しいインシデント」 at the top."""

    CSS_PATH = "incident.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "新しいインシデント"),
        Binding("c", "contacts", "連絡先"),
        Binding("escape", "back", "戻る"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="incident-home"):
            yield Static("インシデント対応", classes="title", id="home-title")
            yield Static("↑↓で選んで Enter。n で新しいインシデント、c で連絡先。", classes="muted")
            yield OptionList(id="incident-list")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        from selfcheck.incident import cases

        org = _org_id(self)
        rows = attempt(self.app, cases.list_incidents, _ws(self), org_id=org) or []
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
            t.append(f"\n       覚知 {_short(r.detected_at)}  {r.playbook_title}", style="dim")
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
        from selfcheck.incident.playbook import builtin_playbooks
        from selfcheck.tui.screens.incident_dialogs import PlaybookPicker

        if _org_id(self) is None:
            self.notify("先に団体を選んでください。", severity="warning")
            return
        books = attempt(self.app, builtin_playbooks)
        if books:
            self.app.push_screen(PlaybookPicker(list(books.values())), self._picked)

    def _picked(self, playbook_id: str | None) -> None:
        from selfcheck.tui.dialogs.text_input import TextInputDialog

        if not playbook_id:
            return
        now = self.app.clock().strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]
        dialog = TextInputDialog(
            "覚知日時（インシデントを知った日時）",
            value=now,
            placeholder="2026-12-01 10:00",
            hint="報告期限はこの日時から数えます。分かる範囲で正確に。Enter で開始、Esc で取消",
            required=True,
        )
        self.app.push_screen(dialog, lambda value: self._open(playbook_id, value))

    def _open(self, playbook_id: str, detected: str | None) -> None:
        from selfcheck.incident import cases

        org = _org_id(self)
        if detected is None or org is None:
            return
        iid = attempt(
            self.app,
            cases.open_incident,
            _ws(self),
            org_id=org,
            playbook_id=playbook_id,
            detected_at=detected,
        )
        if iid is not None:
            self.reload()
            self.open_incident(iid, triage=True)

    def action_contacts(self) -> None:
        org = _org_id(self)
        if org:
            self.app.push_screen(ContactsScreen(org))

    def action_back(self) -> None:
        self.dismiss(None)


class IncidentScreen(Screen[None]):
    """One incident: steps on the left, the highlighted step large on the right, deadlines below."""

    CSS_PATH = "incident.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "完了"),
        Binding("s", "skip", "省略"),
        Binding("m", "note", "メモ"),
        Binding("e", "evidence", "証拠"),
        Binding("g", "triage", "判定"),
        Binding("r", "reports", "報告済み"),
        Binding("t", "timeline", "時系列"),
        Binding("p", "ppc", "報告事項", show=False),
        Binding("c", "contacts", "連絡先", show=False),
        Binding("o", "report_pdf", "報告書PDF", show=False),
        Binding("x", "close_incident", "終結/再開"),
        Binding("u", "undo", "取消", show=False),
        Binding("escape", "back", "戻る"),
    ]

    def __init__(self, incident_id: int, *, ask_triage: bool = False) -> None:
        super().__init__()
        self.incident_id = incident_id
        """The incident shown."""
        self.ask_triage = ask_triage
        """Open the triage questions right away (a new incident)."""
        self.detail: IncidentDetail | None = None
        """The last view read from the core."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="incident-head")
        with Horizontal(id="incident-body"):
            yield OptionList(id="steps")
            with VerticalScroll(id="card"):
                yield Static("", id="step-phase")
                yield Static("", id="step-title")
                yield Static("", id="step-guidance")
                yield Static("", id="step-who")
                yield Static("", id="step-contacts")
                yield Static("", id="step-evidence")
                yield Static("", id="step-target")
        yield Static("", id="deadlines")
        yield Footer()

    @property
    def step_list(self) -> OptionList:
        return self.query_one("#steps", OptionList)

    def on_mount(self) -> None:
        self.reload(focus_current=True)
        self.step_list.focus()
        if self.ask_triage:
            self.call_after_refresh(self.action_triage)
        # countdowns must move even when nobody touches the keyboard: overdue turns red on its own
        self.set_interval(60, self._tick_deadlines)

    def _tick_deadlines(self) -> None:
        from selfcheck.incident import cases

        try:
            d = cases.detail(_ws(self), self.incident_id)
        except Exception:  # a transient lock must not interrupt the lead; the next tick retries
            return
        self.detail = d
        self._show_deadlines(d)

    # ---- rendering ----

    def reload(self, *, focus_current: bool = False) -> None:
        from selfcheck.incident import cases

        keep = self.selected_step_id()
        d = attempt(self.app, cases.detail, _ws(self), self.incident_id)
        if d is None:
            return
        self.detail = d
        i = d.incident
        head = Text()
        head.append(f"#{i.id} {i.title}", style="bold")
        head.append(
            "  対応中" if i.status == "open" else "  終結", style="bold red" if i.status == "open" else "dim"
        )
        head.append(
            f"\n覚知 {_short(i.detected_at)}  脅威 基本方針{d.threat.clause} {d.threat.label.split('（')[0]}",
            style="dim",
        )
        self.query_one("#incident-head", Static).update(head)
        ol = self.step_list
        ol.clear_options()
        phase = None
        for s in d.steps:
            if s.phase_id != phase:
                phase = s.phase_id
                ol.add_option(Option(Text(s.phase_title, style="bold underline"), disabled=True))
            mark, style = STATE_MARK[s.state]
            t = Text()
            t.append(mark, style=style)
            t.append(("*" if s.required else " ") + s.title, style="dim" if s.state != "open" else "")
            ol.add_option(Option(t, id=s.id))
        target = d.current_step.id if (focus_current or keep is None) and d.current_step else keep
        if target is None and d.steps:
            target = d.steps[-1].id
        if target:
            ol.highlighted = ol.get_option_index(target)
        self._show_deadlines(d)
        self._show_step(self.selected_step())

    def _show_deadlines(self, d: IncidentDetail) -> None:
        from selfcheck.tui.screens.incident_dialogs import deadline_text

        box = self.query_one("#deadlines", Static)
        pending = [x for x in d.deadlines if x.status != "done"]
        # an unanswered question may hide a legal deadline: say so rather than imply the list is complete
        unknown = sum(1 for q in d.triage if q.answer == "unknown") if d.incident.status == "open" else 0
        warn = (
            Text(
                f"判定の質問に未回答が{unknown}件: ほかに必要な報告を判断できません（g で回答）",
                style="bold yellow",
            )
            if unknown
            else None
        )
        if not d.deadlines:
            box.update(
                warn or Text("外部への報告期限: 今の判定ではありません（g で判定の質問）", style="dim")
            )
            return
        t = Text()
        t.append(f"外部への報告（r で報告済み） 未了 {len(pending)} / {len(d.deadlines)}", style="bold")
        width = max(cell_len(x.title) for x in d.deadlines)
        for x in sorted(
            d.deadlines, key=lambda x: ["overdue", "late", "due", "asap", "done"].index(x.status)
        )[:4]:
            t.append("\n")
            t.append_text(deadline_text(x, width))
        if len(d.deadlines) > 4:
            t.append(f"\n…ほか{len(d.deadlines) - 4}件（r で一覧）", style="dim")
        if warn is not None:
            t.append("\n")
            t.append_text(warn)
        box.update(t)

    def selected_step_id(self) -> str | None:
        try:
            ol = self.step_list
        except Exception:
            return None
        if ol.highlighted is None or ol.option_count == 0:
            return None
        return ol.get_option_at_index(ol.highlighted).id

    def selected_step(self) -> StepView | None:
        sid = self.selected_step_id()
        if self.detail is None or sid is None:
            return None
        return next((s for s in self.detail.steps if s.id == sid), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_step(self.selected_step())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_done()

    def _show_step(self, s: StepView | None) -> None:
        q = self.query_one
        if s is None:
            for wid in (
                "#step-phase",
                "#step-title",
                "#step-guidance",
                "#step-who",
                "#step-contacts",
                "#step-evidence",
                "#step-target",
            ):
                q(wid, Static).update("")
            return
        state = {
            "done": f"完了 {_short(s.state_at)} {s.state_by}",
            "skipped": f"省略（{s.reason}）",
            "open": "今やること" if self.detail and self.detail.current_step == s else "未完了",
        }[s.state]
        q("#step-phase", Static).update(
            Text(f"{s.phase_title}  ／  {state}" + ("  （必須）" if s.required else ""), style="dim")
        )
        q("#step-title", Static).update(Text(s.title, style="bold"))
        q("#step-guidance", Static).update(Text(s.guidance.replace("。", "。\n").rstrip()))
        q("#step-who", Static).update(Text.assemble(("担当: ", "bold"), s.role_title))
        people = Text()
        if s.contacts or s.missing_contacts:
            people.append("連絡先:", style="bold")
        for c in s.contacts:
            people.append(f"\n  {c.role_title}  {c.name}  ")
            people.append(c.phone or "電話番号なし", style="bold" if c.phone else "dim")
        for title in s.missing_contacts:
            people.append(f"\n  {title}  （未登録: c で連絡先に追加）", style="dim")
        q("#step-contacts", Static).update(people)
        q("#step-evidence", Static).update(
            Text.assemble(("残す証拠: ", "bold"), s.evidence_hint) if s.evidence_hint else ""
        )
        if s.target_at:
            style = "bold white on red" if s.target_passed else ""
            q("#step-target", Static).update(
                Text.assemble(
                    ("目標: ", "bold"),
                    (
                        f"覚知から{s.within_hours:g}時間以内（{_short(s.target_at)}まで）"
                        + ("  超過" if s.target_passed else ""),
                        style,
                    ),
                )
            )
        else:
            q("#step-target", Static).update("")

    # ---- actions (each one core call, then re-read) ----

    def _call(self, fn: Any, *args: Any, focus_current: bool = False, **kwargs: Any) -> bool:
        ok = attempt_ok(self.app, fn, _ws(self), self.incident_id, *args, **kwargs)
        self.reload(focus_current=focus_current)
        return ok

    def action_done(self) -> None:
        from selfcheck.incident import cases

        s = self.selected_step()
        if s is None:
            return
        if s.state == "done":
            self.notify("この手順は完了済みです。取り消すには u。")
            return
        self._call(cases.mark_step, s.id, "done", focus_current=True)

    def action_undo(self) -> None:
        from selfcheck.incident import cases

        s = self.selected_step()
        if s is not None and s.state != "open":
            self._call(cases.mark_step, s.id, "reopen", "画面で取消")

    def action_skip(self) -> None:
        from selfcheck.incident import cases
        from selfcheck.tui.dialogs.text_input import TextInputDialog

        s = self.selected_step()
        if s is None:
            return
        if not s.skippable:
            self.notify("この手順は省略できません（CISOへの報告は省略しない）。", severity="warning")
            return

        def save(reason: str | None) -> None:
            if reason is not None:
                self._call(cases.mark_step, s.id, "skip", reason, focus_current=True)

        self.app.push_screen(TextInputDialog(f"「{s.title}」を省略する理由", required=True), save)

    def action_note(self) -> None:
        from selfcheck.incident import cases
        from selfcheck.tui.dialogs.text_input import TextInputDialog

        step = self.selected_step_id()

        def save(text: str | None) -> None:
            if text is not None:
                self._call(cases.add_note, text, step_id=step)

        self.app.push_screen(TextInputDialog("メモを追加（時系列に残ります）", required=True), save)

    def action_evidence(self) -> None:
        from selfcheck.evidence import check_source
        from selfcheck.incident import cases
        from selfcheck.tui.dialogs.evidence import EvidenceDialog

        ws, iid, step = _ws(self), self.incident_id, self.selected_step_id()
        dialog = EvidenceDialog(
            check=lambda p: check_source(p, 1024**3),
            attach_file=lambda p, progress: cases.add_evidence_file(
                ws, iid, p, step_id=step, on_progress=progress
            ),
            attach_paper=lambda text: cases.add_evidence_paper(ws, iid, text, step_id=step),
        )
        self.app.push_screen(dialog, lambda _ok: self.reload())

    def action_triage(self) -> None:
        from selfcheck.incident import cases
        from selfcheck.tui.screens.incident_dialogs import TriageDialog

        if self.detail is None:
            return

        def save(answers: dict[str, str] | None) -> None:
            if answers is not None:
                self._call(cases.set_triage, answers)

        self.app.push_screen(TriageDialog(self.detail.triage), save)

    def action_reports(self) -> None:
        from selfcheck.incident import cases
        from selfcheck.tui.screens.incident_dialogs import ReportsDialog

        if self.detail is None:
            return
        done = {d.id for d in self.detail.deadlines if d.status == "done"}

        def save(report_id: str | None) -> None:
            if report_id is not None:
                self._call(cases.mark_report, report_id, undo=report_id in done)

        from selfcheck.incident.contacts import role_titles

        titles = attempt(self.app, role_titles, _ws(self), self.detail.incident.org_id) or {}
        self.app.push_screen(ReportsDialog(self.detail.deadlines, titles), save)

    def action_ppc(self) -> None:
        from selfcheck.incident import cases
        from selfcheck.tui.dialogs.text_input import TextInputDialog
        from selfcheck.tui.screens.incident_dialogs import PpcDialog

        if self.detail is None:
            return

        def edit(key: str | None) -> None:
            if key is None or self.detail is None:
                return

            def save(text: str | None) -> None:
                if text is not None:
                    self._call(cases.set_ppc, key, text)
                self.action_ppc()

            self.app.push_screen(
                TextInputDialog(cases.PPC_ITEMS[key], value=self.detail.ppc.get(key, "")), save
            )

        self.app.push_screen(PpcDialog(cases.PPC_ITEMS, self.detail.ppc), edit)

    def action_timeline(self) -> None:
        from selfcheck.tui.screens.incident_dialogs import TimelineDialog

        if self.detail is not None:
            titles = {s.id: s.title for s in self.detail.steps}
            self.app.push_screen(TimelineDialog(self.detail.timeline, titles))

    def action_contacts(self) -> None:
        if self.detail is not None:
            self.app.push_screen(ContactsScreen(self.detail.incident.org_id), lambda _r: self.reload())

    def action_close_incident(self) -> None:
        from selfcheck.incident import cases
        from selfcheck.tui.dialogs.text_input import TextInputDialog

        if self.detail is None:
            return
        if self.detail.incident.status == "open":
            if self._call(cases.close_incident):
                self.notify("終結しました。")
            return

        def save(reason: str | None) -> None:
            if reason is not None:
                self._call(cases.reopen_incident, reason)

        self.app.push_screen(TextInputDialog("再開する理由", required=True), save)

    def action_report_pdf(self) -> None:
        from selfcheck.tui.dialogs.text_input import TextInputDialog

        default = str(_ws(self).home / "reports" / f"incident-{self.incident_id}.pdf")

        def go(path: str | None) -> None:
            if path:
                self.notify("報告書を作成しています…")
                self.build_report(path)

        self.app.push_screen(
            TextInputDialog(
                "インシデント報告書PDFの保存先",
                value=default,
                required=True,
                hint="Enter で作成（署名は selfcheck incident report --sign）",
            ),
            go,
        )

    @work(
        thread=True,
        exit_on_error=False,
        exclusive=True,
        group="report",
        name="incident-report",
        description="インシデント報告書を作成しています",
    )
    def build_report(self, path: str) -> str:
        from pathlib import Path

        from selfcheck.incident import report_pdf

        return str(report_pdf.issue(_ws(self), self.incident_id, out=Path(path), sign=False))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # errors are not stopped here: they reach the app's central handler (the error funnel)
        if event.worker.name == "incident-report" and event.state == WorkerState.SUCCESS:
            self.notify(f"作成しました: {event.worker.result}", timeout=10)

    def action_back(self) -> None:
        self.dismiss(None)


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
        from selfcheck.incident import contacts

        rows = attempt(self.app, contacts.list_contacts, _ws(self), self.org_id) or []
        t = self.table
        t.clear()
        for c in rows:
            t.add_row(c.role_title, c.name, c.organization, c.phone, c.email, key=str(c.id))

    def _roles(self) -> dict[str, str]:
        from selfcheck.incident import contacts

        return attempt(self.app, contacts.role_titles, _ws(self), self.org_id) or {}

    def _selected(self) -> int | None:
        t = self.table
        if t.row_count == 0:
            return None
        key = t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value
        return int(key) if key else None

    def action_add(self) -> None:
        from selfcheck.incident import contacts
        from selfcheck.tui.screens.incident_dialogs import ContactDialog

        def save(values: dict[str, str] | None) -> None:
            if values is not None and attempt(
                self.app, contacts.add_contact, _ws(self), self.org_id, **values
            ):
                self.reload()

        self.app.push_screen(ContactDialog(self._roles()), save)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        from selfcheck.incident import contacts
        from selfcheck.tui.screens.incident_dialogs import ContactDialog

        cid = self._selected()
        if cid is None:
            return
        current = next((c for c in contacts.list_contacts(_ws(self), self.org_id) if c.id == cid), None)
        if current is None:
            return

        def save(values: dict[str, str] | None) -> None:
            if values is not None and attempt(self.app, contacts.update_contact, _ws(self), cid, **values):
                self.reload()

        self.app.push_screen(ContactDialog(self._roles(), current.as_dict()), save)

    def action_delete(self) -> None:
        from selfcheck.incident import contacts

        cid = self._selected()
        if cid is not None:
            attempt(self.app, contacts.delete_contact, _ws(self), cid)
            self.reload()

    def action_title(self) -> None:
        from selfcheck.incident import contacts
        from selfcheck.tui.dialogs.text_input import TextInputDialog

        cid = self._selected()
        current = next((c for c in contacts.list_contacts(_ws(self), self.org_id) if c.id == cid), None)
        if current is None:
            self.notify("役職名を変える役割の連絡先を選んでください。")
            return

        def save(title: str | None) -> None:
            if title:
                attempt(self.app, contacts.set_role_title, _ws(self), self.org_id, current.role, title)
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
