"""Outside reports and their deadlines, computed from triage answers by rules kept in a data file.

The law (個人情報保護法第68条, 番号法第29条の4), the 個人情報保護委員会 guidance and local practice change, so which
reports are due and when lives in `data/deadline_rules.yaml`, with the basis of each; this module only
evaluates it. How days are counted is stated in the file's `counting` block: the day of 覚知 is day 1 and
weekends and holidays count. For a statutory period (`roll_forward: true`, the 確報) two dates are shown:
the **legal deadline**, moved to the next open day when the last day falls on a day the office is closed
(`closed_days`), and the **internal target**, the last day itself without moving (earlier, safe). A report
whose trigger depends on unanswered questions is 要判断 (no date), see `conditions`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from selfcheck import paths
from selfcheck.incident.closed_days import KINDS, OfficeCalendar, day_label
from selfcheck.incident.conditions import Condition, decide_any
from selfcheck.incident.views import Deadline, Status
from selfcheck.yaml_lines import load_model

# YAML folds a long note (`>-`) by turning each line break into a space, which Japanese text does not use
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
JText = Annotated[str, AfterValidator(lambda v: _CJK_SPACE.sub("", v))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Override(_Strict):
    when: list[Condition] = Field(min_length=1)
    days: int | None = Field(default=None, ge=1, le=365)
    warn_days: int | None = Field(default=None, ge=1, le=365)
    label: str = Field(default="", description="the case in words, shown while it is undecided")


class Due(_Strict):
    asap: bool = False
    days: int | None = Field(default=None, ge=1, le=365)
    warn_days: int | None = Field(default=None, ge=1, le=365)
    roll_forward: bool = Field(
        default=False, description="a statutory period: the legal deadline moves to the next open day"
    )
    overrides: list[Override] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> Due:
        if self.asap == (self.days is not None):
            raise ValueError("give either asap: true or days")
        if self.days is not None and self.warn_days is not None and self.warn_days < self.days:
            raise ValueError("warn_days must not be before days")
        if self.roll_forward and (self.warn_days or any(o.warn_days for o in self.overrides)):
            raise ValueError("roll_forward: the legal deadline is the limit, so warn_days is not used")
        return self


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    short: str = Field(default="", max_length=12, description="short title for the dashboard")
    to: str = Field(description="role key of the recipient (contacts)")
    when: list[Condition] = Field(min_length=1)
    due: Due
    basis: JText = Field(min_length=2, description="the law or guidance this report rests on")
    note: JText = ""


class Question(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    help: str = ""


class Counting(_Strict):
    detection_day_is_day: Literal[1]
    count_weekends_and_holidays: Literal[True]
    closed_days: list[Literal["weekend", "national_holiday", "year_end", "body"]] = Field(min_length=1)
    body_days_caveat: JText = Field(description="shown when only a body's own closure day moved a deadline")
    basis: JText
    note: JText


class Rules(_Strict):
    counting: Counting
    questions: list[Question] = Field(min_length=1)
    definitions: dict[str, list[Condition]] = Field(
        default_factory=dict, description="named conditions: a report's `when` may give a name instead"
    )
    reports: list[Rule] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _named_conditions(cls, data: Any) -> Any:
        # Data files refuse YAML anchors and aliases (see yaml_lines), so a condition shared by several
        # reports is defined once under `definitions` and named: `when: ppc_cases`.
        if not isinstance(data, dict):
            return data
        names = data.get("definitions") or {}
        reports = data.get("reports")
        if not isinstance(reports, list) or not isinstance(names, dict):
            return data
        resolved = []
        for r in reports:
            if isinstance(r, dict) and isinstance(r.get("when"), str):
                name = r["when"]
                if name not in names:
                    raise ValueError(f"report {r.get('id')}: unknown condition name {name!r}")
                r = {**r, "when": names[name]}
            resolved.append(r)
        return {**data, "reports": resolved}

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

    def calendar(self, body_days: tuple[Any, ...] = ()) -> OfficeCalendar:
        kinds = tuple(k for k in KINDS if k in self.counting.closed_days)
        return OfficeCalendar(kinds=kinds, body_days=tuple(body_days))


def load_rules_file(path: Path) -> Rules:
    return load_model(path, Rules)[0]


@lru_cache(maxsize=1)
def builtin_rules() -> Rules:
    return load_rules_file(paths.builtin_data() / "deadline_rules.yaml")


def last_day(detected: datetime, days: int) -> date:
    """Day N of a period whose first day is the day of 覚知 (calendar days; weekends and holidays count)."""
    return detected.date() + timedelta(days=days - 1)


def end_of(d: date, like: datetime) -> datetime:
    """23:59:59 of day `d` in the time zone of the 覚知 timestamp."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=like.tzinfo)


def _period(
    rule: Rule, triage: dict[str, str], flags: set[str], org_kind: str
) -> tuple[int | None, int | None, set[str], Override | None]:
    """(days, warn_days, open keys, the undecided override that would change the period)."""
    days, warn = rule.due.days, rule.due.warn_days
    undecided: Override | None = None
    pending: set[str] = set()
    for o in rule.due.overrides:
        value, keys = decide_any(o.when, triage, flags, org_kind)
        if value is True:
            return (o.days or days), (o.warn_days or (warn if o.days is None else None)), pending, undecided
        if value is None and undecided is None:
            undecided, pending = o, keys
    return days, warn, pending, undecided


def evaluate(
    rules: Rules,
    *,
    triage: dict[str, str],
    flags: set[str] | list[str],
    org_kind: str,
    detected_at: datetime,
    now: datetime,
    made: dict[str, str] | None = None,
    calendar: OfficeCalendar | None = None,
) -> list[Deadline]:
    """The reports that apply (or may apply: 要判断) to these answers, with their dates and state at `now`."""
    made = made or {}
    fl = set(flags)
    cal = calendar or rules.calendar()
    out: list[Deadline] = []
    for rule in rules.reports:
        applies, open_keys = decide_any(rule.when, triage, fl, org_kind)
        if applies is False:
            continue
        made_at = made.get(rule.id)
        common: dict[str, Any] = {
            "id": rule.id,
            "title": rule.title,
            "to": rule.to,
            "basis": rule.basis,
            "note": rule.note,
            "asap": rule.due.asap,
            "made_at": made_at,
            "short_title": rule.short or rule.title,
        }
        if applies is None:
            out.append(
                Deadline(
                    **common,
                    due_date=None,
                    limit_date=None,
                    status="done" if made_at else "undecided",
                    remaining_seconds=None,
                    decided=False,
                    pending=tuple(k for k in rules.question_keys() if k in open_keys),
                )
            )
            continue
        out.append(_dated(rules, rule, common, triage, fl, org_kind, detected_at, now, cal))
    return out


def _dates(
    rules: Rules, rule: Rule, detected: datetime, days: int, warn: int | None, cal: OfficeCalendar
) -> tuple[date, date, date | None, list[str], str]:
    """(internal target, limit, legal deadline or None, closed days passed over, caveat) for N days."""
    target = last_day(detected, days)
    if not rule.due.roll_forward:
        return target, (last_day(detected, warn) if warn else target), None, [], ""
    legal, passed = cal.roll_forward(target)
    rolled = [f"{day_label(d)} {'・'.join(r for _k, r in why)}" for d, why in passed]
    # a day closed only by the body's own 条例 may not move a report owed to a national body
    body_only = any({k for k, _r in why} == {"body"} for _d, why in passed)
    return target, legal, legal, rolled, rules.counting.body_days_caveat if body_only else ""


def _dated(
    rules: Rules,
    rule: Rule,
    common: dict[str, Any],
    triage: dict[str, str],
    flags: set[str],
    org_kind: str,
    detected: datetime,
    now: datetime,
    cal: OfficeCalendar,
) -> Deadline:
    days, warn, pending, alt = _period(rule, triage, flags, org_kind)
    if days is None:
        status: Status = "done" if common["made_at"] else "asap"
        return Deadline(**common, due_date=None, limit_date=None, status=status, remaining_seconds=None)
    alternative = ""
    if alt is not None and alt.days and alt.days != days:
        label = alt.label or "別の場合"
        kind = "法定期限" if rule.due.roll_forward else "期限"
        if alt.days < days:
            # the undecided case would shorten the period: show its earlier date, never the later one
            other = _dates(rules, rule, detected, days, warn, cal)[1]
            alternative = f"{label}に当たらないとき → {days}日・{kind} {day_label(other)}"
            days, warn = alt.days, alt.warn_days
        else:
            other = _dates(rules, rule, detected, alt.days, alt.warn_days, cal)[1]
            alternative = f"{label} → {alt.days}日・{kind} {day_label(other)}"
    target, limit, legal, rolled, caveat = _dates(rules, rule, detected, days, warn, cal)
    t_end, l_end = end_of(target, detected), end_of(limit, detected)
    remaining: int | None = None
    if common["made_at"]:
        status = "done"
    elif now <= t_end:
        status, remaining = "due", int((t_end - now).total_seconds())
    elif now <= l_end:
        status, remaining = "late", int((l_end - now).total_seconds())
    else:
        status, remaining = "overdue", -int((now - l_end).total_seconds())
    return Deadline(
        **common,
        due_date=target.isoformat(),
        limit_date=limit.isoformat(),
        status=status,
        remaining_seconds=remaining,
        pending=tuple(k for k in rules.question_keys() if k in pending),
        days=days,
        legal_date=legal.isoformat() if legal else None,
        rolled_over=tuple(rolled),
        legal_caveat=caveat,
        alternative=alternative,
    )
