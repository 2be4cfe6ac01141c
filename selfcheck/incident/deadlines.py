"""Outside reports and their deadlines, computed from triage answers by rules kept in a data file.

The law (個人情報保護法第68条), the 個人情報保護委員会 guidance and local practice change, so which reports
are due and when lives in `data/deadline_rules.yaml`; this module only evaluates it. The file states its
day-counting convention: the day of 覚知 is day 1, weekends and holidays count, and a deadline on a
holiday is not moved unless `roll_forward_on_holiday` is switched on (then `data/holidays_jp.yaml` is used).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from selfcheck import paths
from selfcheck.incident.views import Deadline, Status
from selfcheck.yaml_lines import load_data, load_model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Condition(_Strict):
    """All parts must hold (an empty condition always holds)."""

    # not `yes`/`no` as keys: YAML 1.1 reads those as booleans
    all_yes: list[str] = Field(default_factory=list)
    any_yes: list[str] = Field(default_factory=list)
    none_yes: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    org_kind: list[str] = Field(default_factory=list)

    def keys(self) -> set[str]:
        return {*self.all_yes, *self.any_yes, *self.none_yes}

    def matches(self, triage: dict[str, str], flags: set[str], org_kind: str) -> bool:
        def y(k: str) -> bool:
            return triage.get(k) == "yes"

        return (
            all(y(k) for k in self.all_yes)
            and (not self.any_yes or any(y(k) for k in self.any_yes))
            and not any(y(k) for k in self.none_yes)
            and (not self.flags or bool(flags & set(self.flags)))
            and (not self.org_kind or org_kind in self.org_kind)
        )


def any_matches(conds: list[Condition], triage: dict[str, str], flags: set[str], org_kind: str) -> bool:
    return any(c.matches(triage, flags, org_kind) for c in conds)


class Override(_Strict):
    when: list[Condition] = Field(min_length=1)
    days: int | None = Field(default=None, ge=1, le=365)
    warn_days: int | None = Field(default=None, ge=1, le=365)


class Due(_Strict):
    asap: bool = False
    days: int | None = Field(default=None, ge=1, le=365)
    warn_days: int | None = Field(default=None, ge=1, le=365)
    overrides: list[Override] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> Due:
        if self.asap == (self.days is not None):
            raise ValueError("give either asap: true or days")
        if self.days is not None and self.warn_days is not None and self.warn_days < self.days:
            raise ValueError("warn_days must not be before days")
        return self


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    to: str = Field(description="role key of the recipient (contacts)")
    when: list[Condition] = Field(min_length=1)
    due: Due
    basis: str = ""
    note: str = ""


class Question(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    help: str = ""


class Counting(_Strict):
    detection_day_is_day: Literal[0, 1]
    count_weekends_and_holidays: Literal[True]
    roll_forward_on_holiday: bool
    note: str


class Rules(_Strict):
    counting: Counting
    questions: list[Question] = Field(min_length=1)
    definitions: dict[str, Any] = Field(default_factory=dict)
    reports: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_keys(self) -> Rules:
        known = {q.key for q in self.questions}
        for r in self.reports:
            conds = list(r.when) + [c for o in r.due.overrides for c in o.when]
            for c in conds:
                unknown = c.keys() - known
                if unknown:
                    raise ValueError(f"report {r.id}: unknown triage key(s) {sorted(unknown)}")
        ids = [r.id for r in self.reports]
        if len(set(ids)) != len(ids):
            raise ValueError("report ids are repeated")
        return self

    def question_keys(self) -> list[str]:
        return [q.key for q in self.questions]


def load_rules_file(path: Path) -> Rules:
    return load_model(path, Rules)[0]


@lru_cache(maxsize=1)
def builtin_rules() -> Rules:
    return load_rules_file(paths.builtin_data() / "deadline_rules.yaml")


@lru_cache(maxsize=1)
def holidays() -> frozenset[date]:
    """National holidays of the covered years plus 年末年始 (12/29–1/3) of those years."""
    data = load_data(paths.builtin_data() / "holidays_jp.yaml")
    days = {d if isinstance(d, date) else date.fromisoformat(str(d)) for d in data["holidays"]}
    for year in data["covers"]:
        for md in data["closed_every_year"]:
            m, d = (int(x) for x in md.split("-"))
            days.add(date(year, m, d))
    return frozenset(days)


def is_closed_day(d: date) -> bool:
    return d.weekday() >= 5 or d in holidays()


def due_date(detected: datetime, days: int, counting: Counting) -> date:
    """The calendar day on which an N-day deadline falls, counted per the rules file."""
    d = detected.date() + timedelta(days=days - counting.detection_day_is_day)
    if counting.roll_forward_on_holiday:
        while is_closed_day(d):
            d += timedelta(days=1)
    return d


def end_of(d: date, like: datetime) -> datetime:
    """23:59:59 of day `d` in the time zone of the 覚知 timestamp."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=like.tzinfo)


def _days_for(
    rule: Rule, triage: dict[str, str], flags: set[str], org_kind: str
) -> tuple[int | None, int | None]:
    days, warn = rule.due.days, rule.due.warn_days
    for o in rule.due.overrides:
        if any_matches(o.when, triage, flags, org_kind):
            return (o.days or days), (o.warn_days or (warn if o.days is None else None))
    return days, warn


def evaluate(
    rules: Rules,
    *,
    triage: dict[str, str],
    flags: set[str] | list[str],
    org_kind: str,
    detected_at: datetime,
    now: datetime,
    made: dict[str, str] | None = None,
) -> list[Deadline]:
    """The reports that apply to these answers, with due dates from 覚知 and their state at `now`."""
    made = made or {}
    fl = set(flags)
    out: list[Deadline] = []
    for rule in rules.reports:
        if not any_matches(rule.when, triage, fl, org_kind):
            continue
        made_at = made.get(rule.id)
        days, warn = _days_for(rule, triage, fl, org_kind)
        target = limit = None
        remaining: int | None = None
        status: Status
        if days is None:
            status = "done" if made_at else "asap"
        else:
            target = due_date(detected_at, days, rules.counting)
            limit = due_date(detected_at, warn, rules.counting) if warn else target
            t_end, l_end = end_of(target, detected_at), end_of(limit, detected_at)
            if made_at:
                status = "done"
            elif now <= t_end:
                status, remaining = "due", int((t_end - now).total_seconds())
            elif now <= l_end:
                status, remaining = "late", int((l_end - now).total_seconds())
            else:
                status, remaining = "overdue", -int((now - l_end).total_seconds())
        out.append(
            Deadline(
                id=rule.id,
                title=rule.title,
                to=rule.to,
                basis=rule.basis,
                note=rule.note,
                asap=days is None,
                due_date=target.isoformat() if target else None,
                limit_date=limit.isoformat() if limit else None,
                made_at=made_at,
                status=status,
                remaining_seconds=remaining,
            )
        )
    return out
