"""What numbering a line starts with (「第1条（目的）」「1.」「(1)」「①」「ア」 ...), its title, and whether it
is a table-of-contents entry: one `Marker` per line, for `parse` to arrange into sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selfcheck.policy_import.lines import CIRCLED, Line, compact

KATA = "アイウエオカキクケコサシスセソタチツテト"
TOP_KINDS = ("article", "dai", "dash", "plain")

# All patterns run on Line.norm after the markdown prefix (and a leading "**").
_ARTICLE = re.compile(r"第\s*(\d{1,3})\s*条(?:\s*\(\s*([^()]{1,40}?)\s*\))?\s*")
_DAI = re.compile(r"第\s*(\d{1,3})(?![\d条章節編款項号])(?:\s*[.、:]\s*|\s+)")
_DASH = re.compile(r"(\d{1,2})\s*[―\-–—‐]\s*(\d{1,2})(?![\d.])(?:\s*[.、]\s*|\s*)")
_PLAIN = re.compile(r"(\d{1,2})(?:\s*[.、](?!\d)\s*|\s+)")
_PAREN = re.compile(r"\(\s*(\d{1,2})\s*\)\s*")
_CIRC = re.compile(r"([①-⑳])\s*")
_KATA = re.compile(r"\(?([アイウエオカキクケコサシスセソタチツテト])(?:\)\s*|[.、]\s*|\s+)")
HEADING_ONLY = re.compile(r"^\(\s*([^()]{1,30}?)\s*\)$")  # 「（目的）」 on the line above 「第1条」
_TOC_PAGE = re.compile(r"(?:\t+\s*|\s*[…‥・.]{3,}\s*)\d{1,3}\s*$")
LOOSE_PAGE = re.compile(r"\s\d{1,3}\s*$")
_NOT_TITLE_START = tuple("にのをがはへとでもやか及又並年月日条項号%)）、。")
_CHILD_TITLE = re.compile(r"(.{1,40}?)\s*(?:においては|における|を行う場合|を利用する場合|の場合|については)")
NEXT_DOC = re.compile(
    r"^(?:第\d+[章編部]|[IVX]+\.?|別紙\d*|【)?.{0,40}?(?:対策基準|実施手順)(?:】|\(.{0,30}\))?$"
)
TOC_MARK = re.compile(r"^[(【\[]?目次[)】\]]?$")


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
    """For 「1―2」: the second number."""
    page: bool = False
    """Ends with a page number (a table-of-contents entry)."""
    has_paren_title: bool = False


def _start(line: Line) -> int:
    pos = line.body_start
    if line.norm.startswith("**", pos):
        pos += 2
    return pos


def classify(line: Line) -> Marker | None:
    """The numbering at the start of `line`, if any, with the item's title."""
    s = line.norm
    pos = _start(line)
    for kind, rx in (
        ("article", _ARTICLE),
        ("dai", _DAI),
        ("dash", _DASH),
        ("plain", _PLAIN),
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
            num = int(m[1])
        mk = Marker(kind, num, "", "")
        if kind == "dash":
            mk.sub = int(m[2])
        if kind == "article" and m[2]:
            mk.title, mk.key, mk.has_paren_title = (
                clean_title(line.span(m.start(2), m.end(2))),
                compact(m[2]),
                True,
            )
            return mk
        end = len(s)
        page = _TOC_PAGE.search(s, m.end())
        if page:
            mk.page, end = True, page.start()
        _title(line, m.end(), end, kind in ("circled", "kata"), mk)
        return mk
    return None


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
    """A top-level number is a heading only when a title follows (not 「3 に掲げる…」 or 「2026年」)."""
    return bool(mk.key) and not mk.key.startswith(_NOT_TITLE_START) and not mk.key[0].isdigit()
