"""Turn a policy text into the files bodies really publish: a PDF made the way Word or a 例規集 system
makes one (wrapped paragraphs, a running header, 「- n -」 page numbers), a Word file whose section
numbers are Word's automatic numbering, and a saved web page with menus, breadcrumbs and a footer."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FONT = REPO / "data" / "fonts" / "ipaexg.ttf"
_SECTION = re.compile(r"^(\d{1,2})(\.?) (\S{1,40})$")


def to_pdf(text: str, *, header: str = "", cid: bool = False, spaced: bool = False) -> bytes:
    """Each non-blank line a wrapped paragraph; `spaced` draws a gap after every character."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if cid:
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
        font = "HeiseiKakuGo-W5"
    else:
        pdfmetrics.registerFont(TTFont("IPAexG", str(FONT)))
        font = "IPAexG"
    style = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    if spaced:
        style = ParagraphStyle("spaced", parent=style, fontSize=10, leading=16)
    story = []
    for line in text.split("\n"):
        if line.strip():
            markup = html.escape(line.strip(), quote=False)
            if spaced:
                markup = f'<span><font name="{font}">' + markup + "</font></span>"
            story.append(Paragraph(markup, style))

    def furniture(canvas: object, doc: object) -> None:
        c = canvas
        c.setFont(font, 9)  # type: ignore[attr-defined]
        if header:
            c.drawString(72, A4[1] - 40, header)  # type: ignore[attr-defined]
        c.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def spaced_pdf(lines: list[str]) -> bytes:
    """Every character drawn on its own with a gap (「情 報 セ キ ュ リ テ ィ」 when copied); a real space
    is a wider gap."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("IPAexG", str(FONT)))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    y = A4[1] - 72
    for line in lines:
        x = 60.0
        for ch in line:
            if y < 60:
                c.showPage()
                y = A4[1] - 72
            if ch != " ":
                c.setFont("IPAexG", 9)
                c.drawString(x, y, ch)
            x += 13 if ch != " " else 9
            if x > A4[0] - 40:
                x, y = 60.0, y - 14
        y -= 14
    c.save()
    return out.getvalue()


def image_pdf() -> bytes:
    """A scan: one page that is only an image."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png = _png()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(png)), 50, 50, 500, 700)
    c.showPage()
    c.save()
    return out.getvalue()


def _png() -> bytes:
    import struct
    import zlib

    w = h = 16
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * w for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def to_docx(text: str, *, auto_numbers: bool = True, heading_style: bool = True) -> bytes:
    """Each non-blank line a paragraph; section headings (「1 目的」「1. 目的」) styled 見出し 1 and, with
    `auto_numbers`, numbered by Word (the number is then only in numbering.xml)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    fmt = "%1." if re.search(r"^\d{1,2}\. ", text, re.M) else "%1"
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="decimal"/><w:lvlText w:val="{fmt}"/><w:suff w:val="space"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    expected = 1
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = _SECTION.match(line.strip())
        if m and int(m[1]) == expected and "。" not in line:
            expected += 1
            p = document.add_paragraph(m[3] if auto_numbers else line.strip())
            if heading_style:
                p.style = document.styles["Heading 1"]
            if auto_numbers:
                p._p.get_or_add_pPr().append(
                    parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
                )
        else:
            document.add_paragraph(line.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def article_docx(lines: list[tuple[str, str]]) -> bytes:
    """A 例規-style Word file: (caption, article text) pairs whose 「第1条」 is Word's numbering."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%2)"/>'
            '<w:suff w:val="space"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    for caption, body in lines:
        if caption:
            document.add_paragraph(caption)
        level = 1 if body.startswith("\t") else 0
        p = document.add_paragraph(body.strip())
        if not body.startswith(("附", "　")):
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="91"/></w:numPr>')
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_html(text: str, *, encoding: str = "utf-8", title: str = "") -> bytes:
    """A CMS page: header, global menu, breadcrumbs, the policy as <h2>/<p>, a side menu, a footer."""
    body = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        tag = "h2" if _SECTION.match(line) and "。" not in line else "p"
        body.append(f"<{tag}>{html.escape(line)}</{tag}>")
    charset = {"utf-8": "UTF-8", "cp932": "Shift_JIS", "euc_jp": "EUC-JP"}[encoding]
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="{charset}"><title>{html.escape(title)}｜サンプル町公式ホームページ</title>
<style>body {{ font-family: sans-serif; }} .gnav li {{ display: inline; }}</style>
<script>window.dataLayer = [];function gtag(){{dataLayer.push(arguments);}}</script></head>
<body><div id="header"><p class="site-name">サンプル町公式ホームページ</p>
<a href="#main" class="skip">本文へスキップ</a></div>
<nav class="gnav"><ul><li>くらし・手続き</li><li>子育て・教育</li><li>町政情報</li></ul></nav>
<div class="breadcrumb"><a href="/">ホーム</a> &gt; 町政情報 &gt; 情報セキュリティ</div>
<div id="main"><h1>{html.escape(title)}</h1>
{chr(10).join(body)}
<p class="pagetop"><a href="#header">このページの先頭へ</a></p></div>
<div id="side"><h2>関連情報</h2><ul><li>個人情報保護</li><li>1 お問い合わせ</li></ul></div>
<footer><p>サンプル町役場 〒000-0000 電話 0000-00-0000</p><p>Copyright © Sample Town</p></footer>
</body></html>"""
    return page.encode(encoding)
