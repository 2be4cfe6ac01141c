"""The evidence store on disk: content-addressed blobs `ab/abcdef…`, written once, read-only afterwards.

The store may be a shared folder that selfcheck on several PCs writes at once (with a database server).
It stays correct there because a blob's name is its content: every writer makes its own temporary file
(random name), and a final name only ever appears by renaming a complete, fsynced file onto it, so a
reader never sees a partial blob. Two PCs storing the same content race harmlessly: whichever rename
lands, the bytes are identical; where the rename is refused because the other one's read-only file is
already there (Windows, SMB), the blob that is there is used once its size is checked. A shared store
keeps the share's permissions (blobs read-only for everyone who reaches it, not owner-only), and its
sweep leaves temporary files younger than a day alone: they may be another PC's copy in progress.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path

from selfcheck import inputs, paths
from selfcheck.durable import fsync_dir
from selfcheck.errors import EvidenceError
from selfcheck.workspace import Workspace

CHUNK = 1024 * 1024
SHARED_TMP_AGE = 24 * 3600  # seconds: a shared store's temporary file older than this was abandoned
Progress = Callable[[float, str], None]


def store_root(where: Workspace | Path) -> Path:
    """The evidence store of a workspace (its configured folder), or of a data directory (`evidence/`)."""
    return where.evidence_root if isinstance(where, Workspace) else paths.evidence_dir(where)


def blob_path(where: Workspace | Path, sha256: str) -> Path:
    return store_root(where) / sha256[:2] / sha256


def check_source(src: Path, max_bytes: int) -> int:
    """Refuse a path that is missing, a directory, unreadable or too large; return its size."""
    where = str(src)
    try:
        st = src.stat()
    except FileNotFoundError:
        raise EvidenceError("ファイルが見つかりません", "file not found", where=where) from None
    except OSError as exc:
        raise EvidenceError(
            f"ファイルを読めません（{exc.strerror}）", f"cannot read file ({exc.strerror})", where=where
        ) from exc
    if stat.S_ISDIR(st.st_mode):
        raise EvidenceError(
            "フォルダは添付できません。ファイルを選んでください",
            "a directory cannot be attached",
            where=where,
        )
    if not stat.S_ISREG(st.st_mode):
        raise EvidenceError("通常のファイルではありません", "not a regular file", where=where)
    if st.st_size > max_bytes:
        raise EvidenceError(
            f"ファイルが大きすぎます（{st.st_size:,} バイト、上限 {max_bytes:,} バイト）",
            f"file too large ({st.st_size:,} bytes, limit {max_bytes:,})",
            where=where,
        )
    if not os.access(src, os.R_OK):
        raise EvidenceError("ファイルを読む権限がありません", "no permission to read the file", where=where)
    return st.st_size


def store_file(
    store: Path,
    src: Path,
    *,
    max_bytes: int,
    on_progress: Progress | None = None,
    shared: bool = False,
) -> tuple[str, int]:
    """Copy `src` into the store at `store`; return (sha256, size). Idempotent for identical content,
    also when another process (on this PC or another) stores the same content at the same moment."""
    size = check_source(src, max_bytes)
    fd, _ = inputs.open_regular(src, max_bytes, error=EvidenceError)  # the same checks on the open handle
    make_dir = paths.ensure_shared_dir if shared else paths.ensure_private_dir
    make_dir(store)
    tmp = store / f"tmp-{os.getpid()}-{os.urandom(8).hex()}"
    digest = hashlib.sha256()
    done = 0
    try:
        with os.fdopen(fd, "rb") as fin, tmp.open("wb") as fout:
            while chunk := fin.read(CHUNK):
                digest.update(chunk)
                fout.write(chunk)
                done += len(chunk)
                if done > max_bytes:
                    raise EvidenceError(
                        "コピー中にファイルが上限を超えました", "file grew past the limit", where=str(src)
                    )
                if on_progress:
                    on_progress(done / size if size else 1.0, src.name)
            fout.flush()
            os.fsync(fout.fileno())
        sha = digest.hexdigest()
        final = store / sha[:2] / sha
        if _complete(final, done):
            tmp.unlink()
        else:
            make_dir(final.parent)
            _publish(tmp, final, done, shared)
        return sha, done
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EvidenceError(
            f"ファイルをコピーできません（{exc.strerror}）",
            f"cannot copy file ({exc.strerror})",
            where=str(src),
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _complete(final: Path, size: int) -> bool:
    """A blob of the right size is at `final` (names are hashes: same name and size, same content
    unless damaged, which `verify --evidence` reports)."""
    try:
        st = final.stat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == size


def _publish(tmp: Path, final: Path, size: int, shared: bool) -> None:
    """Rename the complete temporary file onto its final name, read-only, durably."""
    os.chmod(tmp, (0o444 if shared else 0o400) if os.name == "posix" else stat.S_IREAD)
    try:
        os.replace(tmp, final)
    except OSError:
        # another writer's identical blob got there first and cannot be replaced (read-only target on
        # Windows/SMB): theirs is as good as ours
        if not _complete(final, size):
            raise
        _unlink_read_only(tmp)
        return
    fsync_dir(final.parent)


def _unlink_read_only(p: Path) -> None:
    if os.name != "posix":
        p.chmod(stat.S_IWRITE | stat.S_IREAD)
    p.unlink(missing_ok=True)


def sweep_temporaries(where: Workspace | Path) -> int:
    """Remove half-written `tmp-*` files left by a killed process. In a shared store only those older
    than a day: a younger one may be another PC's copy in progress."""
    store = store_root(where)
    shared = isinstance(where, Workspace) and where.shared_evidence
    n = 0
    if store.exists():
        now = time.time()
        for p in store.glob("tmp-*"):
            try:
                if shared and now - p.stat().st_mtime < SHARED_TMP_AGE:
                    continue
                _unlink_read_only(p)
            except OSError:
                continue
            n += 1
    return n


def adopt_file(src: Path, final: Path, *, shared: bool) -> bool:
    """Put the complete blob file `src` (a restore's staged copy) at its final name: renamed when both
    are on one file system, else copied to a temporary name in the store, fsynced and renamed. Returns
    False when a blob of that size is already there (names are hashes: it is the same content)."""
    size = src.stat().st_size
    if _complete(final, size):
        return False
    try:
        os.chmod(src, (0o444 if shared else 0o400) if os.name == "posix" else stat.S_IREAD)
        os.replace(src, final)
        return True
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            if _complete(final, size):
                return False
            raise
    tmp = final.parent.parent / f"tmp-{os.getpid()}-{os.urandom(8).hex()}"
    try:
        with src.open("rb") as fin, tmp.open("wb") as fout:
            shutil.copyfileobj(fin, fout, CHUNK)
            fout.flush()
            os.fsync(fout.fileno())
        _publish(tmp, final, size, shared)
    finally:
        if tmp.exists():
            _unlink_read_only(tmp)
    return True
