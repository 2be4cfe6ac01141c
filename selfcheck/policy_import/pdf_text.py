"""The text layer of a PDF, as the lines a reader sees, with the page furniture taken out.

Why pypdfium2 (PDFium, the engine of Chrome's viewer): measured on a 25-page Japanese policy made with
reportlab, it read the text in 0.1 s where pypdf took 1.5 s and pdfminer.six 3.5 s, and it reads CID fonts
without embedded maps (the Word/Acrobat 「HeiseiKakuGo」 kind) as well as subset TrueType fonts. It is
maintained, ships wheels with PDFium inside for Windows, macOS and Linux (nothing to install beside it),
and reads from memory, so no temporary file is ever written.

PDFium gives each character with its position. Lines are ordered top to bottom (a running header drawn
last still comes first), lines sharing a baseline are joined, page numbers (「- 3 -」「3/10」) and running
headers/footers repeated on most pages are dropped, a line that runs to the right margin is joined with the
next one unless that starts a numbered item (so hard-wrapped paragraphs become one line again, across a page
break too), and text set with a space between every character is closed up using the real gaps.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from selfcheck.errors import ImportRejected
from selfcheck.policy_import.lines import starts_item
from selfcheck.policy_import.markers import HEADING_ONLY

MAX_PAGES = 500
_BREAK = re.compile(r"\r\n|\r|\n")
_PAGE_NO = re.compile(
    r"^[-‐―—–ー~〜・]?(?:p\.?|page|ページ)?\d{1,4}(?:/\d{1,4})?(?:ページ|頁)?[-‐―—–ー~〜・]?$", re.IGNORECASE
)
_DIGITS = re.compile(r"\d+")
_PASSWORD = 4  # FPDF_ERR_PASSWORD


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float
    page: int
    band: str = ""
    """'top' or 'bottom' when the line sits in the page's header or footer margin."""


def pdf_to_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text, 'PDF n ページ', warnings) of a PDF's text layer; refuses scans, passwords, damaged files."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD:
            raise ImportRejected(
                "パスワードで保護された PDF は読めません。保護を外した PDF かテキストで保存してください",
                "the PDF is password-protected; save it without a password, or as text",
                reason="unsupported_format",
            ) from None
        raise _damaged() from None
    try:
        return _read(doc)
    finally:
        doc.close()


def _read(doc: pdfium.PdfDocument) -> tuple[str, str, list[str]]:
    pages = len(doc)
    if pages > MAX_PAGES:
        raise ImportRejected(
            f"PDF のページが多すぎます（{pages} ページ、上限 {MAX_PAGES}）。基本方針の部分だけを保存してください",
            f"too many PDF pages ({pages}, limit {MAX_PAGES}); save only the basic policy",
            reason="too_large",
        )
    lines: list[_Line] = []
    image_only = 0
    chars = 0
    for i in range(pages):
        try:
            page = doc[i]
        except pdfium.PdfiumError:
            raise _damaged() from None
        try:
            found = _page_lines(page, i)
            if not found and _has_image(page):
                image_only += 1
            lines += found
            chars += sum(len(ln.text) for ln in found)
        finally:
            page.close()
    if chars < 40 and image_only:
        raise ImportRejected(
            "スキャン画像のPDFです（文字の情報がありません）。文字を選択できる PDF か、テキスト・Word のファイルを指定してください（文字認識は行いません）",
            "this is a scanned-image PDF with no text layer (no OCR is done); give a PDF with text, or text/Word",
            reason="scanned_pdf",
        )
    if not chars:
        raise ImportRejected("PDF に文字がありません", "the PDF contains no text", reason="empty")
    sample = "".join(ln.text for ln in lines)[:20000]
    odd = sum(1 for ch in sample if ord(ch) < 32 or "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    if odd * 5 > len(sample):
        raise ImportRejected(
            "PDF の文字を取り出せません（文字の対応表がないフォントです）。テキストか Word で保存してください",
            "the PDF's characters cannot be read (fonts without a character map); save as text or Word",
            reason="not_text",
        )
    warnings = []
    if image_only:
        warnings.append(
            f"{image_only} ページは画像だけで、文字を読めませんでした / {image_only} page(s) are images only"
        )
    body = _drop_furniture(lines, pages)
    return "\n".join(_paragraphs(body)) + "\n", f"PDF {pages} ページ", warnings


def _damaged() -> ImportRejected:
    return ImportRejected(
        "PDF が壊れているため読めません", "the PDF is damaged and cannot be read", reason="not_text"
    )


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _advance(ch: str, size: float) -> float:
    return size if unicodedata.east_asian_width(ch) in "WFA" else size * 0.5


def _page_lines(page: pdfium.PdfPage, index: int) -> list[_Line]:
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        if n <= 0:
            return []
        text = tp.get_text_range(0, n)
        height = page.get_height()
        raw = tp.raw
        x, y = ctypes.c_double(), ctypes.c_double()
        positioned = len(text) == n  # each character has its index (always so for BMP text)

        def origin(k: int) -> tuple[float, float]:
            pdfium_c.FPDFText_GetCharOrigin(raw, k, x, y)
            return x.value, y.value

        segs: list[_Line] = []
        start = 0
        for m in [*_BREAK.finditer(text), None]:
            end = m.start() if m else len(text)
            a, b = start, end
            start = m.end() if m else len(text)
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a >= b:
                continue
            if not positioned:
                segs.append(_Line(text[a:b], 0, 0, -len(segs), 10, index))
                continue
            x0, y0 = origin(a)
            size = pdfium_c.FPDFText_GetFontSize(raw, a) or 10.0
            xl, _ = origin(b - 1)
            seg = text[a:b]
            if _interspaced(seg):
                seg = _close_up(text, a, b, origin, size)
            segs.append(_Line(seg, x0, xl + _advance(text[b - 1], size), y0, size, index))
        return _merge_baselines(segs, height)
    finally:
        tp.close()


def _interspaced(seg: str) -> bool:
    """「情 報 セ キ ュ リ テ ィ」: most 'words' are one character."""
    tokens = seg.split()
    if len(tokens) < 5:
        return False
    single = sum(1 for t in tokens if len(t) == 1)
    return single >= 0.7 * len(tokens)


def _close_up(text: str, a: int, b: int, origin: Callable[[int], tuple[float, float]], size: float) -> str:
    """Rebuild an interspaced line from the gaps between characters: the usual gap is letter spacing, a
    clearly wider one is a real space."""
    chars = [(k, text[k]) for k in range(a, b) if not text[k].isspace()]
    xs = [origin(k)[0] for k, _ in chars]
    extras = [xs[i + 1] - xs[i] - _advance(chars[i][1], size) for i in range(len(chars) - 1)]
    if not extras:
        return text[a:b]
    usual = statistics.median(extras)
    out = [chars[0][1]]
    for i, extra in enumerate(extras):
        if extra > usual + 0.45 * size:
            out.append(" ")
        out.append(chars[i + 1][1])
    return "".join(out)


def _merge_baselines(segs: list[_Line], height: float) -> list[_Line]:
    """Top-to-bottom order; pieces of one visual line (drawn separately) joined left to right."""
    segs.sort(key=lambda s: -s.y)
    out: list[_Line] = []
    group: list[_Line] = []

    def flush() -> None:
        if not group:
            return
        group.sort(key=lambda s: s.x0)
        text = group[0].text
        for prev, cur in itertools.pairwise(group):
            text += (" " if cur.x0 - prev.x1 > 0.3 * prev.size else "") + cur.text
        first = group[0]
        ln = _Line(text, first.x0, max(g.x1 for g in group), first.y, first.size, first.page)
        if height > 0:
            ln.band = "top" if ln.y > height * 0.9 else "bottom" if ln.y < height * 0.1 else ""
        out.append(ln)
        group.clear()

    for s in segs:
        if group and abs(s.y - group[0].y) > 0.35 * max(s.size, group[0].size):
            flush()
        group.append(s)
    flush()
    return out


def _key(text: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


def _drop_furniture(lines: list[_Line], pages: int) -> list[_Line]:
    """Without page numbers and running headers/footers (kept once at the top of page 1: it is often
    the title)."""
    seen: dict[str, set[int]] = {}
    for ln in lines:
        if ln.band:
            seen.setdefault(_key(ln.text), set()).add(ln.page)
    need = max(2, math.ceil(pages * 0.5))
    running = {k for k, p in seen.items() if len(p) >= need}
    out = []
    kept_title = False
    for ln in lines:
        key = _key(ln.text)
        if ln.band and _PAGE_NO.match(key.replace("#", "1")):
            continue
        if ln.band and key in running:
            if ln.page == 0 and ln.band == "top" and not kept_title and "#" not in key:
                kept_title = True
                out.append(ln)
            continue
        out.append(ln)
    return out


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join each line that runs to the right margin with the next, unless the next starts an item.

    The margin is the right edge of the text on pages with enough lines to show it; with none (a short
    one-page text) nothing is joined, since a lone long line would look like it reached the margin."""
    if not lines:
        return []
    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    rights = [max(ln.x1 for ln in pl) for pl in by_page.values() if len(pl) >= 8]
    lefts = [min(ln.x0 for ln in pl) for pl in by_page.values() if len(pl) >= 8]
    out: list[str] = []
    cur = lines[0].text
    for prev, nxt in itertools.pairwise(lines):
        if rights and _wraps(prev, nxt, statistics.median(rights), statistics.median(lefts)):
            sep = " " if cur[-1:].isascii() and cur[-1:].isalnum() and nxt.text[:1].isascii() else ""
            cur += sep + nxt.text.strip()
        else:
            out.append(cur)
            cur = nxt.text
    out.append(cur)
    return out


def _kana_word_goes_on(prev: str, nxt: str) -> bool:
    """「…ソフトウェ」 + 「ア）をいう。」: the rest of a katakana word, not the item 「ア）」."""
    return bool(re.match(r"^[ァ-ヶ][)）]", nxt) and re.search(r"[ァ-ヶー]$", prev.rstrip()))


def _wraps(prev: _Line, nxt: _Line, right: float, left: float) -> bool:
    nxt_norm = unicodedata.normalize("NFKC", nxt.text.strip())
    return (
        right - left > 10 * prev.size  # positions known (PDFium gave them for every character)
        and prev.x1 >= right - 2.0 * prev.size
        and prev.x1 - left >= 0.6 * (right - left)
        and not prev.text.rstrip().endswith("。")
        and (not starts_item(nxt_norm) or _kana_word_goes_on(prev.text, nxt_norm))
        and not HEADING_ONLY.match(re.sub(r"\s+", "", nxt_norm))
        and abs(nxt.size - prev.size) <= 0.25 * prev.size
    )
