"""Deadlines as the law counts them, pinned with a fixed clock.

覚知 is day 1 and weekends and holidays count. The 確報 legal deadline moves to the next open day when the
last day falls on a 土日・祝日・振替休日・国民の休日, 12/29–1/3 or a closure day of the body; next to it the
internal target is the last day itself. 速報 (速やかに, 3–5 days) is guidance and never moves. A report whose
trigger depends on unanswered questions is 要判断, without a date.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from selfcheck.clock import JST
from selfcheck.incident import deadlines as dl
from selfcheck.incident import views
from selfcheck.incident.closed_days import BodyClosure, OfficeCalendar

PPC = {"personal_info": "yes", "over_100": "yes"}
IMPROPER = {"personal_info": "yes", "improper_purpose": "yes"}


def _eval(
    triage: dict[str, str],
    detected: datetime,
    now: datetime | None = None,
    *,
    flags: tuple[str, ...] = (),
    kind: str = "town",
    made: dict[str, str] | None = None,
    rules: dl.Rules | None = None,
    closures: tuple[BodyClosure, ...] = (),
) -> dict[str, views.Deadline]:
    r = rules or dl.builtin_rules()
    out = dl.evaluate(
        r,
        triage=triage,
        flags=set(flags),
        org_kind=kind,
        detected_at=detected,
        now=now or detected,
        made=made,
        calendar=r.calendar(closures),
    )
    return {d.id: d for d in out}


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=JST)


def test_rules_file_states_its_convention_and_basis() -> None:
    c = dl.builtin_rules().counting
    assert c.detection_day_is_day == 1
    assert c.count_weekends_and_holidays is True
    assert set(c.closed_days) == {"weekend", "national_holiday", "year_end", "body"}
    assert "3-5-3-4" in c.basis and "要確認" in c.basis
    finals = [r for r in dl.builtin_rules().reports if r.due.roll_forward]
    assert {r.id for r in finals} == {"ppc_final", "ppc_mynumber_final"}


def test_no_quotation_marks_around_unverified_wording() -> None:
    """Basis and notes paraphrase the law and the guidance; 「」 would claim a verbatim quotation."""
    rules = dl.builtin_rules()
    texts = [rules.counting.basis, rules.counting.note, rules.counting.body_days_caveat]
    texts += [t for r in rules.reports for t in (r.basis, r.note)]
    assert [t for t in texts if "「" in t or "」" in t] == []


# ---- the pinned 確報 dates: (覚知, triage, internal target, legal deadline, the closed days passed) ----
PINNED = [
    # INCIDENTS.md: day 30 is 5/5 こどもの日, 5/6 is a 振替休日
    ("2026-04-06", PPC, "2026-05-05", "2026-05-07", ["こどもの日", "振替休日"]),
    # INCIDENTS.md: improper purpose, day 60 is 2027-01-02 (Sat, 年末年始)
    ("2026-11-04", IMPROPER, "2027-01-02", "2027-01-04", ["年末年始・土曜日", "年末年始・日曜日"]),
    # Golden Week 2027: day 30 is Mon 5/3, then 5/4 and 5/5
    ("2027-04-04", PPC, "2027-05-03", "2027-05-06", ["憲法記念日", "みどりの日", "こどもの日"]),
    # year end on weekdays: 12/29 (Wed) to 1/3 (Mon) are all closed
    (
        "2027-11-30",
        PPC,
        "2027-12-29",
        "2028-01-04",
        ["年末年始"] * 3 + ["元日・年末年始・土曜日"] + ["年末年始・日曜日", "年末年始"],
    ),
    # 春分の日 on a Sunday: Monday is a 振替休日
    ("2027-02-20", PPC, "2027-03-21", "2027-03-23", ["春分の日・日曜日", "振替休日"]),
    # 2026 silver week: Sat, Sun, 敬老の日, 国民の休日 (between two holidays), 秋分の日
    (
        "2026-08-21",
        PPC,
        "2026-09-19",
        "2026-09-24",
        ["土曜日", "日曜日", "敬老の日", "国民の休日", "秋分の日"],
    ),
    # day 30 on a Sunday
    ("2026-11-21", PPC, "2026-12-20", "2026-12-21", ["日曜日"]),
    # day 30 on an open day: nothing moves, target = legal deadline
    ("2026-11-22", PPC, "2026-12-21", "2026-12-21", []),
    # 60 days from a Tuesday in December lands on a Friday: nothing moves
    ("2026-12-01", IMPROPER, "2027-01-29", "2027-01-29", []),
    # a year far ahead: the holidays are computed by the library, no list runs out
    (
        "2089-12-03",
        PPC,
        "2090-01-01",
        "2090-01-04",
        ["元日・年末年始・日曜日", "振替休日・年末年始", "年末年始"],
    ),
]


@pytest.mark.parametrize(("detected", "triage", "target", "legal", "reasons"), PINNED)
def test_final_report_legal_deadline_and_internal_target(
    detected: str, triage: dict[str, str], target: str, legal: str, reasons: list[str]
) -> None:
    f = _eval(triage, _at(detected))["ppc_final"]
    assert (f.due_date, f.legal_date, f.limit_date) == (target, legal, legal)
    assert [r.split(" ", 1)[1] for r in f.rolled_over] == reasons
    assert f.legal_caveat == ""


def test_improper_purpose_gives_60_days_for_both_laws() -> None:
    tri = {**IMPROPER, "mynumber": "yes"}
    d = _eval(tri, _at("2026-11-04"))
    assert d["ppc_final"].days == d["ppc_mynumber_final"].days == 60
    assert d["ppc_mynumber_final"].legal_date == "2027-01-04"


def test_body_closure_every_year_moves_the_legal_deadline_with_a_caveat() -> None:
    """A body's own 条例 closure day (沖縄の慰霊の日 6/23 here) rolls the deadline, flagged 要確認: the
    report goes to a national body that is open that day. The internal target does not move."""
    ireibi = (BodyClosure("06-23", "慰霊の日"),)
    f = _eval(PPC, _at("2026-05-25"), closures=ireibi)["ppc_final"]
    assert (f.due_date, f.legal_date) == ("2026-06-23", "2026-06-24")
    assert f.rolled_over == ("2026-06-23（火） 団体の休日（慰霊の日）",)
    assert "要確認" in f.legal_caveat
    assert _eval(PPC, _at("2026-05-25"))["ppc_final"].legal_date == "2026-06-23"  # without the closure day


def test_body_closure_one_day_then_a_weekend() -> None:
    summer = (BodyClosure("2026-08-14", "夏季一斉閉庁"),)
    f = _eval(PPC, _at("2026-07-16"), closures=summer)["ppc_final"]
    assert (f.due_date, f.legal_date) == ("2026-08-14", "2026-08-17")
    assert "要確認" in f.legal_caveat


def test_body_closure_ignored_when_the_rules_file_leaves_body_days_out() -> None:
    base = dl.builtin_rules()
    rules = base.model_copy(
        update={
            "counting": base.counting.model_copy(
                update={"closed_days": ["weekend", "national_holiday", "year_end"]}
            )
        }
    )
    summer = (BodyClosure("2026-08-14", "夏季一斉閉庁"),)
    assert _eval(PPC, _at("2026-07-16"), rules=rules, closures=summer)["ppc_final"].legal_date == "2026-08-14"


def test_prelim_is_guidance_and_never_moves() -> None:
    det = datetime(2026, 12, 4, 17, 30, tzinfo=JST)  # Friday
    d = _eval(PPC, det)["ppc_prelim"]
    assert (d.due_date, d.limit_date, d.legal_date) == ("2026-12-06", "2026-12-08", None)  # Sun, Tue
    assert d.rolled_over == ()


def test_status_progression_target_then_legal_deadline() -> None:
    det = _at("2026-04-06")
    f = lambda now: _eval(PPC, det, now)["ppc_final"]  # noqa: E731
    assert f(_at("2026-05-05", 23)).status == "due"
    late = f(_at("2026-05-06", 12))  # after the internal target, before the legal deadline
    assert late.status == "late"
    assert views.countdown_text(late) == "内部目標5/5(火)を超過・法定期限5/7(木)まであと1日11時間"
    assert f(_at("2026-05-08", 0)).status == "overdue"
    due = f(_at("2026-05-01", 9))
    assert views.countdown_text(due) == "あと4日（内部目標5/5(火)・法定期限5/7(木)）"  # whole days from 2 on


def test_status_progression_due_late_overdue_done() -> None:
    det = datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    at = lambda m, d, h=12: datetime(2026, m, d, h, 0, tzinfo=JST)  # noqa: E731
    assert _eval(PPC, det, at(12, 3))["ppc_prelim"].status == "due"
    assert _eval(PPC, det, at(12, 3, 23))["ppc_prelim"].status == "due"
    late = _eval(PPC, det, at(12, 4))["ppc_prelim"]
    assert late.status == "late"
    assert "超過" in views.countdown_text(late)
    over = _eval(PPC, det, at(12, 6, 0))["ppc_prelim"]
    assert over.status == "overdue"
    assert over.remaining_seconds is not None and over.remaining_seconds < 0
    done = _eval(PPC, det, at(12, 9), made={"ppc_prelim": "2026-12-02T15:00:00+09:00"})["ppc_prelim"]
    assert done.status == "done"


def test_remaining_seconds_counts_to_end_of_due_day() -> None:
    det = datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    d = _eval(PPC, det, datetime(2026, 12, 3, 23, 0, 0, tzinfo=JST))["ppc_prelim"]
    assert d.remaining_seconds == 59 * 60 + 59


@pytest.mark.parametrize(
    "triage",
    [
        {"personal_info": "yes", "sensitive": "yes"},
        {"personal_info": "yes", "financial_harm": "yes"},
        {"personal_info": "yes", "improper_purpose": "yes"},
        {"personal_info": "yes", "over_100": "yes"},
        {"personal_info": "yes", "ordinance_sensitive": "yes"},
    ],
)
def test_each_ppc_case_triggers_report_and_notice(triage: dict[str, str]) -> None:
    d = _eval(triage, datetime(2026, 12, 1, tzinfo=JST))
    assert {"ppc_prelim", "ppc_final", "persons"} <= set(d)
    assert d["persons"].status == "asap"
    assert d["ppc_final"].decided


NO_PPC_CASE = dict.fromkeys(
    ["sensitive", "financial_harm", "improper_purpose", "over_100", "ordinance_sensitive"], "no"
)


@pytest.mark.parametrize(
    "triage",
    [
        {"personal_info": "no"},
        {"personal_info": "yes", **NO_PPC_CASE},  # 99 people, nothing sensitive
        {"personal_info": "no", "over_100": "yes"},
        {"personal_info": "yes", "over_100": "yes", "encrypted": "yes"},  # strong encryption exempts [要確認]
    ],
)
def test_no_ppc_report(triage: dict[str, str]) -> None:
    d = _eval(triage, datetime(2026, 12, 1, tzinfo=JST))
    assert "ppc_prelim" not in d and "ppc_final" not in d and "persons" not in d


def test_unanswered_questions_give_undecided_not_a_date() -> None:
    """要判断: the report is listed, without a date, naming the questions that would decide it."""
    d = _eval({"personal_info": "yes"}, datetime(2026, 12, 1, tzinfo=JST))
    for rid in ("ppc_prelim", "ppc_final", "persons"):
        x = d[rid]
        assert (x.status, x.decided, x.due_date, x.legal_date) == ("undecided", False, None, None)
        assert x.pending == (
            "sensitive",
            "financial_harm",
            "improper_purpose",
            "over_100",
            "ordinance_sensitive",
        )
        assert views.countdown_text(x).startswith("要判断")
    d = _eval({"over_100": "yes"}, datetime(2026, 12, 1, tzinfo=JST))
    assert d["ppc_final"].pending == ("personal_info",)
    # an unanswered exemption does not exempt: the report is decided and dated
    assert _eval(PPC, datetime(2026, 12, 1, tzinfo=JST))["ppc_final"].decided


def test_undecided_period_shows_the_shorter_and_names_the_longer() -> None:
    f = _eval(PPC, _at("2026-11-04"))["ppc_final"]  # improper purpose not answered
    assert (f.days, f.legal_date) == (30, "2026-12-03")
    assert f.pending == ("improper_purpose",)
    assert f.alternative == "不正の目的によるおそれがある場合 → 60日・法定期限 2027-01-04（月）"


def test_police_for_crime_playbooks_and_members_for_unions() -> None:
    det = datetime(2026, 12, 1, tzinfo=JST)
    assert "police" in _eval({}, det, flags=("crime",))
    assert "police" not in _eval({}, det, flags=("service_outage",))
    assert "members" in _eval({"personal_info": "yes"}, det, kind="union")
    assert "members" not in _eval({"personal_info": "yes"}, det, kind="town")
    assert "prefecture" in _eval({}, det, flags=("cyber",))


def test_calendar_reasons_and_roll_forward() -> None:
    cal = OfficeCalendar()
    assert cal.closed(date(2026, 5, 6)) == [("national_holiday", "振替休日")]
    assert cal.closed(date(2026, 12, 28)) == []  # 御用納め: open
    assert [k for k, _r in cal.closed(date(2027, 1, 2))] == ["year_end", "weekend"]
    assert cal.roll_forward(date(2026, 12, 29))[0] == date(2027, 1, 4)


def test_bad_rules_file_reports_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from selfcheck.errors import ChecklistFormatError

    p = tmp_path / "rules.yaml"
    src = dl.builtin_rules().model_dump_json()
    import json

    import yaml

    data = json.loads(src)
    data["reports"][0]["when"][0]["all_yes"] = ["no_such_key"]
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ChecklistFormatError) as e:
        dl.load_rules_file(p)
    assert "no_such_key" in e.value.problems[0]
    assert str(p) in e.value.problems[0]


def test_roll_forward_rule_may_not_have_a_warning_window(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    import yaml

    from selfcheck.errors import ChecklistFormatError

    data = json.loads(dl.builtin_rules().model_dump_json())
    final = next(r for r in data["reports"] if r["id"] == "ppc_final")
    final["due"]["warn_days"] = 35
    p = tmp_path / "rules.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ChecklistFormatError, match="roll_forward"):
        dl.load_rules_file(p)
