"""The home screen's rows: one line per inspection, and the year a new inspection is proposed for."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

from rich.text import Text

from selfcheck import scale

if TYPE_CHECKING:
    from selfcheck.inspection import InspectionInfo


def propose_year(insps: list[InspectionInfo], today: date) -> tuple[int, InspectionInfo | None]:
    """The year to propose for a new inspection: the year after the body's newest, never one already
    past; and the newest earlier inspection to carry answers over from."""
    current = scale.fiscal_year_of(today)
    year = max(max(i.fiscal_year for i in insps) + 1, current) if insps else current
    earlier = [i for i in insps if i.fiscal_year < year]
    previous = max(earlier, key=lambda i: (i.fiscal_year, i.revision, i.id)) if earlier else None
    return year, previous


class Listed(Protocol):
    """What the home lists of an inspection: `InspectionInfo`, or the start-up glance's row."""

    @property
    def id(self) -> int: ...
    @property
    def fiscal_year_label(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def level(self) -> str: ...
    @property
    def answered(self) -> int: ...
    @property
    def item_count(self) -> int: ...


def inspection_prompt(i: Listed) -> Text:
    t = Text()
    t.append(i.fiscal_year_label, style="bold")
    t.append(f"  {i.level}  回答 {i.answered}/{i.item_count}")
    t.append(
        "  確定済み" if i.status == "final" else "  実施中", style="dim" if i.status == "final" else "green"
    )
    if i.revision > 1:
        t.append(f"  第{i.revision}版", style="dim")
    return t
