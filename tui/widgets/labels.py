"""Small pure helpers that turn core values into the Japanese words shown on screen.

No ambiguous-width symbols (○ × ※ ①…) in our own decorations: they are 1 cell in Rich but 2 in some
Japanese consoles, which breaks alignment. Words and wide forms only.
"""

from __future__ import annotations

from datetime import date, datetime

from selfcheck import scale
from selfcheck.clock import JST

ANSWER_KEYS: dict[str, str] = {
    "1": "implemented",
    "2": "partial",
    "3": "not_implemented",
    "4": "not_applicable",
}
"""Number key -> answer value (the order of the scale)."""

ANSWER_STYLE: dict[str, str] = {
    "implemented": "bold green",
    "partial": "bold yellow",
    "not_implemented": "bold red",
    "not_applicable": "bold blue",
    "unanswered": "dim",
}

SHORT_LABELS: dict[str, str] = {
    "implemented": "実施",
    "partial": "一部",
    "not_implemented": "未実施",
    "not_applicable": "該当しない",
    "unanswered": "未回答",
}
"""Short answer words for lists and tables: one term for 該当しない everywhere (not 該当なし or 該当外)."""

IMPROVEMENT_STATUS: dict[str, str] = {"planned": "予定", "done": "完了"}
"""改善策 states as words (never the stored value 「planned」)."""

FILTERS: dict[str, str] = {
    "all": "全項目",
    "unanswered": "未回答",
    "gaps": "要改善",
    "review": "要再確認",
}
"""Filter key -> label, in the order `/` cycles through them."""


def answer_label(value: str) -> str:
    return scale.ANSWERS.get(value, value)


def short_label(value: str) -> str:
    return SHORT_LABELS.get(value, value)


def rate_text(rate: float | None) -> str:
    return "－" if rate is None else f"{rate:.1f}%"


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def short_time(iso: str | None) -> str:
    """A stored timestamp as Japan time: '2026-11-23T01:00:00+00:00' -> '2026-11-23 10:00' (every time a
    user sees is JST, whatever zone the PC's clock is set to)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(JST)
    return moment.strftime("%Y-%m-%d %H:%M")


def jst_time(iso: str | None) -> str:
    """A stored timestamp as 和暦 and JST for people: 「令和8年11月23日 10:00」."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(JST)
    return f"{wareki_day(moment.date())} {moment:%H:%M}"


def wareki_day(day: date) -> str:
    """2027-03-31 -> 「令和9年3月31日」."""
    return scale.wareki_date(day)


def due_text(value: str | None) -> str:
    """An improvement's due date as 和暦 (「令和9年3月31日」); text that is not an ISO date as it is."""
    if not value:
        return "未定"
    try:
        return wareki_day(date.fromisoformat(value[:10]))
    except ValueError:
        return value


def era_fy(fy: int) -> str:
    """2025 -> 「令和7年度」."""
    return f"{scale.wareki_year(fy)[:-1]}年度"


def matches(filter_key: str, value: str, is_gap: bool, needs_review: bool) -> bool:
    if filter_key == "unanswered":
        return value == "unanswered"
    if filter_key == "gaps":
        return is_gap
    if filter_key == "review":
        return needs_review
    return True
