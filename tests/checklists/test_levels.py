"""The 基本 set, the gating and the wording per body: what each of the five bodies is asked, and which of its
clauses each item cites.

- 基本: per body 50–70 items that alone cite every section and measure of its policy; the set is pinned in
  golden/core_items.json (regenerate with `SELFCHECK_UPDATE_GOLDEN=1 python -m pytest
  tests/checklists/test_levels.py` after a deliberate change, and review the diff).
- Gating: an item citing a clause must check what that clause requires (6(3)① of 大野城太宰府 limits who
  handles マイナンバー; it does not require separation), 議員 items only where 4 or 5 covers the 議会.
- Wording: org-01's example of a CISO follows the body's kind.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from selfcheck.catalog import builtin_catalog
from selfcheck.checklist_format import ChecklistItem, derive, uncited
from selfcheck.checklist_validate import CORE_MAX, CORE_MIN
from selfcheck.vocabulary import CORE, GUIDELINE_EDITION, LAW_CLAUSE, LEVELS
from tests.conftest import BODY_IDS

CAT = builtin_catalog()
GOLDEN = Path(__file__).parent / "golden" / "core_items.json"


def items(org: str, level: str | None = None) -> dict[str, ChecklistItem]:
    return {it.id: it for it in derive(CAT.bank, CAT.profile(org), level=level)}


def cites(org: str, item_id: str) -> str | None:
    it = items(org).get(item_id)
    return it.clause if it else None


# --- the 基本 set -----------------------------------------------------------------------------------------


def test_every_item_has_a_level() -> None:
    assert {it.level for it in CAT.bank} == set(LEVELS)


@pytest.mark.parametrize("org", BODY_IDS)
def test_core_set_cites_every_section_and_measure(org: str) -> None:
    prof = CAT.profile(org)
    core = derive(CAT.bank, prof, level=CORE)
    assert uncited(core, prof) == []
    assert CORE_MIN <= len(core) <= CORE_MAX
    full = derive(CAT.bank, prof)
    assert len(core) < len(full) * 0.5  # the core is a real reduction, not most of the list
    # the core is the full checklist restricted to 基本 items, in the same order
    assert [it.id for it in core] == [it.id for it in full if it.level == CORE]


def test_core_sets_are_pinned() -> None:
    got = {org: list(items(org, CORE)) for org in BODY_IDS}
    if os.environ.get("SELFCHECK_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for org in BODY_IDS:
        added, dropped = sorted(set(got[org]) - set(want[org])), sorted(set(want[org]) - set(got[org]))
        assert got[org] == want[org], f"{org}: 基本 set changed: added {added}, dropped {dropped}"


def test_core_has_the_mandatory_yearly_checks() -> None:
    """A few checks no small body may skip in a year, whatever else moves between the levels."""
    for org in BODY_IDS:
        core = items(org, CORE)
        for must in (
            "pur-01",
            "org-01",
            "hum-07",
            "hum-11",
            "tech-03",
            "tech-17",
            "ops-03",
            "si-01",
            "pr-01",
        ):
            assert must in core, (org, must)


# --- citations that must follow the wording of each policy ---------------------------------------------


def test_law_items_cite_the_law_not_purpose_or_review() -> None:
    for org in BODY_IDS:
        for item_id in ("pur-01", "pur-02", "pr-03"):
            it = items(org)[item_id]
            assert it.clause == LAW_CLAUSE and "地方自治法" in it.clause_title, (org, item_id)
        assert cites(org, "pur-03") == "1"  # 目的 is cited by an item that checks the purpose itself


def test_onojo_mynumber_clause_gets_only_what_it_requires() -> None:
    """大野城太宰府 6(3)① limits who handles マイナンバー and checks compliance: no separation, MFA or USB item
    may cite it (a 「いいえ」 would record a gap against a clause that does not require it)."""
    onojo = items("onojo-dazaifu-kankyo")
    for item_id in ("res-03", "res-04", "res-05"):
        assert item_id not in onojo
    assert onojo["res-06"].clause == onojo["res-07"].clause == "6(3)①"
    assert {it.clause for it in onojo.values() if it.clause == "6(3)①"} == {"6(3)①"}
    assert sorted(i for i, it in onojo.items() if it.clause == "6(3)①") == ["res-06", "res-07"]
    for org in ("ogi-kansa-iin", "abira-cho", "shunan-eisei"):
        assert "res-06" not in items(org) and "res-07" not in items(org)
        assert cites(org, "res-03") == cites(org, "res-04") == cites(org, "res-05")
        assert (cites(org, "res-03") or "").endswith("(3)①")


def test_security_cloud_only_where_the_policy_names_it() -> None:
    assert cites("onojo-dazaifu-kankyo", "res-11") is None
    assert cites("gunma-sogo-jimu", "res-11") is None
    assert cites("ogi-kansa-iin", "res-11") == "6(3)③"
    assert cites("shunan-eisei", "res-11") == "7(3)③"


def test_school_networks_cite_their_definitions() -> None:
    assert cites("abira-cho", "res-12") == "2"
    assert all(cites(org, "res-12") is None for org in BODY_IDS if org != "abira-cho")


def test_council_item_only_where_the_policy_covers_the_council() -> None:
    assert cites("onojo-dazaifu-kankyo", "cmp-04") == "4"  # 議会 in 適用範囲; 5 does not name 議員
    assert cites("abira-cho", "cmp-04") == "5"  # 議会 is to keep the policy for 議員's devices
    assert cites("gunma-sogo-jimu", "cmp-04") == "5"  # 議会の議員 must comply
    assert cites("ogi-kansa-iin", "cmp-04") is None
    assert cites("shunan-eisei", "cmp-04") is None


def test_sanctions_and_laws_cite_compliance_only_where_it_says_so() -> None:
    assert cites("gunma-sogo-jimu", "cmp-03") == cites("gunma-sogo-jimu", "ops-15") == "5"  # 違反した場合は…
    assert cites("shunan-eisei", "ops-19") == "5"  # 法令その他の規則等を遵守
    for org in ("onojo-dazaifu-kankyo", "ogi-kansa-iin", "abira-cho"):
        assert cites(org, "cmp-03") == cites(org, "ops-19") == "6(7)"
    assert cites("shunan-eisei", "cmp-03") == "7(7)"
    assert cites("gunma-sogo-jimu", "ops-19") == "6(7)"


def test_new_threats_cite_the_threats_clause_only_for_ogi() -> None:
    assert cites("ogi-kansa-iin", "tech-39") == "3"  # 「新たな脅威に備え、最新の動向を踏まえて」
    assert cites("shunan-eisei", "tech-39") == "7(6)"
    assert all(cites(org, "tech-39") == "6(6)" for org in ("onojo-dazaifu-kankyo", "abira-cho"))


def test_private_standards_and_procedures_only_where_the_policy_says_so() -> None:
    assert {org for org in BODY_IDS if cites(org, "std-03")} == {"onojo-dazaifu-kankyo", "gunma-sogo-jimu"}
    assert {org for org in BODY_IDS if cites(org, "prc-04")} == set(BODY_IDS) - {"abira-cho"}
    assert cites("ogi-kansa-iin", "prc-04") == "9(2)"


def test_sns_clause_items_ask_for_what_the_clause_requires() -> None:
    """The SNS clause requires 運用手順, 発信できる情報 and 責任者; the other SNS items ask whether the 運用手順
    covers them."""
    for it in items("shunan-eisei").values():
        if it.topic == "sns" and it.id not in ("sns-01", "sns-03"):
            assert "運用手順" in it.question, it.id


# --- wording per kind ------------------------------------------------------------------------------------


def test_cisos_example_follows_the_kind() -> None:
    for org in ("onojo-dazaifu-kankyo", "gunma-sogo-jimu", "shunan-eisei"):
        assert "副管理者" in items(org)["org-01"].question
    assert "副町長" in items("abira-cho")["org-01"].question
    assert "副管理者" not in items("abira-cho")["org-01"].question
    assert "副管理者" not in items("ogi-kansa-iin")["org-01"].question
    for org in BODY_IDS:
        if CAT.profile(org).kind != "union":
            assert "副管理者" not in " ".join(it.question for it in items(org).values()), org


def test_union_words_only_for_unions() -> None:
    """構成市町村 is a 組合's word: a 町 or a 監査委員 has none."""
    for org in BODY_IDS:
        text = " ".join(it.question + it.how_to_check for it in items(org).values())
        kind = CAT.profile(org).kind
        assert ("構成市町村" in text) == (kind in ("union", "regional_union")), org


def test_guideline_edition_lives_in_one_constant() -> None:
    for it in CAT.bank:
        raw = (
            it.question
            + it.how_to_check
            + "".join((v.question or "") + (v.how_to_check or "") for v in it.variants)
        )
        assert GUIDELINE_EDITION not in raw, it.id
    assert GUIDELINE_EDITION in items("abira-cho")["std-02"].question


# --- merged near-duplicates stay merged -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kept", "gone"),
    [
        ("def-01", "res-01"),
        ("thr-01", "ops-06"),
        ("thr-02", "ops-10"),
        ("hum-11", "org-10"),
        ("pr-02", "thr-03"),
        ("ops-08", "hum-14"),
        ("si-01", "si-02"),
        ("org-02", "org-03"),
        ("scp-02", "cls-01"),
        ("cls-08", "cls-09"),
        ("hum-04", "hum-05"),
        ("cmp-01", "hum-08"),
        ("tech-09", "tech-10"),
        ("si-04", "eval-01"),
    ],
)
def test_near_duplicates_are_merged(kept: str, gone: str) -> None:
    ids = {it.id for it in CAT.bank}
    assert kept in ids and gone not in ids
