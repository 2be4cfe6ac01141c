"""Start a self-inspection: the fiscal year (proposed by the core, `inspection.propose_start`: the year
after the body's newest inspection, never one already past), the items (基本 only, the yearly core, or
全項目 = 基本＋詳細; default: the previous inspection's choice, else 基本) and, when the body has an
earlier inspection, whether to take over its answers as a starting point (要再確認).

The cursor starts in the year field with the proposal selected, so typing a year replaces it. A body
has one inspection per fiscal year (the core's rule, `inspection/years.py`): while the year is typed the
dialog asks the core which inspection that year already has (`existing_for_year`) and offers the way
on instead of a second 令和8年度 — an open one is continued, a signed one is opened or revised as a new
版. A refusal from the core (`InspectionExistsError`) does the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from selfcheck import dates, scale
from selfcheck.errors import InspectionExistsError, SelfcheckError
from selfcheck.tui.context import services
from selfcheck.tui.dialogs.form import FormDialog, form_css
from selfcheck.tui.widgets.labels import era_fy
from selfcheck.tui.widgets.wrap import Wrapped
from selfcheck.vocabulary import ALL_ITEMS, CORE, INSPECTION_LEVELS

if TYPE_CHECKING:
    from selfcheck.inspection import InspectionInfo, StartProposal

# widget ids are ASCII
LEVEL_IDS: dict[str, str] = {CORE: "level-core", ALL_ITEMS: "level-all"}


@dataclass(frozen=True)
class StartRequest:
    fiscal_year: int
    carry_over: bool
    level: str = CORE  # 基本 | 全項目


@dataclass(frozen=True)
class Found:
    """The inspection a start for the typed year runs into (from the core's lookup or its refusal)."""

    inspection_id: int
    status: str  # open: continue it | final: open it, or make a new revision
    answered: int | None = None
    item_count: int | None = None


@dataclass(frozen=True)
class StartResult:
    inspection_id: int
    created: bool
    """False when the clerk chose to open the year's existing inspection."""


def typed_year(text: str) -> int | None:
    """The fiscal year typed so far (2026, 令和8, R8 …, as `dates.parse_fiscal_year` reads it), or None."""
    try:
        return dates.parse_fiscal_year(text)
    except SelfcheckError:
        return None


def existing_text(fy: int, e: Found) -> str:
    if e.status == "open":
        counts = f"、回答 {e.answered}/{e.item_count}" if e.item_count is not None else ""
        return (
            f"{era_fy(fy)}の自己点検は実施中です（点検 {e.inspection_id}{counts}）。"
            "新しく始めずに、これを続けます。"
        )
    return (
        f"{era_fy(fy)}の自己点検は署名済みで確定しています（点検 {e.inspection_id}）。"
        "内容を直すときは、新しい版を作ります（署名した報告書はそのまま残ります）。"
    )


def found_from(info: InspectionInfo | None) -> Found | None:
    if info is None:
        return None
    return Found(info.id, info.status, info.answered, info.item_count)


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
    StartInspectionDialog #existing-buttons { display: none; height: auto; }
    StartInspectionDialog.exists #existing-buttons { display: block; }
    StartInspectionDialog #existing-buttons Button { margin-right: 1; }
    StartInspectionDialog #revise { display: none; }
    StartInspectionDialog.final #revise { display: block; }
    StartInspectionDialog.exists #carry { display: none; }
    """
    )

    def __init__(
        self,
        *,
        org_name: str,
        proposal: StartProposal,
        existing: Callable[[int], InspectionInfo | None],
        start: Callable[[StartRequest], int],
        revise: Callable[[int], int],
        counts: dict[str, int] | None = None,
        default_level: str = CORE,
    ) -> None:
        super().__init__()
        self.counts = counts or {}
        self.default_level = default_level if default_level in INSPECTION_LEVELS else CORE
        self.org_name = org_name
        self.proposed_fy = proposal.fiscal_year
        self.previous_fy = proposal.previous.fiscal_year if proposal.previous is not None else None
        self.existing_fn = existing
        """The core's lookup (`inspection.existing_for_year`) for a year."""
        self._seen: dict[int, Found | None] = {}
        self.start_fn = start
        """The core call (returns the new inspection's id); a refusal stays in the dialog."""
        self.revise_fn = revise
        """`inspection.new_revision`: a signed year is changed through a new 版, never a second start."""
        self.found: Found | None = None

    @property
    def open_id(self) -> int | None:
        """The inspection Enter opens instead of starting one (the typed year already has it)."""
        return self.found.inspection_id if self.found is not None else None

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
            with Horizontal(id="existing-buttons"):
                yield Button("この点検を開く", variant="success", id="open-existing")
                yield Button("新しい版を作る", variant="warning", id="revise")
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
        fy = typed_year(event.value)
        self.query_one("#fy-label", Static).update(scale.fiscal_year_label(fy) if fy else "")
        self.query_one("#form-error", Static).update("")
        self._check_year(fy)

    def _lookup(self, fy: int) -> Found | None:
        if fy not in self._seen:
            try:
                self._seen[fy] = found_from(self.existing_fn(fy))
            except Exception as exc:  # the start itself is checked again by the core
                services(self).show_error(exc)
                self._seen[fy] = None
        return self._seen[fy]

    def _check_year(self, fy: int | None) -> None:
        self._show_found(fy, self._lookup(fy) if fy is not None else None)

    def _show_found(self, fy: int | None, found: Found | None) -> None:
        self.found = found
        text = Wrapped(existing_text(fy, found)) if fy and found else ""
        self.query_one("#fy-exists", Static).update(text)
        self.set_class(found is not None, "exists")
        self.set_class(found is not None and found.status == "final", "final")
        self.query_one("#save", Button).disabled = found is not None

    def other_button(self, button: Button) -> None:
        if self.found is None:
            return
        if button.id == "open-existing":
            self.dismiss(StartResult(self.found.inspection_id, created=False))
        elif button.id == "revise":
            try:
                new_id = self.revise_fn(self.found.inspection_id)
            except InspectionExistsError as exc:  # e.g. a revision was opened meanwhile: use that one
                self.fail(exc.message_ja)
                self._show_found(
                    typed_year(self.query_one("#fy", Input).value), Found(exc.inspection_id, exc.status)
                )
                return
            except Exception as exc:
                services(self).show_error(exc)
                return
            self.dismiss(StartResult(new_id, created=True))

    def _save(self) -> None:
        if self.found is not None:  # Enter on a year that exists opens it: never a second one
            self.dismiss(StartResult(self.found.inspection_id, created=False))
            return
        fy = typed_year(self.query_one("#fy", Input).value)
        if fy is None:
            self.fail("年度を入力してください（例: 2027、令和9、R9）。")
            return
        carry = self.query("#carry")
        req = StartRequest(fy, bool(carry) and self.query_one("#carry", Checkbox).value, self._level())
        try:
            new_id = self.start_fn(req)
        except InspectionExistsError as exc:
            # the core refuses a second inspection of the year and names the one to use, and how
            self.fail(exc.message_ja)
            self._seen[fy] = Found(exc.inspection_id, exc.status)
            self._show_found(fy, self._seen[fy])
            self.query_one("#open-existing", Button).focus()
            return
        except Exception as exc:
            services(self).show_error(exc)
            return
        self.dismiss(StartResult(new_id, created=True))
