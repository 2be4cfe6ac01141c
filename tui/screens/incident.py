"""One incident, step by step: the "now" step of each track on top, steps on the left, the highlighted step
large on the right, deadlines below.

Containment and the first report run at the same time (two tracks), so the line under the head always
shows both "now" steps and `n` jumps between them. Written for someone under stress: the step is shown large (what to do now, who does it, whom to
call with name and phone, what to keep as evidence, by when), with one key per action. Every action is
one core call in `selfcheck.incident` (one transaction + timeline entry); the screen then re-reads the
incident, so what is shown is always what is stored. Errors go through the app's funnel (`attempt`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from selfcheck.evidence import check_source
from selfcheck.incident import attachments, cases, queries, views
from selfcheck.incident.contacts import role_titles
from selfcheck.incident.views import IncidentDetail, StepView
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.error import attempt, attempt_ok
from selfcheck.tui.dialogs.evidence import EvidenceDialog
from selfcheck.tui.dialogs.incident import FieldsDialog, ReportsDialog, TimelineDialog, TriageDialog
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.keys import bind, key_of
from selfcheck.tui.screens.contacts import ContactsScreen
from selfcheck.tui.screens.report import ReportScreen
from selfcheck.tui.widgets.incident_panels import (
    deadlines_panel,
    incident_head,
    now_panel,
    step_card,
    step_line,
)
from selfcheck.tui.widgets.labels import short_time
from selfcheck.tui.widgets.wrap import Wrapped


class IncidentScreen(Screen[None]):
    """One incident: steps on the left, the highlighted step large on the right, deadlines below."""

    CSS_PATH = "incident.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("done"),
        bind("skip", show=False),  # asks first; in the key list (the footer keeps room for ?)
        bind("comment", "note", label="メモ"),
        bind("evidence"),
        bind("triage"),
        bind("reports"),
        bind("fields"),
        bind("history", "timeline", label="時系列", show=False),
        bind("contacts", show=False),
        bind("report", "report_pdf"),
        bind("close", "close_incident", show=False),
        bind("undo", show=False),
        bind("next_open", "next_now", label="今やる手順"),
        bind("back", show=False),  # the footer keeps room for ? at 80 columns; Esc is in the key list
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
        yield Footer(compact=True)

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
        self.query_one("#incident-head", Static).update(Wrapped(incident_head(d)))
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

    def on_resize(self) -> None:
        if self.detail is not None:  # step lines are cut to the list's width: cut them again
            self.reload()

    def _line_width(self) -> int:
        """Cells available for one step line (before the first layout: the list's CSS width less the
        scroll bar and padding)."""
        width = self.step_list.scrollable_content_region.width
        if not width:  # first render, before layout: #steps is 30% of the screen, 32 to 48 cells
            width = min(48, max(32, self.app.size.width * 3 // 10)) - 4
        return max(12, width - 3)  # the option list keeps a cell each side of a prompt

    def _show_deadlines(self, d: IncidentDetail) -> None:
        # every report on a tall screen; at 80×24 the most urgent ones, the rest counted (b lists all),
        # lines cut to the screen width rather than wrapped so the panel never pushes the footer away
        rows = 4 if self.app.size.height < 36 else max(8, self.app.size.height // 2 - 8)
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
            self.query_one(f"#step-{part}", Static).update(Wrapped(content) if content else "")

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
            self.notify(f"この手順は完了済みです。取り消すには {key_of('undo')}。")
            return
        self._call(cases.mark_step, s.id, "done", focus_current=True)

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
        if s.state != "open":
            self.notify(f"この手順は記録済みです。取り消すには {key_of('undo')}。")
            return

        def confirm(reason: str | None) -> None:
            if not reason:
                return

            def skip(yes: bool | None) -> None:
                if yes:
                    self._call(cases.mark_step, s.id, "skip", reason, focus_current=True)

            self.app.push_screen(
                ConfirmDialog(
                    "手順を省略します",
                    f"「{s.title}」を省略として時系列に記録します。理由：{reason}\n"
                    f"報告書にも省略と理由が載ります。間違えたときは {key_of('undo')} で取り消せます。",
                    action_label="省略する",
                ),
                skip,
            )

        self.app.push_screen(
            TextInputDialog(
                f"「{s.title}」を省略する理由",
                required=True,
                hint="Enter で次へ（確認があります）、Esc で取消",
            ),
            confirm,
        )

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

    def action_fields(self) -> None:
        """件名・概要・発生日時・覚知日時 and the nine 個人情報保護委員会 items: pick one, edit it."""
        d = self.detail
        if d is None:
            return
        values = {
            "title": d.incident.title,
            "summary": d.summary,
            "occurred_at": short_time(d.occurred_at),
            "detected_at": short_time(d.incident.detected_at),
        }

        def edit(key: str | None) -> None:
            if key is None or self.detail is None:
                return
            if key in views.EDITABLE_FIELDS:
                label = views.EDITABLE_FIELDS[key]
                timed = key.endswith("_at")
                hint = (
                    "日本時間で入力（例: 2026-12-01 10:00、令和8年12月1日 10:00）。Enter で保存、Esc で取消"
                    if timed
                    else "Enter で保存、Esc で取消"
                )

                def save_field(text: str | None) -> None:
                    if text is not None:
                        self._call(cases.set_field, key, text)
                    self.action_fields()

                self.app.push_screen(
                    TextInputDialog(
                        label, value=values[key], hint=hint, required=key in ("title", "detected_at")
                    ),
                    save_field,
                )
                return

            def save_ppc(text: str | None) -> None:
                if text is not None:
                    self._call(cases.set_ppc, key, text)
                self.action_fields()

            self.app.push_screen(
                TextInputDialog(views.PPC_ITEMS[key], value=self.detail.ppc.get(key, "")), save_ppc
            )

        fields = {k: (label, values[k]) for k, label in views.EDITABLE_FIELDS.items()}
        self.app.push_screen(FieldsDialog(fields, views.PPC_ITEMS, d.ppc), edit)

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

            def close(yes: bool | None) -> None:
                if yes and self._call(cases.close_incident):
                    self.notify("終結しました。")

            self.app.push_screen(
                ConfirmDialog(
                    "インシデントを終結します",
                    "対応を終えたものとして終結を時系列に記録します。必須の手順が残っていると終結できません。"
                    f"終結後も {key_of('close')} で再開できます。",
                    action_label="終結する",
                ),
                close,
            )
            return

        def save(reason: str | None) -> None:
            if reason is not None:
                self._call(cases.reopen_incident, reason)

        self.app.push_screen(TextInputDialog("再開する理由", required=True), save)

    def action_next_now(self) -> None:
        """To a "now" step (the first open step of a track): containment and reporting run at the same
        time, so pressing again moves to the other track's."""
        if self.detail is None:
            return
        ids = [s.id for s in self.detail.current_steps.values()]
        if not ids:
            self.notify("残っている手順はありません。")
            return
        sel = self.selected_step_id()
        target = ids[(ids.index(sel) + 1) % len(ids)] if sel in ids else ids[0]
        self.step_list.highlighted = self.step_list.get_option_index(target)

    def action_report_pdf(self) -> None:
        self.app.push_screen(ReportScreen(self.incident_id, kind="incident"), lambda _r: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)
