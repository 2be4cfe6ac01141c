"""The one cleaning rule for text a person types or a file brings in.

Every input path (answers, comments, improvement plans, incident notes and fields, evidence names and
descriptions, contact entries, the actor name, key subject names) goes through `clean()` before it is
stored, so a terminal escape, a right-to-left override or an unpaired surrogate can never reach the
database, a PDF, a CSV or somebody else's screen. Ordinary Unicode (kanji, emoji, combining marks,
zero-width joiners inside emoji) is kept as typed.
"""

from __future__ import annotations

from selfcheck.controls import strip_controls
from selfcheck.errors import SelfcheckError

__all__ = ["MAX_LINE", "MAX_TEXT", "clean", "strip_controls"]

MAX_TEXT = 20_000
"""Characters in a comment, reason, action or note: generous, but bounded."""

MAX_LINE = 500
"""Characters in a one-line field (a name, a title, a phone number)."""


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
