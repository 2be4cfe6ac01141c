"""Paragraphs read from a structured document (Word, HTML) turned into policy text, one paragraph a line.

Word and web pages mark headings by style (見出し 1, <h2>) and often let the program number them: the
number is then not in the text at all. Where a heading level is used for several headings and none of them
carries a number, they are numbered here (1, 2, 3 … and (1), (2) … under them), as the reader saw them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from selfcheck.policy_import.lines import starts_item

_TITLE = re.compile(r"(基本方針|ポリシー|規程|要綱)$")


@dataclass
class Block:
    text: str
    level: int = 0
    """Heading level (1 = the biggest), 0 for a body paragraph."""


def render(blocks: list[Block]) -> str:
    """The text of `blocks`, with numbers given to unnumbered headings (see the module docstring)."""
    blocks = [Block(b.text.strip(), b.level) for b in blocks if b.text.strip()]
    levels = sorted({b.level for b in blocks if b.level > 0})
    top = None
    for lv in levels:
        heads = [b for b in blocks if b.level == lv and not _TITLE.search(_norm(b.text))]
        if len(heads) >= 3 and not any(starts_item(_norm(b.text)) for b in heads):
            top = lv
            break
    lines: list[str] = []
    n = sub = 0
    for b in blocks:
        if top is not None and b.level == top and not _TITLE.search(_norm(b.text)):
            n, sub = n + 1, 0
            lines.append(f"{n} {b.text}")
        elif top is not None and b.level == top + 1 and n and not starts_item(_norm(b.text)):
            sub += 1
            lines.append(f"({sub}) {b.text}")
        else:
            lines.append(b.text)
    return "\n".join(lines) + "\n"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()
