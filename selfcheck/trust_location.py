"""Is a directory on a network file system? SQLite's WAL mode is unsafe there (no shared memory across
machines), so the engine falls back to the DELETE journal and the app warns."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smbfs",
    "smb2",
    "smb3",
    "afs",
    "ncpfs",
    "9p",
    "fuse.sshfs",
    "davfs",
    "fuse.davfs2",
    "glusterfs",
    "ceph",
    "lustre",
}


PROC_MOUNTS = Path("/proc/mounts")


def is_network_path(path: Path, *, mounts: Path | None = None) -> bool:
    path = path.resolve()
    if os.name == "nt" and mounts is None:
        return _is_network_windows(path)
    return _mount_fs_type(path, mounts) in _NETWORK_FS


def _mount_fs_type(path: Path, mounts: Path | None = None) -> str | None:
    """File-system type of the longest mount point containing `path` (Linux /proc/mounts format;
    `mounts` lets tests pass a fake file)."""
    mounts = mounts or PROC_MOUNTS
    try:
        text = mounts.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    best, fstype = "", None
    target = str(path)
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = _unescape(parts[1])
        if (target == mnt or target.startswith(mnt.rstrip("/") + "/")) and len(mnt) > len(best):
            best, fstype = mnt, parts[2]
    return fstype


def _is_network_windows(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):  # UNC path \\server\share
        return True
    if sys.platform == "win32":  # ctypes.windll exists only on Windows
        import ctypes

        drive = path.drive + "\\"
        DRIVE_REMOTE = 4
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == DRIVE_REMOTE)
    return False


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash in mount points as octal escapes."""
    for code, ch in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, ch)
    return field


def location_warning(home: Path, *, mounts: Path | None = None) -> str | None:
    """A warning to show (TUI banner, CLI stderr) when the data directory is on a network drive, or None.
    The engine already switches to the DELETE journal there; the user still needs to know that two people
    opening the same data over the network at once is not safe."""
    probe = Path(home)
    while not probe.exists() and probe.parent != probe:  # the data directory may not exist yet
        probe = probe.parent
    try:
        network = is_network_path(probe, mounts=mounts)
    except OSError:
        return None
    if not network:
        return None
    return (
        f"警告: データフォルダ {home} はネットワークドライブ上にあります。安全のため低速な方式で保存しますが、"
        "複数の人が同時に使うとデータが壊れるおそれがあります。ローカルのドライブ（--data-dir）の利用をお勧めします。"
        f" / Warning: the data directory {home} is on a network drive. selfcheck uses a slower, safer journal "
        "there, but using it from several computers at once can corrupt the data; prefer a local drive (--data-dir)."
    )
