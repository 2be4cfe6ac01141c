"""Playbooks speak to the body: the SNS playbook only where the policy has an SNS clause (安平町 has none),
the outage playbook mentions LGWAN only to bodies with an LGWAN segment and the server room's cooling only
to bodies whose policy names such a room, in the body's own words; no placeholder is ever left unfilled."""

from __future__ import annotations

import re

import pytest

from selfcheck.errors import SelfcheckError
from selfcheck.incident import cases, queries
from selfcheck.incident.fit import body_fit, facts_data, steps_for
from selfcheck.incident.playbook import builtin_playbooks, get_playbook, playbooks_for
from selfcheck.workspace import Workspace
from tests.conftest import BODY_IDS, policy_text

LGWAN_BODIES = {"abira-cho", "ogi-kansa-iin", "shunan-eisei"}
SERVER_ROOM = {
    "abira-cho": "情報システム室",
    "ogi-kansa-iin": "情報システム室",
    "shunan-eisei": "電子計算機室",
}


@pytest.mark.parametrize("body", BODY_IDS)
def test_sns_playbook_only_with_an_sns_clause(body: str) -> None:
    offered = {pb.id for pb in playbooks_for(None, body)}
    assert ("sns-takeover" in offered) == (body != "abira-cho")
    assert offered >= set(builtin_playbooks()) - {"sns-takeover"}


def test_opening_an_sns_incident_for_abira_is_refused(ws: Workspace) -> None:
    with pytest.raises(SelfcheckError, match="does not apply") as e:
        cases.open_incident(
            ws, org_id="abira-cho", playbook_id="sns-takeover", detected_at="2026-11-22T10:00"
        )
    assert "安平町" in e.value.message_ja
    iid = cases.open_incident(
        ws, org_id="ogi-kansa-iin", playbook_id="sns-takeover", detected_at="2026-11-22T10:00"
    )
    assert queries.detail(ws, iid).steps[0].id == "recover-account"


def _outage_text(body: str) -> str:
    pb = get_playbook("outage")
    fit = body_fit(None, body)
    return "\n".join(fit.fill(t) for _p, s in steps_for(pb, fit) for t in s.texts())


@pytest.mark.parametrize("body", BODY_IDS)
def test_outage_speaks_to_the_body(body: str) -> None:
    text = _outage_text(body)
    assert ("LGWAN" in text) == (body in LGWAN_BODIES)
    if body in SERVER_ROOM:
        assert f"{SERVER_ROOM[body]}の空調" in text and f"{SERVER_ROOM[body]}の温度を確かめる" in text
    else:
        assert "空調" not in text and "室" not in text
    assert "サーバ室" not in text  # never a generic name the policy does not use
    assert "LGWAN" not in get_playbook("outage").description


@pytest.mark.parametrize("body", BODY_IDS)
def test_body_facts_match_the_policy_text(body: str) -> None:
    """A server room is named only for a body whose policy's physical-security clause names one."""
    text = policy_text(body)
    room = facts_data()["bodies"][body].get("server_room")
    if room:
        assert re.search(rf"サーバ、{room}、通信回線", text), body
    else:
        assert not re.search(r"サーバ[、や](情報システム室|電子計算機室|サーバ室)", text), body


@pytest.mark.parametrize("body", BODY_IDS)
def test_no_placeholder_is_left_unfilled(body: str) -> None:
    fit = body_fit(None, body)
    for pb in playbooks_for(None, body):
        for _p, s in steps_for(pb, fit):
            for t in s.texts():
                assert not re.search(r"\{[a-z_]+\}", fit.fill(t)), (body, pb.id, s.id)


def test_incident_detail_fills_the_body_words(ws: Workspace) -> None:
    iid = cases.open_incident(ws, org_id="shunan-eisei", playbook_id="outage", detected_at="2026-11-22T10:00")
    steps = {s.id: s for s in queries.detail(ws, iid).steps}
    assert steps["server-room"].title == "電子計算機室の温度を確かめる"
    assert "check-lgwan" in steps
    iid = cases.open_incident(
        ws, org_id="gunma-sogo-jimu", playbook_id="outage", detected_at="2026-11-22T10:00"
    )
    ids = {s.id for s in queries.detail(ws, iid).steps}
    assert "server-room" not in ids and "check-lgwan" not in ids


def test_theft_cites_the_intentional_clause(ws: Workspace) -> None:
    iid = cases.open_incident(
        ws, org_id="gunma-sogo-jimu", playbook_id="theft", detected_at="2026-11-22T10:00"
    )
    threat = queries.detail(ws, iid).threat
    assert threat.key == "intentional" and threat.clause == "3(1)"
