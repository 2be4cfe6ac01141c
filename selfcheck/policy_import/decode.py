"""Turn a policy file's bytes into text, refusing what is not text.

Clerks save the policy from Word or a PDF viewer, so the bytes arrive as UTF-8 (with or without a BOM),
UTF-16 with a BOM (Word's "Unicode text"), or Shift_JIS/cp932 (older Windows tools), with CRLF line ends.
The size is checked from `stat` before anything is read, so a wrong multi-gigabyte file is refused at once.
Every refusal is an `ImportRejected` with a one-line Japanese and English reason.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from selfcheck import inputs
from selfcheck.errors import ImportRejected

MAX_BYTES = 1024 * 1024  # a 基本方針 is 5-20 KB; 1 MB leaves room for one with a 対策基準 appended


def read_policy_file(path: Path) -> tuple[str, str]:
    """Read and decode `path`; returns (text with LF line ends, encoding name)."""
    where = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ImportRejected("ファイルが見つかりません", "file not found", where) from None
    except OSError as exc:
        raise ImportRejected(
            f"ファイルを開けません（{exc.strerror}）", f"cannot open file ({exc.strerror})", where
        ) from None
    if path.is_dir():
        raise ImportRejected(
            "フォルダではなくテキストファイルを指定してください", "this is a folder, not a text file", where
        )
    if st.st_size > MAX_BYTES:
        raise ImportRejected(
            f"ファイルが大きすぎます（{st.st_size:,} バイト、上限 1 MB）。基本方針の部分だけを保存してください",
            f"file too large ({st.st_size:,} bytes, limit 1 MB); save only the basic policy",
            where,
        )
    # a FIFO or a device would block or never end: refused on the open handle before reading
    data = inputs.read_bytes(path, MAX_BYTES, error=ImportRejected)
    try:
        return decode_bytes(data)
    except ImportRejected as exc:
        exc.where = where
        raise


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode policy bytes; returns (text with LF line ends and no BOM, encoding name)."""
    if not data.strip(b" \t\r\n\x0c\x00") or not data.strip():
        raise _empty()
    if data.startswith((b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # PDF, docx/zip, old .doc
        raise _binary()
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise _binary()
    if not text.strip():
        raise _empty()
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise _binary() from None
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return guess, "utf-16-le"
        raise _binary()
    for enc in ("utf-8", "cp932"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        "文字コードを判別できません（UTF-8、UTF-16、Shift_JIS のテキストに対応しています）",
        "cannot tell the text encoding (UTF-8, UTF-16 or Shift_JIS text is supported)",
    )


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


def _empty() -> ImportRejected:
    return ImportRejected("ファイルが空です（文字がありません）", "the file is empty (no text)")


def _binary() -> ImportRejected:
    return ImportRejected(
        "テキストファイルではありません（Word や PDF のままではなく、テキスト形式で保存してください）",
        "not a text file (save the policy as plain text, not as Word or PDF)",
    )
