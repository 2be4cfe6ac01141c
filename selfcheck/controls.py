"""Control characters: the filter under `text.clean` (what is stored) and under every error message (what
is printed). It sits below `errors` so a message that quotes user input (a path, a URL, a name) can never
put a terminal escape on somebody's screen. No imports: everything may use it."""

from __future__ import annotations

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


def shown(value: str, limit: int = 300) -> str:
    """User input quoted in a one-line message: controls removed, at most `limit` characters (the middle
    cut out, so both the start and the end of a long path or URL stay readable)."""
    text = strip_controls(value, multiline=False)
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[-half:]
