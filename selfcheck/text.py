"""The one cleaning rule for text a person types or a file brings in.

Every input path (answers, comments, improvement plans, incident notes and fields, evidence names and
descriptions, contact entries, the actor name, key subject names) goes through `clean()` before it is
stored, so a terminal escape, a right-to-left override or an unpaired surrogate can never reach the
database, a PDF, a CSV or somebody else's screen. Ordinary Unicode (kanji, emoji, combining marks,
zero-width joiners inside emoji) is kept as typed.
"""

from __future__ import annotations

from selfcheck.errors import SelfcheckError

MAX_TEXT = 20_000
"""Characters in a comment, reason, action or note: generous, but bounded."""

MAX_LINE = 500
"""Characters in a one-line field (a name, a title, a phone number)."""

# Bidirectional embedding/override/isolate controls: an RLO (U+202E) makes 「gpj.exe」 read as
# 「exe.jpg」 in a log or a list. Marks (U+200E/U+200F) are harmless and kept.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _allowed(ch: str, *, multiline: bool) -> bool:
    code = ord(ch)
    if ch == "\n" or ch == "\t":
        return multiline
    if code < 0x20 or 0x7F <= code < 0xA0:  # C0 and C1 controls, DEL (ESC sequences start here)
        return False
    if 0xD800 <= code <= 0xDFFF:  # unpaired surrogates (undecodable bytes): SQLite cannot store them
        return False
    return ch not in _BIDI_CONTROLS


def strip_controls(value: str | None, *, multiline: bool = True) -> str:
    """`value` without control characters. CR LF and lone CR become LF; in a one-line field every line
    break and tab becomes a space. Never raises: used for data already stored or printed."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return "".join(ch for ch in text if _allowed(ch, multiline=multiline))


def clean(
    value: str | None,
    what_ja: str,
    what_en: str,
    *,
    multiline: bool = True,
    required: bool = False,
    max_len: int | None = None,
    error: type[SelfcheckError] = SelfcheckError,
) -> str:
    """Text from a user or a file, ready to store: controls removed (see `strip_controls`), surrounding
    white space trimmed, and checked for presence and length. Raises `error` naming the field."""
    text = strip_controls(value, multiline=multiline).strip()
    limit = max_len if max_len is not None else (MAX_TEXT if multiline else MAX_LINE)
    if required and not text:
        raise error(f"{what_ja}を入力してください", f"{what_en} is empty")
    if len(text) > limit:
        raise error(
            f"{what_ja}が長すぎます（{len(text):,}文字、上限 {limit:,}文字）",
            f"{what_en} is too long ({len(text):,} characters, limit {limit:,})",
        )
    return text
