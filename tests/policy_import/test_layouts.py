"""Layouts bodies really publish (fictional bodies): 例規集 pages with a 目次 of 章/節 and captions above the
articles, 第N with （趣旨）, 一 numbering, an 教育委員会's policy, a web page with numbered definitions, text
copied out of a PDF viewer (one long line, hard wraps with running headers, spaced characters), and Word
files whose 「第1条」 is automatic numbering."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.errors import ImportRejected
from selfcheck.policy_import.build import draft_from_bytes, draft_from_file, draft_from_text
from selfcheck.policy_import.wording import clause_text
from tests.conftest import BODY_IDS, policy_text
from tests.policy_import.formats import article_docx, spaced_pdf, to_docx, to_pdf

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"
STANDARD = ["purpose", "definitions", "threats", "scope", "compliance", "measures"]


def test_reiki_page_with_chapter_toc_and_captions() -> None:
    d = draft_from_file(DATA / "reiki-kunrei.txt")
    prof = d.profile()
    assert prof.name == "梅ヶ丘町" and prof.policy_title == "梅ヶ丘町情報セキュリティポリシー"
    assert [s.number for s in prof.sections] == [str(n) for n in range(1, 11)]
    assert [s.title for s in prof.sections][:3] == ["目的", "定義", "対象とする脅威"]
    assert [s.topic for s in prof.sections][:6] == STANDARD
    assert prof.clauses["standards"] == "9" and prof.clauses["procedures"] == "10"
    assert prof.clauses["resilience_lgwan"] == "6(3)②" and prof.threat_count == 4
    assert any("情報セキュリティ対策基準" in w and "終えました" in w for w in d.warnings)
    assert "副町長" not in clause_text(d.text, prof, "10")  # chapter 2 (the 対策基準) is not the policy
    assert "前項" not in clause_text(d.text, prof, "4") and "対象とする情報資産" in clause_text(
        d.text, prof, "4"
    )


def test_dai_with_captions_and_kanji_items() -> None:
    prof = draft_from_file(DATA / "dai-caption.txt").profile()
    assert prof.name == "桜川地区広域行政事務組合" and prof.kind == "union"
    assert [s.title for s in prof.sections][:2] == ["趣旨", "定義"]
    assert prof.sections[0].topic == "purpose" and prof.threat_count == 3
    assert len(prof.measures) == 9 and prof.measures[3].topic == "physical"
    assert prof.clauses["standards_procedures"] == "7"


def test_education_board_whose_last_section_holds_the_procedures() -> None:
    prof = draft_from_file(DATA / "kyoiku-iinkai.txt").profile()
    assert prof.name == "△△市教育委員会" and prof.kind == "committee"
    assert prof.sections[-1].title == "教育情報セキュリティ対策基準の策定"


def test_web_page_definitions_are_items_not_sections() -> None:
    d = draft_from_file(DATA / "web-definitions.html")
    prof = d.profile()
    assert d.source_kind == "html" and "cp932" in d.source_detail
    assert prof.name == "鶴見沢村" and prof.adopted is not None
    assert [s.number for s in prof.sections] == [str(n) for n in range(1, 9)]
    assert prof.segments == ["mynumber", "lgwan", "internet"] and prof.threat_count == 4
    assert clause_text(d.text, prof, "2").count("をいう") == 6
    for furniture in ("くらし", "トップ", "このページの先頭へ", "個人情報保護方針", "Copyright", "gaq"):
        assert furniture not in d.text, furniture


@pytest.mark.parametrize("encoding", ["utf-8", "euc_jp", "cp932"])
def test_web_page_in_each_charset(encoding: str) -> None:
    page = (DATA / "web-definitions.html").read_bytes().decode("cp932")
    charset = {"utf-8": "UTF-8", "euc_jp": "EUC-JP", "cp932": "Shift_JIS"}[encoding]
    page = page.replace("charset=Shift_JIS", f"charset={charset}")
    want = draft_from_file(DATA / "web-definitions.html").profile()
    assert draft_from_bytes(page.encode(encoding), ext=".html").profile() == want
    # a page that names the wrong charset is still read, with a warning
    wrong = page.replace(f"charset={charset}", "charset=UTF-8" if encoding != "utf-8" else "charset=EUC-JP")
    got = draft_from_bytes(wrong.encode(encoding), ext=".htm")
    assert got.profile() == want


def _one_line(text: str) -> str:
    return " ".join(ln.strip() for ln in text.split("\n") if ln.strip())


def _hard_wrapped(text: str, width: int = 36) -> str:
    """Cut every 36 characters, with 「- n -」 and the title as a running header every 40 lines."""
    title = text.strip().split("\n")[0]
    out: list[str] = []
    page = 1
    for line in (ln.strip() for ln in text.split("\n")):
        while line:
            out.append(line[:width])
            line = line[width:]
            if len(out) % 44 == 40:
                out += ["", f"- {page} -", "\x0c" + title, ""]
                page += 1
    return "\n".join(out)


def _spaced(text: str) -> str:
    return "\n".join("  ".join(" ".join(w) for w in ln.split()) for ln in text.split("\n"))


@pytest.mark.parametrize("body_id", BODY_IDS)
def test_text_copied_from_a_pdf_viewer(body_id: str) -> None:
    text = policy_text(body_id)
    want = draft_from_text(text).profile()
    assert draft_from_text(_hard_wrapped(text)).profile() == want
    assert draft_from_text(_spaced(text)).profile() == want
    one = draft_from_text(_one_line(text)).profile()
    assert one.clauses == want.clauses and one.segments == want.segments
    assert [(s.number, s.title) for s in one.sections] == [(s.number, s.title) for s in want.sections]
    assert one.name == want.name and one.threat_count == want.threat_count


def test_pdf_with_a_gap_after_every_character() -> None:
    lines = (DATA / "dai-caption.txt").read_text(encoding="utf-8").split("\n")
    d = draft_from_bytes(spaced_pdf([ln for ln in lines if ln.strip()]), ext=".pdf")
    prof = d.profile()
    assert prof.name == "桜川地区広域行政事務組合"
    assert [s.title for s in prof.sections][:3] == ["趣旨", "定義", "対象とする脅威"]
    assert prof.measures[0].title == "組織体制"


def test_word_automatic_article_numbers_are_rebuilt() -> None:
    text = (DATA / "reiki-kunrei.txt").read_text(encoding="utf-8")
    pairs: list[tuple[str, str]] = []
    caption = ""
    policy = text[text.index("(目的)") : text.rindex("第2章　情報セキュリティ対策基準\n第1節")]
    for line in policy.split("\n"):
        line = line.strip()
        if line.startswith("(") and line.endswith(")"):
            caption = line
        elif line.startswith("第") and "条" in line[:5]:
            pairs.append((caption, line.split("\u3000", 1)[1]))
            caption = ""
        elif line.startswith("(") and pairs:
            pairs.append(("", "\t" + line.split("\u3000", 1)[1]))
        elif line and pairs and not line.startswith("第"):
            pairs.append(("", "\u3000" + line))
    head = [("", "○梅ヶ丘町情報セキュリティポリシー"), ("", "　平成27年3月31日訓令第4号")]
    body = article_docx([(c, b) for c, b in head if b.startswith("\u3000")] + pairs)
    d = draft_from_bytes(body, ext=".docx")
    assert "第１条 この訓令は" in d.text
    assert [s.title for s in d.profile().sections][:3] == ["目的", "定義", "対象とする脅威"]
    assert d.profile().clauses["standards"] == "9"


@pytest.mark.parametrize("body_id", ["ogi-kansa-iin", "shunan-eisei"])
def test_word_headings_without_numbers_are_numbered_in_order(body_id: str) -> None:
    text = policy_text(body_id)
    d = draft_from_bytes(to_docx(text, auto_numbers=False), ext=".docx")
    assert d.profile() == draft_from_text(text).profile()


def test_pdf_made_from_a_reiki_page() -> None:
    text = (DATA / "reiki-kunrei.txt").read_text(encoding="utf-8")
    d = draft_from_bytes(to_pdf(text, header="梅ヶ丘町例規集"), ext=".pdf")
    assert d.profile() == draft_from_file(DATA / "reiki-kunrei.txt").profile()


def test_kanji_numbered_sections_and_toc_with_leaders() -> None:
    text = policy_text("shunan-eisei")
    kanji = "一二三四五六七八九十"
    toc = "目次\n" + "".join(f"{k}、節の名前……………{i + 1}\n" for i, k in enumerate(kanji[:9]))
    for n in range(9, 0, -1):
        text = text.replace(f"\n{n}. ", f"\n{kanji[n - 1]}、")
    d = draft_from_text(toc + text)
    assert d.parsed.style == "kanji"
    assert d.profile().clauses == draft_from_text(policy_text("shunan-eisei")).profile().clauses


def test_cut_off_text_is_incomplete_and_names_the_last_section() -> None:
    text = (DATA / "reiki-kunrei.txt").read_text(encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        draft_from_text(text[: text.index("(情報セキュリティ対策)")])
    assert exc.value.reason == "incomplete"
    assert "5「職員等の遵守義務」" in exc.value.message_ja
    found = exc.value.found
    assert found["organization"] == "梅ヶ丘町"
    assert [s["number"] for s in found["sections"]] == ["1", "2", "3", "4", "5"]  # type: ignore[index]
    assert "遵守しなければならない" in str(found["last_line_read"])


def test_title_only_is_incomplete_and_prose_is_not_a_policy() -> None:
    with pytest.raises(ImportRejected) as exc:
        draft_from_text("○○町情報セキュリティ基本方針\n\n令和8年4月1日\n")
    assert exc.value.reason == "incomplete"
    with pytest.raises(ImportRejected) as exc:
        draft_from_file(DATA / "recipe.txt")
    assert exc.value.reason == "not_policy"
    with pytest.raises(ImportRejected) as exc:  # the first article read: cut off, not "not a policy"
        draft_from_text(
            "（目的）\n第1条　この訓令は、情報セキュリティ対策の基本的な事項を定めることを目的とする。\n"
        )
    assert exc.value.reason == "incomplete" and "1「目的」" in exc.value.message_ja


def test_reiki_mark_is_not_part_of_the_name() -> None:
    text = (DATA / "dai-caption.txt").read_text(encoding="utf-8")
    assert draft_from_text(text).name == "桜川地区広域行政事務組合"
    assert draft_from_file(DATA / "article-style.txt").name == "○○村"  # a placeholder name keeps its ○○
