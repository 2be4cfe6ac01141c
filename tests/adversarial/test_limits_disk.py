"""Restore without limits (issue 10, point 8): sizes are checked against limits and free space before
anything is extracted, no orphan blob is left in the store after a refused restore, and a full disk is
exit 2 with everything live untouched (on a real 5 MB tmpfs)."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
from adv_helpers import cli, one_line_error, populated

from selfcheck.errors import BackupError
from selfcheck.trust import restore_checks
from selfcheck.trust.backup import backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import open_workspace


def _state(home: Path) -> dict[str, str]:
    out = {}
    for p in sorted(home.rglob("*")):
        rel = p.relative_to(home).as_posix()
        if p.is_file() and not rel.startswith("backups/"):
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _add_entries(src: Path, dst: Path, extra: dict[str, bytes]) -> Path:
    """Copy an archive adding entries that the manifest lists honestly (name, size and hash all true)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        manifest = json.loads(zin.read("manifest.json"))
        for info in zin.infolist():
            if info.filename != "manifest.json":
                zout.writestr(info.filename, zin.read(info))
        for name, data in extra.items():
            zout.writestr(name, data)
            manifest["entries"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        zout.writestr("manifest.json", json.dumps(manifest))
    return dst


def _live(tmp_path: Path, home: Path) -> Path:
    ws = open_workspace(home)
    populated(ws, tmp_path, files=2)
    good = backup(ws, tmp_path / "good.zip").path
    ws.close()
    return good


def test_unreferenced_evidence_is_refused_and_leaves_no_orphan(tmp_path: Path) -> None:
    home = tmp_path / "home"
    good = _live(tmp_path, home)
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    bad = _add_entries(good, tmp_path / "bad.zip", {f"evidence/{sha[:2]}/{sha}": data})
    before = _state(home)
    with pytest.raises(BackupError) as err:
        restore(home, bad)
    assert "参照しない証拠" in err.value.message_ja
    assert _state(home) == before and not (home / "evidence" / sha[:2] / sha).exists()
    assert "参照しない" in one_line_error(cli("restore", bad, home=home))


def test_entry_over_its_limit_is_refused_before_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    good = _live(tmp_path, home)
    # the real limit is 1 GiB per evidence file; a 3 MB entry against a 1 MB limit is the same check
    monkeypatch.setattr(restore_checks, "MAX_EVIDENCE_ENTRY", 1024 * 1024)
    data = os.urandom(3 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    bad = _add_entries(good, tmp_path / "bad.zip", {f"evidence/{sha[:2]}/{sha}": data})
    before = _state(home)
    with pytest.raises(BackupError) as err:
        restore(home, bad)
    assert "大きすぎます" in err.value.message_ja
    assert _state(home) == before and not list(home.glob(".restore-*"))


def test_manifest_size_must_match_the_zip_header(tmp_path: Path) -> None:
    home = tmp_path / "home"
    good = _live(tmp_path, home)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        for info in zin.infolist():
            if info.filename != "manifest.json":
                zout.writestr(info.filename, zin.read(info))
        manifest["entries"]["selfcheck.sqlite3"]["size"] = 1024**3  # claims 1 GiB, holds far less
        zout.writestr("manifest.json", json.dumps(manifest))
    with pytest.raises(BackupError) as err:
        restore(home, bad)
    assert "一致しません" in err.value.message_ja


def _big_archive(tmp_path: Path) -> Path:
    src_home = tmp_path / "src"
    ws = open_workspace(src_home)
    populated(ws, tmp_path, files=6, size=900_000)  # about 5.4 MB of incompressible evidence
    path = backup(ws, tmp_path / "big.zip").path
    ws.close()
    return path


def test_restore_that_would_fill_the_disk_is_refused_first(small_fs: Path, tmp_path: Path) -> None:
    home = small_fs / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path, files=1)
    ws.close()
    big = _big_archive(tmp_path)
    before = _state(home)
    line = one_line_error(cli("restore", big, home=home))
    assert "ディスクの空き容量が足りない" in line
    assert _state(home) == before and not list(home.glob(".restore-*"))


def test_real_enospc_during_extraction_is_exit_2_and_live_untouched(
    small_fs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = small_fs / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path, files=1)
    ws.close()
    big = _big_archive(tmp_path)
    before = _state(home)
    # the probe says there is room (another program filled the disk after it asked): real ENOSPC follows
    monkeypatch.setattr(restore_checks, "free_bytes", lambda _p: 1 << 40)
    with pytest.raises(BackupError) as err:
        restore(home, big)
    assert "ディスクの空き容量が足りない" in err.value.message_ja and err.value.exit_code == 2
    assert _state(home) == before
    assert not list(home.glob(".restore-*")) and not list((home / "backups").glob("before-restore-*"))
    open_workspace(home).close()
