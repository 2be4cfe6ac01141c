"""Small pure helpers that turn core values into the Japanese words shown on screen.

No ambiguous-width symbols (○ × ※ ①…) in our own decorations: they are 1 cell in Rich but 2 in some
Japanese consoles, which breaks alignment. Words and wide forms only.
"""

from __future__ import annotations

from selfcheck import scale

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


def answer_label(value: str) -> str:
    return scale.ANSWERS.get(value, value)


def short_label(value: str) -> str:
    return scale.SHORT.get(value, value)


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
    """'2026-11-23T10:00:00+09:00' -> '2026-11-23 10:00'."""
    if not iso:
        return ""
    return iso[:16].replace("T", " ")


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
