"""First-run setup: choose the body (from the built-in and imported profiles) and enter your name.

The name is remembered (setting "actor") and recorded with every answer. The screen only collects the
choice; the home screen calls the core with it.

When the body is already chosen and only the name is missing (after `selfcheck demo`, which chooses the
demo's body, or `selfcheck orgs use`), only the name is asked: the body is shown, with a note when the
folder holds the demo's data for it (`demo.find_demo`), and can be changed later from the home (6).
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

from selfcheck import demo, scale
from selfcheck.tui.context import workspace
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.widgets.wrap import Wrapped

if TYPE_CHECKING:
    from selfcheck.demo import DemoResult
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


def chosen_text(org: OrgInfo, found: DemoResult | None) -> Text:
    t = org_prompt(org)
    if found is not None:
        years = "・".join(scale.fiscal_year_label(y).split("（")[0] for y in demo.DEMO_YEARS)
        incident = "とインシデント" if found.incident_id is not None else ""
        t.append(f"\nこの団体には、デモデータ（{years}の自己点検{incident}）が入っています。", style="yellow")
    t.append("\n団体は、ホームの「6 名前・団体を変更」でいつでも変えられます。", style="dim")
    return t


class SetupScreen(Screen[SetupResult | None]):
    CSS_PATH = "setup.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "戻る", show=False)]

    def __init__(
        self,
        orgs: list[OrgInfo],
        *,
        actor: str = "",
        current: str | None = None,
        cancellable: bool = False,
        name_only: bool = False,
    ) -> None:
        super().__init__()
        self.orgs = orgs
        self.actor = actor
        self.current = current
        self.cancellable = cancellable
        self.name_only = name_only and any(o.id == current for o in orgs)
        """Only the name is asked: the body `current` is already chosen."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="setup-body"):
            if self.name_only:
                yield Static("はじめに、あなたのお名前を入力してください", classes="title")
                yield Static("", id="chosen")
            else:
                yield Static(
                    Wrapped("はじめに、あなたの団体を選んでください（上下キーで選び Enter、またはクリック）"),
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
        if not self.name_only:
            orgs.focus()
            return
        orgs.display = False
        chosen = self.orgs[ids.index(str(self.current))]
        found = attempt(self.app, demo.find_demo, workspace(self), chosen.id)
        self.query_one("#chosen", Static).update(Wrapped(chosen_text(chosen, found)))
        self.query_one("#name", Input).focus()

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
