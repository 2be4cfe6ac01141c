"""Each body's contact list and its own role titles, and their CSV import/export for Excel users.

Playbook steps name roles by key (`ciso`, `vendor`, ...); this module turns a key into the body's title
for it and into the people to call (name and phone on screen). CSV files are UTF-8 with a BOM so Excel
opens them; an import validates every row first and writes nothing if any row is wrong; an export
neutralises cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import audit, inputs, orgs
from selfcheck.errors import ContactsError
from selfcheck.incident.roles import known_roles
from selfcheck.records import require, row_id
from selfcheck.spreadsheet import FORMULA_START, csv_bytes, write_private
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

    from selfcheck.models.tables import Contact

FIELDS = ("role", "name", "organization", "phone", "email", "note")
CSV_HEADER = ("role", "role_title", "name", "organization", "phone", "email", "note")
# Japanese header names accepted on import (a clerk may retype the header in Excel).
HEADER_ALIASES = {
    "役割": "role",
    "役割キー": "role",
    "役職名": "role_title",
    "役割名": "role_title",
    "氏名": "name",
    "名前": "name",
    "所属": "organization",
    "団体": "organization",
    "電話": "phone",
    "電話番号": "phone",
    "メール": "email",
    "メールアドレス": "email",
    "備考": "note",
}
MAX_LEN = {"role": 50, "name": 100, "organization": 100, "phone": 40, "email": 254, "note": 500}
MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024
PHONE_RE = re.compile(r"^[0-9+()\- ]*(?:(?:内線|ext\.?) ?[0-9]+)?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ContactView:
    id: int
    role: str
    role_title: str
    name: str
    organization: str
    phone: str
    email: str
    note: str
    position: int

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def role_titles(ws: Workspace, org_id: str) -> dict[str, str]:
    """Role key -> this body's title: the defaults, overridden (or extended) by the body's RoleTitle rows."""
    from sqlmodel import col, select

    from selfcheck.models.tables import RoleTitle

    titles = known_roles()
    with ws.read() as s:
        rows = s.exec(
            select(RoleTitle).where(RoleTitle.org_id == org_id).order_by(col(RoleTitle.position))
        ).all()
    for r in rows:
        if ":" not in r.role_key:  # `stamp:*` rows are 押印欄 boxes (selfcheck.roles), not contact roles
            titles[r.role_key] = r.title
    return titles


def set_role_title(ws: Workspace, org_id: str, role: str, title: str) -> None:
    """Give a role the body's own title (e.g. ciso -> 最高情報セキュリティ責任者（事務局長）)."""
    from sqlmodel import select

    from selfcheck.models.tables import RoleTitle

    title = title.strip()
    orgs.ensure_org(ws, org_id)
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,49}", role):
        raise ContactsError(
            f"役割キー {role!r} は英小文字・数字・_ で書いてください",
            f"role key {role!r} must be lower-case letters, digits or _",
        )
    if not title or len(title) > 100 or CONTROL_RE.search(title):
        raise ContactsError("役職名は1〜100文字で入力してください", "the title must be 1-100 characters")
    with ws.write() as s:
        row = s.exec(select(RoleTitle).where(RoleTitle.org_id == org_id, RoleTitle.role_key == role)).first()
        old = row.title if row else known_roles().get(role)
        if old == title and row is not None:
            return
        if row is None:
            order = list(known_roles())
            row = RoleTitle(
                org_id=org_id,
                role_key=role,
                title=title,
                position=order.index(role) if role in order else len(order),
            )
        else:
            row.title = title
        s.add(row)
        audit.record(
            s,
            ws,
            action="update",
            entity="role_title",
            entity_id=f"{org_id}/{role}",
            field="title",
            old=old,
            new=title,
        )


def _view(r: Contact, titles: dict[str, str]) -> ContactView:
    return ContactView(
        id=row_id(r.id),
        role=r.role,
        role_title=titles.get(r.role, r.role),
        name=r.name,
        organization=r.organization,
        phone=r.phone,
        email=r.email,
        note=r.note,
        position=r.position,
    )


def _new_contact(org_id: str, position: int, now: str, clean: dict[str, str]) -> Contact:
    from selfcheck.models.tables import Contact

    return Contact(
        org_id=org_id,
        position=position,
        updated_at=now,
        role=clean["role"],
        name=clean["name"],
        organization=clean["organization"],
        phone=clean["phone"],
        email=clean["email"],
        note=clean["note"],
    )


def list_contacts(ws: Workspace, org_id: str) -> list[ContactView]:
    from sqlmodel import select

    from selfcheck.models.tables import Contact

    titles = role_titles(ws, org_id)
    order = {k: i for i, k in enumerate(titles)}
    with ws.read() as s:
        rows = s.exec(select(Contact).where(Contact.org_id == org_id)).all()
    views = [_view(r, titles) for r in rows]
    return sorted(views, key=lambda v: (order.get(v.role, 999), v.position, v.id))


def contacts_for_roles(ws: Workspace, org_id: str, roles: Iterable[str]) -> dict[str, list[ContactView]]:
    everyone = list_contacts(ws, org_id)
    return {role: [c for c in everyone if c.role == role] for role in roles}


def check_fields(
    values: dict[str, str], titles: dict[str, str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Clean and validate one contact; return (clean values, [(column, message)])."""
    clean: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    by_title = {t: k for k, t in titles.items()}
    for f in FIELDS:
        v = (values.get(f) or "").strip()
        if v[:1] == "'" and v[1:2] in FORMULA_START:
            v = v[1:]  # undo the quote our own export added against formula injection
        if CONTROL_RE.search(v):
            problems.append((f, "制御文字は使えません / control characters are not allowed"))
        if len(v) > MAX_LEN[f]:
            problems.append((f, f"{MAX_LEN[f]}文字以内にしてください / at most {MAX_LEN[f]} characters"))
        clean[f] = v
    if not clean["role"]:
        problems.append(("role", "役割がありません / role is empty"))
    elif clean["role"] not in titles:
        if clean["role"] in by_title:
            clean["role"] = by_title[clean["role"]]
        else:
            problems.append(("role", f"不明な役割です: {clean['role']} / unknown role"))
    if not clean["name"]:
        problems.append(("name", "氏名がありません / name is empty"))
    if clean["phone"] and not PHONE_RE.match(clean["phone"]):
        problems.append(
            ("phone", "電話番号は数字・ハイフン・括弧で書いてください / phone: digits, -, ( ) only")
        )
    if clean["email"] and not EMAIL_RE.match(clean["email"]):
        problems.append(("email", "メールアドレスの形式ではありません / not an e-mail address"))
    if clean["name"][:1] in FORMULA_START:
        problems.append(("name", "先頭に = + - @ は使えません / may not start with = + - @"))
    return clean, problems


def _raise_single(problems: list[tuple[str, str]]) -> None:
    if problems:
        col, msg = problems[0]
        ja, _, en = msg.partition(" / ")
        raise ContactsError(f"{col}: {ja}", f"{col}: {en or ja}", problems=[f"{c}: {m}" for c, m in problems])


def add_contact(ws: Workspace, org_id: str, **values: str) -> ContactView:

    orgs.ensure_org(ws, org_id)
    titles = role_titles(ws, org_id)
    clean, problems = check_fields(values, titles)
    _raise_single(problems)
    with ws.write() as s:
        row = _new_contact(org_id, _next_position(s, org_id), ws.now(), clean)
        s.add(row)
        s.flush()
        audit.record(s, ws, action="create", entity="contact", entity_id=row.id, new=clean)
        return _view(row, titles)


def _next_position(s: Session, org_id: str) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from selfcheck.models.tables import Contact

    top = s.exec(select(func.max(Contact.position)).where(Contact.org_id == org_id)).one()
    return (top or 0) + 1


def update_contact(ws: Workspace, contact_id: int, **values: str) -> ContactView:
    from selfcheck.models.tables import Contact

    with ws.read() as s:
        row = require(s, Contact, contact_id)
    titles = role_titles(ws, row.org_id)
    merged = {f: values.get(f, getattr(row, f)) for f in FIELDS}
    clean, problems = check_fields(merged, titles)
    _raise_single(problems)
    with ws.write() as s:
        row = require(s, Contact, contact_id)
        before = {f: getattr(row, f) for f in FIELDS}
        for f, v in clean.items():
            setattr(row, f, v)
        row.updated_at = ws.now()
        s.add(row)
        audit.record_changes(s, ws, entity="contact", entity_id=contact_id, before=before, after=clean)
        return _view(row, titles)


def delete_contact(ws: Workspace, contact_id: int) -> None:
    from selfcheck.models.tables import Contact

    with ws.write() as s:
        row = require(s, Contact, contact_id)
        old = {f: getattr(row, f) for f in FIELDS}
        s.delete(row)
        audit.record(s, ws, action="delete", entity="contact", entity_id=contact_id, old=old)


# ---- CSV ----


def export_csv(ws: Workspace, org_id: str, out: Path) -> int:
    """Write the body's contacts as UTF-8-with-BOM CSV (Excel opens it directly); return the row count."""
    contacts = list_contacts(ws, org_id)
    write_private(
        Path(out), csv_bytes(CSV_HEADER, [[str(getattr(c, f)) for f in CSV_HEADER] for c in contacts])
    )
    return len(contacts)


def parse_csv(ws: Workspace, org_id: str, src: Path) -> list[dict[str, str]]:
    """Read and validate every row; raise ContactsError listing `file:line: column: message` for all
    problems, or return the clean rows."""
    text = _read_text(src)
    titles = role_titles(ws, org_id)
    # strict: an unclosed quote is an error, not the rest of the file swallowed into one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ContactsError("CSVが空です", "the CSV file is empty", where=f"{src}:1") from None
    except csv.Error as exc:
        raise ContactsError(
            f"CSVとして読めません: {exc}", f"not a readable CSV: {exc}", where=f"{src}:1"
        ) from exc
    cols = [HEADER_ALIASES.get(h.strip(), h.strip().lower()) for h in header]
    unknown = [h for h in cols if h not in CSV_HEADER]
    if unknown or "role" not in cols or "name" not in cols:
        raise ContactsError(
            f"見出し行が正しくありません（必要: role,name / 不明: {', '.join(unknown) or 'なし'}）",
            f"bad header row (required: role,name; unknown: {', '.join(unknown) or 'none'})",
            where=f"{src}:1",
        )
    rows: list[dict[str, str]] = []
    started = reader.line_num + 1  # the line a record starts on (a quoted cell may span lines)
    try:
        for record in reader:
            line = started
            started = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(
                    f"{src}:{line}: (file): {MAX_ROWS}行を超えています / more than {MAX_ROWS} rows"
                )
                break
            if len(record) > len(cols):
                problems.append(f"{src}:{line}: (row): 列が多すぎます / too many columns")
                continue
            values = dict(zip(cols, record, strict=False))
            clean, errs = check_fields(values, titles)
            problems += [f"{src}:{line}: {col}: {msg}" for col, msg in errs]
            rows.append(clean)
    except csv.Error as exc:
        if "end of data" in str(exc) or "EOF" in str(exc):
            problems.append(
                f'{src}:{started}: (row): 引用符（"）が閉じられていません / unclosed quote starting on this line'
            )
        else:
            problems.append(f"{src}:{started}: (row): CSVとして読めません / bad CSV: {exc}")
    if problems:
        raise ContactsError(
            f"連絡先CSVに誤りがあります（{len(problems)}件）。何も取り込んでいません。{problems[0]}",
            f"the contacts CSV has {len(problems)} error(s); nothing was imported. {problems[0]}",
            problems=problems,
        )
    return rows


def _read_text(src: Path) -> str:
    where = str(src)
    try:
        return inputs.read_text(src, MAX_BYTES, error=ContactsError)
    except UnicodeDecodeError:
        raise ContactsError(
            "UTF-8ではありません。Excelでは「CSV UTF-8（コンマ区切り）」で保存してください",
            "not UTF-8; in Excel save as 'CSV UTF-8 (Comma delimited)'",
            where=where,
        ) from None
    except OSError as exc:
        raise ContactsError(
            f"ファイルを読めません（{exc.strerror}）", f"cannot read the file ({exc.strerror})", where=where
        ) from exc


def import_csv(ws: Workspace, org_id: str, src: Path) -> int:
    """Replace the body's contact list with the CSV's rows (all or nothing); return the row count."""
    from sqlmodel import select

    from selfcheck.models.tables import Contact

    orgs.ensure_org(ws, org_id)
    rows = parse_csv(ws, org_id, Path(src))
    with ws.write() as s:
        old = s.exec(select(Contact).where(Contact.org_id == org_id)).all()
        for r in old:
            s.delete(r)
        for pos, clean in enumerate(rows, start=1):
            s.add(_new_contact(org_id, pos, ws.now(), clean))
        audit.record(
            s,
            ws,
            action="import",
            entity="contact",
            entity_id=org_id,
            field="contacts",
            old=len(old),
            new={"rows": len(rows), "file": Path(src).name},
        )
    return len(rows)
