"""Read the file a user gave and turn it into policy text: plain text, PDF, Word (.docx) or HTML.

Bodies publish their 基本方針 as 例規集 HTML pages, ordinary web pages, PDF and Word files, and clerks save
them as they are. The kind is taken from the bytes (a PDF saved as .txt is still a PDF), the extension only
decides what a file that is none of them is called in the refusal. Nothing is written anywhere: every
reader works on the bytes in memory, so a refused file leaves no temporary file behind.

The readers for PDF, Word and HTML load large libraries (pypdfium2, python-docx, lxml), so they are
imported only when such a file is read: starting `selfcheck` never pays for them.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from selfcheck import inputs
from selfcheck.errors import ImportRejected, SelfcheckError
from selfcheck.policy_import.decode import MAX_TEXT_BYTES, decode_bytes, empty_file

MB = 1024 * 1024
LIMITS = {"text": MAX_TEXT_BYTES, "html": 5 * MB, "pdf": 30 * MB, "docx": 20 * MB}
"""Largest file of each kind: a 30-page PDF with fonts is 1-5 MB; a saved 例規集 page with the whole
対策基準 is under 1 MB."""
MAX_CHARS = 600_000
"""Largest text a file may hold once read (a 基本方針 with its 対策基準 is 20-200 thousand characters)."""
ZIP_LIMIT = 100 * MB
"""Largest uncompressed size of a .docx: a zip bomb is refused before anything is inflated."""

KIND_NAMES = {"text": "テキスト", "pdf": "PDF", "docx": "Word（.docx）", "html": "HTML"}

# Formats people do save policies in, which cannot be read: say what to do instead.
_UNSUPPORTED = {
    ".doc": "Word 97-2003 形式（.doc）",
    ".docm": "マクロ付き Word 文書（.docm）",
    ".dot": "Word テンプレート（.dot）",
    ".dotm": "マクロ付き Word テンプレート（.dotm）",
    ".rtf": "リッチテキスト（.rtf）",
    ".odt": "OpenDocument 文書（.odt）",
    ".jtd": "一太郎文書（.jtd）",
    ".jtdc": "一太郎文書（.jtdc）",
    ".xls": "Excel ブック（.xls）",
    ".xlsx": "Excel ブック（.xlsx）",
    ".xlsm": "Excel ブック（.xlsm）",
    ".ppt": "PowerPoint（.ppt）",
    ".pptx": "PowerPoint（.pptx）",
    ".csv": "CSV",
    ".png": "画像（.png）",
    ".jpg": "画像（.jpg）",
    ".jpeg": "画像（.jpeg）",
    ".gif": "画像（.gif）",
    ".tif": "画像（.tif）",
    ".tiff": "画像（.tiff）",
    ".bmp": "画像（.bmp）",
    ".zip": "ZIP 圧縮ファイル",
}
_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "Word 97-2003・Excel 97-2003 等の古い Office 形式"),
    (b"{\\rtf", "リッチテキスト（.rtf）"),
    (b"\x89PNG", "画像（PNG）"),
    (b"\xff\xd8\xff", "画像（JPEG）"),
    (b"GIF8", "画像（GIF）"),
    (b"II*\x00", "画像（TIFF）"),
    (b"MM\x00*", "画像（TIFF）"),
    (b"BM", "画像（BMP）"),
)
_EXT_KIND = {".txt": "text", ".text": "text", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAG = re.compile(rb"<(?:html|head|body|p|div|table|h[1-6]|br|meta)\b", re.I)
_MHT = re.compile(rb"^(?:[\w-]+:.*\r?\n)*?content-type:\s*multipart/related", re.I | re.M)


@dataclass
class SourceText:
    """The text read from a file, and what kind of file it was."""

    text: str
    kind: str
    """'text', 'pdf', 'docx' or 'html'."""
    detail: str = ""
    """The encoding, or the page count, for the wizard's summary."""
    warnings: list[str] = field(default_factory=list)


def read_source(path: Path) -> SourceText:
    """Read `path` (any supported kind) as policy text; refusals are ImportRejected with `where` set."""
    where = str(path)
    try:
        return _read(path)
    except ImportRejected as exc:
        exc.where = exc.where or where
        raise


def _read(path: Path) -> SourceText:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ImportRejected("ファイルが見つかりません", "file not found", reason="not_text") from None
    except OSError as exc:
        raise ImportRejected(
            f"ファイルを開けません（{exc.strerror}）", f"cannot open file ({exc.strerror})", reason="not_text"
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise ImportRejected(
            "フォルダではなく基本方針のファイルを指定してください",
            "this is a folder, not a policy file",
            reason="not_text",
        )
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end: never open one
        raise ImportRejected(
            "通常のファイルではありません（名前付きパイプやデバイスは読めません）",
            "not a regular file (a named pipe or device cannot be read)",
            reason="not_text",
        )
    ext = path.suffix.lower()
    if ext in _UNSUPPORTED:
        raise unsupported(_UNSUPPORTED[ext])
    if st.st_size == 0:
        raise empty_file()
    kind = _EXT_KIND.get(ext, "")
    limit = LIMITS[kind] if kind else max(LIMITS.values())
    if st.st_size > limit:
        raise too_large(st.st_size, limit, kind)
    try:
        # the one bounded, non-blocking read (a file swapped for a FIFO after the stat above is refused too)
        data = inputs.read_bytes(path, limit)
    except SelfcheckError as exc:
        raise ImportRejected(exc.message_ja, exc.message_en, reason="not_text") from None
    return source_from_bytes(data, ext)


def source_from_bytes(data: bytes, ext: str = "") -> SourceText:
    """Tell the kind of `data` and read it (the extension only helps with HTML saved without a doctype)."""
    kind = sniff(data, ext)
    if len(data) > LIMITS[kind]:
        raise too_large(len(data), LIMITS[kind], kind)
    if kind == "pdf":
        from selfcheck.policy_import.pdf_text import pdf_to_text  # pypdfium2: only for a PDF

        text, detail, warnings = pdf_to_text(data)
    elif kind == "docx":
        from selfcheck.policy_import.docx_text import docx_to_text  # python-docx: only for Word

        text, detail, warnings = docx_to_text(data)
    elif kind == "html":
        from selfcheck.policy_import.html_text import html_to_text  # lxml: only for HTML

        text, detail, warnings = html_to_text(data)
    else:
        text, encoding = decode_bytes(data)
        detail, warnings = f"テキスト（{encoding}）", []
    if len(text) > MAX_CHARS:
        raise ImportRejected(
            f"文字数が多すぎます（{len(text):,} 文字、上限 {MAX_CHARS:,} 文字）。基本方針の部分だけを保存してください",
            f"too much text ({len(text):,} characters, limit {MAX_CHARS:,}); save only the basic policy",
            reason="too_large",
        )
    if not text.strip():
        raise empty_file()
    return SourceText(text, kind, detail, warnings)


def sniff(data: bytes, ext: str = "") -> str:
    """'pdf', 'docx', 'html' or 'text' from the bytes; refuses the formats that cannot be read."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, name in _MAGIC:
        if data.startswith(magic) and (magic != b"BM" or ext == ".bmp"):
            raise unsupported(name)
    probe = (
        head.decode("utf-16", "ignore").encode("utf-8") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head
    )
    probe = probe.removeprefix(b"\xef\xbb\xbf")
    if _MHT.search(probe) or ext in (".mht", ".mhtml"):
        raise unsupported("Web アーカイブ（.mht）")
    if _HTML_START.match(probe) or (ext in (".html", ".htm", ".xhtml", ".shtml") and _HTML_TAG.search(probe)):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    """A .docx is a zip whose main part is a Word document; anything else in a zip is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            if total > ZIP_LIMIT or len(infos) > 2000:
                raise ImportRejected(
                    "展開すると大きすぎる文書です（圧縮爆弾の可能性があります）。読み取りを中止しました",
                    "the document would be too large once unpacked (possibly a zip bomb); not read",
                    reason="too_large",
                )
            types = b""
            ct = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
            if ct is not None and ct.file_size < MB:
                types = zf.read(ct)
    except zipfile.BadZipFile:
        raise ImportRejected(
            "ファイルが壊れています（ZIP/Word 形式として開けません）",
            "the file is damaged (cannot be opened as a zip/Word file)",
            reason="not_text",
        ) from None
    if "word/document.xml" in names or b"wordprocessingml.document.main" in types:
        if b"macroEnabled" in types:
            raise unsupported("マクロ付き Word 文書（.docm）")
        return "docx"
    if "xl/workbook.xml" in names:
        raise unsupported("Excel ブック")
    if any(n.startswith("ppt/") for n in names):
        raise unsupported("PowerPoint")
    if "mimetype" in names:
        raise unsupported("OpenDocument 文書")
    raise unsupported("ZIP 圧縮ファイル")


def unsupported(name: str) -> ImportRejected:
    return ImportRejected(
        f"{name}は読めません。テキスト、PDF、Word（.docx）または HTML で保存してから指定してください",
        f"{name} cannot be read; save the policy as text, PDF, Word (.docx) or HTML",
        reason="unsupported_format",
    )


def too_large(size: int, limit: int, kind: str = "") -> ImportRejected:
    what = KIND_NAMES.get(kind, "")
    return ImportRejected(
        f"ファイルが大きすぎます（{size:,} バイト、{what}の上限 {limit // MB} MB）。基本方針の部分だけを保存してください",
        f"file too large ({size:,} bytes, limit {limit // MB} MB); save only the basic policy",
        reason="too_large",
    )
