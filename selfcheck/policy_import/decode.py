"""Turn the bytes of a text (or HTML) file into text, refusing what is not text.

Clerks save the policy from Word, a PDF viewer or a browser, so the bytes arrive as UTF-8 (with or without a
BOM), UTF-16 with a BOM (Word's "Unicode text"), Shift_JIS/cp932 (older Windows tools) or EUC-JP (older web
servers), with CRLF line ends. An encoding named by the file itself (an HTML charset) is tried first; then
UTF-8, and of cp932 and EUC-JP the one that reads as Japanese, because either can decode the other's bytes
into nonsense without an error. Every refusal is an `ImportRejected` with a one-line Japanese and English
reason.
"""

from __future__ import annotations

import codecs
import re

from selfcheck.errors import ImportRejected

MAX_TEXT_BYTES = 1024 * 1024  # a 基本方針 is 5-20 KB; 1 MB leaves room for one with a 対策基準 appended

# Names pages and files give their charset, mapped to Python codecs (cp932 is what Windows means by
# Shift_JIS: it adds the NEC and IBM characters such as ① and ㈱).
CHARSET_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "cp932": "cp932",
    "euc-jp": "euc_jp",
    "euc_jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    "eucjp": "euc_jp",
    "iso-2022-jp": "iso2022_jp",
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-16": "utf-16",
    "us-ascii": "utf-8",
    "iso-8859-1": "cp1252",  # a Japanese page that claims Latin-1 is almost always mislabelled
}
_HALF_KANA = re.compile(r"[\uff61-\uff9f]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes; returns (text with LF line ends and no BOM, encoding name)."""
    if not data.strip(b" \t\r\n\x0c\x00") or not data.strip():
        raise empty_file()
    if data.startswith((b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # PDF, docx/zip, old .doc
        raise not_text()
    text, encoding = _decode(data, declared)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise not_text()
    if not text.strip():
        raise empty_file()
    return text, encoding


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise not_text() from None
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return guess, "utf-16-le"
        raise not_text()
    codec = CHARSET_ALIASES.get((declared or "").strip().lower())
    if codec and codec != "cp1252":
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass  # the page says one thing and holds another: guess below
        else:
            if codec == "utf-8" or _plausible(text):
                return text, codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), "utf-8"  # a file cut inside its last character
    best: tuple[float, str, str] | None = None
    for enc in ("cp932", "euc_jp"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or not _plausible(best[1]):
        raise ImportRejected(
            "文字コードを判別できません（UTF-8、UTF-16、Shift_JIS、EUC-JP のテキストに対応しています）",
            "cannot tell the text encoding (UTF-8, UTF-16, Shift_JIS or EUC-JP text is supported)",
            reason="not_text",
        )
    return best[1], best[2]


def _score(text: str) -> float:
    """How much `text` reads as Japanese: kana and kanji count for it, half-width katakana (what EUC-JP
    bytes turn into when read as cp932) and private-use characters against it."""
    sample = text[:50_000]
    good = len(_JAPANESE.findall(sample))
    bad = len(_HALF_KANA.findall(sample)) * 3 + sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff") * 3
    return (good - bad) / max(1, len(sample))


def _plausible(text: str) -> bool:
    sample = text[:50_000]
    if not sample.strip():
        return True
    half = len(_HALF_KANA.findall(sample))
    return half * 20 <= max(20, len(_JAPANESE.findall(sample)))


def _utf16_without_bom(data: bytes) -> str | None:
    """A UTF-16 file saved without a BOM: accept it only when it decodes to mostly Japanese text."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        japanese = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff")
        if japanese * 3 >= len(text) and not _looks_binary(text):
            return text
    return None


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    controls = sum(
        1
        for ch in sample
        if (ord(ch) < 32 and ch not in "\t\n\x0c") or 0x7F <= ord(ch) < 0xA0 or ch == "\ufffd"
    )
    return controls > max(2, len(sample) // 200)


def empty_file() -> ImportRejected:
    return ImportRejected(
        "ファイルが空です（文字がありません）", "the file is empty (no text)", reason="empty"
    )


def not_text() -> ImportRejected:
    return ImportRejected(
        "文字の読めるファイルではありません（テキスト、PDF、Word（.docx）、HTML の基本方針を指定してください）",
        "not a readable document (give the policy as text, PDF, Word .docx or HTML)",
        reason="not_text",
    )
