"""What an incident looks like to the dashboard, `incident show`, the report and the exports: frozen views
and the fixed labels they use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from selfcheck.evidence import EvidenceView
from selfcheck.incident.contacts import ContactView
from selfcheck.incident.threats import ThreatRef

# The nine items of a 個人情報保護委員会 report (行政機関等), in the order of the form.
PPC_ITEMS: dict[str, str] = {
    "overview": "概要",
    "items": "漏えい等が発生し又は発生したおそれがある保有個人情報の項目",
    "count": "漏えい等が発生し又は発生したおそれがある保有個人情報に係る本人の数",
    "cause": "原因",
    "secondary": "二次被害又はそのおそれの有無及びその内容",
    "persons": "本人への対応の実施状況",
    "publication": "公表の実施状況",
    "prevention": "再発防止のための措置",
    "other": "その他参考となる事項",
}
EDITABLE_FIELDS = {
    "title": "件名",
    "summary": "概要メモ",
    "occurred_at": "発生日時",
    "detected_at": "覚知日時",
}
TRIAGE_LABELS = {"yes": "はい", "no": "いいえ", "unknown": "未回答"}
STEP_STATE_LABELS = {"open": "未完了", "done": "完了", "skipped": "省略"}


Status = Literal["done", "overdue", "late", "due", "asap"]


@dataclass(frozen=True)
class Deadline:
    """One outside report that is due: when, and whether it has been made."""

    id: str
    title: str
    to: str
    basis: str
    note: str
    asap: bool
    due_date: str | None  # target day (ISO date)
    limit_date: str | None  # after this day the report is overdue (= due_date when no warn_days)
    made_at: str | None
    status: Status
    remaining_seconds: int | None  # to the target (or to the limit when late); negative when overdue

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def countdown_text(d: Deadline) -> str:
    """Japanese one-liner for the dashboard: あと2日3時間 / 目安超過（期限まであと1日）/ 5時間超過 / 速やかに."""
    if d.status == "done":
        return f"報告済み {d.made_at[:16].replace('T', ' ')}" if d.made_at else "報告済み"
    if d.status == "asap":
        return "速やかに"
    secs = d.remaining_seconds or 0
    span = _span(abs(secs))
    if d.status == "due":
        return f"あと{span}（{d.due_date}まで）"
    if d.status == "late":
        return f"目安{d.due_date}を超過・期限まであと{span}（{d.limit_date}）"
    return f"期限{d.limit_date}を{span}超過"


def _span(secs: int) -> str:
    days, rest = divmod(secs, 86400)
    hours = rest // 3600
    if days:
        return f"{days}日{hours}時間"
    if hours:
        return f"{hours}時間"
    return f"{max(1, rest // 60)}分"


@dataclass(frozen=True)
class StepView:
    id: str
    phase_id: str
    phase_title: str
    title: str
    guidance: str
    role: str
    role_title: str
    required: bool
    skippable: bool
    contacts: tuple[ContactView, ...]  # the people to call for this step, from the body's list
    missing_contacts: tuple[str, ...]  # role titles with no contact entered
    evidence_hint: str
    within_hours: float | None
    target_at: str | None
    state: str  # open | done | skipped
    reason: str
    state_at: str | None
    state_by: str | None
    target_passed: bool

    def as_dict(self) -> dict[str, object]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["contacts"] = [c.__dict__ for c in self.contacts]
        d["missing_contacts"] = list(self.missing_contacts)
        return d


@dataclass(frozen=True)
class TimelineView:
    id: int
    at: str
    actor: str
    kind: str
    step_id: str | None
    text: str
    data: dict[str, Any]
    evidence_id: int | None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    org_id: str
    playbook_id: str
    playbook_title: str
    title: str
    status: str
    detected_at: str
    opened_at: str
    opened_by: str
    closed_at: str | None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class TriageQuestion:
    key: str
    text: str
    help: str
    answer: str  # yes | no | unknown


@dataclass(frozen=True)
class IncidentDetail:
    incident: IncidentSummary
    org_name: str
    summary: str
    occurred_at: str | None
    closed_by: str | None
    threat: ThreatRef
    shape: str
    triage: tuple[TriageQuestion, ...]
    steps: tuple[StepView, ...]
    deadlines: tuple[Deadline, ...]
    timeline: tuple[TimelineView, ...]
    evidence: tuple[EvidenceView, ...]
    ppc: dict[str, str] = field(default_factory=dict)

    @property
    def current_step(self) -> StepView | None:
        """The first step not yet done or skipped (in playbook order)."""
        return next((s for s in self.steps if s.state == "open"), None)

    @property
    def open_required(self) -> list[StepView]:
        return [s for s in self.steps if s.required and s.state == "open"]

    def as_dict(self) -> dict[str, object]:
        return {
            "incident": self.incident.as_dict()
            | {
                "summary": self.summary,
                "occurred_at": self.occurred_at,
                "closed_by": self.closed_by,
                "org_name": self.org_name,
            },
            "threat": self.threat.__dict__,
            "shape": self.shape,
            "triage": {q.key: q.answer for q in self.triage},
            "triage_questions": [q.__dict__ for q in self.triage],
            "steps": [s.as_dict() for s in self.steps],
            "current_step": self.current_step.id if self.current_step else None,
            "deadlines": [d.as_dict() for d in self.deadlines],
            "ppc": {k: self.ppc.get(k, "") for k in PPC_ITEMS},
            "timeline": [t.as_dict() for t in self.timeline],
            "evidence": [e.as_dict() for e in self.evidence],
        }
