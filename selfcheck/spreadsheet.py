"""Files for Excel: CSV that Excel opens directly, cells that are never evaluated, atomic private writes.

One place for the rules every export follows (inspection results, improvement plans, incident timelines,
contacts):
- UTF-8 with BOM and CRLF line ends, so Excel on a Japanese Windows reads the kanji correctly;
- a text cell that starts with = + - @, a tab or CR gets a leading ' (OWASP "CSV injection"), and
  characters Excel cannot hold are dropped;
- the file appears whole or not at all (temp name, fsync, rename), readable by its owner only (0600 on
  POSIX): exports hold personal data (names, phone numbers, findings).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from selfcheck.errors import SelfcheckError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# control characters openpyxl refuses and Excel cannot show (tab, LF and CR are allowed)
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet will show as text, never evaluate; other values unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL.sub("", value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for r in rows:
        w.writerow([safe_cell(v) if v is not None else "" for v in r])
    return buf.getvalue().encode("utf-8-sig", errors="replace")


def write_private(out: Path, data: bytes) -> None:
    """Write `data` to `out` atomically, owner-only. A failure leaves any earlier file as it was."""
    out = Path(out).expanduser()
    try:
        if not out.parent.is_dir():
            out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = out.with_name(f".tmp-{os.getpid()}-{os.urandom(4).hex()}-{out.name}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
    except PermissionError as exc:
        raise SelfcheckError(
            "ファイルを書き込めません（Excel で開いたままではありませんか）",
            f"cannot write the file (is it open in Excel?): {exc.strerror}",
            where=str(out),
        ) from exc
    except OSError as exc:
        raise SelfcheckError(
            f"ファイルを書き込めません（{exc.strerror}）",
            f"cannot write the file ({exc.strerror})",
            where=str(out),
        ) from exc
