"""The one Japanese font every report embeds: IPAexGothic, shipped in `data/fonts/` with its licence.

Why a bundled TrueType font: reportlab's CID fonts (HeiseiKakuGo) are not embedded, so a reader without
Japanese fonts shows boxes; reportlab cannot embed CFF outlines (Noto CJK). IPAex has TrueType outlines,
fsType=0 (embedding allowed) and a licence that allows redistribution with its text.
"""

from __future__ import annotations

import threading
from pathlib import Path

from selfcheck import paths
from selfcheck.errors import SelfcheckError

FONT_NAME = "IPAexGothic"
FONT_FILE = "ipaexg.ttf"
LICENSE_FILE = "IPA_Font_License_Agreement_v1.0.txt"

_lock = threading.Lock()  # the TUI builds in a worker thread; registration must happen once


def font_path() -> Path:
    return paths.builtin_data() / "fonts" / FONT_FILE


def register() -> str:
    """Register IPAexGothic with reportlab (idempotent, thread-safe) and return its name."""
    from reportlab.pdfbase import pdfmetrics  # deferred: reportlab is heavy and only needed for PDFs
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    with _lock:
        if FONT_NAME in pdfmetrics.getRegisteredFontNames():
            return FONT_NAME
        path = font_path()
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
        except (OSError, TTFError) as exc:
            raise SelfcheckError(
                f"帳票用フォントを読み込めません（{exc}）。再インストールしてください",
                f"cannot load the report font ({exc}); reinstall selfcheck",
                where=str(path),
            ) from exc
    return FONT_NAME
