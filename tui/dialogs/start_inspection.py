"""Start a self-inspection: the fiscal year (proposed: the year after the body's newest inspection), the
items (基本 only, the yearly core, or 全項目 = 基本＋詳細; default: the previous inspection's choice, else
基本) and, when the body has an earlier inspection, whether to take over its answers as a starting point
(要再確認).

The cursor starts in the year field with the proposal selected, so typing a year replaces it. A body
has one inspection per fiscal year (the core's rule): while the year is typed the dialog says when that
year already has one, and when the core refuses a start it shows the refusal and offers to open the
existing inspection instead of creating a second 令和8年度.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from selfcheck import scale
from selfcheck.errors import SelfcheckError
from selfcheck.tui.context import services
from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.labels import era_fy
from selfcheck.tui.widgets.wrap import Wrapped
from selfcheck.vocabulary import ALL_ITEMS, CORE, INSPECTION_LEVELS

# widget ids are ASCII
LEVEL_IDS: dict[str, str] = {CORE: "level-core", ALL_ITEMS: "level-all"}


@dataclass(frozen=True)
class StartRequest:
    fiscal_year: int
    carry_over: bool
    level: str = CORE  # 基本 | 全項目


@dataclass(frozen=True)
class Existing:
    """An inspection the body already has for a year (what a start would run into)."""

    inspection_id: int
    status: str  # open | final
    answered: int
    item_count: int


@dataclass(frozen=True)
class StartResult:
    inspection_id: int
    created: bool
    """False when the clerk chose to open the year's existing inspection."""


def parse_fiscal_year(text: str) -> int | None:
    """Accept 2026, ２０２６, 2026年度, R8, 令和8年度 or 令和元年度; None when it is not a year."""
    t = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    t = t.removesuffix("年度").removesuffix("年").strip()
    for prefix in ("令和", "R", "r"):
        rest = t[len(prefix) :].strip() if t.startswith(prefix) else None
        if rest == "元":
            return 2019
        if rest is not None and rest.isdigit():
            return 2018 + int(rest)
    return int(t) if t.isdigit() and 2000 <= int(t) <= 2100 else None


def existing_text(fy: int, e: Existing) -> str:
    if e.status == "open":
        return (
            f"{era_fy(fy)}の自己点検は実施中です（点検 {e.inspection_id}、回答 {e.answered}/{e.item_count}）。"
            "新しく始めずに、これを続けます。"
        )
    return f"{era_fy(fy)}の自己点検は署名済みで確定しています（点検 {e.inspection_id}）。"


class StartInspectionDialog(FormDialog[StartResult]):
    DEFAULT_CSS = (
        form_css("StartInspectionDialog", width=76)
        + """
    StartInspectionDialog #fy-label { color: $accent; height: auto; }
    StartInspectionDialog #fy-exists { color: $warning; height: auto; }
    StartInspectionDialog #level { width: 100%; height: auto; padding: 0; }
    StartInspectionDialog #level-note { color: $accent; height: auto; }
    StartInspectionDialog.exists #level, StartInspectionDialog.exists #level-label,
    StartInspectionDialog.exists #level-note { display: none; }
    StartInspectionDialog #open-existing { display: none; }
    StartInspectionDialog.exists #open-existing { display: block; }
    StartInspectionDialog.exists #carry { display: none; }
    """
    )

    def __init__(
        self,
        *,
        org_name: str,
        proposed_fy: int,
        previous_fy: int | None,
        existing: dict[int, Existing],
        start: Callable[[StartRequest], int],
        counts: dict[str, int] | None = None,
        default_level: str = CORE,
    ) -> None:
        super().__init__()
        self.counts = counts or {}
        self.default_level = default_level if default_level in INSPECTION_LEVELS else CORE
        self.org_name = org_name
        self.proposed_fy = proposed_fy
        self.previous_fy = previous_fy
        self.existing = existing
        """The body's inspections by fiscal year (the one a start for that year would run into)."""
        self.start_fn = start
        """The core call (returns the new inspection's id); a refusal stays in the dialog."""
        self.open_id: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.org_name} の自己点検を始めます", classes="dialog-title", markup=False)
            yield Label("年度（例: 2027、令和9、R9）")
            yield Input(str(self.proposed_fy), id="fy", select_on_focus=True)
            yield Static(scale.fiscal_year_label(self.proposed_fy), id="fy-label")
            yield Static("", id="fy-exists")
            yield Label("点検の範囲（上下キーで選び Enter。基本は毎年点検する項目）", id="level-label")
            with RadioSet(id="level"):
                for level in INSPECTION_LEVELS:
                    yield RadioButton(
                        self._level_label(level), value=level == self.default_level, id=LEVEL_IDS[level]
                    )
            # the choice in words too: the radio dot alone is only a colour on a monochrome terminal
            yield Static(self._level_note(self.default_level), id="level-note")
            if self.previous_fy is not None:
                yield Checkbox(f"前回（{era_fy(self.previous_fy)}）の回答を引き継ぐ", True, id="carry")
            yield Button("この点検を開く", variant="success", id="open-existing")
            yield from self.buttons(save_label="開始")

    def _level_label(self, level: str) -> str:
        n = self.counts.get(level)
        return INSPECTION_LEVELS[level] + (f"　{n}項目" if n is not None else "")

    def _level_note(self, level: str) -> str:
        return f"{self._level_label(level)}で始めます"

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.query_one("#level-note", Static).update(self._level_note(self._level()))

    def _level(self) -> str:
        pressed = self.query_one("#level", RadioSet).pressed_button
        return ALL_ITEMS if pressed is not None and pressed.id == LEVEL_IDS[ALL_ITEMS] else CORE

    def on_mount(self) -> None:
        self.query_one("#fy", Input).focus()
        self._check_year(self.proposed_fy)

    def on_input_changed(self, event: Input.Changed) -> None:
        fy = parse_fiscal_year(event.value)
        self.query_one("#fy-label", Static).update(scale.fiscal_year_label(fy) if fy else "")
        self.query_one("#form-error", Static).update("")
        self._check_year(fy)

    def _check_year(self, fy: int | None) -> None:
        found = self.existing.get(fy) if fy is not None else None
        self.open_id = found.inspection_id if found else None
        self.query_one("#fy-exists", Static).update(Wrapped(existing_text(fy, found)) if fy and found else "")
        self.set_class(found is not None, "exists")
        self.query_one("#save", Button).disabled = found is not None

    def other_button(self, button: Button) -> None:
        if button.id == "open-existing" and self.open_id is not None:
            self.dismiss(StartResult(self.open_id, created=False))

    def _save(self) -> None:
        if self.open_id is not None:  # Enter on a year that exists opens it: never a second one
            self.dismiss(StartResult(self.open_id, created=False))
            return
        fy = parse_fiscal_year(self.query_one("#fy", Input).value)
        if fy is None:
            self.fail("年度を入力してください（例: 2027、令和9）。")
            return
        carry = self.query("#carry")
        req = StartRequest(fy, bool(carry) and self.query_one("#carry", Checkbox).value, self._level())
        try:
            new_id = self.start_fn(req)
        except SelfcheckError as exc:
            # the core refuses a second inspection of the year and names the one to use
            existing = getattr(exc, "inspection_id", None)
            self.fail(exc.message_ja)
            if isinstance(existing, int):
                self.open_id = existing
                self.set_class(True, "exists")
                self.query_one("#open-existing", Button).focus()
            return
        except Exception as exc:
            services(self).show_error(exc)
            return
        self.dismiss(StartResult(new_id, created=True))
