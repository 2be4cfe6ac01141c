"""First-run setup: choose the body (from the built-in and imported profiles) and enter your name.

The name is remembered (setting "actor") and recorded with every answer. The screen only collects the
choice; the home screen calls the core with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from selfcheck.orgs import OrgInfo


@dataclass(frozen=True)
class SetupResult:
    org_id: str
    actor: str


def org_prompt(org: OrgInfo) -> Text:
    t = Text()
    t.append(org.name, style="bold")
    t.append(f"\n  {org.policy_title}（{org.adopted_text or org.adopted or '策定日不明'}）", style="dim")
    if org.source == "imported":
        t.append("  取込", style="yellow")
    return t


class SetupScreen(Screen[SetupResult | None]):
    CSS_PATH = "setup.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "戻る", show=False)]

    def __init__(
        self, orgs: list[OrgInfo], *, actor: str = "", current: str | None = None, cancellable: bool = False
    ) -> None:
        super().__init__()
        self.orgs = orgs
        self.actor = actor
        self.current = current
        self.cancellable = cancellable

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="setup-body"):
            yield Static(
                "はじめに、あなたの団体を選んでください（上下キーで選び Enter、またはクリック）",
                classes="title",
            )
            yield OptionList(*[Option(org_prompt(o), id=o.id) for o in self.orgs], id="orgs")
            with Vertical(id="name-box"):
                yield Label("あなたのお名前（回答ごとに「誰が・いつ」として記録されます）")
                yield Input(self.actor, placeholder="例: 山田 花子", id="name")
                yield Static("", id="setup-error")
                yield Button("始める", variant="primary", id="go")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        orgs = self.query_one("#orgs", OptionList)
        ids = [o.id for o in self.orgs]
        orgs.highlighted = ids.index(self.current) if self.current in ids else 0
        orgs.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._finish()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._finish()

    def _finish(self) -> None:
        orgs = self.query_one("#orgs", OptionList)
        name = " ".join(self.query_one("#name", Input).value.split())
        error = self.query_one("#setup-error", Static)
        if orgs.highlighted is None:
            error.update("団体を選んでください。")
            return
        if not name:
            error.update("お名前を入力してください。")
            self.query_one("#name", Input).focus()
            return
        self.dismiss(SetupResult(self.orgs[orgs.highlighted].id, name))

    def action_cancel(self) -> None:
        if self.cancellable:
            self.dismiss(None)
