"""Dates and times as clerks type them (和暦, R9.3.31, 全角, slashes) and as they are shown (和暦 with
西暦, always JST)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from selfcheck import dates
from selfcheck.clock import JST
from selfcheck.errors import SelfcheckError

DUE = date(2027, 3, 31)


@pytest.mark.parametrize(
    "typed",
    [
        "令和9年3月31日",
        "R9.3.31",
        "r9.3.31",
        "令和9.3.31",
        "令9.3.31",
        "R9/3/31",
        "2027/3/31",
        "2027-3-31",
        "2027-03-31",
        "2027年3月31日",
        "20270331",
        "２０２７／３／３１",
        "Ｒ９．３．３１",
        "令和９年３月３１日",
        "㋿9年3月31日",
        " 令和 9 年 3 月 31 日 ",
    ],
)
def test_every_way_a_clerk_types_a_due_date(typed: str) -> None:
    assert dates.parse_date(typed) == DUE


def test_first_year_of_an_era_and_the_change_of_era() -> None:
    assert dates.parse_date("令和元年5月1日") == date(2019, 5, 1)
    assert dates.parse_date("H31.4.30") == date(2019, 4, 30)
    assert dates.parse_date("平成31年4月30日") == date(2019, 4, 30)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("令和1年4月30日", "令和は2019年5月1日から"),  # 令和 had not begun
        ("平成31年5月1日", "2019年4月30日まで"),  # 平成 had ended
        ("2027-2-30", "という日はありません"),
        ("R9.13.1", "という日はありません"),
        ("明日", "日付として読めません"),
        ("2027-03-31 あたり", "日付として読めません"),
        ("", "日付として読めません"),
    ],
)
def test_what_is_not_a_day_is_refused_with_a_reason_and_examples(typed: str, says: str) -> None:
    with pytest.raises(SelfcheckError) as exc:
        dates.parse_date(typed, what="期限", what_en="due date")
    assert says in exc.value.message_ja and exc.value.message_ja.startswith("期限")
    assert "due date" in exc.value.message_en


def test_an_empty_optional_date_is_none() -> None:
    assert dates.parse_optional_date("  ") is None and dates.parse_optional_date(None) is None
    assert dates.parse_optional_date(DUE) == DUE


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-04-06T10:00", datetime(2026, 4, 6, 10, 0, tzinfo=JST)),
        ("2026-04-06 10:00", datetime(2026, 4, 6, 10, 0, tzinfo=JST)),
        ("2026/4/6 10:00", datetime(2026, 4, 6, 10, 0, tzinfo=JST)),
        ("令和8年4月6日 10時30分", datetime(2026, 4, 6, 10, 30, tzinfo=JST)),
        ("令和8年4月6日10時", datetime(2026, 4, 6, 10, 0, tzinfo=JST)),
        ("R8.4.6 9:05:07", datetime(2026, 4, 6, 9, 5, 7, tzinfo=JST)),
        ("２０２６－０４－０６Ｔ１０：００", datetime(2026, 4, 6, 10, 0, tzinfo=JST)),
        ("2026-04-06", datetime(2026, 4, 6, 0, 0, tzinfo=JST)),
    ],
)
def test_a_time_without_a_zone_is_japan_time(typed: str, expected: datetime) -> None:
    got = dates.parse_datetime(typed)
    assert got == expected and got.utcoffset() == timedelta(hours=9)


def test_a_time_with_a_zone_keeps_its_offset_and_is_shown_in_jst() -> None:
    got = dates.parse_datetime("2026-04-06T01:00+00:00")
    assert got.utcoffset() == timedelta(0)  # stored as given (ISO 8601 with its offset)
    assert dates.time_text(got) == "令和8年4月6日 10:00"
    assert dates.short_time("2026-04-06T01:00:00+00:00") == "2026-04-06 10:00"
    assert dates.jst_iso("2026-04-06T01:00:00+00:00") == "2026-04-06T10:00:00+09:00"
    assert dates.time_text("2026-04-06T10:00:05+09:00", seconds=True) == "令和8年4月6日 10:00:05"


def test_a_bad_time_says_what_and_how() -> None:
    with pytest.raises(SelfcheckError) as exc:
        dates.parse_datetime("2026/4/6 25:00", what="覚知日時")
    assert "時刻" in exc.value.message_ja
    with pytest.raises(SelfcheckError) as exc:
        dates.parse_datetime("昨日", what="覚知日時")
    assert "例:" in exc.value.message_ja and exc.value.message_ja.startswith("覚知日時")


def test_dates_are_shown_in_wareki_with_seireki() -> None:
    assert dates.date_text(DUE) == "令和9年3月31日（2027-03-31）"
    assert dates.date_text("2027-03-31") == "令和9年3月31日（2027-03-31）"
    # a stored timestamp is taken in JST: 2027-03-30T20:00Z is already 31 March in Japan
    assert dates.wareki_text("2027-03-30T20:00:00+00:00") == "令和9年3月31日"
    assert dates.wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert dates.wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert dates.date_text(None, empty="（なし）") == "（なし）"
    assert dates.date_text("いつか") == "いつか"  # not a date: shown as it was written


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("2026", 2026),
        ("２０２６年度", 2026),
        ("令和8年度", 2026),
        ("R8", 2026),
        ("令和元年度", 2019),
        (2027, 2027),
    ],
)
def test_fiscal_years_as_typed(typed: str | int, year: int) -> None:
    assert dates.parse_fiscal_year(typed) == year


def test_fiscal_year_out_of_range_is_refused() -> None:
    with pytest.raises(SelfcheckError, match="invalid fiscal year"):
        dates.parse_fiscal_year("1999")


def test_the_day_and_fiscal_year_are_those_of_japan() -> None:
    # 2027-03-31T16:00Z is 1 April 01:00 in Japan: a new fiscal year there
    now = datetime(2027, 3, 31, 16, 0, tzinfo=UTC)
    assert dates.today(now) == date(2027, 4, 1)
    assert dates.fiscal_year_of(dates.today(now)) == 2027
    assert dates.fiscal_year_label(2026) == "令和8年度（2026年度）"
