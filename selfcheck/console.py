"""Console output that can never end the program with a UnicodeEncodeError.

Why: the text selfcheck prints is Japanese with a few symbols (—, 〜, ①). A Windows console, a redirected
`> file.txt` on Windows (cp932), `PYTHONIOENCODING=cp932` or a POSIX "C" locale without UTF-8 mode cannot
encode every character, and Python's default `errors="strict"` then turns a harmless `print` into a
crash (exit 70) or, inside argparse's `--help`, into a traceback. This module is called once, at the entry
point (`selfcheck.cli.main`), so no call site needs its own workaround: characters the console cannot show
become `?`, everything it can show (Japanese in cp932 or UTF-8) stays readable.
"""

from __future__ import annotations

import codecs
import io
import sys

ERRORS = "selfcheck.replace"
# Python's own defaults: "strict" (stdout), "surrogateescape" (stdout in a POSIX C locale) and
# "backslashreplace" (always on stderr, where it turns a Japanese error message into \\u30d5...). Another
# handler on stdout was set on purpose (PYTHONIOENCODING=utf-8:xmlcharrefreplace) and is kept.
_DEFAULT_HANDLERS = {
    "stdout": ("strict", "surrogateescape"),
    "stderr": ("strict", "surrogateescape", "backslashreplace"),
}


def _replace_keeping_bytes(exc: UnicodeError) -> tuple[str | bytes, int]:
    """Like errors="replace" (`?` for what the console cannot show), except that a lone surrogate from
    undecodable command-line bytes (a C locale decodes `報告書.pdf` in argv that way) is written back as
    the original byte, as "surrogateescape" would: the file name the user typed then prints intact."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for ch in exc.object[exc.start : exc.end]:
        code = ord(ch)
        out += bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else b"?"
    return bytes(out), exc.end


codecs.register_error(ERRORS, _replace_keeping_bytes)


def make_console_safe() -> None:
    """Give stdout and stderr the replacing error handler above, keeping their encoding.

    A missing stream (pythonw, a windowed build) or one that cannot be reconfigured (a test's StringIO,
    which has no encoding limits anyway) is left alone.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None or getattr(stream, "errors", None) not in _DEFAULT_HANDLERS[name]:
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=ERRORS)
        except (ValueError, OSError, io.UnsupportedOperation):
            # a closed or detached stream: nothing will be printed to it anyway
            continue


def ascii_only_file_names() -> bool:
    """True when Python can only use ASCII file names: a POSIX C locale with UTF-8 mode switched off
    (PYTHONUTF8=0). Windows and every UTF-8 locale can name files in Japanese."""
    return codecs.lookup(sys.getfilesystemencoding()).name == "ascii"


LOCALE_MESSAGE = (
    "この環境の文字コード設定（C ロケール・ASCII）では日本語のファイル名を扱えません。"
    "LANG=ja_JP.UTF-8 か C.UTF-8 を設定するか、PYTHONUTF8=0 を外してください / "
    "this locale (C, ASCII) cannot handle Japanese file names; set LANG=C.UTF-8 or ja_JP.UTF-8, "
    "or remove PYTHONUTF8=0"
)
