"""What a screen, dialog or widget may ask of the running app, typed.

Screens cannot import `selfcheck.tui.app` (the app imports the home screen, which imports the others), so
the app's services are described here as a Protocol that `SelfcheckApp` satisfies, and `services(node)`
gives any widget a typed view of them. `workspace(node)` is the open workspace; screens that use it are
only reachable after the home screen has finished opening the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from selfcheck.clock import Clock

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from selfcheck.workspace import Workspace


class AppServices(Protocol):
    home: Path
    clock: Clock

    @property
    def ws(self) -> Workspace | None: ...

    def show_error(self, err: BaseException) -> None: ...


def services(node: DOMNode) -> AppServices:
    return cast(AppServices, node.app)


def workspace(node: DOMNode) -> Workspace:
    """The open workspace. Raises if called before it is open (a bug: such screens are not reachable)."""
    ws = services(node).ws
    if ws is None:
        raise RuntimeError("the workspace is opened before any screen that needs it is shown")
    return ws
