"""File names that work on Windows too.

Why: the office PCs are Windows. A name that is fine on Linux can be unusable there: the reserved device
names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension such as `CON.pdf`, which Windows 10
opens as the console instead of a file), the characters `<>:"/\\|?*` and control characters, and a
trailing dot or space (silently stripped, so the file ends up under another name). Windows file systems
also ignore case, so `A.pem` and `a.pem` are one file.

Used where a name comes from outside: the output file of a command (`-o`, checked on Windows only, where
it matters) and the member names of a backup archive (checked everywhere, since a backup made on Linux
must restore on Windows).
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath

from selfcheck.errors import SelfcheckError

_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)
_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


def windows_name_problem(name: str) -> str | None:
    """Why `name` (one path component) cannot be a file name on Windows, or None when it can."""
    if name in ("", ".", ".."):
        return None
    bad = sorted({c for c in name if c in _FORBIDDEN})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return f"Windows のファイル名に使えない文字 {shown} を含みます / contains {shown}, not allowed on Windows"
    if _RESERVED.match(name.rstrip(" .")):
        return (
            f"{name} は Windows の予約名（CON・NUL・COM1 など）です / "
            f"{name} is a reserved device name on Windows"
        )
    if name[-1] in " .":
        return "名前の末尾が空白かピリオドです / the name ends in a space or a dot (Windows drops it)"
    return None


def check_output_file(path: str | os.PathLike[str], *, windows: bool | None = None) -> None:
    """Refuse an output file name Windows cannot create (only on Windows unless `windows=True`)."""
    if not (os.name == "nt" if windows is None else windows):
        return
    name = PurePath(path).name
    problem = windows_name_problem(name)
    if problem:
        ja, _, en = problem.partition(" / ")
        raise SelfcheckError(
            f"出力ファイル名を変えてください: {ja}", f"choose another output file name: {en}", where=str(path)
        )


def casefold_duplicates(names: list[str]) -> list[str]:
    """Names that differ only in case (one file on Windows): every name after the first of its group."""
    seen: set[str] = set()
    dupes = []
    for name in names:
        key = name.casefold()
        if key in seen:
            dupes.append(name)
        seen.add(key)
    return dupes
