"""The home screen: who is recording, for which body, and one-key entries to the product's jobs.

It is painted before the workspace is open (「読み込み中…」); `workspace_ready()` then loads the state in
a thread worker. On the first load it leads a new user through setup (body, name) and brings a
returning user back to where they were (the inspection screen at the same item).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from selfcheck import glance, inspection, orgs, settings
from selfcheck.trust_location import location_warning
from selfcheck.tui.context import services
from selfcheck.tui.dialogs.error import attempt, attempt_ok
from selfcheck.tui.widgets.home_rows import Listed, inspection_prompt, propose_year
from selfcheck.tui.widgets.wrap import Wrapped
from selfcheck.vocabulary import ALL_ITEMS, CORE

if TYPE_CHECKING:
    from selfcheck.inspection import InspectionInfo
    from selfcheck.orgs import OrgInfo
    from selfcheck.tui.dialogs.start_inspection import Existing, StartRequest, StartResult
    from selfcheck.tui.screens.setup import SetupResult
    from selfcheck.workspace import Workspace


@dataclass(frozen=True)
class HomeState:
    actor: str
    orgs: list[OrgInfo]
    org: OrgInfo | None
    inspections: list[InspectionInfo] = field(default_factory=list)
    """The current body's inspections, newest first."""
    resume: tuple[int, str] | None = None
    """(inspection id, "inspection" | "summary") when the user left the program inside an inspection."""
    data_problems: list[str] = field(default_factory=list)
    """Checklist data files that were refused (named with file and line); the rest still works."""
    location_warning: str | None = None
    """Set when the data directory is on a network drive (SQLite's WAL is unsafe there)."""

    @property
    def open_inspection(self) -> InspectionInfo | None:
        return next((i for i in self.inspections if i.status == "open"), None)


def collect(ws: Workspace) -> HomeState:
    """Everything the home screen shows (runs in a worker thread)."""

    all_orgs = orgs.list_orgs(ws)
    org_id = orgs.current_org(ws)
    org = next((o for o in all_orgs if o.id == org_id), None)
    insps = inspection.list_inspections(ws, org_id=org.id) if org else []
    insps = sorted(insps, key=lambda i: (i.fiscal_year, i.id), reverse=True)
    last, where = settings.get(ws, "ui.last_inspection"), settings.get(ws, "ui.screen")
    resume = (
        (last, where) if where in ("inspection", "summary") and any(i.id == last for i in insps) else None
    )
    from selfcheck.catalog import builtin_catalog

    return HomeState(
        actor=ws.actor,
        orgs=all_orgs,
        org=org,
        inspections=insps,
        resume=resume,
        data_problems=list(builtin_catalog().problems),
        location_warning=location_warning(ws.home),
    )


def _level_counts(ws: Workspace, org_id: str) -> dict[str, int]:
    """How many items each choice of the start dialog gives."""
    items = orgs.checklist(ws, org_id)
    return {CORE: sum(1 for it in items if it.level == CORE), ALL_ITEMS: len(items)}


def existing_by_year(insps: list[InspectionInfo]) -> dict[int, Existing]:
    """Per fiscal year, the inspection a start would run into: the open one, else the newest."""
    from selfcheck.tui.dialogs.start_inspection import Existing

    out: dict[int, Existing] = {}
    for i in sorted(insps, key=lambda i: (i.status == "open", i.id)):
        out[i.fiscal_year] = Existing(i.id, i.status, i.answered, i.item_count)
    return out


MENU = (
    ("inspect", "1", "自己点検"),
    ("incident", "2", "インシデント対応"),
    ("policy", "3", "方針の取込"),
    ("new", "4", "新しい年度の自己点検を始める"),
    ("keys", "5", "署名用の鍵"),
    ("setup", "6", "名前・団体を変更"),
)
"""The menu: digits choose its lines (digits choose the numbered option on every screen)."""


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "menu('inspect')", "自己点検"),
        Binding("2", "menu('incident')", "インシデント"),
        Binding("3", "menu('policy')", "方針の取込"),
        Binding("4", "menu('new')", "新しい年度", show=False),
        Binding("5", "menu('keys')", "署名用の鍵", show=False),
        Binding("6", "menu('setup')", "名前・団体", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state: HomeState | None = None
        self._first_load = True
        self._pending: str | None = None

    def compose(self) -> ComposeResult:
        # Only what the first paint needs: the body is mounted when the state has loaded, so start-up
        # does not pay for styling widgets that would only show 「読み込み中…」 anyway.
        yield Header()
        yield Static("読み込み中…", id="loading")
        yield Footer(compact=True)

    def _body(self) -> VerticalScroll:
        return VerticalScroll(
            Static("", id="who"),
            Static("", id="org"),
            OptionList(id="menu"),
            Static("これまでの点検（選ぶと開きます）", id="list-title", classes="title"),
            OptionList(id="inspection-list"),
            id="home-body",
        )

    @property
    def ws(self) -> Workspace | None:
        return services(self).ws

    # -- loading -------------------------------------------------------------------------------
    def workspace_ready(self) -> None:
        self.reload()

    def show_failed(self) -> None:
        self.query_one("#loading", Static).update("データを開けませんでした。Ctrl+Q で終了してください。")

    def reload(self) -> None:
        if self.ws is not None:
            self.load_state(self.ws)

    @work(
        thread=True,
        exit_on_error=False,
        exclusive=True,
        group="home",
        name="home-state",
        description="点検の一覧を読み込んでいます",
    )
    def load_state(self, ws: Workspace) -> HomeState:
        return collect(ws)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = event.worker.result
        if event.worker.name == "home-state" and event.state == WorkerState.SUCCESS:
            assert isinstance(result, HomeState)
            await self.apply(result)
        elif event.worker.name == "home-state" and event.state == WorkerState.ERROR and self.state is None:
            # the app's funnel shows the error dialog; never leave 「読み込み中…」 on screen for ever
            self.show_failed()

    async def apply(self, state: HomeState) -> None:
        self.state = state
        if not self.query("#home-body"):
            await self.mount(self._body(), after="#loading")
        self.query_one("#loading", Static).display = False
        self._render_state(state)
        first, self._first_load = self._first_load, False
        if first and state.location_warning:
            self.notify(
                state.location_warning.split(" / ")[0],
                title="データの保存場所",
                severity="warning",
                timeout=20,
            )
        if first and state.data_problems:
            # a malformed data file is refused on its own; say which one, the rest of the program works
            more = f"（ほか{len(state.data_problems) - 1}件）" if len(state.data_problems) > 1 else ""
            self.notify(
                f"点検表のデータファイルに誤りがあり、そのファイルを読み込みませんでした{more}:\n"
                f"{state.data_problems[0]}",
                title="データファイルの誤り",
                severity="warning",
                timeout=20,
            )
        pending, self._pending = self._pending, None
        if state.org is None or not state.actor:
            self._setup(cancellable=False)
        elif pending is not None:
            self.action_menu(pending)
        elif first and state.resume is not None:
            self.open_inspection(state.resume[0], summary=state.resume[1] == "summary")

    def _render_state(self, s: HomeState) -> None:
        org = Text()
        if s.org is not None:
            org.append(f"団体：{s.org.name}", style="bold")
            org.append(f"\n{s.org.policy_title}（{s.org.adopted_text}）", style="dim")
        self._show_home(s.actor, org, s.inspections)

    def _show_home(self, actor: str, org: Text, insps: Sequence[Listed]) -> None:
        """Who, which body, the menu and the inspections (from the glance first, then the full state)."""
        who = Text()
        if actor:
            who.append(f"{actor}さんとして記録します", style="bold")
        self.query_one("#who", Static).update(who)
        self.query_one("#org", Static).update(Wrapped(org))
        current = next((i for i in insps if i.status == "open"), None)
        menu = self.query_one("#menu", OptionList)
        keep = menu.highlighted
        menu.clear_options()
        for key, digit, label in MENU:
            text = label
            if key == "inspect":
                text = (
                    f"自己点検を続ける（{current.fiscal_year_label}  回答 {current.answered}/{current.item_count}）"
                    if current
                    else "自己点検を始める"
                )
            elif key == "new" and current is None:
                continue
            menu.add_option(Option(f"{digit}  {text}", id=key))
        menu.highlighted = keep if keep is not None and keep < menu.option_count else 0
        listing = self.query_one("#inspection-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(inspection_prompt(i), id=str(i.id)) for i in insps])
        self.query_one("#list-title").display = bool(insps)
        listing.display = bool(insps)
        if not isinstance(self.focused, OptionList):
            menu.focus()

    async def on_mount(self) -> None:
        """Before the first paint: the menu and the body's inspections from the quick sqlite3 read, so a
        returning clerk sees them at once (the workspace opens in a worker meanwhile)."""
        g = attempt(self.app, glance.home_glance, services(self).home)
        if g is None or g.org_id is None or not g.actor:
            return  # first run or an unusual database: the full state (and setup) follows
        await self.mount(self._body(), after="#loading")
        self.query_one("#loading", Static).display = False
        self._show_home(g.actor, Text(f"団体：{g.org_name}", style="bold"), g.inspections)

    # -- actions -------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "menu" and event.option.id:
            self.action_menu(event.option.id)
        elif event.option_list.id == "inspection-list" and event.option.id and self._ready() is not None:
            self.open_inspection(int(event.option.id))

    def _ready(self, pending: str | None = None) -> HomeState | None:
        """The full state, or None while the data is still opening; a menu choice made meanwhile
        (`pending`) is carried out as soon as it is open, so a quick clerk is not asked to press again."""
        if self.state is None or self.ws is None:
            self._pending = pending
            self.notify(
                "データを開いています。すぐに続けます。"
                if pending
                else "データを開いています。少しお待ちください。"
            )
            return None
        return self.state

    def action_menu(self, key: str) -> None:
        state = self._ready(pending=key)
        if state is None:
            return
        # each screen's module loads when it is first opened, keeping them off the path to first paint
        if key == "incident":
            from selfcheck.tui.screens.incident_home import IncidentHomeScreen

            self.app.push_screen(IncidentHomeScreen())
        elif key == "policy":
            from selfcheck.tui.screens.policy_import import PolicyImportScreen

            self.app.push_screen(PolicyImportScreen())
        elif key == "keys":
            from selfcheck.tui.screens.keys import KeySetupScreen

            self.app.push_screen(KeySetupScreen(actor=state.actor))
        elif key == "setup":
            self._setup(cancellable=True)
        elif key == "inspect" and state.open_inspection is not None:
            self.open_inspection(state.open_inspection.id)
        else:
            self.start_inspection(state)

    def open_inspection(self, inspection_id: int, *, summary: bool = False) -> None:
        from selfcheck.tui.screens.inspection import InspectionScreen

        screen = InspectionScreen(inspection_id)
        self.app.push_screen(screen, lambda _result: self.reload())
        if summary:
            screen.call_after_refresh(screen.action_summary)

    def start_inspection(self, state: HomeState) -> None:
        from selfcheck.tui.dialogs.start_inspection import StartInspectionDialog

        if state.org is None or self.ws is None:
            return
        org_id, ws = state.org.id, self.ws
        proposed, previous = propose_year(state.inspections, services(self).clock().date())

        def start(req: StartRequest) -> int:
            carry = req.carry_over and previous is not None
            return inspection.start(
                ws,
                org_id=org_id,
                fiscal_year=req.fiscal_year,
                from_previous=previous.id if carry and previous else None,
                carry_over=carry,
                level=req.level,
            )

        def done(result: StartResult | None) -> None:
            if result is not None:
                self.open_inspection(result.inspection_id)

        self.app.push_screen(
            StartInspectionDialog(
                org_name=state.org.name,
                proposed_fy=proposed,
                previous_fy=previous.fiscal_year if previous else None,
                existing=existing_by_year(state.inspections),
                start=start,
                counts=attempt(self.app, _level_counts, ws, org_id),
                # the same set as last year makes the two years comparable; a first inspection takes 基本
                default_level=previous.level if previous else CORE,
            ),
            done,
        )

    def _setup(self, *, cancellable: bool) -> None:
        from selfcheck.tui.screens.setup import SetupScreen

        state = self.state
        if state is None:
            return
        self.app.push_screen(
            SetupScreen(
                state.orgs,
                actor=state.actor,
                current=state.org.id if state.org else None,
                cancellable=cancellable,
            ),
            self._setup_done,
        )

    def _setup_done(self, result: SetupResult | None) -> None:

        if result is None or self.ws is None:
            return
        if attempt(self.app, orgs.choose_org, self.ws, result.org_id) is not None:
            self._set_actor(result.actor)
        self.reload()

    def _set_actor(self, name: str) -> None:

        ws = self.ws
        if ws is not None and attempt_ok(self.app, settings.set_, ws, "actor", name):
            ws.actor = name
