"""The built-in bank and the five real bodies: each checklist follows its own policy (numbers, titles,
segments, clauses it has and has not), covers every section and measure, and has a workable size.
The policy texts in ../shared/policies are read here to cross-check the profiles against the source."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date

import pytest

from selfcheck.catalog import builtin_catalog
from selfcheck.checklist_format import CLAUSE_RE, BankItem, ChecklistItem, Profile, derive, uncited
from selfcheck.checklist_text import SOURCE_RE, SUPPLEMENT
from selfcheck.checklist_validate import MAX_ITEMS, MIN_ITEMS
from selfcheck.vocabulary import LAW_CLAUSE, TOPICS
from tests.conftest import BODY_IDS, policy_file

CAT = builtin_catalog()
CLAUSE_FORMAT = re.compile(r"^\d+(\(\d+\)[①②③④⑤⑥⑦⑧⑨]?)?$")


def checklist(org: str) -> list[ChecklistItem]:
    return CAT.checklist(org)


def bank_item(id_: str) -> BankItem:
    return next(i for i in CAT.bank if i.id == id_)


def test_catalog_loads_cleanly() -> None:
    assert CAT.problems == []
    assert sorted(CAT.profiles) == sorted(BODY_IDS)


def test_bank_size_and_unique_ids() -> None:
    ids = [i.id for i in CAT.bank]
    assert 120 <= len(ids) <= 200
    assert [k for k, n in Counter(ids).items() if n > 1] == []


def test_bank_items_are_well_formed() -> None:
    questions = Counter(i.question for i in CAT.bank)
    assert [q for q, n in questions.items() if n > 1] == []
    for it in CAT.bank:
        assert it.topic in TOPICS
        assert it.question.endswith("。"), it.id
        assert it.how_to_check.endswith("。"), it.id
        assert re.fullmatch(r"GL \d+(\.\d+)?", it.guideline_ref), it.id
        # every item says where it comes from: statement ids of the outline, or 補足 alone
        ids = [it.source] if isinstance(it.source, str) else (it.source or [])
        assert ids == [SUPPLEMENT] or (ids and all(SOURCE_RE.match(i) for i in ids)), it.id


def test_every_framework_topic_has_items() -> None:
    topics = {i.topic for i in CAT.bank}
    for t in (
        "purpose",
        "definitions",
        "threats",
        "scope",
        "compliance",
        "standards",
        "procedures",
        "self_inspection",
        "policy_review",
        "evaluation",
        "sns",
        "external_service",
        "outsourcing_contract",
        "resilience_lgwan",
        "resilience_internet",
        "mynumber_isolation",
        "mynumber_handlers",
        "security_cloud",
        "council",
        "sanctions",
        "laws",
        "emerging_threats",
        "standards_private",
        "procedures_private",
        "local_autonomy_act",
    ):
        assert t in topics, t


def test_segment_words_only_in_segment_items() -> None:
    """A question naming a network segment must be gated on it, or bodies without it would see it."""
    words = {"LGWAN": "lgwan", "マイナンバー": "mynumber", "特定個人情報": "mynumber", "校務": "school_admin"}
    for it in CAT.bank:
        text = it.question + it.how_to_check
        for word, seg in words.items():
            if word in text:
                assert seg in it.requires_segments, (it.id, word)


@pytest.mark.parametrize("org", BODY_IDS)
def test_coverage_and_size(org: str) -> None:
    prof = CAT.profile(org)
    items = checklist(org)
    assert uncited(items, prof) == []
    assert MIN_ITEMS <= len(items) <= MAX_ITEMS
    assert len({it.id for it in items}) == len(items)


@pytest.mark.parametrize("org", BODY_IDS)
def test_items_cite_existing_clauses_with_own_titles(org: str) -> None:
    prof = CAT.profile(org)
    titles = prof.clause_titles()
    for it in checklist(org):
        if it.clause == LAW_CLAUSE:  # the duty to adopt and publish the policy is the law's, not a clause's
            assert it.topic == "local_autonomy_act" and "地方自治法" in it.clause_title
            continue
        assert CLAUSE_FORMAT.match(it.clause), it.clause
        assert it.clause.isascii() or it.clause[-1] in "①②③④⑤⑥⑦⑧⑨"
        assert it.clause in titles
        assert it.clause_title == titles[it.clause] != ""
        assert it.section_title == titles[it.section] != ""
    for number in titles:
        assert CLAUSE_RE.match(number)


def _ids(org: str) -> set[str]:
    return {it.id for it in checklist(org)}


def _by_topic(org: str, topic: str) -> list[ChecklistItem]:
    return [it for it in checklist(org) if it.topic == topic]


@pytest.mark.parametrize("org", ["onojo-dazaifu-kankyo", "gunma-sogo-jimu"])
def test_no_lgwan_items_without_lgwan(org: str) -> None:
    for it in checklist(org):
        assert "lgwan" not in bank_item(it.id).requires_segments
        assert it.topic != "resilience_lgwan"
        assert "LGWAN" not in it.question + it.how_to_check


def test_gunma_has_no_mynumber_items() -> None:
    for it in checklist("gunma-sogo-jimu"):
        assert "mynumber" not in bank_item(it.id).requires_segments
        assert "マイナンバー" not in it.question and "特定個人情報" not in it.question


def test_abira_has_no_sns_items_but_school_items() -> None:
    assert _by_topic("abira-cho", "sns") == []
    assert "sns" not in CAT.profile("abira-cho").clauses
    assert any("school_admin" in bank_item(i).requires_segments for i in _ids("abira-cho"))
    # nobody else defines the school segments
    for org in BODY_IDS:
        if org != "abira-cho":
            assert not any("school_admin" in bank_item(i).requires_segments for i in _ids(org))


def test_shunan_cites_section_7_measures() -> None:
    cited = {it.clause for it in checklist("shunan-eisei")}
    for n in range(1, 10):
        assert f"7({n})" in cited or any(c.startswith(f"7({n})") for c in cited)
    sns = _by_topic("shunan-eisei", "sns")
    assert sns and {it.clause for it in sns} == {"7(8)③"}
    assert {it.clause for it in _by_topic("shunan-eisei", "outsourcing_contract")} == {"6"}
    assert {it.clause_title for it in _by_topic("shunan-eisei", "outsourcing_contract")} == {"業務委託の管理"}
    assert {it.clause for it in _by_topic("shunan-eisei", "self_inspection")} == {"7(9)"}
    assert {it.clause for it in _by_topic("shunan-eisei", "external_service")} == {"7(8)②"}
    assert not any(it.clause.startswith("6(") for it in checklist("shunan-eisei"))


def test_ogi_section_9_has_standards_and_procedures() -> None:
    assert {it.clause for it in _by_topic("ogi-kansa-iin", "standards")} == {"9(1)"}
    assert {it.clause for it in _by_topic("ogi-kansa-iin", "procedures")} == {"9(2)"}
    titles = CAT.profile("ogi-kansa-iin").clause_titles()
    assert titles["9(1)"] == "対策基準の策定" and titles["9(2)"] == "実施手順の策定"
    assert titles["6(1)"] == "組織体制の確立"
    assert "附則" not in titles.values()


def test_measure_children_only_where_the_text_has_them() -> None:
    def children(org: str, number: str) -> list[str]:
        m = next(m for m in CAT.profile(org).measures if m.number == number)
        return [c.number for c in m.children]

    assert children("onojo-dazaifu-kankyo", "6(3)") == ["6(3)①", "6(3)②"]
    assert children("ogi-kansa-iin", "6(3)") == ["6(3)①", "6(3)②", "6(3)③"]
    assert children("abira-cho", "6(3)") == ["6(3)①", "6(3)②", "6(3)③"]
    assert children("gunma-sogo-jimu", "6(3)") == []
    assert children("shunan-eisei", "7(3)") == ["7(3)①", "7(3)②", "7(3)③"]
    for org in ("onojo-dazaifu-kankyo", "ogi-kansa-iin", "abira-cho", "gunma-sogo-jimu"):
        assert children(org, "6(8)") == []
    assert children("shunan-eisei", "7(8)") == ["7(8)①", "7(8)②", "7(8)③"]
    titles = CAT.profile("onojo-dazaifu-kankyo").clause_titles()
    assert (titles["6(3)①"], titles["6(3)②"]) == ("マイナンバー利用事務系", "インターネット接続")


def test_profile_particulars() -> None:
    p = CAT.profiles
    assert p["gunma-sogo-jimu"].threat_count == 4
    assert all(p[o].threat_count == 5 for o in BODY_IDS if o != "gunma-sogo-jimu")
    assert p["gunma-sogo-jimu"].adopted == date(2026, 4, 1)
    assert any("日の記載がない" in n for n in p["gunma-sogo-jimu"].notes)
    assert {o: p[o].kind for o in BODY_IDS} == {
        "onojo-dazaifu-kankyo": "union",
        "ogi-kansa-iin": "committee",
        "abira-cho": "town",
        "gunma-sogo-jimu": "union",
        "shunan-eisei": "union",
    }
    assert {o: set(p[o].segments) for o in BODY_IDS} == {
        "onojo-dazaifu-kankyo": {"mynumber", "internet"},
        "ogi-kansa-iin": {"mynumber", "lgwan", "internet"},
        "abira-cho": {"mynumber", "lgwan", "internet", "school_admin", "school_edu"},
        "gunma-sogo-jimu": {"internet"},
        "shunan-eisei": {"mynumber", "lgwan", "internet"},
    }
    gunma = [m.title for m in p["gunma-sogo-jimu"].measures]
    assert gunma[:4] == ["組織体制", "分類と管理", "強靱性の向上", "物理的対策"]


# --- cross-check against the policy texts -------------------------------------------------------------


def _policy(org: str) -> str:
    """The policy text with whitespace and markdown emphasis removed, NFKC-normalised (half-width
    parentheses, digits), so that "L GWAN" or "**組織体制**：" compare equal to the profile's titles."""
    path = policy_file(org)
    text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))
    return re.sub(r"[\s*]", "", text)


def _norm(s: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))


@pytest.mark.parametrize("org", BODY_IDS)
def test_titles_appear_in_policy_text(org: str) -> None:
    text = _policy(org)
    prof = CAT.profile(org)
    assert _norm(prof.policy_title) in text
    assert _norm(prof.name) in text
    for s in prof.sections:
        # a section heading is its number then its title ("1 目的", "1. 目的")
        assert re.search(rf"(?<![\d(]){s.number}\.?{re.escape(_norm(s.title))}", text), (s.number, s.title)
        for c in s.children:
            sub = c.number[len(s.number) :]
            assert _norm(sub + c.title) in text, (c.number, c.title)
    for m in prof.measures:
        sub = m.number[len(prof.measures_section) :]
        assert re.search(rf"{re.escape(sub)}:?{re.escape(_norm(m.title))}", text), (m.number, m.title)
        for c in m.children:
            assert _norm(c.number[-1] + c.title) in text, (c.number, c.title)


@pytest.mark.parametrize("org", BODY_IDS)
def test_adopted_date_matches_text(org: str) -> None:
    prof = CAT.profile(org)
    text = _policy(org)
    assert _norm(prof.adopted_text).replace("策定", "").replace("制定", "") in text
    m = re.search(r"令和(\d+)年(\d+)月(?:(\d+)日)?", _norm(prof.adopted_text))
    assert m and prof.adopted == date(2018 + int(m[1]), int(m[2]), int(m[3] or 1))


def _section_body(prof: Profile, text: str, topic: str) -> str:
    """The body of the section with `topic`, up to the next section's heading (the last match of each
    heading is used, which skips a table of contents)."""
    numbers = [s.number for s in prof.sections]
    i = next(k for k, s in enumerate(prof.sections) if s.topic == topic)

    def heading(k: int) -> int:
        s = prof.sections[k]
        found = list(re.finditer(rf"(?<![\d(]){s.number}\.?{re.escape(_norm(s.title))}", text))
        return found[-1].start()

    start = heading(i)
    end = heading(i + 1) if i + 1 < len(numbers) else len(text)
    return text[start:end]


@pytest.mark.parametrize("org", BODY_IDS)
def test_threat_count_and_segments_follow_text(org: str) -> None:
    prof = CAT.profile(org)
    text = _policy(org)
    threats = _section_body(prof, text, "threats")
    assert len(re.findall(r"\((\d+)\)", threats)) == prof.threat_count
    definitions = _section_body(prof, text, "definitions")
    labels = {
        "mynumber": "マイナンバー利用事務系",
        "lgwan": "LGWAN接続系",
        "internet": "インターネット接続系",
        "school_admin": "校務情報系",
        "school_edu": "教育情報系",
    }
    assert {seg for seg, label in labels.items() if label in definitions} == set(prof.segments)


@pytest.mark.parametrize("org", BODY_IDS)
def test_sns_mapped_only_where_text_has_it(org: str) -> None:
    has_sns = "ソーシャルメディア" in _policy(org) or "SNS" in _policy(org)
    assert ("sns" in CAT.profile(org).clauses) == has_sns


def test_clause_numbers_are_ascii_except_circled_digits() -> None:
    for org in BODY_IDS:
        prof: Profile = CAT.profile(org)
        for number in prof.clause_titles():
            assert re.fullmatch(r"[0-9()]+[①-⑳]?", number), number
        for number in prof.clauses.values():
            assert re.fullmatch(r"[0-9()]+[①-⑳]?", number), number


def test_derive_is_stable() -> None:
    """The same bank and profile give the same checklist (inspections snapshot it)."""
    prof = CAT.profile("shunan-eisei")
    assert derive(CAT.bank, prof) == derive(CAT.bank, prof)
