"""Which roles get a 押印欄 (stamp box) on a body's reports, in which order.

Bodies call their officers differently (a union's CISO is often 副管理者 or 事務局長), so the titles are
data: RoleTitle rows with `on_stamp=True`, ordered by `position`. A body with none gets the default four
roles of the 総務省 model standards.
"""

from __future__ import annotations

from collections.abc import Sequence

from selfcheck import audit, orgs
from selfcheck.errors import SelfcheckError
from selfcheck.workspace import Workspace

DEFAULT_STAMP_ROLES: tuple[str, ...] = (
    "担当者",
    "情報セキュリティ管理者",
    "統括情報セキュリティ責任者",
    "最高情報セキュリティ責任者（CISO）",
)
MAX_STAMPS = 6  # more boxes than this no longer fit across an A4 page


def stamp_roles(ws: Workspace, org_id: str) -> tuple[str, ...]:
    """The titles shown as stamp boxes for `org_id` (its own, else the defaults)."""
    from sqlmodel import col, select

    from selfcheck.models.tables import RoleTitle

    with ws.read() as s:
        rows = s.exec(
            select(RoleTitle)
            .where(RoleTitle.org_id == org_id, RoleTitle.on_stamp == True)  # noqa: E712
            .order_by(col(RoleTitle.position), col(RoleTitle.id))
        ).all()
        titles = tuple(r.title for r in rows)
    return titles or DEFAULT_STAMP_ROLES


def set_stamp_roles(ws: Workspace, org_id: str, titles: Sequence[str]) -> tuple[str, ...]:
    """Replace the body's stamp boxes with `titles` (in order); an empty list restores the defaults.
    Other RoleTitle rows (not on the stamp) are kept; one transaction, audited."""
    from sqlmodel import select

    from selfcheck.models.tables import RoleTitle

    clean = [t.strip() for t in titles if t.strip()]
    if len(clean) > MAX_STAMPS:
        raise SelfcheckError(
            f"押印欄は {MAX_STAMPS} 個までです（{len(clean)} 個指定）",
            f"at most {MAX_STAMPS} stamp boxes ({len(clean)} given)",
        )
    if len(set(clean)) != len(clean):
        raise SelfcheckError("押印欄の職名が重複しています", "duplicate stamp role titles")
    orgs.ensure_org(ws, org_id)
    with ws.write() as s:
        rows = s.exec(select(RoleTitle).where(RoleTitle.org_id == org_id)).all()
        old = [r.title for r in sorted(rows, key=lambda r: (r.position, r.id or 0)) if r.on_stamp]
        if old == clean:
            return tuple(clean) or DEFAULT_STAMP_ROLES
        for r in rows:
            if r.role_key.startswith("stamp:"):
                s.delete(r)
            elif r.on_stamp:
                r.on_stamp = False
                s.add(r)
        s.flush()
        for pos, title in enumerate(clean, start=1):
            s.add(RoleTitle(org_id=org_id, role_key=f"stamp:{pos}", title=title, position=pos, on_stamp=True))
        audit.record(
            s,
            ws,
            action="update",
            entity="organization",
            entity_id=org_id,
            field="stamp_roles",
            old=old,
            new=clean,
        )
    return tuple(clean) or DEFAULT_STAMP_ROLES
