"""Self-inspection use cases: start (optionally from last year's), answer, comment, improve, summarise.

One user action = one function = one short transaction with its audit records, committed before the
function returns, so closing the program at any moment loses nothing that was shown as saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from selfcheck import audit, orgs, scale
from selfcheck.errors import FinalizedError, NotFoundError, SelfcheckError
from selfcheck.evidence import EvidenceView
from selfcheck.evidence import view as evidence_view
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

MAX_TEXT = 20_000  # characters for a comment / reason / action: generous, but bounded


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


def _text(value: str | None, what_ja: str, what_en: str) -> str:
    """Accept any Unicode the user types (emoji, RTL, ...) but drop control characters except newline
    and tab, which break terminals and PDFs, and bound the length."""
    if value is None:
        return ""
    cleaned = "".join(
        ch
        for ch in value
        if ch in "\n\t" or ((ord(ch) >= 32 and ord(ch) != 127) and not 0xD800 <= ord(ch) <= 0xDFFF)
    )
    if len(cleaned) > MAX_TEXT:
        raise SelfcheckError(
            f"{what_ja}が長すぎます（{len(cleaned):,}文字、上限 {MAX_TEXT:,}文字）",
            f"{what_en} too long ({len(cleaned):,} chars, limit {MAX_TEXT:,})",
        )
    return cleaned


def require_open_in(s: Session, inspection_id: int) -> None:
    from selfcheck.models.tables import Inspection

    row = s.get(Inspection, inspection_id)
    if row is None:
        raise NotFoundError(f"点検 {inspection_id} は見つかりません", f"no inspection {inspection_id}")
    if row.status == "final":
        raise FinalizedError(
            f"点検 {inspection_id} は署名済みで確定しています。変更するには新しい版を作成してください",
            f"inspection {inspection_id} is final (its report was signed); create a new revision to change it",
        )


def require_open(ws: Workspace, inspection_id: int) -> None:
    with ws.read() as s:
        require_open_in(s, inspection_id)


def start(
    ws: Workspace,
    *,
    org_id: str,
    fiscal_year: int,
    title: str | None = None,
    from_previous: int | None = None,
    carry_over: bool = True,
) -> int:
    """Create an inspection with a snapshot of the body's checklist. With `from_previous`, every item also
    takes last year's answer, comment and improvement as a starting point marked 要再確認."""
    from selfcheck.models.tables import Answer, Improvement, Inspection, InspectionItem

    prof = orgs.ensure_org(ws, org_id)
    items = orgs.checklist(ws, org_id)
    if not 2000 <= fiscal_year <= 2100:
        raise SelfcheckError(f"年度 {fiscal_year} が正しくありません", f"invalid fiscal year {fiscal_year}")
    title = title or f"{scale.fiscal_year_label(fiscal_year)} 情報セキュリティ自己点検"
    with ws.write() as s:
        prev = None
        if from_previous is not None:
            prev = s.get(Inspection, from_previous)
            if prev is None or prev.org_id != org_id:
                raise NotFoundError(
                    f"前回の点検 {from_previous} は見つかりません（同じ団体のもの）",
                    f"no previous inspection {from_previous} of the same body",
                )
        row = Inspection(
            org_id=org_id,
            fiscal_year=fiscal_year,
            title=_text(title, "表題", "title"),
            previous_id=from_previous,
            created_at=ws.now(),
            created_by=ws.who(),
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        for it in items:
            s.add(
                InspectionItem(
                    inspection_id=row.id,
                    # the item's level is not snapshotted (yet): the snapshot keeps what the screens show
                    **{k: v for k, v in it.as_dict().items() if k not in ("id", "level")},
                    item_id=it.id,
                )
            )
        audit.record(
            s,
            ws,
            action="create",
            entity="inspection",
            entity_id=row.id,
            new={"org": org_id, "fiscal_year": fiscal_year, "items": len(items), "from": from_previous},
        )
        if prev is not None and carry_over:
            _carry_over(s, ws, prev.id, row.id, {it.id for it in items})  # type: ignore[arg-type]
        _ = prof, Answer, Improvement
        return row.id


def _carry_over(s: Session, ws: Workspace, prev_id: int, new_id: int, item_ids: set[str]) -> None:
    from sqlmodel import select

    from selfcheck.models.tables import Answer, Improvement

    for a in s.exec(select(Answer).where(Answer.inspection_id == prev_id)).all():
        if a.item_id not in item_ids or a.value == "unanswered":
            continue
        s.add(
            Answer(
                inspection_id=new_id,
                item_id=a.item_id,
                value=a.value,
                comment=a.comment,
                na_reason=a.na_reason,
                needs_review=True,
                carried_from=prev_id,
                answered_by=a.answered_by,
                answered_at=a.answered_at,
            )
        )
    for imp in s.exec(select(Improvement).where(Improvement.inspection_id == prev_id)).all():
        if imp.item_id not in item_ids:
            continue
        s.add(
            Improvement(
                inspection_id=new_id,
                item_id=imp.item_id,
                action=imp.action,
                owner=imp.owner,
                due_date=imp.due_date,
                status=imp.status,
                needs_review=True,
                updated_by=imp.updated_by,
                updated_at=imp.updated_at,
            )
        )
    audit.record(
        s, ws, action="carry_over", entity="inspection", entity_id=new_id, field="previous_id", new=prev_id
    )


def _answer_row(s: Session, inspection_id: int, item_id: str) -> object:
    from sqlmodel import select

    from selfcheck.models.tables import Answer, InspectionItem

    # one query: the item must exist in this inspection; its answer row may not exist yet
    found = s.exec(
        select(InspectionItem.id, Answer)
        .outerjoin(
            Answer,
            (Answer.inspection_id == InspectionItem.inspection_id)
            & (Answer.item_id == InspectionItem.item_id),
        )
        .where(InspectionItem.inspection_id == inspection_id, InspectionItem.item_id == item_id)
    ).first()
    if found is None:
        raise NotFoundError(
            f"点検 {inspection_id} に項目 {item_id} はありません",
            f"inspection {inspection_id} has no item {item_id}",
        )
    return found[1] or Answer(inspection_id=inspection_id, item_id=item_id)


def record_answer(
    ws: Workspace,
    *,
    inspection_id: int,
    item_id: str,
    value: str | None = None,
    comment: str | None = None,
    na_reason: str | None = None,
) -> None:
    """Set the answer, comment and/or 該当しない reason of an item. Answering confirms a carried-over
    answer (clears 要再確認). Committed before returning."""
    if value is not None and value not in scale.ANSWERS:
        raise SelfcheckError(
            f"回答 {value!r} は選択肢にありません（{', '.join(scale.ANSWERS)}）",
            f"answer {value!r} is not one of {', '.join(scale.ANSWERS)}",
        )
    with ws.write() as s:
        require_open_in(s, inspection_id)
        row = _answer_row(s, inspection_id, item_id)
        before = {
            "value": row.value,
            "comment": row.comment,
            "na_reason": row.na_reason,  # type: ignore[attr-defined]
            "needs_review": row.needs_review,
        }  # type: ignore[attr-defined]
        if value is not None:
            row.value = value  # type: ignore[attr-defined]
            row.needs_review = False  # type: ignore[attr-defined]
        if comment is not None:
            row.comment = _text(comment, "コメント", "comment")  # type: ignore[attr-defined]
        if na_reason is not None:
            row.na_reason = _text(na_reason, "該当しない理由", "reason")  # type: ignore[attr-defined]
        after = {
            "value": row.value,
            "comment": row.comment,
            "na_reason": row.na_reason,  # type: ignore[attr-defined]
            "needs_review": row.needs_review,
        }  # type: ignore[attr-defined]
        if after == before and row.id is not None:  # type: ignore[attr-defined]
            return
        row.answered_by, row.answered_at = ws.who(), ws.now()  # type: ignore[attr-defined]
        s.add(row)
        audit.record_changes(
            s, ws, entity="answer", entity_id=f"{inspection_id}/{item_id}", before=before, after=after
        )


def confirm(ws: Workspace, *, inspection_id: int, item_id: str) -> None:
    """Accept a carried-over answer and improvement as they are (clears 要再確認)."""
    from sqlmodel import select

    from selfcheck.models.tables import Improvement

    with ws.write() as s:
        require_open_in(s, inspection_id)
        row = _answer_row(s, inspection_id, item_id)
        changed = False
        if row.needs_review:  # type: ignore[attr-defined]
            row.needs_review = False  # type: ignore[attr-defined]
            row.answered_by, row.answered_at = ws.who(), ws.now()  # type: ignore[attr-defined]
            s.add(row)
            changed = True
        imp = s.exec(
            select(Improvement).where(
                Improvement.inspection_id == inspection_id, Improvement.item_id == item_id
            )
        ).first()
        if imp is not None and imp.needs_review:
            imp.needs_review = False
            s.add(imp)
            changed = True
        if changed:
            audit.record(
                s,
                ws,
                action="update",
                entity="answer",
                entity_id=f"{inspection_id}/{item_id}",
                field="needs_review",
                old=True,
                new=False,
            )


def set_improvement(
    ws: Workspace,
    *,
    inspection_id: int,
    item_id: str,
    action: str,
    owner: str = "",
    due_date: date | str | None = None,
    status: str = "planned",
) -> None:
    """Record or update the 改善策 for an item (an empty action removes it)."""
    from sqlmodel import select

    from selfcheck.models.tables import Improvement

    if status not in ("planned", "done"):
        raise SelfcheckError(
            f"状態 {status!r} が正しくありません（planned / done）", f"invalid status {status!r}"
        )
    due = _parse_date(due_date)
    with ws.write() as s:
        require_open_in(s, inspection_id)
        _answer_row(s, inspection_id, item_id)  # validates the item
        row = s.exec(
            select(Improvement).where(
                Improvement.inspection_id == inspection_id, Improvement.item_id == item_id
            )
        ).first()
        key = f"{inspection_id}/{item_id}"
        action = _text(action, "改善策", "improvement action").strip()
        if not action:
            if row is not None:
                audit.record(s, ws, action="delete", entity="improvement", entity_id=key, old=row.action)
                s.delete(row)
            return
        before = (
            {}
            if row is None
            else {"action": row.action, "owner": row.owner, "due_date": row.due_date, "status": row.status}
        )
        if row is None:
            row = Improvement(
                inspection_id=inspection_id,
                item_id=item_id,
                action=action,
                updated_by=ws.who(),
                updated_at=ws.now(),
            )
        row.action, row.owner, row.due_date, row.status = action, _text(owner, "担当者", "owner"), due, status
        row.needs_review = False
        row.updated_by, row.updated_at = ws.who(), ws.now()
        s.add(row)
        audit.record_changes(
            s,
            ws,
            entity="improvement",
            entity_id=key,
            before=before,
            after={"action": row.action, "owner": row.owner, "due_date": row.due_date, "status": row.status},
        )


def _parse_date(value: date | str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip().replace("/", "-")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise SelfcheckError(
            f"期限 {value!r} は日付ではありません（例: 2027-03-31）",
            f"due date {value!r} is not a date (e.g. 2027-03-31)",
        ) from None


def _info(s: Session, row: object) -> InspectionInfo:
    from sqlalchemy import func
    from sqlmodel import select

    from selfcheck.models.tables import Answer, InspectionItem, Organization

    r = row
    total = s.exec(
        select(func.count()).select_from(InspectionItem).where(InspectionItem.inspection_id == r.id)
    ).one()  # type: ignore[attr-defined]
    answered = s.exec(
        select(func.count())
        .select_from(Answer)
        .where(Answer.inspection_id == r.id, Answer.value != "unanswered")
    ).one()  # type: ignore[attr-defined]
    org = s.get(Organization, r.org_id)  # type: ignore[attr-defined]
    return InspectionInfo(
        id=r.id,
        org_id=r.org_id,
        org_name=org.name if org else r.org_id,
        fiscal_year=r.fiscal_year,  # type: ignore[attr-defined]
        fiscal_year_label=scale.fiscal_year_label(r.fiscal_year),
        title=r.title,
        status=r.status,  # type: ignore[attr-defined]
        revision=r.revision,
        revision_of=r.revision_of,
        previous_id=r.previous_id,
        created_at=r.created_at,  # type: ignore[attr-defined]
        created_by=r.created_by,
        finalized_at=r.finalized_at,
        item_count=total,
        answered=answered,
    )  # type: ignore[attr-defined]


def list_inspections(ws: Workspace, *, org_id: str | None = None) -> list[InspectionInfo]:
    from sqlmodel import select

    from selfcheck.models.tables import Inspection

    with ws.read() as s:
        q = select(Inspection).order_by(Inspection.id)
        if org_id:
            q = q.where(Inspection.org_id == org_id)
        return [_info(s, r) for r in s.exec(q).all()]


def info(ws: Workspace, inspection_id: int) -> InspectionInfo:
    from selfcheck.models.tables import Inspection

    with ws.read() as s:
        row = s.get(Inspection, inspection_id)
        if row is None:
            raise NotFoundError(f"点検 {inspection_id} は見つかりません", f"no inspection {inspection_id}")
        return _info(s, row)


def detail(ws: Workspace, inspection_id: int) -> InspectionDetail:
    """Everything about an inspection, as frozen views (no lazy loading from widgets)."""
    from sqlmodel import select

    from selfcheck.models.tables import Answer, Evidence, Improvement, Inspection, InspectionItem

    with ws.read() as s:
        row = s.get(Inspection, inspection_id)
        if row is None:
            raise NotFoundError(f"点検 {inspection_id} は見つかりません", f"no inspection {inspection_id}")
        inf = _info(s, row)
        items = s.exec(
            select(InspectionItem)
            .where(InspectionItem.inspection_id == inspection_id)
            .order_by(InspectionItem.position)
        ).all()
        answers = {a.item_id: a for a in s.exec(select(Answer).where(Answer.inspection_id == inspection_id))}
        imps = {
            i.item_id: i
            for i in s.exec(select(Improvement).where(Improvement.inspection_id == inspection_id))
        }
        evs: dict[str, list[EvidenceView]] = {}
        for e in s.exec(
            select(Evidence)
            .where(Evidence.inspection_id == inspection_id, Evidence.removed_at.is_(None))
            .order_by(Evidence.id)
        ):  # type: ignore[union-attr]
            evs.setdefault(e.item_id or "", []).append(evidence_view(e))
        prev: dict[str, PreviousView] = {}
        if row.previous_id:
            pa = {a.item_id: a for a in s.exec(select(Answer).where(Answer.inspection_id == row.previous_id))}
            pi = {
                i.item_id: i
                for i in s.exec(select(Improvement).where(Improvement.inspection_id == row.previous_id))
            }
            for key in set(pa) | set(pi):
                a = pa.get(key)
                prev[key] = PreviousView(
                    value=a.value if a else "unanswered",
                    comment=a.comment if a else "",
                    improvement=pi[key].action if key in pi else "",
                )
    out = InspectionDetail(info=inf)
    for it in items:
        a = answers.get(it.item_id)
        imp = imps.get(it.item_id)
        out.items.append(
            ItemView(
                item_id=it.item_id,
                position=it.position,
                clause=it.clause,
                clause_title=it.clause_title,
                section=it.section,
                section_title=it.section_title,
                topic=it.topic,
                question=it.question,
                how_to_check=it.how_to_check,
                guideline_ref=it.guideline_ref,
                value=a.value if a else "unanswered",
                comment=a.comment if a else "",
                na_reason=a.na_reason if a else "",
                needs_review=bool(a and a.needs_review),
                answered_by=a.answered_by if a else None,
                answered_at=a.answered_at if a else None,
                improvement=ImprovementView(
                    imp.action,
                    imp.owner,
                    imp.due_date,
                    imp.status,
                    imp.needs_review,
                    imp.updated_by,
                    imp.updated_at,
                )
                if imp
                else None,
                evidence=tuple(evs.get(it.item_id, ())),
                previous=prev.get(it.item_id),
            )
        )
    return out


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


def summary(ws: Workspace, inspection_id: int) -> Summary:
    return summarize(detail(ws, inspection_id).items, inspection_id)


def finalize(ws: Workspace, inspection_id: int, *, session: Session | None = None) -> None:
    """Mark an inspection final (its report has been signed). Later edits need `new_revision`."""
    from selfcheck.models.tables import Inspection

    def _do(s: Session) -> None:
        row = s.get(Inspection, inspection_id)
        if row is None:
            raise NotFoundError(f"点検 {inspection_id} は見つかりません", f"no inspection {inspection_id}")
        if row.status == "final":
            return
        row.status, row.finalized_at, row.finalized_by = "final", ws.now(), ws.who()
        s.add(row)
        audit.record(
            s,
            ws,
            action="finalize",
            entity="inspection",
            entity_id=inspection_id,
            field="status",
            old="open",
            new="final",
        )

    if session is not None:
        _do(session)
    else:
        with ws.write() as s:
            _do(s)


def new_revision(ws: Workspace, inspection_id: int) -> int:
    """Copy a final inspection (items, answers, improvements, evidence links) into a new open revision."""
    from sqlmodel import select

    from selfcheck.models.tables import Answer, Evidence, Improvement, Inspection, InspectionItem

    with ws.write() as s:
        src = s.get(Inspection, inspection_id)
        if src is None:
            raise NotFoundError(f"点検 {inspection_id} は見つかりません", f"no inspection {inspection_id}")
        new = Inspection(
            org_id=src.org_id,
            fiscal_year=src.fiscal_year,
            title=src.title,
            revision=src.revision + 1,
            revision_of=src.id,
            previous_id=src.previous_id,
            period_start=src.period_start,
            period_end=src.period_end,
            created_at=ws.now(),
            created_by=ws.who(),
        )
        s.add(new)
        s.flush()
        for model in (InspectionItem, Answer, Improvement, Evidence):
            for r in s.exec(select(model).where(model.inspection_id == inspection_id)).all():  # type: ignore[attr-defined]
                data = r.model_dump(exclude={"id"})
                data["inspection_id"] = new.id
                s.add(model(**data))
        audit.record(
            s,
            ws,
            action="create",
            entity="inspection",
            entity_id=new.id,
            field="revision_of",
            new=inspection_id,
        )
        return new.id  # type: ignore[return-value]
