"""Containment first, in parallel tracks (issue 15): the first-minutes containment runs alongside the first
report, never behind the CSIRT judgement and the CISO call.

The ordering check here is written independently of the loader's (`playbook.shape_problems`): for every
playbook and each track, in playbook order, no step with a shorter target time waits behind a step with a
longer one, and a step without a target (open-ended) is never followed by a step that has one."""

from __future__ import annotations

import itertools
import math

import pytest

from selfcheck.incident.playbook import TRACKS, Playbook, builtin_playbooks

BOOKS = builtin_playbooks()


def _track_targets(pb: Playbook) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for _phase, step in pb.steps():
        hours = step.within_hours if step.within_hours is not None else math.inf
        out.setdefault(step.track, []).append((step.id, hours))
    return out


@pytest.mark.parametrize("pid", list(BOOKS))
def test_no_shorter_target_waits_behind_a_longer_one(pid: str) -> None:
    for track, steps in _track_targets(BOOKS[pid]).items():
        for (before, h1), (after, h2) in itertools.pairwise(steps):
            assert h2 >= h1, f"{pid}: {after} ({h2}h) waits behind {before} ({h1}h) in track {track}"


@pytest.mark.parametrize("pid", list(BOOKS))
def test_both_tracks_start_in_the_first_phase(pid: str) -> None:
    """In the first phase, both tracks have a step with a target time: two "now" steps from the start."""
    pb = BOOKS[pid]
    first = pb.phases[0].steps
    assert {s.track for s in first} == {t for t, _title in TRACKS[pb.shape]}, pid
    assert all(s.within_hours is not None for s in first if s is first[0]), pid


@pytest.mark.parametrize("pid", ["ransomware", "malware", "unauthorized-access"])
def test_cyber_step_one_isolates_with_power_left_on(pid: str) -> None:
    step1 = BOOKS[pid].phases[0].steps[0]
    assert step1.track == "act" and step1.id == "isolate" and step1.required
    for words in ("LANケーブルを抜く", "Wi-Fiを切る", "電源は切らない", "画面"):
        assert words in step1.guidance, (pid, words)
    first_report = next(s for _p, s in BOOKS[pid].steps() if s.track == "report")
    assert step1.within_hours is not None and first_report.within_hours is not None
    assert step1.within_hours <= first_report.within_hours  # not after the report chain


@pytest.mark.parametrize(
    ("pid", "words"),
    [
        ("misdelivery", ["削除", "取消"]),  # recall / ask the recipient to delete
        ("dos-defacement", ["公開を直ちに止め"]),  # take the page down
        ("payment-fraud", ["組戻し"]),  # stop the payment
        ("sns-takeover", ["パスワードを変え"]),
        ("theft", ["現場"]),
    ],
)
def test_step_one_is_containment(pid: str, words: list[str]) -> None:
    step1 = BOOKS[pid].phases[0].steps[0]
    assert step1.track == "act" and step1.within_hours == 1
    assert all(w in step1.guidance for w in words), step1.guidance


@pytest.mark.parametrize(
    "pid", ["ransomware", "malware", "unauthorized-access", "misdelivery", "dos-defacement"]
)
def test_containment_is_done_before_the_ciso_call_target(pid: str) -> None:
    steps = [s for _p, s in BOOKS[pid].steps()]
    contain = steps[0]
    ciso = next(s for s in steps if "ciso" in s.contacts and not s.skippable)
    assert contain.within_hours is not None and ciso.within_hours is not None
    assert contain.within_hours < ciso.within_hours
