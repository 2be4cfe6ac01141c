"""The report screen: make the 自己点検結果報告書 or the インシデント報告書 as a draft or signed, then open
or print it. One screen for both kinds, so the keys are the same (m 下書き, w 署名, o 開く, l 印刷,
k 署名用の鍵).

Pushed with `p` as `ReportScreen(inspection_id)` or `ReportScreen(incident_id, kind="incident")`.
Signing always asks first (ConfirmDialog) and says what happens, with the counts of 未回答 and 要再確認
items when any remain. Without a key, `w` offers the key set-up screen instead of failing. Building and
signing run in a thread worker whose progress arrives as `ReportProgress` messages; a failure reaches the
app's central handler (the error dialog) and the status line says why, from the core's message and
`SigningError.reason` (for example: no key -> k で作成; wrong passphrase -> もう一度 w).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState

from selfcheck import inspection, issue, paths
from selfcheck.errors import SelfcheckError
from selfcheck.incident import queries
from selfcheck.report import output
from selfcheck.signing import keystore
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.confirm import ConfirmDialog
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.dialogs.passphrase import PassphraseDialog
from selfcheck.tui.keys import bind, key_of
from selfcheck.tui.screens.keys import KeySetupScreen
from selfcheck.tui.widgets.wrap import Wrapped

if TYPE_CHECKING:
    from selfcheck.issue import IssuedReport
    from selfcheck.signing.keystore import Passphrase
    from selfcheck.workspace import Workspace

FAILURE_HINTS = {
    "no_key": f"署名用の鍵がありません。{key_of('keys')} で鍵を作成してから、もう一度 {key_of('sign')} を押してください。",
    "wrong_passphrase": f"パスフレーズが違います。もう一度 {key_of('sign')} を押して入力し直してください。",
    "no_store": "この PC には資格情報ストアがありません。パスフレーズを入力してください。",
    "empty_passphrase": "パスフレーズが空です。",
    "bad_certificate": f"署名用の証明書ファイルを読めません。{key_of('keys')} で確かめてください。",
    "sign_failed": "PDF に署名できませんでした。詳しくはデータフォルダの logs/signing.log を見てください。",
}
"""What to do next, per `SigningError.reason` (the core's structured reason)."""


def failure_text(err: BaseException | None) -> str:
    """Why making the report failed, in one or two sentences (never only 「作成できませんでした」)."""
    if not isinstance(err, SelfcheckError):
        return "作成できませんでした（予期しないエラー。内容はログに記録しました）。"
    hint = FAILURE_HINTS.get(str(getattr(err, "reason", "")), "")
    return f"作成できませんでした：{err.message_ja}" + (f"\n{hint}" if hint else "")


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
    ReportScreen #report-info, ReportScreen #report-key, ReportScreen #report-help { height: auto; }
    ReportScreen #report-key { margin-top: 1; }
    ReportScreen #report-status { margin-top: 1; height: auto; }
    ReportScreen #report-path { color: $success; height: auto; }
    ReportScreen ProgressBar { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("make", "make(False)"),
        bind("sign", "make(True)"),
        bind("open_pdf", "open"),
        bind("print", show=False),
        bind("keys", show=False),  # named on the screen; the footer keeps room for ? at 80 columns
        bind("back"),
    ]

    def __init__(self, subject_id: int, *, kind: str = "inspection") -> None:
        super().__init__()
        self.subject_id = subject_id
        """The inspection (or incident) whose report this screen makes."""
        self.kind = kind
        """"inspection" (自己点検結果報告書) or "incident" (インシデント報告書)."""
        self.result: IssuedReport | None = None
        """The last report made here (its path is shown, `o` opens it, `l` prints it)."""

    @property
    def inspection_id(self) -> int:
        return self.subject_id

    @property
    def ws(self) -> Workspace:
        return workspace(self)

    @property
    def progress_bar(self) -> ProgressBar:
        return self.query_one(ProgressBar)

    @property
    def status(self) -> Static:
        return self.query_one("#report-status", Static)

    @property
    def doc_title(self) -> str:
        return "自己点検結果報告書" if self.kind == "inspection" else "インシデント報告書"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(f"{self.doc_title}（PDF）", classes="report-title")
            yield Static("", id="report-info", markup=False)
            yield Static("", id="report-key", markup=False)
            yield Static("", id="report-help", markup=False)
            yield ProgressBar(total=100, show_eta=False)
            yield Static("", id="report-status", markup=False)
            yield Static("", id="report-path", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        finalises = (
            "署名すると点検は確定し、以後の変更には新しい版が必要です。" if self.kind == "inspection" else ""
        )
        self.query_one("#report-help", Static).update(
            Wrapped(
                f"{key_of('make')}：下書きを作成（署名なし。表紙と各ページに「下書き」と入ります）\n"
                f"{key_of('sign')}：電子署名して作成（確認してから）。{finalises}\n"
                f"{key_of('open_pdf')}：作成したPDFを開く　{key_of('print')}：印刷　"
                f"{key_of('keys')}：署名用の鍵"
            )
        )
        self._show_info()
        self._show_key()

    def _show_info(self) -> None:
        info = self.query_one("#report-info", Static)
        if self.kind == "inspection":
            i = attempt(self.app, inspection.info, self.ws, self.subject_id)
            if i is not None:
                state = "確定（署名済み）" if i.status == "final" else "実施中"
                info.update(
                    Wrapped(
                        f"{i.org_name}　{i.title}　第{i.revision}版　{state}　回答 {i.answered}/{i.item_count}"
                    )
                )
        else:
            d = attempt(self.app, queries.detail, self.ws, self.subject_id)
            if d is not None:
                state = "対応中" if d.incident.status == "open" else "終結"
                info.update(Wrapped(f"{d.org_name}　#{d.incident.id} {d.incident.title}　{state}"))

    def _show_key(self) -> None:
        cert = attempt(self.app, keystore.show, self.ws)
        text = (
            f"署名用の鍵：{cert.common_name}" + (f"（{cert.title}）" if cert.title else "")
            if cert is not None
            else f"署名用の鍵：まだありません（{key_of('keys')} で作成。下書きは鍵なしで作れます）"
        )
        self.query_one("#report-key", Static).update(text)

    def default_path(self, *, signed: bool) -> Path:
        folder = paths.ensure_private_dir(paths.reports_dir(self.ws.home))
        draft = "" if signed else "_下書き"  # the file name alone tells a draft from a signed report
        if self.kind == "incident":
            return folder / f"インシデント報告書_{self.subject_id}{draft}.pdf"
        info = inspection.info(self.ws, self.subject_id)
        return folder / f"自己点検結果報告書_{info.org_id}_{info.fiscal_year}_点検{info.id}{draft}.pdf"

    # -- signing: key, then confirmation, then passphrase ------------------------------------------
    def action_make(self, sign: bool) -> None:
        if not sign:
            self._start(False, None)
            return
        cert = attempt(self.app, keystore.show, self.ws)
        if cert is None:
            self.app.push_screen(
                ConfirmDialog(
                    "署名用の鍵がありません",
                    "署名するには、先に署名用の鍵を作成します（氏名・役職・パスフレーズ）。"
                    "鍵を作成する画面を開きますか。",
                    action_label="鍵を作成する",
                ),
                lambda yes: self.action_keys(then_sign=True) if yes else None,
            )
            return
        self.app.push_screen(
            ConfirmDialog(f"{self.doc_title}に署名して作成", self._sign_message(), action_label="署名する"),
            lambda yes: self._unlock_and_sign() if yes else None,
        )

    def _sign_message(self) -> str:
        if self.kind == "incident":
            return (
                "インシデント報告書を作成し、電子署名します。署名した PDF を後から変えると、"
                "署名が無効と表示されます。"
            )
        detail = attempt(self.app, inspection.detail, self.ws, self.subject_id)
        lines = [
            "自己点検結果報告書を作成して電子署名し、点検を確定します。"
            "確定すると回答は変更できず、直すには新しい版を作ります。"
        ]
        if detail is not None:
            s = inspection.summarize(detail.items, self.subject_id)
            unanswered = s.counts.get("unanswered", 0)
            if unanswered or s.needs_review:
                lines.append(
                    f"注意：未回答が{unanswered}件、要再確認が{s.needs_review}件残っています。"
                    "このまま確定すると、報告書にはそのまま記載されます。"
                )
            if s.gaps_without_action:
                lines.append(f"改善策が未入力の項目が{s.gaps_without_action}件あります。")
        return "\n".join(lines)

    def _unlock_and_sign(self) -> None:
        if not attempt(self.app, keystore.can_unlock_without_asking, self.ws):

            def got(value: str | None) -> None:
                if value:
                    self._start(True, keystore.Passphrase(given=value))

            self.app.push_screen(PassphraseDialog(), got)
            return
        self._start(True, keystore.Passphrase())

    def _start(self, sign: bool, passphrase: Passphrase | None) -> None:
        path = attempt(self.app, self.default_path, signed=sign)
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
        build = issue.issue_inspection_report if self.kind == "inspection" else issue.issue_incident_report
        return build(
            self.ws,
            self.subject_id,
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
            if self.result.signed:
                done = "電子署名済み" + ("・点検は確定しました" if self.kind == "inspection" else "")
            else:
                done = "署名なしの下書き"
            self.status.update(f"作成しました（{done}）。{key_of('open_pdf')}：開く　{key_of('print')}：印刷")
            self.query_one("#report-path", Static).update(str(self.result.path))
            self._show_info()
        elif event.state == WorkerState.ERROR:
            self.progress_bar.update(progress=0)
            self.status.update(Wrapped(failure_text(event.worker.error)))

    def _need_result(self) -> Path | None:
        if self.result is None:
            self.notify(
                f"先に報告書を作成してください（{key_of('make')} または {key_of('sign')}）",
                severity="warning",
            )
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

    def action_keys(self, then_sign: bool = False) -> None:
        def back(made: bool | None) -> None:
            self._show_key()
            if made and then_sign:
                self.action_make(True)

        self.app.push_screen(KeySetupScreen(actor=self.ws.actor), back)

    def action_back(self) -> None:
        self.app.pop_screen()
