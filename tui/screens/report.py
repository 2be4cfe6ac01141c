"""The report screen: make the 自己点検結果報告書 (optionally signed), then open or print it.

Pushed by the inspection screen with `p` as `ReportScreen(inspection_id)`. Building and signing run in a
thread worker (`group="report"`, `exit_on_error=False`) whose progress arrives as `ReportProgress`
messages (coalesced with `can_replace`) on a ProgressBar; a failure reaches the app's central
`on_worker_state_changed` handler, which shows it. When signing needs a passphrase that the OS
credential store cannot give, a PassphraseDialog asks for it first, on the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState

from selfcheck import inspection, issue, paths
from selfcheck.report import output
from selfcheck.signing import keystore
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.dialogs.passphrase import PassphraseDialog

if TYPE_CHECKING:
    from selfcheck.issue import IssuedReport
    from selfcheck.signing.keystore import Passphrase
    from selfcheck.workspace import Workspace


class ReportProgress(Message):
    """Progress of the build/sign worker (fraction 0–1 and what it is doing)."""

    def __init__(self, fraction: float, what: str) -> None:
        super().__init__()
        self.fraction = fraction
        self.what = what

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ReportProgress)


class ReportScreen(Screen[None]):
    DEFAULT_CSS = """
    ReportScreen > Vertical { padding: 1 2; height: auto; }
    ReportScreen .report-title { text-style: bold; margin-bottom: 1; }
    ReportScreen #report-status { margin-top: 1; height: auto; }
    ReportScreen #report-path { color: $success; height: auto; }
    ReportScreen ProgressBar { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "make(False)", "報告書を作成"),
        Binding("s", "make(True)", "署名して作成（確定）"),
        Binding("o", "open", "PDFを開く"),
        Binding("p", "print", "印刷"),
        Binding("escape", "back", "戻る"),
    ]

    def __init__(self, inspection_id: int) -> None:
        super().__init__()
        self.inspection_id = inspection_id
        """The inspection whose report this screen makes."""
        self.result: IssuedReport | None = None
        """The last report made here (its path is shown, `o` opens it, `p` prints it)."""

    @property
    def ws(self) -> Workspace | None:
        return getattr(self.app, "ws", None)

    @property
    def progress_bar(self) -> ProgressBar:
        return self.query_one(ProgressBar)

    @property
    def status(self) -> Static:
        return self.query_one("#report-status", Static)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("自己点検結果報告書（PDF）", classes="report-title")
            yield Static("", id="report-info", markup=False)
            yield Static(
                "m: 報告書を作成（下書き） / s: 電子署名して作成（点検が確定し、以後の変更には新しい版が必要です）",
                markup=False,
            )
            yield ProgressBar(total=100, show_eta=False)
            yield Static("", id="report-status", markup=False)
            yield Static("", id="report-path", markup=False)
        yield Footer()

    def on_mount(self) -> None:

        if self.ws is None:
            return
        info = attempt(self.app, inspection.info, self.ws, self.inspection_id)
        if info is not None:
            state = "確定（署名済み）" if info.status == "final" else "作業中"
            self.query_one("#report-info", Static).update(
                f"{info.org_name}　{info.title}　第{info.revision}版　{state}　回答 {info.answered}/{info.item_count}"
            )

    def default_path(self) -> Path:

        assert self.ws is not None
        info = inspection.info(self.ws, self.inspection_id)
        folder = paths.ensure_private_dir(paths.reports_dir(self.ws.home))
        return folder / f"自己点検結果報告書_{info.org_id}_{info.fiscal_year}_点検{info.id}.pdf"

    def action_make(self, sign: bool) -> None:

        if self.ws is None:
            return
        if sign and not attempt(self.app, keystore.can_unlock_without_asking, self.ws):

            def got(value: str | None) -> None:
                if value:
                    self._start(True, keystore.Passphrase(given=value))

            self.app.push_screen(PassphraseDialog(), got)
            return
        self._start(sign, keystore.Passphrase() if sign else None)

    def _start(self, sign: bool, passphrase: Passphrase | None) -> None:
        path = attempt(self.app, self.default_path)
        if path is None:
            return
        self.progress_bar.update(progress=0)
        self.status.update("作成しています…")
        self.build_report(sign, passphrase, path)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="report",
        name="report-build",
        description="報告書を作成しています",
    )
    def build_report(self, sign: bool, passphrase: Passphrase | None, path: Path) -> IssuedReport:

        assert self.ws is not None
        return issue.issue_inspection_report(
            self.ws,
            self.inspection_id,
            path,
            sign=sign,
            passphrase_provider=passphrase,
            on_progress=self._progress,
        )

    def _progress(self, fraction: float, what: str) -> None:
        """Called from the worker thread: hand the figures to the UI as a message."""
        self.post_message(ReportProgress(fraction, what))

    def on_report_progress(self, event: ReportProgress) -> None:
        self.progress_bar.update(progress=round(100 * event.fraction))
        self.status.update(event.what)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # not stopped: the app's central handler shows errors
        if event.worker.name != "report-build":
            return
        if event.state == WorkerState.SUCCESS:
            self.result = event.worker.result
            assert self.result is not None
            self.progress_bar.update(progress=100)
            signed = "電子署名済み・点検は確定しました" if self.result.signed else "署名なし（下書き）"
            self.status.update(f"作成しました（{signed}）。o: 開く / p: 印刷")
            self.query_one("#report-path", Static).update(str(self.result.path))
        elif event.state == WorkerState.ERROR:
            self.status.update("作成できませんでした。")

    def _need_result(self) -> Path | None:
        if self.result is None:
            self.notify("先に報告書を作成してください（m または s）", severity="warning")
            return None
        return self.result.path

    def action_open(self) -> None:

        path = self._need_result()
        if path is not None and (msg := attempt(self.app, output.open_in_viewer, path)):
            self.notify(msg)

    def action_print(self) -> None:

        path = self._need_result()
        if path is not None and (msg := attempt(self.app, output.print_pdf, path)):
            self.notify(msg)

    def action_back(self) -> None:
        self.app.pop_screen()
