"""One lock per data directory: every process that uses the data holds it shared; restore holds it
exclusive from its in-use check to the swap.

Why a lock file and not SQLite's own locks: SQLite locks last one transaction, so between restore's
"nobody has it open" check and its final rename another process could open the database and get every
write acknowledged, and those writes would then be lost in the swap. A lock that lives as long as the
process uses the data closes that window.

Why written here (about 40 lines per platform) and not `filelock` or `portalocker`: `filelock` has only
exclusive locks; `portalocker`'s shared locks on Windows need pywin32 (a ~10 MB dependency) for the very
`LockFileEx` call made below through ctypes. Both platforms' calls lock per open file handle, not per
process, so two workspaces in one process (the TUI and a worker, or a test) hold two shared locks, and a
restore in the same process as an open workspace is refused exactly like one in another process.
A file system without locks (some network shares answer ENOLCK) is used without this lock, as before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

LOCK_NAME = ".selfcheck.lock"

_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP), errno.EINVAL}


class LockBusy(Exception):
    """The lock is held by another process (or another handle) in a conflicting mode."""


def lock_path(home: Path) -> Path:
    return Path(home) / LOCK_NAME


class DataLock:
    """A held lock on one data directory; `release()` (or process exit) frees it."""

    def __init__(self, fd: int | None, exclusive: bool) -> None:
        self._fd = fd
        self.exclusive = exclusive

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __del__(self) -> None:  # a forgotten workspace must not keep the data locked
        with contextlib.suppress(OSError):
            self.release()


def acquire(home: Path, *, exclusive: bool) -> DataLock:
    """Take the lock without waiting; raise LockBusy when it is held in a conflicting mode. A data
    directory where the lock file cannot be created (read-only) or locks are unsupported gives an
    unheld DataLock: there is nothing a restore could swap there anyway."""
    path = lock_path(home)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    except OSError:
        try:  # read-only directory: an existing lock file can still be locked shared
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError:
            return DataLock(None, exclusive)
    try:
        _lock(fd, exclusive)
    except LockBusy:
        os.close(fd)
        raise
    except OSError as exc:
        os.close(fd)
        if exc.errno in _UNSUPPORTED:
            return DataLock(None, exclusive)
        raise
    return DataLock(fd, exclusive)


if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _LOCKFILE_FAIL_IMMEDIATELY, _LOCKFILE_EXCLUSIVE_LOCK = 0x1, 0x2
    _ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING = 33, 997

    def _lock(fd: int, exclusive: bool) -> None:
        handle = msvcrt.get_osfhandle(fd)
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        ov = _Overlapped()
        # one byte far past the end: locking beyond EOF is allowed and never blocks reading the file
        ov.Offset, ov.OffsetHigh = 0xFFFFFFF0, 0x7FFFFFFF
        if not _kernel32.LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(ov)):
            code = ctypes.get_last_error()
            if code in (_ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING):
                raise LockBusy(code)
            raise OSError(code, ctypes.FormatError(code))

    def _unlock(fd: int) -> None:
        handle = msvcrt.get_osfhandle(fd)
        ov = _Overlapped()
        ov.Offset, ov.OffsetHigh = 0xFFFFFFF0, 0x7FFFFFFF
        _kernel32.UnlockFileEx(handle, 0, 1, 0, ctypes.byref(ov))

else:
    import fcntl

    def _lock(fd: int, exclusive: bool) -> None:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LockBusy(str(exc)) from exc

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
