"""The 本文 of a saved HTML page (a 例規集 page or a body's web page), one paragraph a line.

Why lxml: its HTML parser (libxml2) is fast, copes with the broken markup of old CMS pages, is maintained,
and is already installed with pyHanko, so reading HTML adds no dependency. BeautifulSoup would add a
package and be slower; selectolax would add a compiled package for no gain here.

The charset comes from a BOM, the page's own <meta charset> / http-equiv / XML declaration, else the
bytes (UTF-8, Shift_JIS, EUC-JP: see `decode`). Scripts, styles, menus, breadcrumbs, headers, footers,
side bars and 「このページの先頭へ」-style links are dropped; what is left is the 本文. Block elements
become lines, table rows become one line each, <ol> items get the number the browser shows.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import lxml.html
from lxml import etree

from selfcheck.errors import ImportRejected
from selfcheck.policy_import.blocks import Block, render
from selfcheck.policy_import.decode import CHARSET_ALIASES, decode_bytes
from selfcheck.policy_import.lines import starts_item

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
_XML_ENC = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.-]+)["']""", re.I)
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
    "select", "iframe", "svg", "canvas", "object", "embed", "head", "menu",
)  # fmt: skip
# id/class words of page furniture on Japanese CMS and 例規集 pages (whole words only: 「head」 is the
# title of an article on some 例規集 pages and must stay)
_FURNITURE = re.compile(
    r"^(?:g?nav[\w-]*|navi(?:gation)?|[\w-]*menu[\w-]*|bread[\w-]*|pankuzu|topic-?path|[\w-]*footer[\w-]*|"
    r"site-?header|header-?(?:area|wrap|inner|nav|menu)?|page-?top|to-?top|side(?:bar|-?nav|-?area|-?menu)?|"
    r"skip[\w-]*|sitemap|banner[\w-]*|sns[\w-]*|share[\w-]*|utility|tool-?bar|lnavi|local-?nav[\w-]*|"
    r"search[\w-]*|print[\w-]*|fontsize|moji(?:size)?|accessibility|related[\w-]*|pagination)$",
    re.I,
)
_BOILERPLATE = re.compile(
    r"^(?:このページの(?:先頭|上|トップ)へ.*|ページの(?:先頭|トップ|上)へ.*|(?:ページ)?トップへ戻る|"
    r"本文へ(?:スキップ|移動)|メニューへ(?:スキップ|移動)|前のページへ戻る|印刷(?:する)?|"
    r"(?:▲|↑)\s*(?:ページの)?(?:先頭|トップ).*|閉じる|PDF形式のファイルをご覧いただく場合.*|"
    r"Adobe\s*(?:Acrobat\s*)?Reader.*)$",
    re.I,
)
_PREFIX_ONLY = re.compile(r"^(?:\(\d+\)|[①-⑳]|・)$")
_BLOCK = {
    "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
    "blockquote", "pre", "address", "dl", "ul", "ol", "main", "center", "caption", "figcaption", "hr", "br",
}  # fmt: skip


def html_to_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text, 'HTML (encoding)', warnings) of a saved page."""
    declared = _declared(data[:4096])
    try:
        text, encoding = decode_bytes(data, declared)
    except ImportRejected as exc:
        if exc.reason == "empty":
            raise
        raise ImportRejected(
            "HTML の文字コードを判別できません（UTF-8、Shift_JIS、EUC-JP に対応しています）",
            "cannot tell the page's character encoding (UTF-8, Shift_JIS and EUC-JP are supported)",
            reason="not_text",
        ) from None
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str that still declares its encoding
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise ImportRejected(
            "HTML として読めません（中身がありません）", "the page has no readable content", reason="empty"
        ) from None
    warnings = []
    if declared and encoding != _codec_name(declared):
        warnings.append(
            f"ページの文字コード指定（{declared}）と中身が違うため {encoding} として読みました / "
            f"the page claims {declared} but is {encoding}"
        )
    main = _main(root)
    blocks: list[Block] = []
    _walk(main, blocks, [""])
    blocks = [b for b in blocks if not _BOILERPLATE.match(b.text.strip())]
    return render(blocks), f"HTML（{encoding}）", warnings


def _codec_name(declared: str) -> str:
    return CHARSET_ALIASES.get(declared.lower(), declared.lower())


def _declared(head: bytes) -> str | None:
    m = _CHARSET.search(head) or _XML_ENC.search(head)
    return m[1].decode("ascii", "ignore") if m else None


def _text_len(el: Any) -> int:
    return len(re.sub(r"\s+", "", el.text_content() or ""))


def _main(root: Any) -> Any:
    """The 本文: furniture removed; a <main> (or #main, #contents…) holding most of the text if any."""
    body = root.find("body")
    if body is None:
        body = root
    for el in list(body.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        words = [*(el.get("class") or "").split(), el.get("id") or ""]
        role = el.get("role") or ""
        if role in ("navigation", "banner", "contentinfo", "search") or any(
            w and _FURNITURE.match(w) for w in words
        ):
            el.drop_tree()
    total = _text_len(body)
    for xpath in (
        "//main",
        "//*[@role='main']",
        "//*[@id='main' or @id='contents' or @id='content' or @id='main-contents' or @id='primary']",
        "//*[@id='tmp_contents' or @id='mainContents' or @id='main_body' or @id='honbun']",
    ):
        for el in body.xpath(xpath):
            if total and _text_len(el) >= 0.6 * total:
                return el
    return body


def _walk(el: Any, out: list[Block], cur: list[str], ol_depth: int = 0) -> None:
    """Append the text of `el` to `cur[0]`, ending a line at each block element."""
    if not isinstance(el.tag, str):  # comments, processing instructions
        _tail(el, out, cur)
        return
    tag = el.tag.lower()
    level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else 0
    if tag in _BLOCK and tag != "li":  # an <li> starts after the number its list gave it
        _flush(out, cur)
    if tag == "br":
        _tail(el, out, cur)
        return
    if el.text:
        cur[0] += el.text
    if tag == "ol":
        _ordered(el, out, cur, ol_depth + 1)
    elif tag == "ul":
        for li in el.iterchildren():
            _flush(out, cur)
            cur[0] += "・" if li.tag == "li" and not _starts_marked(li) else ""
            _walk(li, out, cur, ol_depth)
    elif tag == "tr":
        cells = [_cell(c) for c in el.iterchildren() if isinstance(c.tag, str)]
        cur[0] += " ".join(c for c in cells if c)
    else:
        for child in el.iterchildren():
            _walk(child, out, cur, ol_depth)
    if tag in _BLOCK:
        _flush(out, cur, level)
    _tail(el, out, cur)


def _ordered(el: Any, out: list[Block], cur: list[str], depth: int) -> None:
    try:
        n = int(el.get("start") or "1") - 1
    except ValueError:
        n = 0
    for li in el.iterchildren():
        if not isinstance(li.tag, str) or li.tag.lower() != "li":
            continue
        n += 1
        _flush(out, cur)
        if not _starts_marked(li):
            cur[0] += f"({n}) " if depth == 1 else (f"{'①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳'[n - 1]}" if n <= 20 else "")
        _walk(li, out, cur, depth)


def _starts_marked(li: Any) -> bool:
    return starts_item(unicodedata.normalize("NFKC", (li.text_content() or "").strip()))


def _cell(el: Any) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def _tail(el: Any, out: list[Block], cur: list[str]) -> None:
    if el.tail:
        cur[0] += el.tail


def _flush(out: list[Block], cur: list[str], level: int = 0) -> None:
    text = re.sub(r"[ \t\r\n\u00a0]+", " ", cur[0]).strip()
    if _PREFIX_ONLY.match(text):  # the number of an <li> whose text starts in a <p> inside it
        return
    if text:
        out.append(Block(text, level))
    cur[0] = ""
