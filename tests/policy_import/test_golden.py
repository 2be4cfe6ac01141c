"""Golden tests: importing each real policy gives exactly the built-in profile of that body, and the same
checklist. Compared field by field so a failure names the body, the field and both values."""

from __future__ import annotations

import pytest

from selfcheck.catalog import builtin_catalog
from selfcheck.checklist_format import Clause, Profile, derive
from selfcheck.policy_import.build import draft_from_file
from tests.conftest import BODY_IDS, policy_file


def _clause_rows(clauses: list[Clause], prefix: str = "") -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for c in clauses:
        out[c.number] = (c.title, c.topic)
        out.update(_clause_rows(c.children))
    return out


def _differences(got: Profile, want: Profile) -> list[str]:
    diffs = []
    for fld in (
        "id",
        "name",
        "kind",
        "policy_title",
        "adopted",
        "segments",
        "threat_count",
        "has_self_inspection",
        "measures_section",
    ):
        if getattr(got, fld) != getattr(want, fld):
            diffs.append(f"{fld}: imported {getattr(got, fld)!r}, built-in {getattr(want, fld)!r}")
    for what in ("sections", "measures"):
        g, w = _clause_rows(getattr(got, what)), _clause_rows(getattr(want, what))
        for number in sorted(set(g) | set(w)):
            if g.get(number) != w.get(number):
                diffs.append(
                    f"{what} {number}: imported (title, topic) {g.get(number)}, built-in {w.get(number)}"
                )
        if list(g) != list(w):
            diffs.append(f"{what} order: imported {list(g)}, built-in {list(w)}")
    for topic in sorted(set(got.clauses) | set(want.clauses)):
        if got.clauses.get(topic) != want.clauses.get(topic):
            diffs.append(
                f"clauses.{topic}: imported {got.clauses.get(topic)!r}, built-in {want.clauses.get(topic)!r}"
            )
    return diffs


@pytest.mark.parametrize("body_id", BODY_IDS)
def test_import_matches_builtin_profile(body_id: str) -> None:
    want = builtin_catalog().profiles[body_id]
    got = draft_from_file(policy_file(body_id)).profile()
    diffs = _differences(got, want)
    assert not diffs, f"{body_id}: " + "; ".join(diffs)


@pytest.mark.parametrize("body_id", BODY_IDS)
def test_import_gives_the_builtin_checklist(body_id: str) -> None:
    cat = builtin_catalog()
    got = draft_from_file(policy_file(body_id)).profile()
    mine = [it.as_dict() for it in derive(cat.bank, got)]
    theirs = [it.as_dict() for it in derive(cat.bank, cat.profiles[body_id])]
    only_mine = [(d["id"], d["clause"]) for d in mine if d not in theirs]
    only_theirs = [(d["id"], d["clause"]) for d in theirs if d not in mine]
    assert mine == theirs, f"{body_id}: only in import {only_mine}; only in built-in {only_theirs}"
