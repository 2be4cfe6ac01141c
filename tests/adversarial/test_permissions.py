"""Permissions and names (issue 10, point 9): everything selfcheck writes under the data directory is
0600/0700; a data directory its owner set to 0500 is respected (read-only mode, never chmod-ed back);
crash logs never overwrite each other; a name with a right-to-left override never shows raw."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from adv_helpers import cli, populated

from selfcheck import inspection
from selfcheck.crashlog import write_crash_log
from selfcheck.errors import ReadOnlyError
from selfcheck.signing import keystore
from selfcheck.signing.keystore import Passphrase
from selfcheck.trust.backup import backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import open_workspace

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
RLO = "\u202e"


def _loose(home: Path) -> list[str]:
    bad = []
    for p in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(p.lstat().st_mode)
        if mode & 0o077:
            bad.append(f"{p.relative_to(home)} {mode:o}")
    return bad


@posix_only
def test_everything_under_the_data_dir_is_owner_only(tmp_path: Path, mem_keyring: object) -> None:
    os.umask(0o022)  # an office PC's usual umask
    home = tmp_path / "home"
    assert cli("demo", home=home).returncode == 0  # demo-files/, evidence, database
    ws = open_workspace(home)
    keystore.init_key(
        ws, org_id="shunan-eisei", name="山田", role="課長", passphrase=Passphrase(given="pw-1")
    )
    from selfcheck.issue import issue_inspection_report

    (home / "reports").mkdir(mode=0o700)
    issue_inspection_report(
        ws, 1, home / "reports" / "r.pdf", sign=True, passphrase_provider=Passphrase(given="pw-1")
    )
    write_crash_log(home, RuntimeError("x"))
    from selfcheck.signing.verify import verify_pdf

    verify_pdf(home / "reports" / "r.pdf", home=home, log_file=home / "logs" / "signing.log")
    from selfcheck.trust.export import export_inspection

    export_inspection(ws, 1, home / "exports" / "結果.csv")
    archive = backup(ws).path
    ws.close()
    other = tmp_path / "other"
    rr = restore(other, archive, accept_certificate=keystore.known_fingerprint(home))
    assert rr.certificates_restored
    assert _loose(home) == [] and _loose(other) == []


@posix_only
def test_data_dir_0500_is_read_only_mode_and_not_chmod_ed_back(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path)
    ws.close()
    home.chmod(0o500)
    try:
        ro = open_workspace(home)
        assert ro.read_only == "folder"
        assert inspection.detail(ro, 1).items  # reading works
        with pytest.raises(ReadOnlyError) as err:
            inspection.record_answer(
                ro, inspection_id=1, item_id=inspection.detail(ro, 1).items[0].item_id, comment="x"
            )
        assert "0500" in err.value.message_ja
        ro.close()
        res = cli("inspection", "answer", "1", "x", "partial", home=home)
        assert res.returncode == 2 and "0500" in res.stderr and "Traceback" not in res.stderr
        assert stat.S_IMODE(home.stat().st_mode) == 0o500
    finally:
        home.chmod(0o700)


def test_two_crash_logs_in_one_second_do_not_overwrite(tmp_path: Path) -> None:
    logs = {write_crash_log(tmp_path, RuntimeError(f"e{n}")) for n in range(5)}
    assert len(logs) == 5 and all(p.exists() for p in logs)


def test_right_to_left_override_never_shows_raw(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path, answers=1)
    ws.close()
    item = None
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    item = con.execute("SELECT item_id FROM inspectionitem ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    assert (
        cli(
            "inspection",
            "answer",
            "1",
            item,
            "partial",
            "--comment",
            f"a{RLO}b\x1b[31m",
            "--user",
            f"evil{RLO}gpj.exe",
            home=home,
        ).returncode
        == 0
    )
    # an old row written before cleaning existed (or by hand), straight into the table
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    con.execute("DROP TRIGGER IF EXISTS auditrecord_no_update")
    con.execute(f"UPDATE auditrecord SET app_user = 'old{RLO}user\x1b[2J' WHERE id = 1")
    con.commit()
    con.close()
    for args in (("audit", "log"), ("audit", "log", "--json")):
        res = cli(*args, home=home)
        assert res.returncode == 0
        assert RLO not in res.stdout and "\x1b" not in res.stdout
        assert "evil" in res.stdout and "olduser" in res.stdout
