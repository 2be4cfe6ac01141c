"""What numbering a line starts with (「第1条（目的）」「第一条」「第1」「1.」「1―1」「(1)」「①」「ア」「一、」
「第1章」 ...), its title, and whether it is a table-of-contents entry: one `Marker` per line, for `parse` to
arrange into sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selfcheck.policy_import.lines import CIRCLED, Line, compact

KATA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロ"
TOP_KINDS = ("article", "dai", "dash", "plain", "kanji")
_KNUM = "〇一二三四五六七八九十百"
_NUM = rf"(\d{{1,3}}|[{_KNUM}]{{1,4}})"

# All patterns run on Line.norm after the markdown prefix (and a leading "**").
_CHAPTER = re.compile(rf"第\s*{_NUM}\s*([編章節款部])(?:\s+|\s*[.、:]\s*|(?=\S))")
_ROMAN = re.compile(r"([IVX]{1,4})(?:\s*[.、]\s*|\s+)(?=\S)")
_ARTICLE = re.compile(rf"第\s*{_NUM}\s*条(?!の\d)(?:\s*\(\s*([^()]{{1,40}}?)\s*\))?\s*")
_DAI = re.compile(rf"第\s*{_NUM}(?![\d{_KNUM}条章節編款項号部])(?:\s*[.、:]\s*|\s+)")
_DASH = re.compile(r"(\d{1,2})\s*[―\-–—‐−]\s*(\d{1,2})(?![\d.])(?:\s*[.、]\s*|\s*)")
_PLAIN = re.compile(r"(\d{1,2})(?:\s*[.、](?!\d)\s*|\s+)")
_KANJI = re.compile(rf"([{_KNUM}]{{1,3}})(?:\s*[、.]\s*|\s+)")
_PAREN = re.compile(rf"\(\s*(\d{{1,2}}|[{_KNUM}]{{1,3}})\s*\)\s*")
_CIRC = re.compile(r"([①-⑳])\s*")
_KATA = re.compile(rf"\(?([{KATA}])(?:\)\s*|[.、]\s*|\s+)")
HEADING_ONLY = re.compile(r"^\(\s*([^()]{1,30}?)\s*\)$")  # 「（目的）」 on the line above 「第1条」
_TOC_PAGE = re.compile(r"(?:\t+\s*|\s*[…‥・･.]{2,}\s*|\s{2,})\d{1,3}\s*$")
_TOC_RANGE = re.compile(
    rf"\(\s*第\s*{_NUM}\s*条(?:\s*[―\-–—‐−~〜・,、]\s*第?\s*{_NUM}\s*条?)?\s*\)\s*$|[…‥・･]{{3,}}\s*\d*\s*$"
)
LOOSE_PAGE = re.compile(r"\s\d{1,3}\s*$")
_NOT_TITLE_START = tuple("にのをがはへとでもやか及又並年月日条項号%)）、。")
_CHILD_TITLE = re.compile(r"(.{1,40}?)\s*(?:においては|における|を行う場合|を利用する場合|の場合|については)")
NEXT_DOC = re.compile(
    r"^(?:第\d+[章編部]|[IVX]+\.?|別紙\d*|【)?.{0,40}?(?:対策基準|実施手順)(?:】|\(.{0,30}\))?$"
)
TOC_MARK = re.compile(r"^[(【\[]?目次[)】\]]?$")


def kanji_number(text: str) -> int:
    """「十二」 -> 12, 「二十」 -> 20, 「一〇」 -> 10, 「12」 -> 12."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "十" not in text and "百" not in text:
        value = 0
        for ch in text:
            value = value * 10 + digits.get(ch, 0)
        return value
    total, cur = 0, 0
    for ch in text:
        if ch in digits:
            cur = digits[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


@dataclass
class Marker:
    """A numbering found at the start of a line."""

    kind: str
    num: int
    title: str
    """Display title (original characters, whitespace removed)."""
    key: str
    """Compact matching form of the title."""
    sub: int = 0
    """For 「1―2」: the second number; for a chapter (kind 'chap'): 0 編/部, 1 章, 2 節, 3 款."""
    page: bool = False
    """Ends with a page number, leaders or an article range (a table-of-contents entry)."""
    has_paren_title: bool = False
    sentence: bool = False
    """The text after the number is a sentence (「第1 この基本方針は、…」), not a title."""


def _start(line: Line) -> int:
    pos = line.body_start
    if line.norm.startswith("**", pos):
        pos += 2
    return pos


def classify(line: Line) -> Marker | None:
    """The numbering at the start of `line`, if any, with the item's title."""
    s = line.norm
    pos = _start(line)
    m = _CHAPTER.match(s, pos)
    if m:
        mk = Marker("chap", kanji_number(m[1]), "", "")
        mk.sub = {"編": 0, "部": 0, "章": 1, "節": 2, "款": 3}[m[2]]
        _finish(line, m.end(), False, mk)
        return mk
    m = _ROMAN.match(s, pos)
    if m and len(s) - m.end() <= 40 and "。" not in s:
        mk = Marker("chap", "IVX".index(m[1][0]) + 1, "", "", sub=0)
        _finish(line, m.end(), False, mk)
        return mk if mk.key else None
    for kind, rx in (
        ("article", _ARTICLE),
        ("dai", _DAI),
        ("dash", _DASH),
        ("plain", _PLAIN),
        ("kanji", _KANJI),
        ("paren", _PAREN),
        ("circled", _CIRC),
        ("kata", _KATA),
    ):
        m = rx.match(s, pos)
        if not m:
            continue
        if kind == "circled":
            num = CIRCLED.index(m[1]) + 1
        elif kind == "kata":
            num = KATA.index(m[1]) + 1
        else:
            num = kanji_number(m[1])
        if num <= 0:
            return None
        mk = Marker(kind, num, "", "")
        if kind == "dash":
            mk.sub = int(m[2])
        if kind == "article" and m[2]:
            mk.title, mk.key, mk.has_paren_title = (
                clean_title(line.span(m.start(2), m.end(2))),
                compact(m[2]),
                True,
            )
            mk.page = bool(_TOC_PAGE.search(s, m.end()) or _TOC_RANGE.search(s, m.end()))
            return mk
        _finish(line, m.end(), kind in ("circled", "kata"), mk)
        return mk
    return None


def _finish(line: Line, start: int, child: bool, mk: Marker) -> None:
    s = line.norm
    end = len(s)
    page = _TOC_PAGE.search(s, start) or _TOC_RANGE.search(s, start)
    if page and page.start() > start:
        mk.page, end = True, page.start()
    rest = s[start:end]
    mk.sentence = mk.kind in ("article", "dai", "chap") and bool(
        re.match(r"^\S{0,25}?(?:は、|は\S|とは|において|この|本)", compact(rest))
    )
    if mk.sentence and mk.kind != "chap":
        return  # 「第1 この基本方針は、…」: the caption line above (if any) gives the title
    _title(line, start, end, child, mk)


def clean_title(text: str) -> str:
    return re.sub(r"\s+", "", text).strip("*_:：").replace("**", "")


def _title(line: Line, start: int, end: int, child: bool, mk: Marker) -> None:
    """Split the text after the numbering into a title (what the profile shows) and the paragraph."""
    s = line.norm
    rest = s[start:end]
    a, b = 0, 0
    bold = re.match(r"\*\*(.+?)\*\*", rest)
    colon = rest.find(":")
    child_m = _CHILD_TITLE.match(rest) if child else None
    if bold:
        a, b = bold.start(1), bold.end(1)
    elif 0 < colon <= 30 and "。" not in rest[:colon]:
        a, b = 0, colon
    elif child_m:
        a, b = child_m.start(1), child_m.end(1)
    elif not re.search(r"\s", rest.strip()) and "。" not in rest and len(rest.strip()) <= 60:
        a, b = 0, len(rest.rstrip())
    else:
        head = re.match(r"(\S{1,40})\s+\S", rest)
        if head and not re.search(r"[。、]", head[1]):
            a, b = head.start(1), head.end(1)
        else:
            cut = re.search(r"[、。]", rest)
            a, b = 0, min(cut.start() if cut else len(rest), 40)
    mk.key = compact(rest[a:b]).strip("*_:")
    mk.title = clean_title(line.span(start + a, start + b))


def heading_ok(mk: Marker) -> bool:
    """A top-level number is a heading only when a title follows (not 「3 に掲げる…」 or 「2026年」); an
    article (第N条) or 第N is one even when a sentence follows (its caption is on the line above)."""
    if mk.kind in ("article", "dai") and mk.sentence:
        return True
    return bool(mk.key) and not mk.key.startswith(_NOT_TITLE_START) and not mk.key[0].isdigit()
