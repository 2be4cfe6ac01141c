"""The home screen's rows: one line per inspection (the full state's `InspectionInfo`, or the start-up
glance's row before the data is open)."""

from __future__ import annotations

from typing import Protocol

from rich.text import Text

from selfcheck import scale


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
    final = i.status == "final"
    t.append(f"  {scale.INSPECTION_STATUS.get(i.status, i.status)}", style="dim" if final else "green")
    if i.revision > 1:
        t.append(f"  第{i.revision}版", style="dim")
    return t
