"""Reading real-world variants: encodings, line ends, numbering styles, 目次, a following 対策基準, dates,
kinds, and the wording of a clause."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from selfcheck.policy_import.build import (
    draft_from_bytes,
    draft_from_file,
    draft_from_text,
    kind_of,
)
from selfcheck.policy_import.decode import decode_bytes
from selfcheck.policy_import.wording import clause_text
from tests.conftest import policy_file, policy_text

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.replace("\n", "\r\n").encode("cp932"), "cp932"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be", "cp932-crlf"],
)
def test_encodings_give_the_same_profile(encode: Callable[[str], bytes], expected: str) -> None:
    text, enc = decode_bytes(encode(policy_text("shunan-eisei")))
    assert enc == expected
    assert "\r" not in text
    assert draft_from_text(text).profile() == draft_from_text(policy_text("shunan-eisei")).profile()


def test_cp932_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "sjis.txt"
    path.write_bytes(policy_text("shunan-eisei").replace("\n", "\r\n").encode("cp932"))
    assert draft_from_file(path).profile().clauses["sns"] == "7(8)③"


def test_full_width_digits_and_spaces_keep_original_titles() -> None:
    text = (
        policy_text("shunan-eisei")
        .replace("7. 情報セキュリティ対策", "７．　情報セキュリティ対策")
        .replace("(4) 物理", "（４）　物理")
    )
    prof = draft_from_text(text).profile()
    assert prof.measures_section == "7"
    assert [m.title for m in prof.measures][3] == "物理的セキュリティ対策"


def test_markdown_bold_and_circled_paren_numbers() -> None:
    text = (
        policy_text("shunan-eisei")
        .replace("(1) 組織体制\n", "- ⑴ **組織体制**：\n")
        .replace("(2) 情報資産の分類と管理", "## (2) 情報資産の分類と管理")
    )
    prof = draft_from_text(text).profile()
    assert prof.measures[0].title == "組織体制" and prof.measures[0].topic == "organization"
    assert prof.clauses["classification"] == "7(2)"


def test_article_style_with_heading_lines_toc_and_following_standards() -> None:
    d = draft_from_file(DATA / "article-style.txt")
    prof = d.profile()
    assert [s.title for s in prof.sections][:3] == ["目的", "定義", "対象とする脅威"]
    assert prof.kind == "town" and prof.name == "○○村"
    assert prof.adopted == date(2025, 10, 1)
    assert prof.segments == ["mynumber", "lgwan", "internet"]
    assert prof.clauses["resilience_lgwan"] == "6(3)②"  # イ is read as ②
    assert prof.clauses["sns"] == "6(8)" and prof.clauses["self_inspection"] == "6(9)"
    assert any("対策基準" in w and "終えました" in w for w in d.warnings)
    assert "副村長" not in clause_text(d.text, prof, "8")  # the 対策基準 after the policy is not part of it
    assert "前項" in clause_text(d.text, prof, "4")  # 「2 前項の…」 is a paragraph of 第4条, not a section


def test_dai_style_full_width_and_paren_circled() -> None:
    prof = draft_from_file(DATA / "dai-fullwidth.txt").profile()
    assert prof.kind == "regional_union" and prof.adopted == date(2025, 4, 1)
    assert prof.threat_count == 2
    assert prof.measures_section == "6" and len(prof.measures) == 6
    assert prof.segments == ["lgwan", "internet"]


def test_dash_style_is_read_with_a_warning() -> None:
    d = draft_from_file(DATA / "dash-style.txt")
    assert [s.topic for s in d.profile().sections] == [
        "purpose",
        "threats",
        "scope",
        "measures",
        "standards",
        "procedures",
    ]
    assert d.profile().kind == "city"
    assert any("1―1" in w for w in d.warnings)


def test_table_of_contents_with_page_numbers_is_skipped() -> None:
    d = draft_from_file(policy_file("onojo-dazaifu-kankyo"))
    assert [s.number for s in d.profile().sections] == [str(i) for i in range(1, 11)]
    assert clause_text(d.text, d.profile(), "1").startswith("1 目的\n本基本方針は")


def test_preface_and_supplementary_are_not_sections() -> None:
    abira = draft_from_file(policy_file("abira-cho")).profile()
    assert abira.sections[0].title == "目的"
    ogi = draft_from_file(policy_file("ogi-kansa-iin")).profile()
    assert ogi.sections[-1].number == "9" and all(s.topic != "supplementary" for s in ogi.sections)


def test_adoption_dates_and_missing_day() -> None:
    assert draft_from_file(policy_file("ogi-kansa-iin")).adopted == date(2026, 3, 24)
    gunma = draft_from_file(policy_file("gunma-sogo-jimu"))
    assert gunma.adopted == date(2026, 4, 1)
    assert any("日付がない" in w for w in gunma.warnings)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("周南地区衛生施設組合", "union"),
        ("小城市監査委員", "committee"),
        ("安平町", "town"),
        ("○○村", "town"),
        ("周南市", "city"),
        ("群馬県市町村総合事務組合", "union"),
        ("福岡県後期高齢者医療広域連合", "regional_union"),
    ],
)
def test_kind_from_name(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def test_page_break_inside_a_word_is_joined() -> None:
    ogi = draft_from_file(policy_file("ogi-kansa-iin"))
    assert "プログラム上の欠陥" in clause_text(ogi.text, ogi.profile(), "3(2)")
    shunan = draft_from_text(policy_text("shunan-eisei"))
    assert "十分な教育及び啓発" in clause_text(policy_text("shunan-eisei"), shunan.profile(), "7(5)")


def test_clause_text_of_a_sub_item_and_unknown_clause() -> None:
    prof = draft_from_text(policy_text("shunan-eisei")).profile()
    assert clause_text(policy_text("shunan-eisei"), prof, "7(8)③").startswith(
        "③ソーシャルメディアサービスを利用する場合"
    )
    assert "L GWAN" in clause_text(
        policy_text("shunan-eisei"), prof, "7(3)②"
    )  # display keeps the original characters
    assert clause_text(policy_text("shunan-eisei"), prof, "12(1)") == ""
    assert clause_text(policy_text("shunan-eisei"), prof, "not a clause") == ""


def test_unknown_name_gets_a_stable_ascii_id() -> None:
    a = draft_from_file(DATA / "dai-fullwidth.txt").org_id
    assert a == draft_from_file(DATA / "dai-fullwidth.txt").org_id
    assert a.startswith("union-") and a.isascii()
    assert draft_from_file(DATA / "dai-fullwidth.txt", org_id="my-union").org_id == "my-union"


def test_corrections_change_the_clause_mapping() -> None:
    d = draft_from_text(policy_text("shunan-eisei"))
    d.set_topic("7(7)", "human")  # deeper/earlier heading rules still apply: human stays at 7(5)
    assert d.profile().clauses["human"] == "7(5)"
    assert "operation" not in d.profile().clauses
    d.remove_segment("lgwan")
    assert all(it.id for it in d.items())
    d.add_segment("school_edu")
    assert d.profile().segments == ["mynumber", "internet", "school_edu"]


def test_bytes_entry_point() -> None:
    assert draft_from_bytes(policy_text("shunan-eisei").encode("utf-16")).org_id == "shunan-eisei"
