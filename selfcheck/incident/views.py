"""What an incident looks like to the dashboard, `incident show`, the report and the exports: frozen views
and the fixed labels they use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from selfcheck import dates
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
INCIDENT_STATUS_LABELS = {"open": "対応中", "closed": "終結"}
# timeline entry kind -> the word people read (screens, `incident timeline`, the report)
TIMELINE_KIND_LABELS = {
    "opened": "対応開始",
    "step_done": "手順完了",
    "step_skipped": "手順省略",
    "step_reopened": "手順取消",
    "note": "メモ",
    "evidence": "証拠追加",
    "triage": "判定",
    "status": "状態変更",
    "report_made": "外部報告",
    "field": "記入・変更",
}


Status = Literal["done", "overdue", "late", "due", "asap", "undecided"]
UNDECIDED = "要判断"


@dataclass(frozen=True)
class Deadline:
    """One outside report that is (or may be) due: when, and whether it has been made.

    For a statutory period (確報) `legal_date` is the legal deadline, moved to the next open day when the
    last day falls on a closed day (`rolled_over` lists the days passed over), and `due_date` is the
    internal target: the last day itself, not moved. `limit_date` is the day after which the report is
    overdue (the legal deadline, or the end of a guidance window such as 速報 3–5 days). When the triage
    answers cannot decide whether the report applies, `decided` is false, there is no date, and
    `pending` names the questions that would decide it (shown as 要判断)."""

    id: str
    title: str
    to: str
    basis: str
    note: str
    asap: bool
    due_date: str | None  # internal target day (ISO date), not moved for holidays
    limit_date: str | None  # after this day the report is overdue (= due_date when no warn_days)
    made_at: str | None
    status: Status
    remaining_seconds: int | None  # to the target (or to the limit when late); negative when overdue
    decided: bool = True
    pending: tuple[str, ...] = ()  # unanswered triage keys that decide whether (or how long) it applies
    days: int | None = None  # the period counted from 覚知 (覚知 = day 1)
    legal_date: str | None = None  # statutory deadline after the roll-forward (None: no legal period)
    rolled_over: tuple[str, ...] = ()  # closed days passed over, e.g. "2026-05-05（火） こどもの日"
    legal_caveat: str = ""  # 要確認 note when only a body's own closure day moved the deadline
    alternative: str = ""  # the other period while an override (e.g. 不正の目的) is undecided
    short_title: str = ""  # for the dashboard line at 80 columns (委員会 確報, 番号法 速報, ...)

    def as_dict(self) -> dict[str, object]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["pending"] = list(self.pending)
        d["rolled_over"] = list(self.rolled_over)
        return d


def countdown_text(d: Deadline) -> str:
    """Japanese one-liner: あと2日3時間（内部目標…・法定期限…）/ 目安超過 / 5時間超過 / 速やかに / 要判断;
    times in JST, dates as 5/7(木) (short enough for the dashboard line at 80 columns) or 和暦."""
    if d.status == "done":
        return f"報告済み {dates.short_time(d.made_at)}" if d.made_at else "報告済み"
    if d.status == "undecided":
        return f"{UNDECIDED}（判定の質問{len(d.pending)}件が未回答）"
    if d.status == "asap":
        return "速やかに"
    secs = d.remaining_seconds or 0
    span = _span(abs(secs))
    if d.legal_date:
        legal = f"法定期限{_md(d.legal_date)}"
        if d.status == "due":
            target = f"内部目標{_md(d.due_date)}・" if d.due_date != d.legal_date else ""
            return f"あと{span}（{target}{legal}）"
        if d.status == "late":
            return f"内部目標{_md(d.due_date)}を超過・{legal}まであと{span}"
        return f"{legal}を{span}超過"
    due, limit = dates.wareki_text(d.due_date), dates.wareki_text(d.limit_date)
    if d.status == "due":
        return f"あと{span}（{due}まで）"
    if d.status == "late":
        return f"目安{due}を超過・期限まであと{span}（{limit}）"
    return f"期限{limit}を{span}超過"


def _md(iso: str | None) -> str:
    """2026-05-07 -> 5/7(木): short enough for the dashboard line at 80 columns."""
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.month}/{d.day}({'月火水木金土日'[d.weekday()]})"


def _span(secs: int) -> str:
    days, rest = divmod(secs, 86400)
    hours = rest // 3600
    if days >= 2:
        return f"{days}日"  # whole days, rounded down: the hours matter only near the end (fits 80 columns)
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
    track: str = "act"  # act (封じ込め・対処) | report (報告・連絡): the two run at the same time
    track_title: str = ""

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
    tracks: tuple[tuple[str, str], ...] = ()  # (track id, title) in display order
    closed_days: tuple[dict[str, str], ...] = ()  # the body's own closure days used for the deadlines

    @property
    def current_step(self) -> StepView | None:
        """The first step not yet done or skipped (in playbook order)."""
        return next((s for s in self.steps if s.state == "open"), None)

    @property
    def current_steps(self) -> dict[str, StepView]:
        """The step to do now in each track (track -> first open step): containment does not wait for
        the reporting chain, so the lead sees both."""
        now: dict[str, StepView] = {}
        for s in self.steps:
            if s.state == "open" and s.track not in now:
                now[s.track] = s
        order = [t for t, _title in self.tracks]
        return dict(sorted(now.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))

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
            "current_steps": {t: s.id for t, s in self.current_steps.items()},
            "tracks": dict(self.tracks),
            "closed_days": list(self.closed_days),
            "deadlines": [d.as_dict() for d in self.deadlines],
            "ppc": {k: self.ppc.get(k, "") for k in PPC_ITEMS},
            "timeline": [t.as_dict() for t in self.timeline],
            "evidence": [e.as_dict() for e in self.evidence],
        }
