"""Every location selfcheck reads or writes, as functions (never import-time constants).

The data directory is, in order: `--data-dir DIR`, `$SELFCHECK_HOME`, or platformdirs' user data dir
(`%LOCALAPPDATA%\\selfcheck` on Windows, `~/.local/share/selfcheck` on Linux). It holds one SQLite file,
the `evidence/` store, the signing key material, backups and logs. With a database server
(`selfcheck.dbconfig`) it also holds `database.json` (which server), and the evidence store may be a
shared folder elsewhere.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "selfcheck"


def default_home() -> Path:
    env = os.environ.get("SELFCHECK_HOME")
    if env:
        return Path(env).expanduser()

    # appauthor=False: otherwise Windows gets ...\selfcheck\selfcheck
    return user_data_path(APP_NAME, appauthor=False)


def resolve_home(data_dir: str | os.PathLike[str] | None) -> Path:
    return Path(data_dir).expanduser() if data_dir else default_home()


def db_path(home: Path) -> Path:
    return home / "selfcheck.sqlite3"


def evidence_dir(home: Path) -> Path:
    return home / "evidence"


def keys_dir(home: Path) -> Path:
    return home / "keys"


def backups_dir(home: Path) -> Path:
    return home / "backups"


def log_dir(home: Path) -> Path:
    return home / "logs"


def reports_dir(home: Path) -> Path:
    return home / "reports"


def builtin_checklists() -> Path:
    """The packaged `checklists/` folder (question bank and body profiles)."""
    return Path(str(resources.files("selfcheck.checklists")))


def builtin_data() -> Path:
    """The packaged `data/` folder (fonts, playbooks, deadline rules)."""
    return Path(str(resources.files("selfcheck.data")))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the owner only on POSIX (0700); a no-op mode on Windows,
    where the per-user profile directory already carries the user's ACL. An existing folder loses any
    group/other bits but never gains one: a folder its owner set to 0500 stays read-only."""
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        mode = path.stat().st_mode & 0o777
        want = (mode & 0o700) if existed else 0o700
        if mode != want:
            path.chmod(want)
    return path


def ensure_shared_dir(path: Path) -> Path:
    """Create a folder that other people's selfcheck also use (a shared evidence store): its
    permissions are the share's business, so they are left as the system makes them (never 0700)."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def owner_can_write(path: Path) -> bool:
    """False when the owner removed the write permission (checked on the mode bits, so it holds for
    root too, who would otherwise write anywhere) or the file system is mounted read-only."""
    try:
        st = path.stat()
    except OSError:
        return True
    if os.name == "posix" and not st.st_mode & 0o200:
        return False
    return not on_read_only_mount(path)


def on_read_only_mount(path: Path) -> bool:
    if not hasattr(os, "statvfs"):
        return not os.access(path, os.W_OK)
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False
