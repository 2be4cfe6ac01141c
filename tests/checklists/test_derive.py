"""derive(bank, profile) and uncited() on small inline data: which items appear, what they cite, in what
order, and which clauses count as covered."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import ValidationError

from selfcheck.checklist_format import BankItem, Kind, Level, Profile, derive, section_of, uncited
from selfcheck.vocabulary import GUIDELINE_EDITION, KIND_LABELS, LAW_CLAUSE, LEVELS


def item(id_: str, topic: str, *segments: str, level: str = "基本", **extra: object) -> BankItem:
    return BankItem.model_validate(
        {
            "id": id_,
            "topic": topic,
            "level": level,
            "question": f"{id_} の質問文です。",
            "how_to_check": "記録を確認する。",
            "guideline_ref": "GL 1",
            "requires_segments": list(segments),
            **extra,
        }
    )


BANK = [
    item("pur-01", "purpose"),
    item("org-01", "organization"),
    item("res-01", "resilience"),
    item("res-02", "resilience_mynumber", "mynumber"),
    item("res-03", "resilience_lgwan", "lgwan"),
    item("res-04", "resilience_internet", "internet"),
    item("res-05", "resilience", "school_admin", "school_edu"),
    item("sns-01", "sns"),
    item("si-01", "self_inspection"),
]


def profile(**over: object) -> Profile:
    data: dict[str, object] = {
        "id": "sample",
        "name": "見本組合",
        "policy_title": "見本組合情報セキュリティ基本方針",
        "threat_count": 5,
        "segments": ["mynumber", "internet"],
        "sections": [
            {"number": "1", "title": "目的"},
            {"number": "6", "title": "情報セキュリティ対策"},
            {"number": "7", "title": "情報セキュリティ監査及び自己点検の実施"},
        ],
        "measures_section": "6",
        "measures": [
            {"number": "6(1)", "title": "組織体制"},
            {
                "number": "6(3)",
                "title": "強靱性の向上",
                "children": [
                    {"number": "6(3)①", "title": "マイナンバー利用事務系"},
                    {"number": "6(3)②", "title": "インターネット接続"},
                ],
            },
            {"number": "6(8)", "title": "業務委託と外部サービスの利用"},
        ],
        "clauses": {
            "purpose": "1",
            "organization": "6(1)",
            "resilience": "6(3)",
            "resilience_mynumber": "6(3)①",
            "resilience_internet": "6(3)②",
            "sns": "6(8)",
            "self_inspection": "7",
        },
    }
    data.update(over)
    return Profile.model_validate(data)


def test_items_follow_mapped_topics_and_segments() -> None:
    ids = [it.id for it in derive(BANK, profile())]
    # res-03 needs lgwan (not defined), res-05 needs both school segments
    assert ids == ["pur-01", "org-01", "res-01", "res-02", "res-04", "sns-01", "si-01"]


def test_unmapped_topic_drops_its_items() -> None:
    clauses = {k: v for k, v in profile().clauses.items() if k != "sns"}
    ids = [it.id for it in derive(BANK, profile(clauses=clauses))]
    assert "sns-01" not in ids


def test_all_required_segments_must_be_present() -> None:
    only_admin = profile(segments=["mynumber", "internet", "school_admin"])
    assert "res-05" not in [it.id for it in derive(BANK, only_admin)]
    both = profile(segments=["mynumber", "internet", "school_admin", "school_edu"])
    assert "res-05" in [it.id for it in derive(BANK, both)]


def test_item_cites_body_clause_and_titles() -> None:
    items = {it.id: it for it in derive(BANK, profile())}
    res2 = items["res-02"]
    assert (res2.clause, res2.clause_title) == ("6(3)①", "マイナンバー利用事務系")
    assert (res2.section, res2.section_title) == ("6(3)", "強靱性の向上")
    assert items["si-01"].clause == "7"
    assert items["si-01"].section_title == "情報セキュリティ監査及び自己点検の実施"


def test_order_is_by_clause_then_bank_order_and_positions_are_consecutive() -> None:
    bank = [item("b-01", "self_inspection"), item("b-02", "purpose"), item("b-03", "purpose")]
    out = derive(bank, profile())
    assert [it.id for it in out] == ["b-02", "b-03", "b-01"]
    assert [it.position for it in out] == [1, 2, 3]


def test_uncited_counts_children_for_parents() -> None:
    prof = profile()
    full = derive(BANK, prof)
    assert uncited(full, prof) == []
    # without the mynumber item, 6(3)① is uncited but 6(3) and 6 are still covered by other items
    partial = [it for it in full if it.id != "res-02"]
    assert uncited(partial, prof) == ["6(3)①"]
    # only a child cited: the parent measure and the section count as cited
    child_only = [it for it in full if it.id in {"res-02", "res-04", "pur-01", "si-01", "org-01", "sns-01"}]
    assert uncited(child_only, prof) == []


def test_uncited_lists_sections_and_measures_in_policy_order() -> None:
    prof = profile()
    assert uncited([], prof) == ["1", "6", "7", "6(1)", "6(3)", "6(3)①", "6(3)②", "6(8)"]


def test_section_of() -> None:
    assert section_of("6(3)②") == "6(3)"
    assert section_of("9(1)") == "9(1)"
    assert section_of("3") == "3"


@pytest.mark.parametrize(
    ("clauses", "loc"),
    [
        ({"purpose": "1", "sns": "6(8)③"}, ("clauses", "sns")),  # no such clause
        ({"purpose": "1", "bogus": "1"}, ("clauses", "bogus")),  # no such topic
        ({"purpose": "1", "human": "6-5"}, ("clauses", "human")),  # not a clause number
    ],
)
def test_bad_clause_mapping_is_reported_at_its_key(clauses: dict[str, str], loc: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as exc:
        profile(clauses=clauses)
    assert [e["loc"] for e in exc.value.errors()] == [loc]


# --- levels, kinds, the law, placeholders ---------------------------------------------------------------


def test_level_filter_keeps_order_and_numbers_positions_within_the_set() -> None:
    bank = [
        item("a-01", "purpose"),
        item("a-02", "organization", level="詳細"),
        item("a-03", "self_inspection"),
    ]
    full = derive(bank, profile())
    assert [(it.id, it.level) for it in full] == [("a-01", "基本"), ("a-02", "詳細"), ("a-03", "基本")]
    core = derive(bank, profile(), level="基本")
    assert [(it.id, it.position) for it in core] == [("a-01", 1), ("a-03", 2)]
    assert "level" in full[0].as_dict()


def test_variant_wording_follows_the_body_kind() -> None:
    it = item(
        "org-01",
        "organization",
        variants=[
            {"kinds": ["union", "regional_union"], "question": "CISOを指名している（副管理者など）。"},
            {
                "kinds": ["town"],
                "question": "CISOを指名している（副町長など）。",
                "how_to_check": "体制表を見る。",
            },
        ],
    )
    union = derive([it], profile(kind="union"))[0]
    town = derive([it], profile(kind="town"))[0]
    committee = derive([it], profile(kind="committee"))[0]
    assert "副管理者" in union.question and union.how_to_check == "記録を確認する。"
    assert "副町長" in town.question and town.how_to_check == "体制表を見る。"
    assert committee.question == "org-01 の質問文です。"
    assert "副" not in committee.question


def test_law_items_cite_the_law_for_every_body_and_come_first() -> None:
    bank = [item("pur-03", "purpose"), item("pur-01", "local_autonomy_act")]
    out = derive(bank, profile())
    assert [it.id for it in out] == ["pur-01", "pur-03"]
    law = out[0]
    assert law.clause == law.section == LAW_CLAUSE
    assert "地方自治法" in law.clause_title and law.section_title == law.clause_title
    # a law item never makes a policy clause count as cited
    assert uncited([law], profile())[0] == "1"


def test_law_topics_cannot_be_mapped_to_a_clause() -> None:
    with pytest.raises(ValidationError) as exc:
        profile(clauses={"purpose": "1", "local_autonomy_act": "1"})
    assert [e["loc"] for e in exc.value.errors()] == [("clauses", "local_autonomy_act")]


def test_guideline_placeholder_is_filled_in() -> None:
    it = item("std-02", "purpose", question="対策基準を現行の{guideline}に照らして見直している。")
    assert GUIDELINE_EDITION in derive([it], profile())[0].question
    assert "{" not in derive([it], profile())[0].question


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"question": "現行のガイドライン（令和7年3月版）に照らしている。"}, "question"),  # edition in text
        ({"question": "現行の{edition}に照らしている。"}, "question"),  # unknown placeholder
        ({"question": "波かっこ { だけがある質問です。"}, "question"),
        ({"how_to_check": "職員数名に聞いて確かめる。"}, "how_to_check"),  # names no document or record
        ({"source": "C-4-4-03"}, "source"),
        ({"source": ["C-4.4-03", "補足"]}, "source"),
        ({"source": ["C-4.4-03", "C-4.4-03"]}, "source"),
        ({"source": []}, "source"),
        ({"level": "重要"}, "level"),
        ({"variants": [{"kinds": ["union"]}]}, "variants"),
        (
            {
                "variants": [
                    {"kinds": ["union"], "question": "一つ目の質問です。"},
                    {"kinds": ["union"], "question": "二つ目の質問です。"},
                ]
            },
            "variants",
        ),
        ({"variants": [{"kinds": ["village"], "question": "村の質問です。"}]}, "variants"),
        ({"variants": [{"kinds": ["town"], "how_to_check": "聞いて確かめる。"}]}, "variants"),
    ],
)
def test_bad_bank_item_is_refused_at_its_field(over: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        item("x-01", "purpose", **over)
    assert {e["loc"][0] for e in exc.value.errors()} == {field}


def test_source_may_be_one_id_or_a_list() -> None:
    assert item("x-01", "purpose", source="C-4.4-03").sources == ["C-4.4-03"]
    assert item("x-01", "purpose", source=["C-5.3-01", "C-1-10"]).sources == ["C-5.3-01", "C-1-10"]
    assert item("x-01", "purpose", source="補足").sources == []


def test_schema_types_agree_with_the_vocabulary() -> None:
    assert set(get_args(Kind)) == set(KIND_LABELS)
    assert get_args(Level) == LEVELS
