"""Sidestepping the audit chain (issue 10, point 5): edits with sqlite3, a wiped trail, and a
consistent rewrite of the whole chain, detected once a signed report or a backup anchors the head. The
tests marked `engines` also tamper with a server database directly (psql-style SQL, triggers dropped)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from adv_helpers import cli, populated
from engines import Raw

from selfcheck import audit, dbconfig, inspection
from selfcheck.issue import issue_inspection_report
from selfcheck.signing import keystore
from selfcheck.signing.keystore import Passphrase
from selfcheck.trust.backup import backup
from selfcheck.workspace import Workspace, open_workspace

FIELDS = ("id", "at", "os_user", "app_user", "action", "entity", "entity_id", "field", "old", "new")


def _signed(tmp_path: Path) -> tuple[Path, int, Path]:
    home = tmp_path / "home"
    ws = open_workspace(home, actor="監査")
    iid = populated(ws, tmp_path, files=1)
    keystore.init_key(ws, org_id="shunan-eisei", name="山田", role="課長", passphrase=Passphrase(given="pw"))
    pdf = tmp_path / "report.pdf"
    issue_inspection_report(ws, iid, pdf, sign=True, passphrase_provider=Passphrase(given="pw"))
    assert inspection.info(ws, iid).status == "final"
    ws.close()
    return home, iid, pdf


def _raw(home: Path) -> Raw:
    """Plain SQL on the data directory's database, whichever engine it is on."""
    return Raw(Workspace(home=home, place=dbconfig.resolve(home)))


def _sql(db: Path, *statements: str) -> None:
    if db.is_dir():  # a data directory: its database on either engine
        with _raw(db) as raw:
            raw.drop_append_only_triggers()
            raw.run(*statements)
        return
    con = sqlite3.connect(db)
    for trig in ("auditrecord_no_update", "auditrecord_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {trig}")
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _verify(home: Path, *extra: object) -> tuple[int, str]:
    res = cli("audit", "verify", *extra, home=home)
    assert "Traceback" not in res.stderr
    return res.returncode, res.stdout + res.stderr


def test_intact_data_verifies_and_anchors_match(tmp_path: Path, mem_keyring: object) -> None:
    home, _iid, pdf = _signed(tmp_path)
    code, text = _verify(home, "--against", pdf)
    assert code == 0, text
    assert "1/1" in text


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE answer SET value = 'implemented', comment = '書き換え' WHERE value = 'implemented' AND comment = 'c1'",
        "UPDATE answer SET comment = '後から' WHERE comment = 'c0'",
        "UPDATE inspection SET status = 'open'",
        "DELETE FROM improvement",
        "UPDATE evidence SET sha256 = NULL, kind = 'paper'",
        "UPDATE report SET document_id = 'forged'",
        "INSERT INTO inspection (org_id, fiscal_year, title, status, revision, created_at, created_by) "
        "VALUES ('shunan-eisei', 2025, '偽の点検', 'final', 1, '2026-01-01', 'x')",
    ],
)
def test_sqlite_edits_of_a_final_inspection_are_detected(
    tmp_path: Path, mem_keyring: object, edit: str
) -> None:
    home, _iid, _pdf = _signed(tmp_path)
    _sql(home / "selfcheck.sqlite3", edit)
    code, text = _verify(home)
    assert code == 1 and "TAMPERING DETECTED" in text, text


@pytest.mark.engines
@pytest.mark.parametrize("edit", ["UPDATE inspection SET status = 'open'", "DELETE FROM improvement"])
def test_direct_edits_are_detected_on_both_engines(
    tmp_path: Path, mem_keyring: object, place: object, edit: str
) -> None:
    home, _iid, _pdf = _signed(tmp_path)
    _sql(home, edit)
    code, text = _verify(home)
    assert code == 1 and "TAMPERING DETECTED" in text, text


@pytest.mark.engines
def test_wiping_the_trail_and_head_is_detected(tmp_path: Path, mem_keyring: object, place: object) -> None:
    home, _iid, _pdf = _signed(tmp_path)
    _sql(home, "DELETE FROM auditrecord", "DELETE FROM setting WHERE key = 'audit.head'")
    code, text = _verify(home)
    assert code == 1 and "intact (0 records)" not in text, text


def _rewrite_consistently(home: Path, record_id: int, new_value: str) -> None:
    """Change one audited value in the row *and* its audit record, then recompute every hash after it
    and the head: a chain that is consistent in itself."""
    with _raw(home) as con:
        con.drop_append_only_triggers()
        rec = con.rows("SELECT entity_id, field FROM auditrecord WHERE id = ?", (record_id,))[0]
        iid, item = rec[0].split("/")
        con.rows(
            "UPDATE answer SET comment = ? WHERE inspection_id = ? AND item_id = ? RETURNING id",
            (new_value, int(iid), item),
        )
        con.rows("UPDATE auditrecord SET new = ? WHERE id = ? RETURNING id", (new_value, record_id))
        rows = con.rows(f"SELECT {', '.join(FIELDS)} FROM auditrecord ORDER BY id")
        prev = audit.GENESIS
        for row in rows:
            rec_d = dict(zip(FIELDS, row, strict=True))
            h = audit.chain_hash(prev, rec_d)
            con.rows(
                "UPDATE auditrecord SET prev_hash = ?, hash = ? WHERE id = ? RETURNING id", (prev, h, row[0])
            )
            prev = h
        head = {"id": rows[-1][0], "hash": prev, "count": len(rows)}
        con.rows("UPDATE setting SET value = ? WHERE key = 'audit.head' RETURNING key", (json.dumps(head),))


def test_consistent_rewrite_is_caught_by_the_signed_report(tmp_path: Path, mem_keyring: object) -> None:
    home, _iid, pdf = _signed(tmp_path)
    con = sqlite3.connect(home / "selfcheck.sqlite3")
    target = con.execute(
        "SELECT id FROM auditrecord WHERE entity = 'answer' AND field = 'comment' ORDER BY id LIMIT 1"
    ).fetchone()[0]
    con.close()
    _rewrite_consistently(home, target, "書き換えた所見")
    # the chain and the rows agree with each other now; only the anchor outside the database disagrees
    code, text = _verify(home)  # finds the report through the Report table
    assert code == 1 and "rewritten" in text, text
    moved = tmp_path / "copy-of-report.pdf"
    pdf.rename(moved)
    code, text = _verify(home)
    assert code == 0  # with no anchor left, a perfect rewrite is invisible: that is why anchors exist
    code, text = _verify(home, "--against", moved)
    assert code == 1 and "rewritten" in text, text


@pytest.mark.engines
def test_consistent_rewrite_is_caught_by_a_backup_manifest(tmp_path: Path, place: object) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    populated(ws, tmp_path)
    backup(ws)
    ws.close()
    with _raw(home) as con:
        target = con.scalar("SELECT min(id) FROM auditrecord WHERE entity = 'answer' AND field = 'comment'")
    _rewrite_consistently(home, target, "別の値")
    code, text = _verify(home)
    assert code == 1 and "rewritten" in text, text
