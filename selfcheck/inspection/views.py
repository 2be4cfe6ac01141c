"""What an inspection looks like to the screens, the CLI and the report: frozen views, and the pure
summary computed from them (the TUI recomputes it after each answer without another query)."""

from __future__ import annotations

from dataclasses import dataclass, field

from selfcheck import scale
from selfcheck.evidence import EvidenceView


@dataclass(frozen=True)
class InspectionInfo:
    id: int
    org_id: str
    org_name: str
    fiscal_year: int
    fiscal_year_label: str
    title: str
    status: str
    revision: int
    revision_of: int | None
    previous_id: int | None
    level: str  # 基本 | 全項目 (vocabulary.INSPECTION_LEVELS)
    created_at: str
    created_by: str
    finalized_at: str | None
    item_count: int
    answered: int

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class ImprovementView:
    action: str
    owner: str
    due_date: str | None
    status: str
    needs_review: bool
    updated_by: str
    updated_at: str


@dataclass(frozen=True)
class PreviousView:
    """Last year's answer shown beside the item."""

    value: str
    comment: str
    improvement: str


@dataclass(frozen=True)
class ItemView:
    item_id: str
    position: int
    clause: str
    clause_title: str
    section: str
    section_title: str
    topic: str
    question: str
    how_to_check: str
    guideline_ref: str
    value: str
    comment: str
    na_reason: str
    needs_review: bool
    answered_by: str | None
    answered_at: str | None
    improvement: ImprovementView | None
    evidence: tuple[EvidenceView, ...]
    previous: PreviousView | None

    @property
    def is_gap(self) -> bool:
        return self.value in scale.GAPS


@dataclass(frozen=True)
class SectionSummary:
    section: str
    title: str
    total: int
    counts: dict[str, int]
    rate: float | None

    @property
    def answered(self) -> int:
        return self.total - self.counts.get("unanswered", 0)


@dataclass(frozen=True)
class Summary:
    inspection_id: int
    total: int
    answered: int
    needs_review: int
    counts: dict[str, int]
    rate: float | None
    sections: tuple[SectionSummary, ...]
    gaps: tuple[ItemView, ...]
    gaps_without_action: int

    @property
    def progress(self) -> float:
        return self.answered / self.total if self.total else 0.0


@dataclass
class InspectionDetail:
    info: InspectionInfo
    items: list[ItemView] = field(default_factory=list)


def summarize(items: list[ItemView], inspection_id: int) -> Summary:
    """Progress and 実施率 per section and overall; the gaps. Pure: the TUI recomputes it after each
    answer without another query."""
    sections: dict[str, list[ItemView]] = {}
    for it in items:
        sections.setdefault(it.section, []).append(it)
    sec_out = []
    for sec, its in sections.items():
        counts = _counts(its)
        sec_out.append(
            SectionSummary(
                section=sec,
                title=its[0].section_title,
                total=len(its),
                counts=counts,
                rate=scale.rate(counts),
            )
        )
    counts = _counts(items)
    gaps = tuple(it for it in items if it.is_gap)
    return Summary(
        inspection_id=inspection_id,
        total=len(items),
        answered=len(items) - counts.get("unanswered", 0),
        needs_review=sum(1 for it in items if it.needs_review),
        counts=counts,
        rate=scale.rate(counts),
        sections=tuple(sec_out),
        gaps=gaps,
        gaps_without_action=sum(1 for g in gaps if g.improvement is None),
    )


def _counts(items: list[ItemView]) -> dict[str, int]:
    counts = dict.fromkeys(scale.ANSWERS, 0)
    for it in items:
        counts[it.value] += 1
    return counts
