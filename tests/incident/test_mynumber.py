"""番号法 (特定個人情報) rows: the four triggers of 規則第2条 (INCIDENTS.md), 速報, 確報 30/60 days with the
roll-forward, 本人通知, each with its basis; 要判断 when the answers cannot decide; the §68(2) exceptions of
本人通知 as guidance."""

from __future__ import annotations

from datetime import datetime

import pytest

from selfcheck.clock import JST
from selfcheck.incident import deadlines as dl
from selfcheck.incident import views

MYNUMBER_ROWS = {"ppc_mynumber", "ppc_mynumber_final", "persons_mynumber"}
TRIGGERS = ["mynumber_system", "improper_purpose", "mynumber_public", "mynumber_over_100"]
DET = datetime(2026, 4, 6, 10, 0, tzinfo=JST)


def _eval(triage: dict[str, str]) -> dict[str, views.Deadline]:
    rules = dl.builtin_rules()
    out = dl.evaluate(
        rules,
        triage=triage,
        flags=set(),
        org_kind="town",
        detected_at=DET,
        now=DET,
        calendar=rules.calendar(),
    )
    return {d.id: d for d in out}


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_each_trigger_gives_prelim_final_and_notice(trigger: str) -> None:
    others = {k: "no" for k in TRIGGERS if k != trigger}
    d = _eval({"mynumber": "yes", trigger: "yes", **others})
    assert set(d) >= MYNUMBER_ROWS
    assert all(d[r].decided for r in MYNUMBER_ROWS)
    assert (d["ppc_mynumber"].due_date, d["ppc_mynumber"].limit_date) == (
        "2026-04-08",
        "2026-04-10",
    )  # 3–5 days
    final = d["ppc_mynumber_final"]
    days = 60 if trigger == "improper_purpose" else 30
    assert final.days == days
    if days == 30:
        assert (final.due_date, final.legal_date) == ("2026-05-05", "2026-05-07")  # the same counting rule
    assert d["persons_mynumber"].status == "asap"


def test_no_trigger_no_mynumber_report() -> None:
    d = _eval({"mynumber": "yes", **dict.fromkeys(TRIGGERS, "no")})
    assert not MYNUMBER_ROWS & set(d)


def test_not_mynumber_no_report_even_if_other_answers_are_yes() -> None:
    d = _eval({"mynumber": "no", **dict.fromkeys(TRIGGERS, "yes")})
    assert not MYNUMBER_ROWS & set(d)


def test_strong_encryption_exempts() -> None:
    d = _eval({"mynumber": "yes", "mynumber_over_100": "yes", "encrypted": "yes"})
    assert not MYNUMBER_ROWS & set(d)


def test_undecided_when_the_triggers_are_unanswered() -> None:
    d = _eval({"mynumber": "yes"})
    for rid in MYNUMBER_ROWS:
        x = d[rid]
        assert (x.status, x.due_date, x.legal_date) == ("undecided", None, None)
        assert set(x.pending) == set(TRIGGERS)
        assert views.countdown_text(x).startswith(views.UNDECIDED)
    # the question whether it is 特定個人情報 at all keeps it open too
    d = _eval({"mynumber_over_100": "yes"})
    assert d["ppc_mynumber"].pending == ("mynumber",)
    # one trigger answered no, the rest open: still undecided, the answered one no longer pending
    d = _eval({"mynumber": "yes", "mynumber_system": "no"})
    assert "mynumber_system" not in d["ppc_mynumber_final"].pending


def test_improper_purpose_unanswered_names_the_60_day_case() -> None:
    d = _eval({"mynumber": "yes", "mynumber_over_100": "yes"})
    final = d["ppc_mynumber_final"]
    assert final.decided and final.days == 30 and final.pending == ("improper_purpose",)
    assert "60日" in final.alternative


def test_basis_of_each_row_is_cited() -> None:
    rules = {r.id: r for r in dl.builtin_rules().reports}
    assert "番号法第29条の4第1項" in rules["ppc_mynumber"].basis
    assert "規則第2条" in rules["ppc_mynumber"].basis
    assert "番号法第29条の4第1項" in rules["ppc_mynumber_final"].basis
    assert "60日" in rules["ppc_mynumber_final"].basis
    assert rules["persons_mynumber"].basis.startswith("番号法第29条の4第2項")
    assert rules["ppc_mynumber_final"].due.roll_forward


def test_persons_notice_names_the_68_2_exceptions() -> None:
    persons = next(r for r in dl.builtin_rules().reports if r.id == "persons")
    assert persons.basis.startswith("個人情報保護法第68条第2項")
    assert "第1号" in persons.note and "公表" in persons.note  # notice impossible -> alternative measure
    assert "第2号" in persons.note and "不開示情報" in persons.note


def test_the_questions_exist_with_help() -> None:
    qs = {q.key: q for q in dl.builtin_rules().questions}
    for key in ["mynumber", *TRIGGERS]:
        assert key in qs and qs[key].help
