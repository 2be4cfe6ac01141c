"""Logical lines of a policy text: matching form and display form side by side.

Policies arrive with full-width digits and spaces, 「⑴」 and 「（１）」 numbering, markdown bullets and bold, and
words split across PDF page breaks (「プ\\n\\nログラム」). Matching uses an NFKC form (so 「（１）」 and 「⑴」 both read
"(1)"), except that circled digits ①..⑳ are kept, because NFKC would turn 「①」 into a bare "1" and lose the
numbering level. Display always uses the original characters; `Line.span()` maps a match in the matching form
back to the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from selfcheck.policy_import.reflow import fix_copied_text

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CIRCLED_SET = frozenset(CIRCLED)
_WS = re.compile(r"\s+")
# A page number left on its own line by a PDF extraction: "- 2 -", "2/5", "— 3 —".
_PAGE_NO = re.compile(r"^\s*(?:[-−–—‐]\s*\d{1,3}\s*[-−–—‐]|\d{1,3}\s*/\s*\d{1,3})\s*$")
# Any numbering a new item can start with (checked on the matching form, after markdown is stripped).
_ITEM_START = re.compile(
    r"^(?:第\s*(?:\d+|[一二三四五六七八九十百]+)|\d{1,2}(?:\s|[.、]|\s*[―\-–—]\s*\d)"
    r"|\(\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*\)|[①-⑳]|[一二三四五六七八九十]{1,3}(?:\s|、)"
    r"|\(?[アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ](?:\)|\s|[.、]))"
)
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)*(?:[-*+•・]\s+)?")
_END_PUNCT = tuple("。.)」』:;!?")


_CIRCLED_TO_PUA = {ord(c): 0xE000 + i for i, c in enumerate(CIRCLED)}
_CHAR_CACHE: dict[str, str] = {}


def _nfkc_char(ch: str) -> str:
    n = _CHAR_CACHE.get(ch)
    if n is None:
        n = ch if ch in _CIRCLED_SET else unicodedata.normalize("NFKC", ch)
        if len(_CHAR_CACHE) < 50_000:
            _CHAR_CACHE[ch] = n
    return n


def normalize(text: str) -> tuple[str, list[int] | None]:
    """NFKC per character (circled digits kept) and, for each output character, its index in `text`
    (None when nothing changed: the common case of text that is already in normal form)."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text.translate(_CIRCLED_TO_PUA)):
        return text, None  # circled digits stand in as private-use characters, which NFKC leaves alone
    out: list[str] = []
    omap: list[int] = []
    for i, ch in enumerate(text):
        n = _nfkc_char(ch)
        out.append(n)
        if len(n) == 1:
            omap.append(i)
        else:
            omap.extend([i] * len(n))
    return "".join(out), omap


def compact(text: str) -> str:
    """Matching form without whitespace or markdown emphasis: 「L GWAN 接続系」 -> 「LGWAN接続系」."""
    return _WS.sub("", text).replace("**", "").replace("__", "")


@dataclass
class Line:
    """One logical line: a physical line, or several joined across a page break."""

    orig: str
    """Original characters (display, stored text)."""
    no: int
    """1-based number of the first physical line, for messages."""
    norm: str = ""
    """Matching form (NFKC, circled digits kept)."""
    omap: list[int] | None = field(default=None, repr=False)
    """omap[i] = index in `orig` of norm[i]; None when norm == orig."""

    def __post_init__(self) -> None:
        self.norm, self.omap = normalize(self.orig)
        self.compact = compact(self.norm)
        """Matching form without whitespace or markdown emphasis."""
        prefix = _MD_PREFIX.match(self.norm)  # the pattern matches the empty string too
        self.body_start = len(prefix.group(0)) if prefix else 0
        """Offset in `norm` after leading markdown (#, >, -, *) and indentation."""

    @property
    def stripped(self) -> str:
        """Matching form after the markdown prefix."""
        return self.norm[self.body_start :]

    def span(self, start: int, end: int) -> str:
        """The original text behind norm[start:end]."""
        if self.omap is None:
            return self.orig[start:end]
        if start >= end or start >= len(self.omap):
            return ""
        end = min(end, len(self.omap))
        return self.orig[self.omap[start] : self.omap[end - 1] + 1]


def starts_item(norm: str) -> bool:
    """Does this (matching-form) line open a numbered item or heading?"""
    text = _MD_PREFIX.sub("", norm, count=1).lstrip("*_ ")
    return bool(_ITEM_START.match(text)) or compact(text).startswith(("附則", "目次", "(目次)"))


def logical_lines(text: str) -> list[Line]:
    """Split `text` into non-blank logical lines, joining words that a page break split (after the
    repairs of copied PDF text in `reflow`)."""
    phys = fix_copied_text(list(enumerate(text.split("\n"), start=1)), starts_item)
    out: list[Line] = []
    i = 0
    n = len(phys)
    while i < n:
        no, raw = phys[i][0], phys[i][1].rstrip().replace("\x0c", "")
        if not raw.strip() or _PAGE_NO.match(raw):
            i += 1
            continue
        parts = [raw]
        j = i + 1
        while len(parts) < 4:  # a page break splits a sentence once; never glue a whole file together
            k = _next_content(phys, j)
            if k is None or not _continues(parts[-1], phys[k][1]):
                break
            parts.append(phys[k][1].strip().replace("\x0c", ""))
            j = k + 1
        out.append(Line("".join(parts), no))
        i = j
    return out


def _next_content(phys: list[tuple[int, str]], j: int) -> int | None:
    """Index of the next non-blank physical line within a page break's worth of blank lines."""
    blanks = 0
    while j < len(phys):
        s = phys[j][1].replace("\x0c", "").strip()
        if s and not _PAGE_NO.match(s):
            return j
        blanks += 1
        if blanks > 4:
            return None
        j += 1
    return None


def _continues(prev: str, nxt: str) -> bool:
    """Is `nxt` the rest of a sentence that a page break cut after `line`?

    Only long prose lines qualify (a heading such as 「(1) 組織体制」 is followed by its own paragraph, not a
    continuation): the line must hold a comma, be at least ~28 characters and not end a sentence."""
    body = compact(normalize(prev)[0])
    if len(body) < 28 or "、" not in body or body.endswith(_END_PUNCT) or "。" in body[-1:]:
        return False
    nxt_norm, _ = normalize(nxt.strip())
    if not nxt_norm or starts_item(nxt_norm):
        return False
    nc = compact(nxt_norm)
    return not nc.endswith(("対策基準", "基本方針", "実施手順")) or "。" in nc
