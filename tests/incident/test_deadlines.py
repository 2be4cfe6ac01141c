"""Deadline rules pinned with a fixed clock: the day of 覚知 is day 1, weekends and holidays count, and a
deadline on a holiday is not moved (unless the rules file switches roll-forward on)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from selfcheck.clock import JST
from selfcheck.incident import deadlines as dl
from selfcheck.incident import views

PPC = {"personal_info": "yes", "over_100": "yes"}


def _eval(
    triage: dict[str, str],
    detected: datetime,
    now: datetime | None = None,
    *,
    flags: tuple[str, ...] = (),
    kind: str = "town",
    made: dict[str, str] | None = None,
    rules: dl.Rules | None = None,
) -> dict[str, views.Deadline]:
    out = dl.evaluate(
        rules or dl.builtin_rules(),
        triage=triage,
        flags=set(flags),
        org_kind=kind,
        detected_at=detected,
        now=now or detected,
        made=made,
    )
    return {d.id: d for d in out}


def test_rules_file_states_its_convention() -> None:
    c = dl.builtin_rules().counting
    assert c.detection_day_is_day == 1
    assert c.count_weekends_and_holidays is True
    assert c.roll_forward_on_holiday is False
    assert "要確認" in c.note


def test_final_report_day_30_falls_in_year_end_holidays_and_is_not_moved() -> None:
    det = datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    d = _eval(PPC, det)
    assert d["ppc_final"].due_date == "2026-12-30"  # day 30 counting 12/01 as day 1; 年末年始, not moved
    assert dl.is_closed_day(date(2026, 12, 30))


def test_improper_purpose_gives_60_days() -> None:
    det = datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    d = _eval({"personal_info": "yes", "improper_purpose": "yes"}, det)
    assert d["ppc_final"].due_date == "2027-01-29"


def test_prelim_from_friday_targets_sunday_and_warns_on_tuesday() -> None:
    det = datetime(2026, 12, 4, 17, 30, tzinfo=JST)  # Friday
    assert det.weekday() == 4
    d = _eval(PPC, det)
    assert d["ppc_prelim"].due_date == "2026-12-06"  # Sunday, day 3
    assert date.fromisoformat("2026-12-06").weekday() == 6
    assert d["ppc_prelim"].limit_date == "2026-12-08"  # day 5


def test_national_holiday_counts_as_an_ordinary_day() -> None:
    # 覚知 on Sat 2026-11-21; day 3 is Mon 11-23 勤労感謝の日: the target stays on the holiday
    det = datetime(2026, 11, 21, 9, 0, tzinfo=JST)
    d = _eval(PPC, det)
    assert d["ppc_prelim"].due_date == "2026-11-23"
    assert dl.is_closed_day(date(2026, 11, 23))


def test_roll_forward_switch_moves_to_next_open_day() -> None:
    base = dl.builtin_rules()
    rules = base.model_copy(
        update={"counting": base.counting.model_copy(update={"roll_forward_on_holiday": True})}
    )
    det = datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    d = _eval(PPC, det, rules=rules)
    assert d["ppc_final"].due_date == "2027-01-04"  # 12/30 → past 12/31, 1/1-1/3 → Mon 1/4
    fri = _eval(PPC, datetime(2026, 12, 4, 9, 0, tzinfo=JST), rules=rules)
    assert fri["ppc_prelim"].due_date == "2026-12-07"  # Sunday → Monday


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


@pytest.mark.parametrize(
    "triage",
    [
        {},
        {"personal_info": "yes"},  # 99 people, nothing sensitive
        {"personal_info": "no", "over_100": "yes"},
        {"personal_info": "yes", "over_100": "yes", "encrypted": "yes"},  # strong encryption exempts [要確認]
    ],
)
def test_no_ppc_report(triage: dict[str, str]) -> None:
    d = _eval(triage, datetime(2026, 12, 1, tzinfo=JST))
    assert "ppc_prelim" not in d and "ppc_final" not in d


def test_police_for_crime_playbooks_and_members_for_unions() -> None:
    det = datetime(2026, 12, 1, tzinfo=JST)
    assert "police" in _eval({}, det, flags=("crime",))
    assert "police" not in _eval({}, det, flags=("service_outage",))
    assert "members" in _eval({"personal_info": "yes"}, det, kind="union")
    assert "members" not in _eval({"personal_info": "yes"}, det, kind="town")
    assert "prefecture" in _eval({}, det, flags=("cyber",))


def test_mynumber_report() -> None:
    d = _eval({"mynumber": "yes"}, datetime(2026, 12, 1, tzinfo=JST))
    assert "ppc_mynumber" in d


def test_holiday_list_covers_2026_2027_with_year_end() -> None:
    h = dl.holidays()
    for d in (
        "2026-12-29",
        "2026-12-31",
        "2027-01-02",
        "2027-01-03",
        "2027-12-29",
        "2026-09-22",
        "2027-03-22",
    ):
        assert date.fromisoformat(d) in h
    assert date(2026, 12, 28) not in h


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
