"""The days the office is closed, for rolling a statutory deadline (確報) forward to the next open day.

行政機関の休日 are 土曜日・日曜日, the 休日 of the 国民の祝日に関する法律 (祝日, 振替休日 and 国民の休日) and
12/29–1/3. The national holidays come from `jpholiday`, a maintained library that computes them from the
law's rules for any year, so there is no hand-kept list that runs out. A body's own closure days (set by its
条例, e.g. 沖縄の慰霊の日 6/23, or a one-off closure) are kept per body in the settings and edited with
`selfcheck incident closed-days`; every change is audited because it moves legal deadlines.

Which of these kinds roll a deadline is decided by `counting.closed_days` in `data/deadline_rules.yaml`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

from selfcheck import audit, orgs
from selfcheck.errors import SelfcheckError
from selfcheck.text import clean
from selfcheck.workspace import Workspace

YEAR_END = frozenset({(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)})
KINDS = ("weekend", "national_holiday", "year_end", "body")
WEEKDAYS_JA = "月火水木金土日"
DAY_RE = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")
# A roll-forward never runs further than this: a data error must not hang the deadline panel.
MAX_ROLL_DAYS = 40


@dataclass(frozen=True)
class BodyClosure:
    """One closure day of the body: `day` is YYYY-MM-DD (that day only) or MM-DD (every year)."""

    day: str
    note: str

    def matches(self, d: date) -> bool:
        if len(self.day) == 5:
            return self.day == f"{d.month:02d}-{d.day:02d}"
        return self.day == d.isoformat()

    def as_dict(self) -> dict[str, str]:
        return {"day": self.day, "note": self.note}


@dataclass(frozen=True)
class OfficeCalendar:
    """Answers `closed(d)`: why the office is closed on day d (empty when it is open)."""

    kinds: tuple[str, ...] = KINDS
    body_days: tuple[BodyClosure, ...] = ()

    def closed(self, d: date) -> list[tuple[str, str]]:
        """(kind, Japanese reason) for every reason the office is closed on `d`."""
        import jpholiday  # computes the holidays of the law for any year; loaded when a deadline is counted

        out: list[tuple[str, str]] = []
        name = jpholiday.is_holiday_name(d) if "national_holiday" in self.kinds else None
        if name:
            # jpholiday names a substitute holiday 「憲法記念日 振替休日」: the law calls it 振替休日
            out.append(("national_holiday", "振替休日" if name.endswith("振替休日") else name))
        if "year_end" in self.kinds and (d.month, d.day) in YEAR_END:
            out.append(("year_end", "年末年始"))
        if "weekend" in self.kinds and d.weekday() >= 5:
            out.append(("weekend", WEEKDAYS_JA[d.weekday()] + "曜日"))
        if "body" in self.kinds:
            out += [
                ("body", f"団体の休日（{b.note}）" if b.note else "団体の休日")
                for b in self.body_days
                if b.matches(d)
            ]
        return out

    def roll_forward(self, d: date) -> tuple[date, list[tuple[date, list[tuple[str, str]]]]]:
        """The first open day on or after `d`, and the closed days passed over with their reasons."""
        passed: list[tuple[date, list[tuple[str, str]]]] = []
        for _ in range(MAX_ROLL_DAYS):
            why = self.closed(d)
            if not why:
                return d, passed
            passed.append((d, why))
            d += timedelta(days=1)
        raise SelfcheckError(
            f"{MAX_ROLL_DAYS}日以上続けて休日になっています。団体の休日の設定を確かめてください",
            f"more than {MAX_ROLL_DAYS} closed days in a row: check the body's closure days",
        )


def day_label(d: date) -> str:
    """2026-05-07（木）"""
    return f"{d.isoformat()}（{WEEKDAYS_JA[d.weekday()]}）"


# ---- the body's own closure days (settings, audited) ----


def _key(org_id: str) -> str:
    return f"incident.closed_days.{org_id}"


def body_closures(ws: Workspace, org_id: str) -> tuple[BodyClosure, ...]:
    from selfcheck.models.tables import Setting

    with ws.read() as s:
        row = s.get(Setting, _key(org_id))
    raw = json.loads(row.value) if row else []
    return tuple(BodyClosure(str(x["day"]), str(x.get("note", ""))) for x in raw)


def normalise_day(value: str) -> str:
    """Check a closure day typed by a person: YYYY-MM-DD or MM-DD (every year), a real calendar day."""
    text = value.strip().replace("/", "-")
    m = DAY_RE.match(text)
    try:
        if m is None:
            raise ValueError(text)
        # 2000 is a leap year, so 02-29 is accepted as an every-year day
        date(int(m.group(1) or 2000), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise SelfcheckError(
            f"休日は YYYY-MM-DD（その日だけ）か MM-DD（毎年）で指定してください: {value!r}",
            f"give a closure day as YYYY-MM-DD (that day) or MM-DD (every year): {value!r}",
        ) from None
    return text


def set_body_closure(ws: Workspace, org_id: str, day: str, note: str = "", *, remove: bool = False) -> bool:
    """Add (or with `remove`, delete) one closure day of the body. Returns whether anything changed.

    One transaction: the list is read and written under the write lock, and the change is audited."""
    from selfcheck.models.tables import Setting

    orgs.ensure_org(ws, org_id)
    day = normalise_day(day)
    note = clean(note, "休日の名前・根拠", "note", multiline=False, max_len=100)
    with ws.write() as s:
        row = s.get(Setting, _key(org_id))
        old = row.value if row else "[]"
        days = [x for x in json.loads(old) if x["day"] != day]
        if not remove:
            days.append({"day": day, "note": note})
        days.sort(key=lambda x: (len(x["day"]), x["day"]))
        new = json.dumps(days, ensure_ascii=False)
        if new == old:
            return False
        if row is None:
            row = Setting(key=_key(org_id), value=new, updated_at=ws.now())
        else:
            row.value, row.updated_at = new, ws.now()
        s.add(row)
        audit.record(
            s, ws, action="update", entity="setting", entity_id=_key(org_id), field="value", old=old, new=new
        )
        return True
