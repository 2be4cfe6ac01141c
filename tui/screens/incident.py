"""One incident, step by step: the "now" step of each track on top, steps on the left, the highlighted step
large on the right, deadlines below.

Containment and the first report run at the same time (two tracks), so the line under the head always
shows both "now" steps and `n` jumps between them. Written for someone under stress: the step is shown large (what to do now, who does it, whom to
call with name and phone, what to keep as evidence, by when), with one key per action. Every action is
one core call in `selfcheck.incident` (one transaction + timeline entry); the screen then re-reads the
incident, so what is shown is always what is stored. Errors go through the app's funnel (`attempt`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from selfcheck.evidence import check_source
from selfcheck.incident import attachments, cases, queries, views
from selfcheck.incident.contacts import role_titles
from selfcheck.incident.views import IncidentDetail, StepView
from selfcheck.issue import issue_incident_report
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt, attempt_ok
from selfcheck.tui.dialogs.evidence import EvidenceDialog
from selfcheck.tui.dialogs.incident import PpcDialog, ReportsDialog, TimelineDialog, TriageDialog
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.screens.contacts import ContactsScreen
from selfcheck.tui.widgets.incident_panels import (
    deadlines_panel,
    incident_head,
    now_panel,
    step_card,
    step_line,
)


class IncidentScreen(Screen[None]):
    """One incident: steps on the left, the highlighted step large on the right, deadlines below."""

    CSS_PATH = "incident.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "完了"),
        Binding("s", "skip", "省略"),
        Binding("m", "note", "メモ"),
        Binding("e", "evidence", "証拠"),
        Binding("n", "next_now", "今の手順"),
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
        yield Static("", id="now")
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
        try:
            d = queries.detail(workspace(self), self.incident_id)
        except Exception:  # a transient lock must not interrupt the lead; the next tick retries
            return
        self.detail = d
        self._show_deadlines(d)

    # ---- rendering ----

    def reload(self, *, focus_current: bool = False) -> None:
        keep = self.selected_step_id()
        d = attempt(self.app, queries.detail, workspace(self), self.incident_id)
        if d is None:
            return
        self.detail = d
        self.query_one("#incident-head", Static).update(incident_head(d))
        self.query_one("#now", Static).update(now_panel(d))
        now = {s.id for s in d.current_steps.values()} if d.incident.status == "open" else set()
        ol = self.step_list
        ol.clear_options()
        phase = None
        for s in d.steps:
            if s.phase_id != phase:
                phase = s.phase_id
                ol.add_option(Option(Text(s.phase_title, style="bold underline"), disabled=True))
            ol.add_option(Option(step_line(s, now=s.id in now, width=self._line_width()), id=s.id))
        target = d.current_step.id if (focus_current or keep is None) and d.current_step else keep
        if target is None and d.steps:
            target = d.steps[-1].id
        if target:
            ol.highlighted = ol.get_option_index(target)
        self._show_deadlines(d)
        self._show_step(self.selected_step())

    def _line_width(self) -> int:
        """Cells available for one step line (before the first layout: the list's CSS width less the
        scroll bar and padding)."""
        width = self.step_list.scrollable_content_region.width
        return max(12, width - 1) if width else 27

    def _show_deadlines(self, d: IncidentDetail) -> None:
        # four report lines fit 80×24; a taller terminal shows them all (up to eight)
        rows = 4 if self.app.size.height < 36 else 8
        # the panel spans the screen (padding 0 1): its lines are cut to that width, not wrapped
        self.query_one("#deadlines", Static).update(deadlines_panel(d, rows, self.app.size.width - 3))

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
        current = s is not None and self.detail is not None and s in self.detail.current_steps.values()
        for part, content in step_card(s, current=current).items():
            self.query_one(f"#step-{part}", Static).update(content)

    # ---- actions (each one core call, then re-read) ----

    def _call(self, fn: Any, *args: Any, focus_current: bool = False, **kwargs: Any) -> bool:
        ok = attempt_ok(self.app, fn, workspace(self), self.incident_id, *args, **kwargs)
        self.reload(focus_current=focus_current)
        return ok

    def action_done(self) -> None:
        s = self.selected_step()
        if s is None:
            return
        if s.state == "done":
            self.notify("この手順は完了済みです。取り消すには u。")
            return
        self._call(cases.mark_step, s.id, "done", focus_current=True)

    def action_next_now(self) -> None:
        """Jump between the "now" steps of the tracks (containment ↔ reporting)."""
        if self.detail is None:
            return
        ids = [s.id for s in self.detail.current_steps.values()]
        if not ids:
            return
        sel = self.selected_step_id()
        target = ids[(ids.index(sel) + 1) % len(ids)] if sel in ids else ids[0]
        self.step_list.highlighted = self.step_list.get_option_index(target)

    def action_undo(self) -> None:
        s = self.selected_step()
        if s is not None and s.state != "open":
            self._call(cases.mark_step, s.id, "reopen", "画面で取消")

    def action_skip(self) -> None:

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

        step = self.selected_step_id()

        def save(text: str | None) -> None:
            if text is not None:
                self._call(cases.add_note, text, step_id=step)

        self.app.push_screen(TextInputDialog("メモを追加（時系列に残ります）", required=True), save)

    def action_evidence(self) -> None:
        ws, iid, step = workspace(self), self.incident_id, self.selected_step_id()
        dialog = EvidenceDialog(
            check=lambda p: check_source(p, 1024**3),
            attach_file=lambda p, progress: attachments.add_evidence_file(
                ws, iid, p, step_id=step, on_progress=progress
            ),
            attach_paper=lambda text: attachments.add_evidence_paper(ws, iid, text, step_id=step),
        )
        self.app.push_screen(dialog, lambda _ok: self.reload())

    def action_triage(self) -> None:
        if self.detail is None:
            return

        def save(answers: dict[str, str] | None) -> None:
            if answers is not None:
                self._call(cases.set_triage, answers)

        self.app.push_screen(TriageDialog(self.detail.triage), save)

    def action_reports(self) -> None:
        if self.detail is None:
            return
        done = {d.id for d in self.detail.deadlines if d.status == "done"}

        def save(report_id: str | None) -> None:
            if report_id is not None:
                self._call(cases.mark_report, report_id, undo=report_id in done)

        titles = attempt(self.app, role_titles, workspace(self), self.detail.incident.org_id) or {}
        self.app.push_screen(ReportsDialog(self.detail.deadlines, titles), save)

    def action_ppc(self) -> None:
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
                TextInputDialog(views.PPC_ITEMS[key], value=self.detail.ppc.get(key, "")), save
            )

        self.app.push_screen(PpcDialog(views.PPC_ITEMS, self.detail.ppc), edit)

    def action_timeline(self) -> None:
        if self.detail is not None:
            titles = {s.id: s.title for s in self.detail.steps}
            self.app.push_screen(TimelineDialog(self.detail.timeline, titles))

    def action_contacts(self) -> None:
        if self.detail is not None:
            self.app.push_screen(ContactsScreen(self.detail.incident.org_id), lambda _r: self.reload())

    def action_close_incident(self) -> None:

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

        default = str(workspace(self).home / "reports" / f"incident-{self.incident_id}.pdf")

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

        return str(issue_incident_report(workspace(self), self.incident_id, Path(path), sign=False).path)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # errors are not stopped here: they reach the app's central handler (the error funnel)
        if event.worker.name == "incident-report" and event.state == WorkerState.SUCCESS:
            self.notify(f"作成しました: {event.worker.result}", timeout=10)

    def action_back(self) -> None:
        self.dismiss(None)
