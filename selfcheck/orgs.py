"""Bodies: the five built-in profiles plus any imported policy, and the choice of the current body.

The checklist data (question bank and profiles: YAML checked by pydantic) is loaded on first use, inside
the functions below, so importing this module costs nothing before the first screen is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from selfcheck import audit, settings
from selfcheck.errors import NotFoundError
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from selfcheck.checklist_format import ChecklistItem, Profile
    from selfcheck.policy_import.draft import Draft


@dataclass(frozen=True)
class OrgInfo:
    id: str
    name: str
    policy_title: str
    adopted: str | None
    adopted_text: str
    segments: tuple[str, ...]
    item_count: int
    source: str

    def as_dict(self) -> dict[str, object]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["segments"] = list(self.segments)
        return d


def _info(p: Profile, source: str) -> OrgInfo:
    from selfcheck.catalog import builtin_catalog
    from selfcheck.checklist_format import derive

    return OrgInfo(
        id=p.id,
        name=p.name,
        policy_title=p.policy_title,
        adopted=p.adopted.isoformat() if p.adopted else None,
        adopted_text=p.adopted_text,
        segments=tuple(p.segments),
        item_count=len(derive(builtin_catalog().bank, p)),
        source=source,
    )


def imported_profiles(ws: Workspace | None) -> dict[str, Profile]:
    if ws is None:
        return {}
    from sqlmodel import select

    from selfcheck.checklist_format import Profile
    from selfcheck.models.tables import Organization

    with ws.read() as s:
        rows = s.exec(select(Organization).where(Organization.source == "imported")).all()
    return {r.id: Profile.model_validate_json(r.profile_json) for r in rows if r.profile_json}


def list_orgs(ws: Workspace | None = None) -> list[OrgInfo]:
    from selfcheck.catalog import builtin_catalog

    cat = builtin_catalog()
    out = [_info(p, "builtin") for p in cat.profiles.values()]
    out += [_info(p, "imported") for p in imported_profiles(ws).values() if p.id not in cat.profiles]
    return out


def profile(ws: Workspace | None, org_id: str) -> Profile:
    from selfcheck.catalog import builtin_catalog

    cat = builtin_catalog()
    if org_id in cat.profiles:
        return cat.profiles[org_id]
    imported = imported_profiles(ws)
    if org_id in imported:
        return imported[org_id]
    raise NotFoundError(
        f"団体 {org_id!r} は見つかりません（selfcheck orgs で一覧を表示できます）",
        f"no body {org_id!r} (list them with `selfcheck orgs`)",
    )


def checklist(ws: Workspace | None, org_id: str, *, level: str | None = None) -> list[ChecklistItem]:
    """The body's checklist; `level="基本"` gives the core items only."""
    from selfcheck.catalog import builtin_catalog
    from selfcheck.checklist_format import derive

    return derive(builtin_catalog().bank, profile(ws, org_id), level=level)


def ensure_org(ws: Workspace, org_id: str) -> Profile:
    """Make sure the body has its row (inspections and incidents refer to it) and return its profile."""
    from selfcheck.models.tables import Organization

    prof = profile(ws, org_id)
    with ws.write() as s:
        if s.get(Organization, org_id) is None:
            s.add(Organization(id=org_id, name=prof.name, source="builtin", created_at=ws.now()))
            audit.record(s, ws, action="create", entity="organization", entity_id=org_id, new=prof.name)
    return prof


def save_imported(ws: Workspace, prof: Profile, policy_text: str) -> None:
    """Store an imported policy's profile and text (one transaction, audited)."""
    from selfcheck.models.tables import Organization

    with ws.write() as s:
        row = s.get(Organization, prof.id)
        payload = prof.model_dump_json()
        if row is None:
            s.add(
                Organization(
                    id=prof.id,
                    name=prof.name,
                    source="imported",
                    profile_json=payload,
                    policy_text=policy_text,
                    created_at=ws.now(),
                )
            )
            audit.record(s, ws, action="import", entity="organization", entity_id=prof.id, new=prof.name)
        else:
            old = row.profile_json
            row.profile_json, row.policy_text, row.name, row.source = (
                payload,
                policy_text,
                prof.name,
                "imported",
            )
            s.add(row)
            audit.record(
                s,
                ws,
                action="import",
                entity="organization",
                entity_id=prof.id,
                field="profile_json",
                old=old,
                new=payload,
            )


def save_draft(ws: Workspace, draft: Draft) -> Profile:
    """Save what the import wizard (or `policy import`) read and the user corrected; returns the profile."""
    prof = draft.profile()
    save_imported(ws, prof, draft.text)
    return prof


def policy_text(ws: Workspace, org_id: str) -> str | None:
    from selfcheck.models.tables import Organization

    with ws.read() as s:
        row = s.get(Organization, org_id)
        return row.policy_text if row else None


def clause_wordings(ws: Workspace, org_id: str, clauses: list[str]) -> dict[str, str]:
    """The body's own wording of each clause, for an imported policy (its text is stored); {} for the
    built-in bodies, whose policy text is not shipped."""
    text = policy_text(ws, org_id)
    if not text:
        return {}
    from selfcheck.policy_import.wording import clause_text  # the policy parser: only for imported bodies

    prof = profile(ws, org_id)
    out = {}
    for clause in dict.fromkeys(clauses):
        wording = clause_text(text, prof, clause)
        if wording:
            out[clause] = wording
    return out


def current_org(ws: Workspace) -> str | None:
    org = settings.get(ws, "current_org")
    return str(org) if org else None


def choose_org(ws: Workspace, org_id: str) -> Profile:
    prof = ensure_org(ws, org_id)
    settings.set_(ws, "current_org", org_id)
    return prof


def profile_json(prof: Profile) -> dict[str, object]:
    return prof.model_dump(mode="json")
