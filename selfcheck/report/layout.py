"""Reusable PDF primitives for every selfcheck document (自己点検結果報告書, インシデント報告書, ...).

Everything here is layout only: no database, no keyring. A builder makes a story with `doc()`, the
styles from `styles()`, `para()`/`grid()` for tables whose cells are Paragraphs (so Japanese text wraps
by kinsoku rules and long comments grow the row instead of running out of the cell; rows may split
across pages) (the 押印欄, the signer block and the draft banner are in `blocks`), then
calls `build_story()`, which adds the footer 「n / N」 and the document id on every page.

reportlab is imported inside functions so that `import selfcheck.cli` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from selfcheck.report import fonts

PAGE_MARGIN_MM = 15.0
PLACEHOLDER = "〓"  # the traditional 「げた」 mark for a character the font cannot draw (emoji etc.)


@dataclass(frozen=True)
class SignerInfo:
    """Who signs, as drawn in the signer block before the PAdES signature is applied."""

    name: str
    role: str
    organization: str
    signed_at: str  # ISO timestamp (the signer's claim; offline, no TSA)
    fingerprint: str  # SHA-256 of the certificate, hex
    audit_head: str = ""
    """"ID:HASH" of the audit chain when the report was made: printed in the signer block and written to
    the PDF's keywords, both covered by the signature, so the chain is anchored outside the database."""


ANCHOR_PREFIX = "selfcheck-audit-head:"


def anchor_keywords(signer: SignerInfo | None) -> str:
    """The PDF keywords that carry the audit head (empty for an unsigned report)."""
    return f"{ANCHOR_PREFIX}{signer.audit_head}" if signer is not None and signer.audit_head else ""


def mm(value: float) -> float:
    from reportlab.lib.units import mm as unit

    return float(value * unit)


def content_width() -> float:
    from reportlab.lib.pagesizes import A4

    return float(A4[0] - 2 * mm(PAGE_MARGIN_MM))


_STYLES: dict[str, Any] = {}


def styles() -> dict[str, Any]:
    """Paragraph styles in IPAexGothic with `wordWrap="CJK"` (kinsoku line breaking)."""
    if _STYLES:
        return _STYLES
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    font = fonts.register()
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    _STYLES.update(
        {
            "body": base,
            "title": derive("title", fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=6),
            "subtitle": derive("subtitle", fontSize=13, leading=20, alignment=TA_CENTER),
            "h1": derive("h1", fontSize=14, leading=20, spaceBefore=4, spaceAfter=6),
            "h2": derive("h2", fontSize=11, leading=16, spaceBefore=8, spaceAfter=4),
            "cell": derive("cell", fontSize=8, leading=10.5),
            "cell_small": derive("cell_small", fontSize=6.5, leading=8.5),
            "cell_head": derive("cell_head", fontSize=8, leading=10.5, alignment=TA_CENTER),
            "cell_center": derive("cell_center", fontSize=8, leading=10.5, alignment=TA_CENTER),
            "cell_right": derive("cell_right", fontSize=8, leading=10.5, alignment=TA_RIGHT),
            "note": derive("note", fontSize=8, leading=11),
            "right": derive("right", alignment=TA_RIGHT),
        }
    )
    return _STYLES


def drawable(text: str) -> str:
    """Replace characters IPAexGothic has no glyph for (emoji, rare symbols) by 〓, so nothing prints
    as an invisible .notdef box and the reader sees that something was there."""
    from reportlab.pdfbase import pdfmetrics

    cmap = pdfmetrics.getFont(fonts.register()).face.charToGlyph
    return "".join(ch if ch in "\n\t" or ord(ch) in cmap else PLACEHOLDER for ch in text)


def markup(text: str) -> str:
    """Plain user text -> Paragraph markup: escaped, drawable, newlines kept."""
    return escape(drawable(text), quote=False).replace("\n", "<br/>").replace("\t", "　")


_PARAGRAPH_CLASS: list[type] = []


def _paragraph_class() -> type:
    """A Paragraph that remembers its last wrap: a table wraps every cell to measure the row, again when
    it splits at a page end and again to draw it, always at the same width; CJK line breaking is most of
    the cost of a long report, so doing it once per width roughly halves the build time."""
    if _PARAGRAPH_CLASS:
        return _PARAGRAPH_CLASS[0]
    from reportlab.platypus import Paragraph

    class CachedParagraph(Paragraph):
        _wrap_key: float | None = None
        _wrap_result: tuple[float, float] = (0.0, 0.0)

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            # split() may delete blPara; then the lines must be broken again
            if self._wrap_key == availWidth and "blPara" in self.__dict__:
                self.width, self.height = availWidth, self._wrap_result[1]
                return self._wrap_result
            width, height = super().wrap(availWidth, availHeight)
            self._wrap_key, self._wrap_result = availWidth, (float(width), float(height))
            return self._wrap_result

    _PARAGRAPH_CLASS.append(CachedParagraph)
    return CachedParagraph


def para(text: str, style: str = "cell") -> Any:
    return _paragraph_class()(markup(text), styles()[style])


def para_markup(marked_up: str, style: str = "body") -> Any:
    """A Paragraph from markup we wrote ourselves (user text inside must already be `markup()`-ed)."""
    return _paragraph_class()(marked_up, styles()[style])


class Plain(str):
    """A short cell text drawn as is, without a Paragraph (no wrapping, much cheaper: wrapping CJK
    Paragraphs is most of the build time of a long report). Use only for text that surely fits."""

    __slots__ = ()


def plain(text: str) -> Plain:
    return Plain(drawable(text))


def grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    style: str = "cell",
    head_style: str = "cell_head",
    extra: Sequence[tuple[Any, ...]] = (),
) -> Any:
    """A ruled table. String cells become Paragraphs (CJK wrapping breaks even long hashes and URLs
    anywhere), flowables are kept; the header repeats
    on every page and a tall row may split across pages."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    data = [
        [_cell(c, head_style if r < header_rows else style, widths[i]) for i, c in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    t = Table(data, colWidths=list(widths), repeatRows=header_rows, splitInRow=1)
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.register()),  # the cell default is unembedded Helvetica
        ("FONTSIZE", (0, 0), (-1, -1), 8),  # for Plain cells
        ("LEADING", (0, 0), (-1, -1), 10.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#666666")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#E4E9F0")),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ]
    t.setStyle(TableStyle(cmds + list(extra)))
    return t


def grids(
    head: Sequence[Any], rows: Sequence[Sequence[Any]], widths: Sequence[float], *, block: int = 40, **kw: Any
) -> list[Any]:
    """`grid` over at most `block` rows per table, each with the header. Why: reportlab re-measures the
    whole remainder of a table at every page split, so one 300-row table costs O(rows × pages)."""
    return [grid([head, *rows[i : i + block]], widths, **kw) for i in range(0, max(len(rows), 1), block)]


def _cell(value: Any, style: str, width: float) -> Any:
    """Strings that surely fit on their lines in the left-aligned cell style stay plain (cheap); the rest
    become Paragraphs that wrap."""
    if isinstance(value, Plain) or not isinstance(value, str):
        return value
    st = styles()[style]
    if value and st.alignment == 0 and st.fontSize == 8:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        text = drawable(value)
        lines = text.split("\n")
        room = width - 6.5  # the cell's left and right padding, and a little slack
        # only a few lines: a plain string cannot be split across pages, a Paragraph can
        if len(lines) <= 4 and all(stringWidth(line, st.fontName, 8) <= room for line in lines):
            return Plain(text)
    return para(value, style)


def kv_table(pairs: Sequence[tuple[str, str]], widths: tuple[float, float] | None = None) -> Any:
    """Label / value rows (cover page, signer block)."""
    from reportlab.lib import colors

    w = widths or (mm(42), content_width() - mm(42))
    rows = [[para(k, "cell_head"), para(v, "body")] for k, v in pairs]
    return grid(
        rows,
        w,
        header_rows=0,
        extra=[
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#E4E9F0")),
            ("VALIGN", (0, 0), (0, -1), "MIDDLE"),
        ],
    )


def fingerprint_text(hexdigest: str) -> str:
    """`ab12...` -> `AB:12:...` (the form certificate viewers show)."""
    h = hexdigest.upper()
    return ":".join(h[i : i + 2] for i in range(0, len(h), 2))


DRAFT_MARK = "下書き"


def numbered_canvas(footer_left: str, header: str = "", watermark: str = "") -> type:
    """A canvas class that writes 「n / N」 and `footer_left` (the document id) on every page, and across
    every page a large translucent `watermark` (「下書き」 on a report that is not signed), so no page of a
    draft can pass for a page of the final report once printed or split; it keeps each page until the
    end so it knows N (two-pass numbering)."""
    from reportlab.lib import colors
    from reportlab.pdfgen import canvas

    font = fonts.register()

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # the doc template passes initialFontName=None; without ours every page references Helvetica
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, _height = self._pagesize
            margin = mm(PAGE_MARGIN_MM)
            self.setStrokeColor(colors.HexColor("#999999"))
            self.setLineWidth(0.3)
            self.line(margin, mm(12), width - margin, mm(12))
            self.setFillColor(colors.HexColor("#333333"))
            self.setFont(font, 7)
            self.drawString(margin, mm(8), footer_left)
            self.setFont(font, 8.5)
            self.drawRightString(width - margin, mm(8), f"{self._pageNumber} / {total}")
            if header:
                self.setFont(font, 7)
                self.drawRightString(width - margin, self._pagesize[1] - mm(9), header)
            if watermark:
                self._watermark(width, self._pagesize[1])

        def _watermark(self, width: float, height: float) -> None:
            self.saveState()
            # translucent red: the text under it stays readable, the mark survives a grey-scale copy
            self.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.13))
            self.translate(width / 2, height / 2)
            self.rotate(40)
            self.setFont(font, 120)
            self.drawCentredString(0, -40, watermark)
            self.restoreState()
            self.saveState()
            self.setFillColor(colors.HexColor("#B01818"))
            self.setFont(font, 9)
            self.drawString(mm(PAGE_MARGIN_MM), height - mm(9), f"【{watermark}・電子署名前】")
            self.restoreState()

    return NumberedCanvas


def doc(out: Path, *, title: str, author: str, subject: str) -> Any:
    """An A4 portrait document with the standard margins (room for the footer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    m = mm(PAGE_MARGIN_MM)
    return SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=m,
        rightMargin=m,
        topMargin=m,
        bottomMargin=mm(18),
        title=title,
        author=author,
        subject=subject,
        creator="selfcheck",
        lang="ja-JP",
    )


def build_story(
    document: Any,
    story: list[Any],
    *,
    footer_left: str,
    header: str = "",
    watermark: str = "",
    on_page: Callable[[Any, Any], None] | None = None,
) -> None:
    """Build with the numbered footer (and the draft watermark when given). The default canvas font is
    set to IPAex first so the file never references a non-embedded base-14 font."""
    font = fonts.register()

    def first(canv: Any, d: Any) -> None:
        canv.setFont(font, 9)
        if on_page:
            on_page(canv, d)

    document.build(
        story,
        onFirstPage=first,
        onLaterPages=first,
        canvasmaker=numbered_canvas(footer_left, header, watermark),
    )
