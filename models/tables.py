"""All SQLModel tables, in one module so there are no circular imports.

Conventions:
- timestamps are ISO 8601 strings with offset (`selfcheck.clock.to_iso`), so they sort and read the same
  on every platform and survive export unchanged;
- `*_by` columns hold the name the user entered in the app (the OS user goes into the audit trail);
- rows that other rows must be able to trust (timeline entries, audit records) are append-only, enforced
  by triggers in migration 0002.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel, UniqueConstraint


class Setting(SQLModel, table=True):
    """Key/value settings (JSON-encoded values): current body, user name, limits, backup policy."""

    key: str = Field(primary_key=True, max_length=200)
    value: str
    updated_at: str


class Organization(SQLModel, table=True):
    """A body that uses this installation. Built-in bodies keep their profile in the package; an imported
    policy stores its profile JSON and the full policy text here."""

    id: str = Field(primary_key=True, max_length=100)
    name: str
    source: str = Field(default="builtin", max_length=20)  # builtin | imported
    profile_json: str | None = None
    policy_text: str | None = None
    created_at: str


class RoleTitle(SQLModel, table=True):
    """The body's own title for a role key (e.g. ciso -> 最高情報セキュリティ責任者（事務局長）)."""

    __table_args__ = (UniqueConstraint("org_id", "role_key"),)
    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organization.id", index=True)
    role_key: str = Field(max_length=50)
    title: str
    position: int = 0
    on_stamp: bool = False  # shown as a 押印欄 box on reports


class Inspection(SQLModel, table=True):
    """One self-inspection of a body for a fiscal year (a revision of it, when a signed one is reopened)."""

    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organization.id", index=True)
    fiscal_year: int  # 西暦 of the fiscal year start: 2026 = 令和8年度
    title: str
    status: str = Field(default="open", max_length=20)  # open | final
    revision: int = 1
    revision_of: int | None = Field(default=None, foreign_key="inspection.id")
    previous_id: int | None = Field(default=None, foreign_key="inspection.id")  # last year's, if carried over
    period_start: str | None = None
    period_end: str | None = None
    # 点検の範囲: 基本 (the core items a small body checks every year) or 全項目 (基本＋詳細). Inspections
    # from before the levels existed took every item, hence the default (migration 0003).
    level: str = Field(default="全項目", max_length=10, sa_column_kwargs={"server_default": "全項目"})
    created_at: str
    created_by: str
    finalized_at: str | None = None
    finalized_by: str | None = None


class InspectionItem(SQLModel, table=True):
    """Snapshot of one checklist item as it stood when the inspection started: a later change to the
    question bank or the profile never rewrites a past inspection."""

    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    item_id: str = Field(max_length=50)
    position: int
    clause: str = Field(max_length=30)
    clause_title: str
    section: str = Field(max_length=30)
    section_title: str
    topic: str = Field(max_length=50)
    question: str
    how_to_check: str
    guideline_ref: str = Field(max_length=30)


class Answer(SQLModel, table=True):
    """Current answer to one item. History lives in the audit trail."""

    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    item_id: str = Field(max_length=50)
    value: str = Field(default="unanswered", max_length=20)
    comment: str = ""
    na_reason: str = ""
    needs_review: bool = False  # 要再確認: taken over from the previous inspection, not yet confirmed
    carried_from: int | None = Field(default=None, foreign_key="inspection.id")
    answered_by: str | None = None
    answered_at: str | None = None


class Improvement(SQLModel, table=True):
    """改善策 for a gap: what will be done, by whom, by when."""

    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    item_id: str = Field(max_length=50)
    action: str
    owner: str = ""
    due_date: str | None = None  # ISO date
    status: str = Field(default="planned", max_length=20)  # planned | done
    needs_review: bool = False
    updated_by: str
    updated_at: str


class EvidenceBlob(SQLModel, table=True):
    """A file in the content-addressed evidence store (`evidence/ab/abcdef...`)."""

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    stored_at: str


class Evidence(SQLModel, table=True):
    """Evidence attached to an inspection item or an incident: a stored file, or a note of where a paper
    record is kept. Detaching sets `removed_at`; the row and the blob stay."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # file | paper
    sha256: str | None = Field(default=None, foreign_key="evidenceblob.sha256", index=True)
    original_name: str = ""
    size: int | None = None
    paper_location: str = ""
    description: str = ""
    inspection_id: int | None = Field(default=None, foreign_key="inspection.id", index=True)
    item_id: str | None = Field(default=None, max_length=50)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    added_by: str
    added_at: str
    removed_at: str | None = None
    removed_by: str | None = None


class Incident(SQLModel, table=True):
    """An incident being handled. Its history is the append-only timeline; the columns here are the
    current state, each change of which also gets a timeline entry."""

    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organization.id", index=True)
    playbook_id: str = Field(max_length=60)
    title: str
    summary: str = ""
    detected_at: str  # 覚知: when the body became aware; deadlines count from here
    occurred_at: str | None = None
    status: str = Field(default="open", max_length=20)  # open | closed
    triage_json: str = "{}"
    ppc_json: str = "{}"  # the nine items of a 個人情報保護委員会 report, as far as known
    opened_by: str
    opened_at: str
    closed_at: str | None = None
    closed_by: str | None = None


class TimelineEntry(SQLModel, table=True):
    """One action in an incident, append-only (a trigger rejects UPDATE and DELETE)."""

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    at: str
    actor: str
    kind: str = Field(
        max_length=30
    )  # opened|step_done|step_skipped|note|evidence|triage|status|report_made|field
    step_id: str | None = Field(default=None, max_length=60)
    text: str = ""
    data_json: str = "{}"
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")


class Contact(SQLModel, table=True):
    """Someone to call: role key, name, organisation, phone, e-mail, note."""

    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organization.id", index=True)
    role: str = Field(max_length=50)
    name: str
    organization: str = ""
    phone: str = ""
    email: str = ""
    note: str = ""
    position: int = 0
    updated_at: str


class Report(SQLModel, table=True):
    """A PDF that selfcheck produced (inspection or incident report), signed or not."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # inspection | incident
    subject_id: int
    path: str
    document_id: str = Field(max_length=64)
    signed: bool = False
    signer_fingerprint: str | None = None
    created_at: str
    created_by: str


class AuditRecord(SQLModel, table=True):
    """Hash-chained record of one change to recorded data. `hash` = SHA-256 over `prev_hash` and this
    record's canonical content (id included, so reordering is detected)."""

    id: int | None = Field(default=None, primary_key=True)
    at: str
    os_user: str
    app_user: str
    action: str = Field(max_length=30)  # create | update | delete | import | sign | ...
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=100)
    field: str = Field(default="", max_length=60)
    old: str | None = None
    new: str | None = None
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, index=True)
