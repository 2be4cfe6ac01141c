"""The few words and styles only the screens need. Everything a person reads that the core also prints
comes from the core: answer words and states from `scale` (ANSWERS, SHORT, IMPROVEMENT_STATUS,
INSPECTION_STATUS), incident words from `incident.views`, dates and times from `dates` (和暦, JST).

No ambiguous-width symbols (○ × ※ ①…) in our own decorations: they are 1 cell in Rich but 2 in some
Japanese consoles, which breaks alignment. Words and wide forms only.
"""

from __future__ import annotations

from selfcheck import dates

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

FILTERS: dict[str, str] = {
    "all": "全項目",
    "unanswered": "未回答",
    "gaps": "要改善",
    "review": "要再確認",
}
"""Filter key -> label, in the order `/` cycles through them."""


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


def due_text(value: str | None) -> str:
    """An improvement's due date as 和暦 (「令和9年3月31日」), 「未定」 when none was given."""
    return dates.wareki_text(value, empty="未定")


def era_fy(fy: int) -> str:
    """2025 -> 「令和7年度」 (the short form, where the 西暦 would make a label too long)."""
    return f"{dates.wareki_year(fy)[:-1]}年度"


def matches(filter_key: str, value: str, is_gap: bool, needs_review: bool) -> bool:
    if filter_key == "unanswered":
        return value == "unanswered"
    if filter_key == "gaps":
        return is_gap
    if filter_key == "review":
        return needs_review
    return True
