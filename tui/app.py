"""The selfcheck Textual application: one app object, its error funnel, and the start-up sequence.

Why the start-up is split: importing sqlmodel/sqlalchemy/alembic and the checklist loader (pydantic,
PyYAML) costs about 0.35 s, so the home screen is painted first with a 「読み込み中…」 state and the
workspace is opened in a thread worker. Nothing in `selfcheck.tui` imports sqlmodel, reportlab, pyhanko
or keyring at module level, and core modules that pull them in (orgs, inspection, evidence, settings)
are imported inside the functions that need them.

Contract for every screen (also the ones other helpers write):

- `self.app.ws` is the open `selfcheck.workspace.Workspace`, or None while it is still loading. Its
  `actor` is the name the user entered, so every core call records who and when.
- `self.app.show_error(err)` is the one error funnel: a `SelfcheckError` becomes a modal with its
  Japanese message; anything else is written to the data directory's `logs/` and the user sees a
  generic Japanese message naming the log file. Workers are created with `exit_on_error=False`; a
  failed worker reaches `on_worker_state_changed` here, which calls `show_error`.
- `self.app.clock` is the injected clock (tests and snapshots pin it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.worker import Worker, WorkerState

from selfcheck import evidence, settings
from selfcheck.clock import Clock, system_clock
from selfcheck.crashlog import write_crash_log
from selfcheck.errors import SelfcheckError
from selfcheck.tui.dialogs.error import ErrorDialog
from selfcheck.tui.dialogs.help import HelpScreen
from selfcheck.tui.keys import bind
from selfcheck.tui.screens.home import HomeScreen
from selfcheck.tui.screens.too_small import TooSmallScreen, too_small
from selfcheck.workspace import open_workspace, read_only_error

if TYPE_CHECKING:
    from selfcheck.workspace import Workspace


class SelfcheckApp(App[int]):
    """The TUI. Screens get the workspace through `self.app.ws` (None while loading)."""

    CSS_PATH = "styles/base.tcss"
    TITLE = "selfcheck"
    SUB_TITLE = "情報セキュリティ自己点検"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("quit", priority=True),
        # not priority: a focused Input receives the letter instead, so typing "q" never quits
        Binding("q", "quit", "終了", show=False),
        bind("help"),
    ]

    def __init__(
        self, *, home: Path, actor: str = "", clock: Clock = system_clock, db: str | None = None
    ) -> None:
        super().__init__()
        self.home = Path(home)
        """The data directory given on the command line (or the default one)."""
        self.db = db
        """`--db URL` from the command line (None: the setting or the embedded database)."""
        self.clock = clock
        """Injected time source; tests pass a fixed clock."""
        self.actor_override = actor
        """`--user NAME` from the command line; empty means: use the remembered name."""
        self._ws: Workspace | None = None
        self.home_screen = HomeScreen()

    @property
    def ws(self) -> Workspace | None:
        """The open workspace, or None while start-up is still loading it."""
        return self._ws

    def on_mount(self) -> None:
        # below 80x24 the screens break: keep a message on top instead (tui/screens/too_small.py); the
        # signal also fires for the home screen pushed next, so the check runs once it is on the stack
        self.screen_change_signal.subscribe(self, self.guard_size)
        self.push_screen(self.home_screen)
        # after the first paint: the worker's imports would otherwise compete with it for the GIL
        self.call_after_refresh(self.open_workspace)

    def on_resize(self, event: events.Resize) -> None:
        self.guard_size(size=event.size)  # self.size follows a moment later (Textual debounces resizes)

    def guard_size(self, _screen: object = None, *, size: Size | None = None) -> None:
        """Put the small-console message on top while the terminal is smaller than 80x24."""
        if len(self.screen_stack) < 2:  # only Textual's blank default screen so far: nothing to cover
            return
        if too_small(size or self.size) and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())

    @work(
        thread=True,
        exit_on_error=False,
        group="startup",
        name="open-workspace",
        description="データを開いています",
    )
    def open_workspace(self) -> Workspace:
        """Runs in a thread: the heavy imports and the migration happen here, not before first paint."""

        ws = open_workspace(self.home, actor=self.actor_override, clock=self.clock, db=self.db)
        if not ws.read_only:
            evidence.sweep_temporaries(ws)  # half-copied files from a killed run
        if not ws.actor:
            ws.actor = str(settings.get(ws, "actor") or "")
        return ws

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The central worker handler: errors of every worker (any screen) end up in `show_error`."""
        worker = event.worker
        if event.state == WorkerState.ERROR and worker.error is not None:
            self.show_error(worker.error)
            if worker.name == "open-workspace":
                self.home_screen.show_failed()
        elif event.state == WorkerState.SUCCESS and worker.name == "open-workspace":
            self._ws = worker.result
            if self._ws is not None and self._ws.read_only:
                self.notify(read_only_error(self._ws.read_only, self._ws.home).message_ja, timeout=30)
            self.home_screen.workspace_ready()

    def show_error(self, err: BaseException) -> None:
        """The one error funnel of the TUI (see the module docstring)."""

        if isinstance(err, SelfcheckError):
            message = err.message_ja + (f"\n\n場所: {err.where}" if err.where else "")
            title = "エラー"
        else:
            log = write_crash_log(self.home, err)
            title = "予期しないエラー"
            message = (
                "予期しないエラーが発生しました。入力済みのデータは保存されています。\n"
                f"詳細は次のログファイルにあります:\n{log}"
            )
        self.push_screen(ErrorDialog(message, title=title))

    def action_help(self) -> None:

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        self.exit(0)

    def action_help_quit(self) -> None:
        """Ctrl+C (pressed by habit) explains how to quit, in Japanese; everything is already saved."""
        self.notify(
            "終了するには Ctrl+Q（入力欄の外では q）を押してください。入力は保存済みです。",
            title="終了しますか？",
        )

    def on_unmount(self) -> None:
        if self._ws is not None:
            self._ws.close()

    def _fatal_error(self) -> None:
        """Last-resort net for a bug outside the guarded paths: log the traceback, never print it."""
        err = self._exception or RuntimeError("unknown error")
        log = write_crash_log(self.home, err)
        self._exit_renderables.append(
            Text(f"予期しないエラーで終了しました。入力済みのデータは保存されています。詳細: {log}")
        )
        self._close_messages_no_wait()


def make_app(
    *, home: Path, actor: str = "", clock: Clock = system_clock, db: str | None = None
) -> SelfcheckApp:
    """The one factory used by `selfcheck` (cli.common.run_tui), the tests and the snapshot apps."""
    return SelfcheckApp(home=home, actor=actor, clock=clock, db=db)
