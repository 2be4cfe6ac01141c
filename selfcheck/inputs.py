"""Reading a file a person named: only a regular file, only up to a limit, checked before reading.

Why: `open()` on a FIFO waits for a writer for ever; `/dev/zero` or `/dev/urandom` never end; a 100 MB
file read whole takes a gigabyte of memory in a PDF parser. So the file is opened without blocking
(`O_NONBLOCK`: a FIFO opens at once), the *open handle* is checked with `fstat` (no race with a file
swapped after a `stat`), and anything that is not a regular file or is over the limit is refused with
one line (exit 2) before one byte is read. At most `limit + 1` bytes are ever read, so a file that grows
while being read is refused too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from selfcheck.errors import SelfcheckError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "フォルダ / a directory"
    if stat.S_ISFIFO(mode):
        return "名前付きパイプ / a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "デバイス / a device"
    if stat.S_ISSOCK(mode):
        return "ソケット / a socket"
    return "特殊なファイル / a special file"


def open_regular(path: Path, limit: int, *, error: type[SelfcheckError] = SelfcheckError) -> tuple[int, int]:
    """Open `path` for reading; return (fd, size). Refuses with `error` (naming the path) anything that
    is missing, not a regular file, or larger than `limit` bytes. The caller closes the fd."""
    where = str(path)
    try:
        before = os.stat(path)  # devices such as NUL/CON on Windows are refused without opening them
    except FileNotFoundError:
        raise error("ファイルが見つかりません", "file not found", where=where) from None
    except OSError as exc:
        raise error(
            f"ファイルを読めません（{exc.strerror}）", f"cannot read the file ({exc.strerror})", where=where
        ) from exc
    _refuse(before, limit, where, error)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise error(
            f"ファイルを読めません（{exc.strerror}）", f"cannot read the file ({exc.strerror})", where=where
        ) from exc
    try:
        st = os.fstat(fd)
        _refuse(st, limit, where, error)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def _refuse(st: os.stat_result, limit: int, where: str, error: type[SelfcheckError]) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        ja, _, en = kind.partition(" / ")
        raise error(
            f"通常のファイルではありません（{ja}）。読み込まずに中止しました",
            f"not a regular file ({en}); nothing was read",
            where=where,
        )
    if st.st_size > limit:
        raise error(
            f"ファイルが大きすぎます（{st.st_size:,} バイト、上限 {limit:,} バイト）。読み込まずに中止しました",
            f"file too large ({st.st_size:,} bytes, limit {limit:,}); nothing was read",
            where=where,
        )


def read_bytes(path: Path, limit: int, *, error: type[SelfcheckError] = SelfcheckError) -> bytes:
    """The whole content of a regular file of at most `limit` bytes."""
    fd, _size = open_regular(path, limit, error=error)
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise error(
            f"読み込み中にファイルが上限（{limit:,} バイト）を超えました",
            f"the file grew past the limit ({limit:,} bytes) while being read",
            where=str(path),
        )
    return data


def read_text(
    path: Path, limit: int, *, encoding: str = "utf-8-sig", error: type[SelfcheckError] = SelfcheckError
) -> str:
    """`read_bytes` decoded; UnicodeDecodeError is left to the caller (each names its own fix)."""
    return read_bytes(path, limit, error=error).decode(encoding)
