"""Network-drive detection from a fake /proc/mounts, and the bilingual warning the CLI and TUI show."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.models.db import journal_mode_for
from selfcheck.trust_location import _mount_fs_type, is_network_path, location_warning

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda1 / ext4 rw,relatime 0 0
/dev/sda2 /home ext4 rw,relatime 0 0
//fileserver/soumu {mnt}/share cifs rw,relatime,vers=3.0 0 0
nas:/export {mnt}/nfs nfs4 rw,relatime 0 0
/dev/sdb1 {mnt}/share/local\\040disk ext4 rw 0 0
user@host:/ {mnt}/ssh\\040dir fuse.sshfs rw 0 0
broken line
"""


@pytest.fixture
def fake_mounts(tmp_path: Path) -> tuple[Path, Path]:
    mnt = tmp_path / "mnt"
    for d in ("share/課", "share/local disk/x", "nfs/a", "ssh dir", "sharex"):
        (mnt / d).mkdir(parents=True)
    f = tmp_path / "mounts"
    f.write_text(MOUNTS.format(mnt=mnt), encoding="utf-8")
    return f, mnt


@pytest.mark.parametrize(
    "sub,fstype,network",
    [
        ("share/課", "cifs", True),
        ("share", "cifs", True),
        ("nfs/a", "nfs4", True),
        ("share/local disk/x", "ext4", False),  # longest mount point wins; \040 is a space
        ("ssh dir", "fuse.sshfs", True),
        ("sharex", "ext4", False),  # a prefix of the name is not a parent directory
    ],
)
def test_mount_parsing(fake_mounts: tuple[Path, Path], sub: str, fstype: str, network: bool) -> None:
    f, mnt = fake_mounts
    assert _mount_fs_type((mnt / sub).resolve(), f) == fstype
    assert is_network_path(mnt / sub, mounts=f) is network


def test_warning_text(fake_mounts: tuple[Path, Path]) -> None:
    f, mnt = fake_mounts
    msg = location_warning(mnt / "share" / "selfcheck-data-not-created-yet", mounts=f)
    assert msg is not None and "ネットワークドライブ" in msg and "network drive" in msg
    assert location_warning(mnt / "share/local disk/x", mounts=f) is None


def test_missing_mounts_file_means_local(tmp_path: Path) -> None:
    assert is_network_path(tmp_path, mounts=tmp_path / "nope") is False
    assert location_warning(tmp_path, mounts=tmp_path / "nope") is None


def test_real_tmp_is_local_and_uses_wal(tmp_path: Path) -> None:
    assert location_warning(tmp_path) is None
    assert journal_mode_for(tmp_path / "x.sqlite3") == "WAL"


def test_cli_warns_and_engine_uses_delete_journal_on_a_network_drive(
    fake_mounts: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from selfcheck.cli import main

    f, mnt = fake_mounts
    monkeypatch.setattr("selfcheck.trust_location.PROC_MOUNTS", f)
    home = mnt / "share" / "data"
    assert main(["--data-dir", str(home), "audit", "verify"]) == 0
    err = capsys.readouterr().err
    assert "ネットワークドライブ" in err and "network drive" in err
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    assert not (home / "selfcheck.sqlite3-wal").exists()
