"""Is a directory on a network file system? SQLite's WAL mode is unsafe there (no shared memory across
machines), so the engine falls back to the DELETE journal and the app warns."""

from __future__ import annotations

import os
from pathlib import Path

_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3", "afs", "ncpfs", "9p", "fuse.sshfs",
               "davfs", "fuse.davfs2", "glusterfs", "ceph", "lustre"}


def is_network_path(path: Path) -> bool:
    path = path.resolve()
    if os.name == "nt":
        return _is_network_windows(path)
    return _mount_fs_type(path) in _NETWORK_FS


def _mount_fs_type(path: Path) -> str | None:
    """File-system type of the longest mount point containing `path` (Linux /proc/mounts)."""
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return None
    best, fstype = "", None
    target = str(path)
    for line in mounts.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = parts[1].replace("\\040", " ")
        if (target == mnt or target.startswith(mnt.rstrip("/") + "/")) and len(mnt) > len(best):
            best, fstype = mnt, parts[2]
    return fstype


def _is_network_windows(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):  # UNC path \\server\share
        return True
    import ctypes

    drive = path.drive + "\\"
    DRIVE_REMOTE = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == DRIVE_REMOTE)  # type: ignore[attr-defined]
