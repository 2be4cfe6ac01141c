"""One inspection per body and fiscal year: the rule both the TUI and the CLI go through, and the year a
new inspection should be for.

The rule, as a clerk sees it: a body does its 令和8年度 自己点検 once. Each (body, fiscal year) has one
line of revisions (第1版, 第2版, ...), and at most one inspection of that line is open (being answered);
the others are final (their report was signed).

- `start` is refused when the year already has any inspection: an open one is continued, not started
  again; a final one is changed through a new revision, not by starting over (a second 第1版 of the same
  year would put two different 「令和8年度」 reports on file).
- `new_revision` (reopening a signed inspection to correct it) is not a second open inspection in this
  sense: it continues the same line. It is allowed only from the newest final revision of the year, and
  only while no revision of that year is open. So reopening twice, or revising an old revision, is
  refused with the id to use instead.

Both checks run inside the write transaction that creates the row (BEGIN IMMEDIATE holds the write lock),
so two processes cannot both pass them. A database written before this rule may already hold two open
inspections of one year; they stay readable and usable, and no third is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from selfcheck import dates, orgs, scale
from selfcheck.errors import InspectionExistsError
from selfcheck.inspection.queries import list_inspections
from selfcheck.inspection.views import InspectionInfo
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Inspection


@dataclass(frozen=True)
class StartProposal:
    """What the 「新しい年度の自己点検を始める」 dialog offers: the year (the year after the body's newest
    inspection, never before the current fiscal year) and the inspection to carry answers over from."""

    org_id: str
    fiscal_year: int
    fiscal_year_label: str  # 令和9年度（2027年度）
    previous: InspectionInfo | None  # newest inspection of an earlier year (latest revision)
    current_fiscal_year: int


def year_rows(s: Session, org_id: str, fiscal_year: int) -> list[Inspection]:
    """Every inspection (all revisions) of the body and year, oldest first."""
    from sqlmodel import col, select

    from selfcheck.models.tables import Inspection

    return list(
        s.exec(
            select(Inspection)
            .where(Inspection.org_id == org_id, Inspection.fiscal_year == fiscal_year)
            .order_by(col(Inspection.id))
        ).all()
    )


def check_can_start(s: Session, org_id: str, fiscal_year: int) -> None:
    """Raise `InspectionExistsError` when the body's year already has an inspection (see the module
    docstring), naming the one to continue or to revise and how."""
    rows = year_rows(s, org_id, fiscal_year)
    if not rows:
        return
    fy = scale.fiscal_year_label(fiscal_year)
    open_rows = [r for r in rows if r.status == "open"]
    if open_rows:
        iid = _id(open_rows[-1])
        raise InspectionExistsError(
            f"{fy}の自己点検はすでに実施中です（点検 {iid}）。新しく始めずに点検 {iid} を続けてください"
            f"（画面: selfcheck のホームで選ぶ / コマンド: selfcheck inspection summary {iid}）",
            f"fiscal year {fiscal_year} already has an open inspection ({iid}); continue it instead "
            f"(choose it on the home screen of `selfcheck`, or `selfcheck inspection summary {iid}`)",
            inspection_id=iid,
            status="open",
        )
    last = rows[-1]
    iid = _id(last)
    raise InspectionExistsError(
        f"{fy}の自己点検は署名済みで確定しています（点検 {iid}、第{last.revision}版）。"
        f"内容を直すには新しい版を作成してください（selfcheck report revise {iid}）",
        f"fiscal year {fiscal_year} already has a final (signed) inspection ({iid}, revision "
        f"{last.revision}); to change it, make a new revision: `selfcheck report revise {iid}`",
        inspection_id=iid,
        status="final",
    )


def check_can_revise(s: Session, src: Inspection) -> None:
    """A new revision continues the year's line: only from its newest final revision, and only while
    none of the year's revisions is open."""
    rows = year_rows(s, src.org_id, src.fiscal_year)
    fy = scale.fiscal_year_label(src.fiscal_year)
    open_rows = [r for r in rows if r.status == "open"]
    if open_rows:
        iid = _id(open_rows[-1])
        same = iid == src.id
        raise InspectionExistsError(
            f"点検 {iid} は署名前（実施中）なので、そのまま変更できます"
            if same
            else f"{fy}の自己点検には実施中の版があります（点検 {iid}）。新しい版は作らずに点検 {iid} を続けてください",
            f"inspection {iid} is not final; change it directly"
            if same
            else f"fiscal year {src.fiscal_year} already has an open revision ({iid}); continue that one",
            inspection_id=iid,
            status="open",
        )
    newest = rows[-1]
    if newest.id != src.id:
        iid = _id(newest)
        raise InspectionExistsError(
            f"点検 {src.id} より新しい版があります（点検 {iid}、第{newest.revision}版）。"
            f"新しい版を作るなら点検 {iid} から作成してください（selfcheck report revise {iid}）",
            f"inspection {src.id} has a newer revision ({iid}); revise that one: `selfcheck report revise {iid}`",
            inspection_id=iid,
            status=newest.status,
        )


def _id(row: Inspection) -> int:
    assert row.id is not None
    return row.id


def existing_for_year(ws: Workspace, org_id: str, fiscal_year: int) -> InspectionInfo | None:
    """The inspection a start for this year would run into: the open one, else the newest revision;
    None when the year is free. The TUI dialog says it while the year is typed."""
    rows = [r for r in list_inspections(ws, org_id=org_id) if r.fiscal_year == fiscal_year]
    if not rows:
        return None
    open_rows = [r for r in rows if r.status == "open"]
    return open_rows[-1] if open_rows else rows[-1]


def propose_start(ws: Workspace, org_id: str) -> StartProposal:
    """The year to propose for the body's next inspection: the year after its newest, but never one
    already past (a body that skipped years starts in the current one, not in a closed year); the
    current fiscal year (JST) when it has none. `previous` is the latest revision of the newest earlier
    year, to carry answers over from."""
    orgs.ensure_org(ws, org_id)
    current = dates.fiscal_year_of(dates.today(ws.clock()))
    rows = list_inspections(ws, org_id=org_id)
    year = max(max(r.fiscal_year for r in rows) + 1, current) if rows else current
    earlier = [r for r in rows if r.fiscal_year < year]
    previous = max(earlier, key=lambda r: (r.fiscal_year, r.revision, r.id)) if earlier else None
    return StartProposal(
        org_id=org_id,
        fiscal_year=year,
        fiscal_year_label=scale.fiscal_year_label(year),
        previous=previous,
        current_fiscal_year=current,
    )
