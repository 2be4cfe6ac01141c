"""The text of a Word (.docx) file: its paragraphs in order, with Word's automatic numbers written out.

Why python-docx: the maintained reader of .docx (on lxml, already installed for pyHanko), it opens the
package from memory and gives the document, style and numbering parts as XML. Text is taken from the
paragraphs' XML (tables row by row, deleted revisions and text boxes left out), because python-docx's own
`Paragraph.text` knows nothing of numbering.

Many policies are typed in Word with 「第1条」 or 「1」 produced by automatic numbering: the number then
exists only in numbering.xml. It is rebuilt here the way Word counts: per list, per level, lower levels
restarting after a higher one, `%1.` templates in the level's format (decimal, full-width, ①, ⑴, 一, ア, イ…).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.oxml.ns import qn

from selfcheck.errors import ImportRejected
from selfcheck.policy_import.blocks import Block, render

KANJI = "〇一二三四五六七八九"
AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_HEADING_NAMES = ("heading", "見出し")
_W_T, _W_TAB, _W_BR, _W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_SKIP = {qn("w:txbxContent"), qn("w:del"), qn("w:instrText"), qn("w:delText")}


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False


@dataclass
class _Numbering:
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> str:
        """The number Word shows for the next paragraph of list `num_id` at level `ilvl`."""
        if num_id not in self.nums or not 0 <= ilvl < 9:
            return ""
        abs_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abs_id, {})
        key = num_id if overrides else f"a{abs_id}"
        c = self.counters.setdefault(key, [None] * 9)
        lvl = levels.get(ilvl, _Level())
        start = overrides.get(ilvl, lvl.start)
        current = c[ilvl]
        c[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            c[deeper] = None
        text = lvl.text
        for k in range(ilvl + 1):
            value = c[k]
            if value is None:
                value = overrides.get(k, levels.get(k, _Level()).start)
            fmt = "decimal" if lvl.legal else levels.get(k, _Level()).fmt
            text = text.replace(f"%{k + 1}", _format(value, fmt))
        if lvl.fmt == "bullet":
            text = "・"
        sep = {"tab": " ", "space": " "}.get(lvl.suffix, "")
        return text + sep if text else ""


def _format(n: int, fmt: str) -> str:
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return PAREN[n - 1]
    if fmt in ("aiueo", "aiueoFullWidth") and 1 <= n <= len(AIUEO):
        return AIUEO[n - 1]
    if fmt in ("iroha", "irohaFullWidth") and 1 <= n <= len(IROHA):
        return IROHA[n - 1]
    if fmt in ("japaneseCounting", "chineseCounting", "chineseCountingThousand", "japaneseLegal",
               "ideographTraditional", "japaneseDigitalTenThousand", "ideographDigital"):  # fmt: skip
        return _kanji(n)
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        ch = chr(ord("a") + n - 1)
        return ch.upper() if fmt == "upperLetter" else ch
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 40:
        r = "x" * (n // 10) + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][n % 10]
        return r.upper() if fmt == "upperRoman" else r
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def _kanji(n: int) -> str:
    if n < 10:
        return KANJI[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else KANJI[tens]) + "十" + (KANJI[ones] if ones else "")
    return str(n)


def _val(el: Any, tag: str) -> str | None:
    found = el.find(qn(tag)) if el is not None else None
    return found.get(qn("w:val")) if found is not None else None


def _load_numbering(document: Any) -> _Numbering:
    numbering = _Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbering
    for absn in root.findall(qn("w:abstractNum")):
        levels: dict[int, _Level] = {}
        for lvl in absn.findall(qn("w:lvl")):
            try:
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                start = int(_val(lvl, "w:start") or "1")
            except ValueError:
                continue
            levels[ilvl] = _Level(
                start=start,
                fmt=_val(lvl, "w:numFmt") or "decimal",
                text=_val(lvl, "w:lvlText") or "",
                suffix=_val(lvl, "w:suff") or "tab",
                legal=lvl.find(qn("w:isLgl")) is not None,
            )
        numbering.abstract[absn.get(qn("w:abstractNumId"), "")] = levels
    for num in root.findall(qn("w:num")):
        overrides: dict[int, int] = {}
        for ov in num.findall(qn("w:lvlOverride")):
            value = _val(ov, "w:startOverride")
            if value is not None and value.isdigit():
                overrides[int(ov.get(qn("w:ilvl"), "0"))] = int(value)
        numbering.nums[num.get(qn("w:numId"), "")] = (_val(num, "w:abstractNumId") or "", overrides)
    return numbering


def _styles(document: Any) -> dict[str, tuple[str, str | None, Any]]:
    """style id -> (name, basedOn, pPr)."""
    out = {}
    for st in document.styles.element.findall(qn("w:style")):
        name = _val(st, "w:name") or ""
        out[st.get(qn("w:styleId"), "")] = (name.lower(), _val(st, "w:basedOn"), st.find(qn("w:pPr")))
    return out


def _text(p: Any) -> str:
    out: list[str] = []
    stack = [p]
    while stack:  # document order, skipping text boxes and deleted revisions
        el = stack.pop()
        tag = el.tag
        if tag in _SKIP:
            continue
        if tag == _W_T:
            out.append(el.text or "")
        elif tag == _W_TAB:
            out.append("\t")
        elif tag in (_W_BR, _W_CR):
            out.append("\n")
        stack.extend(reversed(list(el)))
    return "".join(out)


def docx_to_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text, 'Word', warnings) of a .docx; a file python-docx cannot open is refused as damaged."""
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _load_numbering(document)
        styles = _styles(document)
        blocks = list(_blocks(document.element.body, numbering, styles))
    except ImportRejected:
        raise
    except Exception:  # python-docx raises KeyError, ValueError, XMLSyntaxError… for a broken package
        raise ImportRejected(
            "Word ファイルが壊れているため読めません",
            "the Word file is damaged and cannot be read",
            reason="not_text",
        ) from None
    return render(blocks), "Word（.docx）", []


def _blocks(body: Any, numbering: _Numbering, styles: dict[str, tuple[str, str | None, Any]]) -> Any:
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            yield _paragraph(el, numbering, styles)
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                cells = [
                    " ".join(_text(p).strip() for p in tc.iter(qn("w:p"))) for tc in tr.findall(qn("w:tc"))
                ]
                yield Block(" ".join(c for c in cells if c))
        elif el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, numbering, styles)


def _paragraph(p: Any, numbering: _Numbering, styles: dict[str, tuple[str, str | None, Any]]) -> Block:
    ppr = p.find(qn("w:pPr"))
    style_id = _val(ppr, "w:pStyle")
    num_id, ilvl, level = None, None, 0
    outline = _val(ppr, "w:outlineLvl")
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is not None:
        num_id, ilvl = _val(numpr, "w:numId"), _val(numpr, "w:ilvl")
    seen = set()
    while style_id and style_id in styles and style_id not in seen:  # inherited numbering and heading
        seen.add(style_id)
        name, based_on, sppr = styles[style_id]
        if not level and name.startswith(_HEADING_NAMES):
            digits = "".join(ch for ch in name if ch.isdigit())
            level = int(digits) if digits else 1
        snum = sppr.find(qn("w:numPr")) if sppr is not None else None
        if snum is not None:
            num_id = num_id or _val(snum, "w:numId")
            ilvl = ilvl or _val(snum, "w:ilvl")
        outline = outline or _val(sppr, "w:outlineLvl")
        style_id = based_on
    if not level and outline is not None and outline.isdigit() and int(outline) < 9:
        level = int(outline) + 1
    text = _text(p)
    if num_id and num_id != "0" and text.strip():
        text = numbering.label(num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0) + text.lstrip()
    return Block(text.replace("\n", " ") if level else text, level)
