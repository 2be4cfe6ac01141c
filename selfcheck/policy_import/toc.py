"""Which lines are a table of contents (目次), and which chapter (章/編) headings end the 基本方針.

A 目次 comes in three forms: entries with page numbers (「1 目的 …… 1」「1 目的\\t1」), entries with
leaders only, and — in 例規集 pages — entries naming 章 and 節 with article ranges and no page numbers
(「第1章 情報セキュリティ基本方針(第1条―第10条)」 … 「附則」). The 目次 ends where an entry would repeat
(the body's own 「第1章 …」 or 「1 目的」), where numbering restarts, or at the first sentence or caption
line (「(目的)」): from there on it is the policy itself.
"""

from __future__ import annotations

import re

from selfcheck.policy_import.lines import Line
from selfcheck.policy_import.markers import HEADING_ONLY, TOC_MARK, Marker

_TOC_TAIL = re.compile(r"(?:[…‥・･.]{3,}|\t)\s*\d{0,3}\s*$")


def toc_lines(lines: list[Line], marks: list[Marker | None]) -> set[int]:
    """Indices of the lines that belong to a table of contents."""
    toc = {i for i, m in enumerate(marks) if m and m.page}
    for i, ln in enumerate(lines):
        if (
            marks[i] is None
            and _TOC_TAIL.search(ln.norm)
            and len(ln.compact) <= 60
            and "。" not in ln.compact
        ):
            toc.add(i)
    start = next((i for i, ln in enumerate(lines) if TOC_MARK.match(ln.compact)), None)
    if start is None:
        return toc
    toc.add(start)
    seen: set[tuple[str, int, int, int]] = set()
    last: dict[tuple[str, int, int], int] = {}
    chapter = 0
    pending: list[int] = []  # lines between entries belong to the 目次; those after the last one do not
    for j in range(start + 1, len(lines)):
        ln, m = lines[j], marks[j]
        c = ln.compact
        if "。" in c or len(c) > 80 or HEADING_ONLY.match(c):
            break
        if m is None:
            if (c.startswith("附則") and len(c) <= 30) or j in toc:
                toc.update(pending, (j,))
                pending = []
            else:
                pending.append(j)
            continue
        if m.sentence:
            break
        sub = m.sub if m.kind == "chap" else 0
        parent = chapter if m.kind != "chap" or sub >= 2 else 0
        ident = (m.kind, sub, parent, m.num)
        level = (m.kind, sub, parent)
        if ident in seen or (level in last and m.num <= last[level] and not m.page):
            break  # an entry repeats or the numbering starts again: the body begins here
        if m.kind == "chap" and sub <= 1:
            chapter = m.num
        seen.add(ident)
        last[level] = m.num
        toc.update(pending, (j,))
        pending = []
    return toc


def names_other_part(key: str) -> bool:
    """A chapter or 編 title that names the 対策基準 or 実施手順 rather than the 基本方針."""
    return ("対策基準" in key or "実施手順" in key or "運用規程" in key) and "基本方針" not in key


def policy_chapter_level(
    lines: list[Line], marks: list[Marker | None], first: int, toc: set[int]
) -> int | None:
    """The level (0 編, 1 章, 2 節) of the chapter heading just before the first section when it names the
    基本方針: any later chapter at that level or above is another part of the document."""
    for i in range(first - 1, -1, -1):
        m = marks[i]
        if i in toc or m is None or m.kind != "chap":
            continue
        if "基本方針" in m.key:
            return m.sub
        return None
    return None
