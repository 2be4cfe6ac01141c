"""The answer scale and its scoring (like IPA's 5分でできる！情報セキュリティ自己診断: 4 / 2 / 0,
該当しない excluded), plus Japanese era dates for documents."""

from __future__ import annotations

from datetime import date

ANSWERS: dict[str, str] = {
    "implemented": "実施している",
    "partial": "一部実施している",
    "not_implemented": "実施していない",
    "not_applicable": "該当しない",
    "unanswered": "未回答",
}
SHORT: dict[str, str] = {
    "implemented": "実施",
    "partial": "一部",
    "not_implemented": "未実施",
    "not_applicable": "該当なし",
    "unanswered": "未回答",
}
POINTS: dict[str, int] = {"implemented": 4, "partial": 2, "not_implemented": 0}
GAPS = ("partial", "not_implemented")  # answers that call for an improvement action (改善策)


def rate(counts: dict[str, int]) -> float | None:
    """実施率 0–100 over scored answers; None when nothing scorable has been answered yet."""
    scored = sum(counts.get(k, 0) for k in POINTS)
    if scored == 0:
        return None
    return round(100 * sum(POINTS[k] * counts.get(k, 0) for k in POINTS) / (4 * scored), 1)


def wareki_year(year: int) -> str:
    """Western year -> 令和 era name (2019 = 令和元年)."""
    if year >= 2019:
        n = year - 2018
        return "令和元年" if n == 1 else f"令和{n}年"
    n = year - 1988
    return "平成元年" if n == 1 else f"平成{n}年"


def fiscal_year_label(fy: int) -> str:
    """2026 -> 「令和8年度（2026年度）」."""
    return f"{wareki_year(fy)[:-1]}年度（{fy}年度）"


def fiscal_year_of(d: date) -> int:
    """Japanese fiscal years start on 1 April."""
    return d.year if d.month >= 4 else d.year - 1


def wareki_date(d: date) -> str:
    """2026-03-30 -> 「令和8年3月30日」."""
    return f"{wareki_year(d.year)}{d.month}月{d.day}日"
