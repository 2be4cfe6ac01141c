"""What an inspection report is made from, gathered once from the core into a frozen dataclass.

The PDF builder takes only `InspectionReportData` (no session, no keyring), so the same data can be
hashed into the document id, tested without a database, and rebuilt identically. The document id is
the SHA-256 of a canonical JSON snapshot of the inspection data (not of the issue time or the signer),
so two reports made from the same answers carry the same id.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from selfcheck import dates, inspection, orgs, roles, scale
from selfcheck.inspection import ItemView, Summary
from selfcheck.report.layout import SignerInfo
from selfcheck.workspace import Workspace

COMPARISON_LABELS: dict[str, str] = {
    "improved": "改善",
    "worse": "悪化",
    "new": "新規",
    "unchanged": "変化なし",
    "other": "比較対象外",
}


@dataclass(frozen=True)
class ComparisonRow:
    item_id: str
    clause: str
    question: str
    previous: str  # answer key
    current: str
    change: str  # improved | worse | new | unchanged | other


@dataclass(frozen=True)
class InspectionReportData:
    inspection_id: int
    revision: int
    title: str
    org_id: str
    org_name: str
    policy_title: str
    adopted_text: str  # 和暦, e.g. 令和8年3月30日策定
    fiscal_year_label: str  # 令和8年度（2026年度）
    level: str  # 基本 | 全項目: the items the inspection was started with
    period_text: str
    respondents: tuple[str, ...]
    issued_wareki: str
    issued_seireki: str
    stamp_roles: tuple[str, ...]
    summary: Summary
    items: tuple[ItemView, ...]
    previous_label: str | None
    previous_rate: float | None
    comparison: tuple[ComparisonRow, ...]
    document_id: str
    signer: SignerInfo | None = None
    final: bool = False  # the inspection was already signed when this copy was made

    def with_signer(self, signer: SignerInfo | None) -> InspectionReportData:
        return dataclasses.replace(self, signer=signer)

    @property
    def draft(self) -> bool:
        """Not signed, and not a copy of a signed inspection: 「下書き」 on the cover and every page."""
        return self.signer is None and not self.final


def seireki_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _date_of(iso: str | None) -> date | None:
    return dates.day_of(iso) if iso else None  # a timestamp's day in Japan, whatever its offset


def period_text(start: str | None, end: str | None, items: tuple[ItemView, ...]) -> str:
    """The inspection period as set, else the span of the recorded answers."""
    s, e = _date_of(start), _date_of(end)
    note = ""
    if s is None and e is None:
        days = sorted(d for d in (_date_of(it.answered_at) for it in items if it.value != "unanswered") if d)
        if not days:
            return "（回答の記録なし）"
        s, e, note = days[0], days[-1], "（回答記録日）"
    parts = [scale.wareki_date(d) if d else "" for d in (s, e)]
    return f"{parts[0]} 〜 {parts[1]}{note}"


def score(value: str) -> int | None:
    return scale.POINTS.get(value)


def compare(items: tuple[ItemView, ...], previous: dict[str, str]) -> tuple[ComparisonRow, ...]:
    """Per item, by score (実施 4 / 一部 2 / 未実施 0): improved, worse, new (no scored answer last time),
    unchanged, or other (not scored now: 該当しない / 未回答)."""
    rows = []
    for it in items:
        prev = previous.get(it.item_id, "unanswered")
        p, c = score(prev), score(it.value)
        if c is None:
            change = "unchanged" if prev == it.value else "other"
        elif p is None:
            change = "new"
        else:
            change = "improved" if c > p else "worse" if c < p else "unchanged"
        rows.append(ComparisonRow(it.item_id, it.clause, it.question, prev, it.value, change))
    return tuple(rows)


def _snapshot(data: dict[str, Any]) -> str:
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def gather(ws: Workspace, inspection_id: int) -> InspectionReportData:
    """Read everything the report shows through the core, in a few short read transactions."""
    from selfcheck.models.tables import Inspection

    det = inspection.detail(ws, inspection_id)
    info = det.info
    with ws.read() as s:
        row = s.get(Inspection, inspection_id)
        start, end = (row.period_start, row.period_end) if row else (None, None)
    prof = orgs.profile(ws, info.org_id)
    items = tuple(det.items)
    summ = inspection.summarize(det.items, inspection_id)
    prev_label = prev_rate = None
    comparison: tuple[ComparisonRow, ...] = ()
    if info.previous_id:
        prev = inspection.detail(ws, info.previous_id)
        prev_label = f"{prev.info.title}（点検 {prev.info.id}、第{prev.info.revision}版）"
        prev_rate = inspection.summarize(prev.items, prev.info.id).rate
        comparison = compare(items, {it.item_id: it.value for it in prev.items})
    adopted = prof.adopted_text or (scale.wareki_date(prof.adopted) if prof.adopted else "")
    today = dates.today(ws.clock())
    respondents = tuple(
        sorted({it.answered_by for it in items if it.answered_by and it.value != "unanswered"})
    )
    stamps = roles.stamp_roles(ws, info.org_id)
    snapshot = {
        "inspection": {k: v for k, v in info.as_dict().items() if k not in ("status", "finalized_at")},
        "period": [start, end],
        "policy": [prof.policy_title, adopted],
        "items": [dataclasses.asdict(it) for it in items],
        "previous": [prev_label, prev_rate, [dataclasses.asdict(c) for c in comparison]],
        "stamp_roles": list(stamps),
    }
    return InspectionReportData(
        inspection_id=inspection_id,
        revision=info.revision,
        title=info.title,
        org_id=info.org_id,
        org_name=info.org_name,
        policy_title=prof.policy_title,
        adopted_text=adopted,
        fiscal_year_label=info.fiscal_year_label,
        level=info.level,
        period_text=period_text(start, end, items),
        respondents=respondents,
        issued_wareki=scale.wareki_date(today),
        issued_seireki=seireki_date(today),
        stamp_roles=stamps,
        summary=summ,
        items=items,
        previous_label=prev_label,
        previous_rate=prev_rate,
        comparison=comparison,
        document_id=_snapshot(snapshot),
        final=info.status == "final",
    )
