"""The evidence dialog: attach a file by typing or pasting its path, or record where paper is kept.

A file can be up to 1 GiB, so the copy runs in a thread worker and reports to a ProgressBar. The opener
passes three functions that call the core (check, attach a file, attach paper); this dialog only
collects input and shows progress. A path that cannot be attached (missing, a folder, too large,
unreadable) is refused before anything is copied, with the core's Japanese message under the field.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from selfcheck.errors import SelfcheckError
from selfcheck.tui.dialogs.form import FormDialog
from selfcheck.tui.widgets.wrap import Wrapped

Progress = Callable[[float, str], None]


def clean_path(text: str) -> Path | None:
    """What users paste: surrounding spaces or quotes (Windows 「パスのコピー」), `~`, or a file:// URL."""
    value = text.strip().strip('"').strip("'").strip()
    if not value:
        return None
    if value.startswith("file://"):
        value = unquote(urlparse(value).path)
    return Path(value).expanduser()


class EvidencePathValidator(Validator):
    """Delegates to the core's check (the same one the copy runs), so the message is the core's."""

    def __init__(self, check: Callable[[Path], Any]) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        path = clean_path(value)
        if path is None:
            return self.failure("ファイルのパスを入力してください。")
        try:
            self.check(path)
        except SelfcheckError as exc:
            return self.failure(f"{exc.message_ja}: {path}")
        return self.success()


class EvidenceDialog(FormDialog[bool]):
    """Returns True when something was attached. Two small forms in one dialog (a file, or a paper
    document's place), each with its own Enter and error line; Esc closes."""

    DEFAULT_CSS = """
    EvidenceDialog { align: center middle; }
    EvidenceDialog > Vertical {
        width: 84; max-width: 98%; height: auto; max-height: 100%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    EvidenceDialog .dialog-title { text-style: bold; margin-top: 1; }
    EvidenceDialog .field-label { margin-top: 1; height: auto; }
    EvidenceDialog .field-error { color: $error; height: auto; }
    EvidenceDialog Horizontal { height: auto; }
    EvidenceDialog Horizontal Input { width: 1fr; }
    EvidenceDialog Horizontal Button { width: auto; min-width: 10; margin-left: 1; }
    EvidenceDialog ProgressBar { display: none; margin-top: 1; }
    EvidenceDialog.copying ProgressBar { display: block; }
    """

    def __init__(
        self,
        *,
        check: Callable[[Path], Any],
        attach_file: Callable[[Path, Progress], Any],
        attach_paper: Callable[[str], Any],
    ) -> None:
        super().__init__()
        self.check = check
        self.attach_file_fn = attach_file
        self.attach_paper_fn = attach_paper
        self.copying = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("証拠を追加（Esc で閉じる）", classes="dialog-title")
            # a Static with 禁則 wrapping, not a one-line Label: at 80 columns the instruction was cut mid-word
            yield Static(
                Wrapped(
                    "ファイルを添付：パスを入力または貼り付けて Enter（上限 1 GiB。コピーして保管します）"
                ),
                classes="field-label",
            )
            with Horizontal():
                yield Input(
                    placeholder=r"例: C:\Users\yamada\Documents\点検記録.pdf",
                    id="path",
                    validators=[EvidencePathValidator(self.check)],
                    validate_on=["submitted"],
                )
                yield Button("添付", variant="primary", id="attach")
            yield Static("", id="path-error", classes="field-error")
            yield ProgressBar(total=1.0, show_eta=False, id="progress")
            yield Static(Wrapped("紙の書類の保管場所を記録：入力して Enter"), classes="field-label")
            with Horizontal():
                yield Input(placeholder="例: 総務係 キャビネット2段目 令和8年度綴り", id="paper")
                yield Button("記録", id="record")
            yield Static("", id="paper-error", classes="field-error")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def field_submitted(self, field: Input, validation: ValidationResult | None) -> None:
        if field.id == "path":
            self._attach_from_input(validation)
        else:
            self._record()

    def other_button(self, button: Button) -> None:
        if button.id == "attach":
            path = self.query_one("#path", Input)
            self._attach_from_input(path.validate(path.value))
        elif button.id == "record":
            self._record()

    def _attach_from_input(self, result: ValidationResult | None) -> None:
        if self.copying:
            return
        error = self.query_one("#path-error", Static)
        if result is not None and not result.is_valid:
            error.update("\n".join(result.failure_descriptions))
            return
        path = clean_path(self.query_one("#path", Input).value)
        if path is None:
            return
        error.update("")
        self._set_copying(True)
        self.copy_file(path)

    def _set_copying(self, on: bool) -> None:
        self.copying = on
        self.set_class(on, "copying")
        for widget in self.query("Input, Button"):
            widget.disabled = on
        if on:
            self.query_one(ProgressBar).update(progress=0.0)

    @work(
        thread=True,
        exit_on_error=False,
        exclusive=True,
        group="evidence",
        name="attach-file",
        description="証拠ファイルをコピーしています",
    )
    def copy_file(self, path: Path) -> object:
        last = [0.0, -1.0]  # time, fraction of the last UI update: at most ~20 updates a second

        def progress(fraction: float, _name: str) -> None:
            now = time.monotonic()
            if fraction >= 1.0 or (now - last[0] > 0.05 and fraction - last[1] >= 0.005):
                last[0], last[1] = now, fraction
                self.app.call_from_thread(self.query_one(ProgressBar).update, progress=fraction)

        return self.attach_file_fn(path, progress)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # not stopped: the app's central handler shows errors through the funnel
        if event.worker.name != "attach-file":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(True)
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._set_copying(False)

    def _record(self) -> None:
        text = self.query_one("#paper", Input).value
        error = self.query_one("#paper-error", Static)
        if not text.strip():
            error.update("保管場所を入力してください。")
            return
        if self.attempt_save(self.attach_paper_fn, text):
            self.dismiss(True)

    def fail(self, message: str) -> None:
        self.query_one("#paper-error", Static).update(message)

    def _save(self) -> None:
        self._record()

    def action_cancel(self) -> None:
        if self.copying:
            self.notify("コピー中です。終わるまでお待ちください。", severity="warning")
            return
        self.dismiss(False)
