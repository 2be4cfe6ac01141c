"""Handing a finished PDF to the operating system: open it in the viewer, or print it.

Windows uses the shell's verbs (`os.startfile(path)` / `os.startfile(path, "print")`); elsewhere the
viewer is `open` (macOS) or `xdg-open`, and printing goes through CUPS (`lp`, after `lpstat -d` confirms
a default printer). Each failure is a SelfcheckError that says what is missing, so a clerk knows
whether to call IT about the printer or just open the file by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from selfcheck.errors import SelfcheckError


def _require_file(path: Path) -> Path:
    if not path.is_file():
        raise SelfcheckError("PDF ファイルが見つかりません", "the PDF file does not exist", where=str(path))
    return path


def open_in_viewer(path: Path) -> str:
    """Open `path` in the system's PDF viewer (without waiting for it)."""
    path = _require_file(Path(path))
    if sys.platform == "win32":  # os.startfile exists only on Windows (the type checker knows this form)
        os.startfile(str(path))
        return "PDF を開きました"
    tool = "open" if sys.platform == "darwin" else "xdg-open"
    exe = shutil.which(tool)
    if exe is None:
        raise SelfcheckError(
            f"PDF を開くプログラム（{tool}）が見つかりません。ファイルを直接開いてください",
            f"no viewer launcher ({tool}); open the file yourself",
            where=str(path),
        )
    subprocess.Popen(
        [exe, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return "PDF を開きました"


def default_printer() -> str | None:
    """The CUPS default destination, or None when there is none (or no `lpstat`)."""
    exe = shutil.which("lpstat")
    if exe is None:
        return None
    try:
        res = subprocess.run([exe, "-d"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (res.stdout or "").strip()
    if res.returncode != 0 or ":" not in text or "no system default" in text.lower():
        return None
    return text.split(":", 1)[1].strip() or None


def print_pdf(path: Path) -> str:
    """Send `path` to the default printer; returns a message for the user."""
    path = _require_file(Path(path))
    if sys.platform == "win32":
        try:
            os.startfile(str(path), "print")
        except OSError as exc:
            raise SelfcheckError(
                "印刷できません（PDF の印刷に対応したアプリまたはプリンターがありません）",
                f"cannot print ({exc.strerror})",
                where=str(path),
            ) from exc
        return "印刷を開始しました"
    lp = shutil.which("lp")
    if lp is None:
        raise SelfcheckError(
            "印刷コマンド lp がありません（CUPS が入っていません）。PDF を開いて印刷してください",
            "no `lp` command (CUPS is not installed); open the PDF and print it",
            where=str(path),
        )
    printer = default_printer()
    if printer is None:
        raise SelfcheckError(
            "既定のプリンターが設定されていません（lpstat -d）。プリンターを設定してください",
            "no default printer is set (lpstat -d)",
            where=str(path),
        )
    res = subprocess.run(
        [lp, "-d", printer, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    if res.returncode != 0:
        detail = (res.stderr or res.stdout).strip()
        raise SelfcheckError(f"印刷できませんでした: {detail}", f"printing failed: {detail}", where=str(path))
    return f"プリンター {printer} に送りました"
