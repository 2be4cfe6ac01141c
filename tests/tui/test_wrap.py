"""Japanese line breaking in the TUI (禁則処理): no closing mark starts a line, no opening mark ends one,
nothing is lost or reordered, and a date or a number is never split (BudouX alone splits 「令和|9年」)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from selfcheck.tui.widgets.wrap import NO_END, NO_START, break_lines, phrases, wrap_text

SENTENCES = [
    "基本方針を、地方自治法に基づく「サイバーセキュリティを確保するための方針」として組織で正式に決定し"
    "（決裁・告示・訓令等）、決定日が記録されている。",
    "要判断：不正の目的によるおそれがある場合 → 60日・法定期限 令和9年1月19日（火）",
    "9つの報告事項を全て報告する。末日が休日なら翌開庁日が法定期限。内部目標（末日）までに出すのが安全。",
    "連絡先: 情報システム管理者  情報担当 伊藤 健  0000-55-0103",
    "十分な大きさになると元の画面に戻ります。Ctrl+Q\u00a0で終了（入力は保存済み）。",
]


def _check(text: str, width: int) -> list[str]:
    lines = break_lines(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing reordered
    for i, line in enumerate(lines):
        assert cell_len(line) <= width + 2, (width, line)  # one character over only when 禁則 forces it
        if i > 0 and len(line) > 1:
            assert line[0] not in NO_START, (width, lines)
        if i < len(lines) - 1 and len(line) > 1:
            assert line[-1] not in NO_END, (width, lines)
    return lines


@pytest.mark.parametrize("width", [20, 31, 40, 58, 66, 76])
@pytest.mark.parametrize("text", SENTENCES)
def test_known_sentences_keep_the_rules(text: str, width: int) -> None:
    _check(text, width)


@pytest.mark.parametrize("width", range(30, 90))
def test_a_date_is_never_split(width: int) -> None:
    text = "要判断：不正の目的によるおそれがある場合 → 60日・法定期限 令和9年1月19日（火）、2027年1月4日（月）まで"
    joined = "\n".join(_check(text, width))
    for date in ("令和9年1月19日", "2027年1月4日"):
        assert date in joined, (width, joined)


def test_dates_and_numbers_are_one_phrase() -> None:
    assert "令和9年1月19日" in phrases("法定期限 令和9年1月19日（火）")
    assert any(p.startswith("2027年1月4日") for p in phrases("2027年1月4日（月）に報告"))


def test_styles_survive_the_breaks() -> None:
    t = Text("外部への報告  ")
    t.append("あと11時間（令和8年11月30日まで）", style="bold yellow")
    lines = wrap_text(t, 20)
    assert "".join(x.plain for x in lines).replace(" ", "") == t.plain.replace(" ", "")
    assert any(span.style == "bold yellow" for x in lines for span in x.spans)


JAPANESE = st.text(
    alphabet=st.sampled_from(list("あいうえおかきくけこ情報管理者報告年月日令和0123456789、。（）「」・ー ")),
    min_size=1,
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(text=JAPANESE, width=st.integers(min_value=6, max_value=90))
def test_any_text_keeps_the_rules(text: str, width: int) -> None:
    text = " ".join(text.split())  # the wrap takes one paragraph with single spaces
    if text:
        _check(text, width)
