"""Read the numbered structure of a 基本方針: header, sections, their (1)(2) items and ①② sub-items.

The numbering style of the top level is taken from the first heading numbered 1 (「1 目的」「1. 目的」「1．目的」
「第1 目的」「第1条（目的）」「第一条」「1―1 目的」「一、目的」); only that style opens a section afterwards, so a 項
number such as 「2 前項の…」 inside an article is body text. A caption on its own line (「(目的)」) names the
article below it. Items are 「(1)」「（１）」「⑴」 (or, under 第N sections, a plain number or 「一」 restarting at 1);
sub-items are 「①」 or 「ア」. A list numbered 1, 2, … again inside a section (definitions on a web page) is
that section's items, not more sections. A table of contents (`toc`) is skipped, chapter headings
(第N章/節/編) are structure, the 附則 ends the numbered part, and a 対策基準 that follows in the same file
(a titled document, or a chapter naming it) ends the reading altogether (with a warning).

The parser never rejects: it records numbering problems and warnings, and `build` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from selfcheck.policy_import.lines import CIRCLED, Line, logical_lines
from selfcheck.policy_import.markers import (
    HEADING_ONLY,
    NEXT_DOC,
    TOP_KINDS,
    Marker,
    classify,
    clean_title,
    heading_ok,
)
from selfcheck.policy_import.toc import names_other_part, policy_chapter_level, toc_lines
from selfcheck.policy_import.topics import section_topic


@dataclass
class Node:
    """A section, item or sub-item, with its own lines (children excluded)."""

    number: str
    num: int
    title: str
    key: str
    line: Line
    body: list[Line] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def own_text(self) -> str:
        """Compact matching form of the heading line and the node's own paragraphs."""
        return self.line.compact + "".join(b.compact for b in self.body)

    def all_lines(self) -> list[Line]:
        out = [self.line, *self.body]
        for c in self.children:
            out += c.all_lines()
        return out

    def walk(self) -> list[Node]:
        out = [self]
        for c in self.children:
            out += c.walk()
        return out


@dataclass
class ParsedPolicy:
    text: str
    lines: list[Line]
    header: list[Line]
    sections: list[Node]
    supplementary: list[Line]
    style: str | None
    numbering_errors: list[tuple[str, str]] = field(default_factory=list)
    """(ja, en) descriptions of repeated or backward numbers."""
    warnings: list[tuple[str, str]] = field(default_factory=list)
    last_line: Line | None = None
    """The last line read as part of the policy (before the 附則 or a following 対策基準)."""

    def find(self, number: str) -> Node | None:
        for s in self.sections:
            for n in s.walk():
                if n.number == number:
                    return n
        return None


def _style(marks: list[Marker | None], toc: set[int]) -> tuple[str | None, int]:
    """Numbering style of the top level and the index of section 1."""
    first: tuple[str, int] | None = None
    for i, m in enumerate(marks):
        if i in toc or m is None or m.kind not in TOP_KINDS or not heading_ok(m):
            continue
        if m.kind == "dash" and m.sub != 1:
            continue
        if m.num == 1:
            return m.kind, i
        if first is None:
            first = (m.kind, i)
    return first if first else (None, -1)


def is_supplementary(line: Line) -> bool:
    c = line.compact
    return c.startswith("附則") and len(c) <= 30 and "。" not in c


def is_next_document(line: Line) -> bool:
    """A title line such as 「情報セキュリティ対策基準」 starting the next document in the same file."""
    c = line.compact
    return len(c) <= 50 and not re.search(r"[、。]", c) and bool(NEXT_DOC.match(c)) and "策定" not in c


def _caption(line: Line) -> tuple[str, str] | None:
    """(title, key) of a caption line 「（目的）」."""
    inner = HEADING_ONLY.match(line.compact)
    if not inner:
        return None
    return clean_title(line.orig).strip("()（）"), inner[1]


class _Walker:
    """State of the line-by-line walk (kept in one place so each rule is a short method)."""

    def __init__(self, style: str, lines: list[Line], marks: list[Marker | None]) -> None:
        self.style = style
        self.lines, self.marks = lines, marks
        self.sections: list[Node] = []
        self.item: Node | None = None
        self.sub: Node | None = None
        self.item_kind: str | None = None
        self.nested = 0
        """Last number of a 1, 2, … list restarted inside the current section (0: none)."""
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []
        self.pending_title: tuple[str, str] | None = None

    def check(self, label: str, prev: list[Node], num: int, where: Line) -> None:
        last = prev[-1].num if prev else 0
        if num == last:
            self.errors.append(
                (
                    f"番号 {label} が重複しています（{where.no}行目）",
                    f"number {label} appears twice (line {where.no})",
                )
            )
        elif num < last:
            prev_label = prev[-1].number
            self.errors.append(
                (
                    f"番号が戻っています: {prev_label} の後に {label}（{where.no}行目）",
                    f"numbering goes backwards: {label} after {prev_label} (line {where.no})",
                )
            )
        elif num > last + 1 and prev is self.sections:
            self.warnings.append(
                (
                    f"節番号 {last + 1} が見つかりません（{label} の前）",
                    f"section {last + 1} is missing (before {label})",
                )
            )

    def top(self, i: int, line: Line, mk: Marker) -> None:
        """A number in the top-level style: a new section, or an item of a list restarted inside one."""
        num = mk.sub if mk.kind == "dash" else mk.num
        last = self.sections[-1].num if self.sections else 0
        if self.style in ("plain", "kanji") and self.sections:
            if self.nested and num == self.nested + 1:
                if not (num == last + 1 and self._section_here(i, mk)):
                    self.nested = num
                    self.add_item(line, mk)
                    return
            elif num == 1 and last >= 1 and not self.sections[-1].children:
                self.nested = 1
                self.item_kind = mk.kind
                self.add_item(line, mk)
                return
        self.section(line, mk)

    def _section_here(self, i: int, mk: Marker) -> bool:
        """At a number both the section list and a restarted list expect: a section only when it reads
        as a heading and the same section number does not come again further on."""
        for j in range(i + 1, len(self.marks)):
            m = self.marks[j]
            if m is not None and m.kind == mk.kind and m.num == mk.num and heading_ok(m):
                return False
        text = self.lines[i].compact
        return (
            "。" not in text
            and "をいう" not in text
            and len(mk.key) <= 30
            and section_topic(mk.key) is not None
        )

    def section(self, line: Line, mk: Marker) -> None:
        num = mk.sub if mk.kind == "dash" else mk.num
        title, key = mk.title, mk.key
        if self.pending_title and not mk.has_paren_title:
            title, key = self.pending_title
        self.pending_title = None
        self.check(str(num), self.sections, num, line)
        self.sections.append(Node(str(num), num, title, key, line))
        self.item = self.sub = None
        self.item_kind = None
        self.nested = 0

    def item_marker(self, mk: Marker) -> bool:
        """Is `mk` an item ((1), (2), ...) of the current section?"""
        if not self.sections:
            return False
        if self.nested:
            return False  # the restarted list holds the items; (1) under one of them is text
        if self.style in ("plain", "dash", "kanji"):
            if mk.kind == "dash" and self.style == "plain":
                return mk.num == self.sections[-1].num
            return mk.kind == "paren"
        # 第N / 第N条: items are (1), 一, or a plain number that starts at 1 (a 項 number starts at 2).
        if self.item_kind is None:
            if mk.kind == "paren" or (mk.kind in ("plain", "kanji") and mk.num == 1 and heading_ok(mk)):
                self.item_kind = mk.kind
                return True
            return False
        return mk.kind == self.item_kind

    def add_item(self, line: Line, mk: Marker) -> None:
        sec = self.sections[-1]
        num = mk.sub if mk.kind == "dash" else mk.num
        number = f"{sec.number}({num})"
        self.check(number, sec.children, num, line)
        self.item = Node(number, num, mk.title, mk.key, line)
        sec.children.append(self.item)
        self.sub = None

    def sub_marker(self, mk: Marker) -> bool:
        if self.item is None:
            return False
        if mk.kind in ("circled", "kata"):
            return True
        return mk.kind == "paren" and self.item_kind in ("plain", "kanji")

    def add_sub(self, line: Line, mk: Marker) -> None:
        assert self.item is not None
        if mk.num > len(CIRCLED):
            self.body(line)
            return
        if mk.kind == "kata" and not any(w[1].startswith("items") for w in self.warnings):
            self.warnings.append(
                (
                    "「ア」「イ」の項目は ①② の番号で扱います",
                    "items ア, イ are numbered as ①, ② in the profile",
                )
            )
        number = f"{self.item.number}{CIRCLED[mk.num - 1]}"
        self.check(number, self.item.children, mk.num, line)
        self.sub = Node(number, mk.num, mk.title, mk.key, line)
        self.item.children.append(self.sub)

    def body(self, line: Line) -> None:
        node = self.sub or self.item or self.sections[-1]
        node.body.append(line)


def parse(text: str) -> ParsedPolicy:
    """Parse a decoded policy text (see the module docstring)."""
    return _parse_cached(text)


@lru_cache(maxsize=8)
def _parse_cached(text: str) -> ParsedPolicy:
    lines = logical_lines(text)
    marks = [classify(ln) for ln in lines]
    toc = toc_lines(lines, marks)
    style, first = _style(marks, toc)
    if style is None:
        return ParsedPolicy(text, lines, [ln for i, ln in enumerate(lines) if i not in toc], [], [], None)
    header = [ln for i, ln in enumerate(lines[:first]) if i not in toc]
    w = _Walker(style, lines, marks)
    chapter_level = policy_chapter_level(lines, marks, first, toc)
    if style in ("article", "dai") and header and _caption(header[-1]):  # （目的） above 第1条
        w.pending_title = _caption(header[-1])
        header = header[:-1]
    supplementary: list[Line] = []
    last_line: Line | None = None
    in_supplementary = False
    for i in range(first, len(lines)):
        line, mk = lines[i], marks[i]
        if i in toc:
            continue
        if _ends_policy(w, line, mk, chapter_level):
            break
        if in_supplementary:
            supplementary.append(line)
            continue
        if is_supplementary(line):
            in_supplementary = True
            supplementary.append(line)
            continue
        last_line = line
        if mk is not None and mk.kind == "chap":
            continue  # a chapter or 節 heading inside the policy is structure, not text
        if style in ("article", "dai") and _caption(line) and i + 1 < len(lines):
            nxt = marks[i + 1]
            if nxt is not None and nxt.kind == style:
                w.pending_title = _caption(line)
                continue
        if (
            mk is not None
            and mk.kind == style
            and heading_ok(mk)
            and (style != "dash" or not w.sections or mk.num == _chapter(marks, first))
        ):
            w.top(i, line, mk)
        elif mk is not None and mk.kind == "dash" and style == "dash":
            w.warnings.append(
                (
                    f"{line.no}行目で章が変わったため、読み取りをそこで終えました",
                    f"the chapter changes at line {line.no}; reading stopped there",
                )
            )
            break
        elif mk is not None and w.item_marker(mk):
            w.add_item(line, mk)
        elif mk is not None and w.sub_marker(mk):
            w.add_sub(line, mk)
        else:
            w.body(line)
    if style == "dash":
        w.warnings.append(
            (
                "「1―1」形式の見出しを節番号 1, 2, … として扱いました",
                "headings numbered 1―1, 1―2, ... are read as sections 1, 2, ...",
            )
        )
    return ParsedPolicy(
        text, lines, header, w.sections, supplementary, style, w.errors, w.warnings, last_line
    )


def _ends_policy(w: _Walker, line: Line, mk: Marker | None, chapter_level: int | None) -> bool:
    """A following 対策基準 (a titled document, or a chapter/編 that is not the 基本方針) ends the reading."""
    if mk is not None and mk.kind == "chap":
        other = names_other_part(mk.key) or (chapter_level is not None and mk.sub <= chapter_level)
        if w.sections and other:
            w.warnings.append(
                (
                    f"{line.no}行目の「{mk.title}」から後は基本方針ではない部分（対策基準等）と判断し、読み取りをそこで終えました",
                    f"from line {line.no} ({mk.title}) on is not the basic policy (the 対策基準 etc.); reading stopped there",
                )
            )
            return True
        return False
    if is_next_document(line) and (mk is None or mk.kind not in TOP_KINDS):
        w.warnings.append(
            (
                f"{line.no}行目から後は対策基準等の別文書と判断し、読み取りをそこで終えました",
                f"text from line {line.no} on looks like the 対策基準 (a separate document); reading stopped there",
            )
        )
        return True
    return False


def _chapter(marks: list[Marker | None], first: int) -> int:
    m = marks[first]
    return m.num if m else 0
