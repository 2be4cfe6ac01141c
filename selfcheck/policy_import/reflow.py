"""Undo what copying a policy out of a PDF viewer does to its text, before the lines are read.

- Spaces between all characters (「情 報 セ キ ュ リ テ ィ」): closed up; a wider gap (two spaces or a
  full-width space) stays one space.
- Everything on one long line: split again before each numbering that follows a space or a 「。」
  (「… とする。 2 定義 (1) …」), never inside a sentence (「上記3の脅威」「第3条に規定する」 stay).
- Hard-wrapped at a fixed width mid-sentence, with running headers and 「- 3 -」 page numbers between the
  lines: page numbers and headers repeated at page breaks are dropped, and a line as wide as the wrap
  width that does not end a sentence is joined with the next unless that starts a numbered item.

Each function takes and returns (line number, text) pairs, so every line still says where it came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable

Numbered = list[tuple[int, str]]

_PAGE_NO = re.compile(r"^\s*(?:[-−–—‐―ー－]\s*\d{1,3}\s*[-−–—‐―ー－]|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$")
_SPLIT = re.compile(
    r"(?:(?<=[。\s])|(?<=[」）)]\s))"
    r"(?=(?:第\s*[0-9０-９一二三四五六七八九十]+\s*(?:条|[章節編])?(?:\s|[（(])"
    r"|[0-9０-９]{1,2}(?:[.．、]\s*|\s+)(?![0-9０-９年月日条項号%])[^\s\d、。]"
    r"|[（(]\s*[0-9０-９]{1,2}\s*[)）]\s*[^\s、。]"
    r"|[①-⑳]\s*[^\s、。]"
    r"|[（(][^()（）\s]{1,12}[)）]\s*第"
    r"|附\s*則"
    r"|(?:令和|平成)\s*[0-9０-９元]{1,2}\s*年"
    r"))"
    r"|(?<=(?:基本方針|ポリシー)\s)(?=\S)"
)


def fix_copied_text(lines: Numbered, starts_item: Callable[[str], bool]) -> Numbered:
    """All four repairs; `starts_item` tells (on the NFKC form) whether a line opens a numbered item."""
    spaced = [t for _, t in lines if _interspaced(t, 5)]
    wordy = [t for _, t in lines if len(t.split()) >= 5]
    least = 2 if wordy and len(spaced) >= 0.3 * len(wordy) else 5  # a spaced-out text: short lines too
    lines = [(no, close_up(t, least)) for no, t in lines]
    lines = split_long_lines(lines)
    lines = drop_page_furniture(lines)
    return join_hard_wraps(lines, starts_item)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _interspaced(text: str, least: int) -> bool:
    tokens = text.split()
    if len(tokens) < least or sum(1 for t in tokens if len(t) == 1) < 0.7 * len(tokens):
        return False
    # spaced-out ASCII (an address, a code) is left alone
    return sum(1 for t in tokens if t.isascii() and t.isalnum()) <= 0.5 * len(tokens)


def close_up(text: str, least: int = 5) -> str:
    """「１ 目 的 こ の 基 本 方 針 は」 -> 「１ 目的 この基本方針は」 (only where most words are one character)."""
    if not _interspaced(text, least):
        return text
    lead = re.match(r"^\s*", text)
    indent = lead.group(0) if lead else ""
    groups = re.split(r"\s{2,}|\u3000", text.strip())
    out = " ".join("".join(g.split()) for g in groups if g.strip())
    # a number closed up onto its title (「1目的」「第1目的」) gets its space back
    out = re.sub(r"^(第?[0-9０-９]{1,3}[.．]?)(?=[^\s0-9０-９.．、条章節編款項号年月日])", r"\1 ", out)
    return indent + out


def split_long_lines(lines: Numbered) -> Numbered:
    """A text that arrived as one or a few very long lines is split before its numbering."""
    total = sum(len(t) for _, t in lines)
    if not lines or total < 300 or max(len(t) for _, t in lines) < 400:
        return lines
    if len([1 for _, t in lines if t.strip()]) > max(12, total // 250):
        return lines  # an ordinary text with some long paragraphs
    out: Numbered = []
    for no, text in lines:
        if len(text) < 300:
            out.append((no, text))
            continue
        start = 0
        for m in _SPLIT.finditer(text):
            if m.start() > start:
                out.append((no, text[start : m.start()].strip()))
                start = m.start()
        out.append((no, text[start:].strip()))
    return [(no, t) for no, t in out if t]


def drop_page_furniture(lines: Numbered) -> Numbered:
    """Page numbers, form feeds, and a header or footer line repeated next to them (the first kept)."""
    breaks = [i for i, (_, t) in enumerate(lines) if _PAGE_NO.match(t) or "\x0c" in t]
    if len(breaks) < 2:
        return lines
    near: Counter[str] = Counter()
    for i in breaks:
        for j in range(max(0, i - 2), min(len(lines), i + 3)):
            key = re.sub(r"\s+", "", lines[j][1].replace("\x0c", ""))
            if key and not _PAGE_NO.match(key) and len(key) <= 60:
                near[key] += 1
    running = {k for k, n in near.items() if n >= 2}
    out: Numbered = []
    seen: set[str] = set()
    for no, text in lines:
        clean = text.replace("\x0c", "")
        key = re.sub(r"\s+", "", clean)
        if _PAGE_NO.match(clean) and clean.strip():
            continue
        if key in running:
            if key in seen:
                continue
            seen.add(key)
        out.append((no, clean))
    return out


def join_hard_wraps(lines: Numbered, starts_item: Callable[[str], bool]) -> Numbered:
    """Join lines cut at a fixed width (see the module docstring); an ordinary text is left as it is."""
    widths = [_width(t.strip()) for _, t in lines if t.strip()]
    long = [w for w in widths if w >= 30]
    if len(long) < 6:
        return lines
    mode, count = Counter(w // 2 for w in long).most_common(1)[0]
    near_mode = sum(1 for w in long if mode * 2 - 4 <= w <= mode * 2 + 1)
    if count < 4 or near_mode < 0.3 * len(long):
        return lines
    wrap = mode * 2
    out: Numbered = []
    for no, text in lines:
        stripped = text.strip()
        if out and stripped:
            prev_no, prev = out[-1]
            nxt = unicodedata.normalize("NFKC", stripped)
            if (
                _width(prev.strip()) >= wrap - 4
                and not prev.rstrip().endswith(("。", "」", ":", "："))
                and not starts_item(nxt)
                and not re.match(r"^[(（][^()（）]{1,20}[)）]$", stripped)
            ):
                sep = " " if prev[-1:].isascii() and prev[-1:].isalnum() and stripped[:1].isascii() else ""
                out[-1] = (prev_no, prev.rstrip() + sep + stripped)
                continue
        out.append((no, text))
    return out
