"""Key set-up (署名用の鍵): make the signing key from the screen, so signing never dead-ends on a fresh
install with 「作成できませんでした。」 and a CLI command the clerk has never seen.

The form asks for the signer's name and 役職 (they go into the certificate and the report's signature
block), the passphrase twice, and whether to keep the passphrase in this PC's credential store (Windows
資格情報マネージャー) so signing does not ask for it. The core makes the key (`keystore.init_key`, EC P-256,
a 5-year self-signed certificate) in a thread worker; the screen then shows the certificate's SHA-256
fingerprint in groups, to note down and give to whoever checks the signed PDFs.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Static
from textual.worker import Worker, WorkerState

from selfcheck import orgs
from selfcheck.errors import SelfcheckError
from selfcheck.signing import keystore
from selfcheck.signing.secret_store import secure_backend
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.keys import bind
from selfcheck.tui.widgets.labels import jst_time
from selfcheck.tui.widgets.wrap import Wrapped

if TYPE_CHECKING:
    from selfcheck.signing.keystore import CertInfo

MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class KeyRequest:
    name: str
    role: str
    passphrase: str
    remember: bool


def fingerprint_text(fp: str) -> str:
    """'ab12cd…' -> 'AB12 CD34 …' in groups of four, two lines of eight groups: easy to read aloud."""
    groups = [fp[i : i + 4].upper() for i in range(0, len(fp), 4)]
    return "\n".join(" ".join(groups[i : i + 8]) for i in range(0, len(groups), 8))


def cert_text(cert: CertInfo) -> Text:
    t = Text()
    t.append("署名者：", style="bold")
    t.append(f"{cert.common_name}" + (f"（{cert.title}）" if cert.title else ""))
    t.append(f"\n団体：{cert.organization}")
    t.append(f"\n有効期限：{jst_time(cert.not_after)}まで")
    t.append("\n証明書の指紋（SHA-256。控えておき、署名を確かめる人に伝えてください）：\n", style="bold")
    t.append(fingerprint_text(cert.fingerprint), style="bold cyan")
    return t


def check_request(name: str, passphrase: str, again: str, *, needed: bool) -> str:
    """The first problem with what was typed, or "" when it can be used."""
    if not name.strip():
        return "署名者の氏名を入力してください。"
    if needed and not passphrase:
        return "パスフレーズを入力してください（この PC には資格情報ストアがないため必要です）。"
    if passphrase and len(passphrase) < MIN_PASSPHRASE:
        return f"パスフレーズは{MIN_PASSPHRASE}文字以上にしてください。"
    if passphrase != again:
        return "確認のパスフレーズが一致しません。もう一度入力してください。"
    return ""


class KeySetupScreen(Screen[bool]):
    """Dismisses with True when a key exists afterwards (made here, or already there)."""

    DEFAULT_CSS = """
    KeySetupScreen #keys-body { padding: 0 2; }
    KeySetupScreen .title { margin-top: 1; }
    KeySetupScreen Label { margin-top: 1; }
    KeySetupScreen Input { width: 60; max-width: 100%; }  /* compact: the whole form fits 80x24 */
    KeySetupScreen #keys-error { color: $error; height: auto; }
    KeySetupScreen #keys-cert { height: auto; margin-top: 1; padding: 0 1; border: round $success; }
    KeySetupScreen .form-buttons { height: auto; margin-top: 1; }
    KeySetupScreen .form-buttons Button { margin-right: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [bind("back")]

    def __init__(self, *, actor: str = "") -> None:
        super().__init__()
        self.actor = actor
        self.store = False
        self.cert: CertInfo | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="keys-body"):
            yield Static("署名用の鍵", classes="title")
            yield Static("", id="keys-intro")
            yield Static("", id="keys-cert")
            yield Label("署名者の氏名（証明書と報告書の署名欄に入ります）", classes="new-key")
            yield Input(self.actor, placeholder="例: 山田 花子", id="name", classes="new-key", compact=True)
            yield Label("役職", classes="new-key")
            yield Input(placeholder="例: 総務課長", id="role", classes="new-key", compact=True)
            yield Label("パスフレーズ（8文字以上。鍵を守る合言葉です）", classes="new-key")
            yield Input(password=True, id="passphrase", classes="new-key", compact=True)
            yield Label("パスフレーズ（確認のため、もう一度）", classes="new-key")
            yield Input(password=True, id="again", classes="new-key", compact=True)
            yield Checkbox("", True, id="remember", classes="new-key")
            yield Static("", id="keys-error")
            with Horizontal(classes="form-buttons"):
                yield Button("鍵を作成する", variant="primary", id="make", classes="new-key")
                yield Button("戻る", id="back")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.store = secure_backend() is not None
        remember = self.query_one("#remember", Checkbox)
        remember.label = (
            "パスフレーズをこの PC の資格情報ストアに保存する（署名のたびに入力しなくてよい）"
            if self.store
            else "この PC には資格情報ストアがありません（署名のたびにパスフレーズを入力します）"
        )
        remember.value = self.store
        remember.disabled = not self.store
        self.cert = attempt(self.app, keystore.show, workspace(self))
        self._show_state()

    def _show_state(self) -> None:
        intro = self.query_one("#keys-intro", Static)
        cert = self.query_one("#keys-cert", Static)
        cert.display = self.cert is not None
        for widget in self.query(".new-key"):
            widget.display = self.cert is None
        if self.cert is not None:
            intro.update(
                Wrapped(
                    "署名用の鍵は作成済みです。報告書の画面で w を押すと、この鍵で署名します。"
                    "作り直すときは、コマンド selfcheck keys init --force を使います（古い鍵で署名した"
                    "報告書は、古い指紋で確かめることになります）。"
                )
            )
            cert.update(cert_text(self.cert))
            self.query_one("#back", Button).focus()
        else:
            intro.update(
                Wrapped(
                    "報告書に電子署名するための鍵を、この PC に作成します。"
                    "作成後に表示される証明書の指紋を控えてください。"
                )
            )
            self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "again":
            self._make()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "make":
            self._make()
        else:
            self.action_back()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _make(self) -> None:
        error = self.query_one("#keys-error", Static)
        name = " ".join(self._value("name").split())
        problem = check_request(name, self._value("passphrase"), self._value("again"), needed=not self.store)
        if problem:
            error.update(problem)
            return
        error.update("鍵を作成しています…")
        remember = self.query_one("#remember", Checkbox).value and self.store
        self.make_key(
            KeyRequest(name, " ".join(self._value("role").split()), self._value("passphrase"), remember)
        )

    @work(thread=True, exit_on_error=False, exclusive=True, group="keys", name="make-key")
    def make_key(self, req: KeyRequest) -> CertInfo:
        ws = workspace(self)
        org = orgs.current_org(ws)
        if org is None:
            raise SelfcheckError("先に団体を選んでください", "choose the body first")
        extra: dict[str, Any] = {}
        # keeping the passphrase out of the credential store needs the core's `remember` option; until
        # the core has it, the store is used whenever one exists (the checkbox then stays checked)
        if "remember" in inspect.signature(keystore.init_key).parameters:
            extra["remember"] = req.remember
        cert, _remembered = keystore.init_key(
            ws,
            org_id=org,
            name=req.name,
            role=req.role,
            passphrase=keystore.Passphrase(given=req.passphrase or None),
            **extra,
        )
        return cert

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # errors are not stopped here: the app's central handler shows them; the form keeps its values
        if event.worker.name != "make-key":
            return
        error = self.query_one("#keys-error", Static)
        if event.state == WorkerState.SUCCESS:
            self.cert = event.worker.result
            error.update("")
            self._show_state()
            self.notify("署名用の鍵を作成しました。指紋を控えてください。", timeout=8)
        elif event.state == WorkerState.ERROR:
            err = event.worker.error
            error.update(
                f"作成できませんでした：{err.message_ja}"
                if isinstance(err, SelfcheckError)
                else "作成できませんでした。"
            )

    def action_back(self) -> None:
        self.dismiss(self.cert is not None)
