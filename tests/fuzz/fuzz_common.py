"""Shared hypothesis strategies for hostile text, and the example counter the fuzz tests print."""

from __future__ import annotations

from hypothesis import strategies as st

EMOJI = ["😀", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵", "🧑🏽‍💻", "\u2764\ufe0f"]
RTL = ["مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "\u200fRTL\u200e", "ابجد 123 עברית"]
CONTROL = ["\x00", "\x07", "\x1b[31m", "\r", "\x0b", "\x0c", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe"]
SURROGATES = ["\ud800", "\udfff", "a\udc80b", "\ud83d"]  # unpaired: not encodable as UTF-8
JAPANESE = ["情報セキュリティ", "ｶﾀｶﾅ", "𠮷野家", "髙﨑", "①②③", "〜～", "令和８年"]

any_char_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=80)  # surrogates included
pieces = st.one_of(
    any_char_text,
    st.sampled_from(EMOJI + RTL + CONTROL + SURROGATES + JAPANESE),
    st.text(max_size=20),
)
hostile_text = st.one_of(
    st.lists(pieces, max_size=8).map("".join),
    st.tuples(st.sampled_from(EMOJI + JAPANESE + RTL), st.integers(200, 2500)).map(lambda t: t[0] * t[1]),
    # long paragraphs (few newlines: a field of 1,000+ lines is the known report bug, tested on its own)
    st.text(alphabet=st.sampled_from("あ漢字😀W "), min_size=1, max_size=40).map(lambda s: s * 100),
)


def report(capsys: object, what: str, n: int) -> None:
    with capsys.disabled():  # type: ignore[attr-defined]
        print(f"\nfuzz examples run: {what}: {n}")
