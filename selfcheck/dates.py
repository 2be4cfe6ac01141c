"""Dates and times the way clerks type them and read them.

Typed: 令和9年3月31日, 令和9.3.31, R9.3.31, r9/3/31, 令和元年5月1日, H31.4.30, 2027/3/31, 2027-3-31,
2027年3月31日, 20270331, in 全角 or 半角 (NFKC folds ２０２７／３／３１ and ㋿ alike); a time may follow
(10:00, 10時30分, or ISO 8601 such as 2026-04-06T10:00+09:00). A time typed without a zone is Japan
time (JST), whatever zone the machine's clock is set to: the offices are in Japan, and a PC left on UTC
must not shift an incident's 覚知 by nine hours.

Shown: every time in JST, dates in 和暦 with 西暦 beside them (令和9年3月31日（2027-03-31）), because
official documents use 和暦 and staff cross-check with the 西暦 their PC shows. Stored timestamps stay
ISO 8601 with their offset; only what people see is converted.

Pure functions with no heavy imports: screens, commands and PDFs all call them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from selfcheck.clock import JST
from selfcheck.errors import SelfcheckError

# era name -> (first day, last day or None, first western year - 1); the short forms clerks write
_ERAS: dict[str, tuple[date, date | None, int]] = {
    "令和": (date(2019, 5, 1), None, 2018),
    "平成": (date(1989, 1, 8), date(2019, 4, 30), 1988),
}
_ERA_ALIASES = {"令和": "令和", "令": "令和", "r": "令和", "平成": "平成", "平": "平成", "h": "平成"}
_Y = r"\s*(?:年|[./\-])\s*"  # after the year: 年 or . / -
_M = r"\s*(?:月|[./\-])\s*"  # after the month
_ERA_DATE = re.compile(rf"^(令和|平成|令|平|r|h)\s*(元|\d{{1,2}}){_Y}(\d{{1,2}}){_M}(\d{{1,2}})\s*日?")
_WEST_DATE = re.compile(rf"^(\d{{4}}){_Y}(\d{{1,2}}){_M}(\d{{1,2}})\s*日?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"^(\d{1,2})\s*(?::|時)\s*(?:(\d{1,2})\s*分?)?(?:\s*:\s*(\d{1,2})\s*秒?)?$")

DATE_EXAMPLES = "例: 令和9年3月31日、R9.3.31、2027/3/31、2027-03-31"
TIME_EXAMPLES = "例: 令和8年4月6日 10:00、2026/4/6 10:00、2026-04-06T10:00"


def _fold(text: str) -> str:
    """全角 -> 半角 (digits, letters, ．／：－), ㋿ -> 令和, lower case, outer spaces removed."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    return t.replace("ー", "-").replace("−", "-").replace("〜", "-")


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _match_date(t: str) -> tuple[date | None, str, str] | None:
    """None when `t` does not start with a date; else (the date, or None when the numbers name no real
    day; the rest of `t`; what is wrong with the era, or "")."""
    m = _ERA_DATE.match(t)
    if m:
        era = _ERA_ALIASES[m.group(1)]
        first, last, base = _ERAS[era]
        n = 1 if m.group(2) == "元" else int(m.group(2))
        d = _make_date(base + n, int(m.group(3)), int(m.group(4)))
        problem = ""
        if d is not None and (d < first or (last is not None and d > last)):
            problem = f"{era}は{_ymd(first)}から" + (f"{_ymd(last)}まで" if last else "") + "です"
        return d, t[m.end() :], problem
    m = _WEST_DATE.match(t) or _COMPACT_DATE.match(t)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))), t[m.end() :], ""
    return None


def _ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _era_error(value: str, what: str, what_en: str, problem: str) -> SelfcheckError:
    return SelfcheckError(
        f"{what}「{value}」の年号が合いません（{problem}）", f"{what_en} {value!r}: wrong era ({problem})"
    )


def _no_day(value: str, what: str, what_en: str) -> SelfcheckError:
    return SelfcheckError(f"{what}「{value}」という日はありません", f"{what_en} {value!r} is not a real day")


def parse_date(value: date | str, *, what: str = "日付", what_en: str = "date") -> date:
    """A day typed by a person -> `date`; `SelfcheckError` (Japanese and English, with examples) when
    it is not one. `what` names the field in the message (期限, 発生日, ...)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _match_date(_fold(value))
    if found is None or found[1].strip():
        raise SelfcheckError(
            f"{what}「{value}」は日付として読めません（{DATE_EXAMPLES}）",
            f"{what_en} {value!r} is not a date (e.g. 2027-03-31 or R9.3.31)",
        )
    d, _rest, problem = found
    if d is None:
        raise _no_day(value, what, what_en)
    if problem:
        raise _era_error(value, what, what_en, problem)
    return d


def parse_optional_date(
    value: date | str | None, *, what: str = "日付", what_en: str = "date"
) -> date | None:
    """Like `parse_date`, but nothing typed (None or blanks) is None: the field was left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, what=what, what_en=what_en)


def parse_datetime(value: datetime | str, *, what: str = "日時", what_en: str = "date/time") -> datetime:
    """A time typed by a person -> aware datetime. No zone given = JST (not the machine's zone). A date
    alone is that day's 0:00 JST. Seconds are kept; microseconds dropped."""
    dt = value if isinstance(value, datetime) else _parse_datetime_text(value, what, what_en)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=JST)
    return dt.replace(microsecond=0)


def _parse_datetime_text(value: str, what: str, what_en: str) -> datetime:
    t = _fold(value)
    bad = SelfcheckError(
        f"{what}「{value}」は日時として読めません（{TIME_EXAMPLES}）",
        f"bad {what_en} {value!r} (e.g. 2026-04-06T10:00 or R8.4.6 10:00)",
    )
    try:  # ISO 8601 first: it is what scripts send, and the only form that carries an offset
        return datetime.fromisoformat(t.upper())
    except ValueError:
        pass
    found = _match_date(t)
    if found is None:
        raise bad
    day, rest, problem = found
    if day is None:
        raise _no_day(value, what, what_en)
    if problem:
        raise _era_error(value, what, what_en, problem)
    rest = rest.strip().removeprefix("t").strip()
    if not rest:
        return datetime.combine(day, time())
    m = _TIME.match(rest)
    if not m:
        raise bad
    groups = (*m.groups(), None, None)[:3]
    hour, minute, second = (int(g) if g else 0 for g in groups)
    if hour > 23 or minute > 59 or second > 59:
        raise SelfcheckError(f"{what}「{value}」の時刻が正しくありません", f"{what_en} {value!r}: bad time")
    return datetime.combine(day, time(hour, minute, second))


def parse_fiscal_year(value: int | str) -> int:
    """年度 as typed: 2026, ２０２６, 2026年度, 令和8年度, R8, 令和元年度 -> 2026 (western year in which
    the fiscal year starts). `SelfcheckError` when it is not a year between 2000 and 2100."""
    if isinstance(value, int):
        year: int | None = value
    else:
        t = _fold(value).removesuffix("年度").removesuffix("年").strip()
        year = None
        m = re.fullmatch(r"(令和|令|r)\s*(元|\d{1,2})", t)
        if m:
            year = 2018 + (1 if m.group(2) == "元" else int(m.group(2)))
        elif re.fullmatch(r"\d{4}", t):
            year = int(t)
    if year is None or not 2000 <= year <= 2100:
        raise SelfcheckError(
            f"年度「{value}」が正しくありません（例: 2026、令和8年度、R8）",
            f"invalid fiscal year {value!r} (e.g. 2026 or R8)",
        )
    return year


# --- showing ---------------------------------------------------------------------------------------


def wareki_year(year: int) -> str:
    """Western year -> era year: 2027 -> 「令和9年」, 2019 -> 「令和元年」 (the year of the change is named
    by the new era, as documents dated after 1 May 2019 do)."""
    if year >= 2019:
        n = year - 2018
        return "令和元年" if n == 1 else f"令和{n}年"
    n = year - 1988
    return "平成元年" if n == 1 else f"平成{n}年"


def wareki(d: date) -> str:
    """2027-03-31 -> 「令和9年3月31日」 (平成 before 2019-05-01)."""
    if d < date(2019, 5, 1) and d.year == 2019:
        return f"平成31年{d.month}月{d.day}日"
    return f"{wareki_year(d.year)}{d.month}月{d.day}日"


def date_text(d: date | str | None, *, empty: str = "") -> str:
    """A day for people: 「令和9年3月31日（2027-03-31）」. Accepts a stored ISO date or timestamp
    (a timestamp is taken in JST); text that is not a date is returned as it is."""
    if d is None or d == "":
        return empty
    day = day_of(d)
    return f"{wareki(day)}（{day.isoformat()}）" if day else str(d)


def wareki_text(d: date | str | None, *, empty: str = "") -> str:
    """A day in 和暦 only: 「令和9年3月31日」 (narrow table cells, running text)."""
    if d is None or d == "":
        return empty
    day = day_of(d)
    return wareki(day) if day else str(d)


_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def wareki_in(text: str) -> str:
    """Every ISO day inside a sentence the core wrote for JSON and logs, in 和暦 for a screen or a PDF:
    「休日のため繰下げ: 2026-12-27（日）」 -> 「休日のため繰下げ: 令和8年12月27日（日）」."""

    def one(m: re.Match[str]) -> str:
        day = _make_date(int(m[1]), int(m[2]), int(m[3]))
        return wareki(day) if day else m[0]

    return _ISO_DAY.sub(one, text)


def day_of(d: date | str) -> date | None:
    """The day of a stored ISO date or timestamp (a timestamp's day in Japan); None if it is neither."""
    if isinstance(d, datetime):
        return to_jst(d).date()
    if isinstance(d, date):
        return d
    if len(d.strip()) > 10:
        dt = _stored(d)
        return to_jst(dt).date() if dt else None
    try:
        return date.fromisoformat(d.strip())
    except ValueError:
        return None


def _stored(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def to_jst(value: datetime | str) -> datetime:
    """A stored timestamp in Japan time. A naive one (written by an old version) is taken as JST."""
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(value.strip())
    return dt.replace(tzinfo=JST) if dt.tzinfo is None else dt.astimezone(JST)


def time_text(value: datetime | str | None, *, seconds: bool = False, empty: str = "") -> str:
    """A moment for documents and screens, in JST and 和暦: 「令和8年4月6日 10:00」 (with seconds when
    asked, for signing times). Text that is not a timestamp is returned as it is."""
    if value is None or value == "":
        return empty
    dt = value if isinstance(value, datetime) else _stored(value)
    if dt is None:
        return str(value)
    j = to_jst(dt)
    return f"{wareki(j.date())} {j:%H:%M:%S}" if seconds else f"{wareki(j.date())} {j:%H:%M}"


def short_time(value: datetime | str | None, *, empty: str = "") -> str:
    """A moment for narrow tables and logs, in JST: 「2026-04-06 10:00」."""
    if value is None or value == "":
        return empty
    dt = value if isinstance(value, datetime) else _stored(value)
    if dt is None:
        return str(value)
    return f"{to_jst(dt):%Y-%m-%d %H:%M}"


def jst_iso(value: datetime | str) -> str:
    """A stored timestamp rewritten in JST, ISO 8601 with +09:00 (for a technical line beside the 和暦)."""
    return to_jst(value).isoformat(timespec="seconds")


def today(now: datetime) -> date:
    """The day in Japan at `now` (the workspace clock may give any zone)."""
    return to_jst(now).date()


def fiscal_year_of(d: date) -> int:
    """Japanese fiscal years start on 1 April: 2027-03-31 is in 2026 (令和8年度)."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_label(fy: int) -> str:
    """2026 -> 「令和8年度（2026年度）」."""
    return f"{wareki_year(fy)[:-1]}年度（{fy}年度）"
