"""The answer scale and its scoring (like IPA's 5分でできる！情報セキュリティ自己診断: 4 / 2 / 0,
該当しない excluded), plus Japanese era dates for documents."""

from __future__ import annotations

from selfcheck import dates

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
    "not_applicable": "該当しない",
    "unanswered": "未回答",
}
IMPROVEMENT_STATUS: dict[str, str] = {"planned": "予定", "done": "完了"}
INSPECTION_STATUS: dict[str, str] = {"open": "実施中", "final": "確定（署名済み）"}
POINTS: dict[str, int] = {"implemented": 4, "partial": 2, "not_implemented": 0}
GAPS = ("partial", "not_implemented")  # answers that call for an improvement action (改善策)


def rate(counts: dict[str, int]) -> float | None:
    """実施率 0–100 over scored answers; None when nothing scorable has been answered yet."""
    scored = sum(counts.get(k, 0) for k in POINTS)
    if scored == 0:
        return None
    return round(100 * sum(POINTS[k] * counts.get(k, 0) for k in POINTS) / (4 * scored), 1)


# 和暦 and fiscal years live in `dates`; these names stay for the screens and reports that use them
wareki_year = dates.wareki_year
fiscal_year_label = dates.fiscal_year_label
fiscal_year_of = dates.fiscal_year_of
wareki_date = dates.wareki
