"""The audit chain detects edits, deletions, swaps and truncation made directly in the database (triggers
dropped first, as a tamperer would), names the first bad record, and `selfcheck audit verify` exits 1.
Every case runs on SQLite; the tests marked `engines` also on a PostgreSQL server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from engines import Raw
from trust_helpers import populated, tamper

from selfcheck import audit, inspection, settings
from selfcheck.audit import chain_hash
from selfcheck.trust.audit_verify import verify_chain
from selfcheck.workspace import Workspace


def _rehash(ws: Workspace, rid: int) -> str:
    """SQL that rewrites record `rid`'s hash to match its (edited) content: a smarter tamperer."""
    cols = ("id", "at", "os_user", "app_user", "action", "entity", "entity_id", "field", "old", "new")
    with Raw(ws) as db:
        row = db.rows(f"SELECT {', '.join(cols)}, prev_hash FROM auditrecord WHERE id = ?", (rid,))[0]
    rec = dict(zip(cols, row[:-1], strict=True))
    return f"UPDATE auditrecord SET hash = '{chain_hash(row[-1], rec)}' WHERE id = {rid}"


def _swap(a: int, b: int) -> tuple[str, ...]:
    return (
        f"UPDATE auditrecord SET id = -1 WHERE id = {a}",
        f"UPDATE auditrecord SET id = {a} WHERE id = {b}",
        f"UPDATE auditrecord SET id = {b} WHERE id = -1",
    )


# name -> (statements builder, expected first bad id (None = any), expected kinds)
Case = tuple[Callable[[Path, int], tuple[str, ...]], Callable[[int], int | None], set[str]]
CASES: dict[str, Case] = {
    "edit new value": (
        lambda db, n: ("UPDATE auditrecord SET new = '\"implemented\"' WHERE id = 5",),
        lambda n: 5,
        {"altered"},
    ),
    "edit actor": (
        lambda db, n: ("UPDATE auditrecord SET app_user = '別人' WHERE id = 3",),
        lambda n: 3,
        {"altered"},
    ),
    "edit time": (
        lambda db, n: ("UPDATE auditrecord SET at = '2020-01-01T00:00:00+09:00' WHERE id = 7",),
        lambda n: 7,
        {"altered"},
    ),
    "edit prev_hash": (
        lambda db, n: (f"UPDATE auditrecord SET prev_hash = '{'1' * 64}' WHERE id = 4",),
        lambda n: 4,
        {"altered"},
    ),
    "edit and rehash": (
        lambda db, n: ("UPDATE auditrecord SET new = 'x' WHERE id = 6", "SELECT 1"),
        lambda n: 6,
        {"altered"},
    ),
    "delete middle": (lambda db, n: ("DELETE FROM auditrecord WHERE id = 4",), lambda n: 4, {"deleted"}),
    "delete first": (lambda db, n: ("DELETE FROM auditrecord WHERE id = 1",), lambda n: 1, {"deleted"}),
    "delete and renumber": (
        lambda db, n: (
            "DELETE FROM auditrecord WHERE id = 4",
            "UPDATE auditrecord SET id = id - 1 WHERE id > 4",
        ),
        lambda n: 4,
        {"reordered", "altered", "deleted"},
    ),
    "swap two rows": (lambda db, n: _swap(3, 4), lambda n: 3, {"reordered"}),
    "swap distant rows": (lambda db, n: _swap(2, 8), lambda n: 2, {"reordered"}),
    "truncate last 1": (
        lambda db, n: (f"DELETE FROM auditrecord WHERE id = {n}",),
        lambda n: n,
        {"truncated"},
    ),
    "truncate last 3": (
        lambda db, n: (f"DELETE FROM auditrecord WHERE id > {n - 3}",),
        lambda n: n - 2,
        {"truncated"},
    ),
    "truncate all": (lambda db, n: ("DELETE FROM auditrecord",), lambda n: 1, {"truncated"}),
    "truncate and delete head": (
        lambda db, n: (
            f"DELETE FROM auditrecord WHERE id > {n - 2}",
            "DELETE FROM setting WHERE key = 'audit.head'",
        ),
        lambda n: None,
        {"head_missing"},
    ),
    "edit last record": (
        lambda db, n: (f"UPDATE auditrecord SET old = 'x' WHERE id = {n}",),
        lambda n: n,
        {"altered"},
    ),
}


def _apply(ws: Workspace, name: str) -> tuple[bool, object]:
    n = verify_chain(ws).checked
    build, want_id, kinds = CASES[name]
    stmts = build(ws.db_path, n)
    if name == "edit and rehash":
        tamper(ws, stmts[0])
        tamper(ws, _rehash(ws, 6))
    else:
        tamper(ws, *stmts)
    ws.close()
    res = verify_chain(ws)
    ok = (
        not res.ok
        and res.problem is not None
        and res.problem.kind in kinds
        and (want_id(n) is None or res.problem.record_id == want_id(n))
    )
    return ok, res


@pytest.mark.engines
def test_intact_chain_verifies(ws: Workspace) -> None:
    populated(ws)
    settings.set_(ws, "backup.keep", 3)
    res = verify_chain(ws)
    assert res.ok, res.problem
    assert res.checked >= 14
    assert res.head == {"id": res.last_id, "hash": res.last_hash, "count": res.checked}


@pytest.mark.engines
def test_empty_chain_is_intact(ws: Workspace) -> None:
    res = verify_chain(ws)
    assert res.ok and res.checked == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_tamper_detected(ws: Workspace, name: str) -> None:
    populated(ws)
    ok, res = _apply(ws, name)
    assert ok, res


@pytest.mark.engines
@pytest.mark.parametrize("name", ["edit and rehash", "swap two rows", "truncate last 3", "delete middle"])
def test_tamper_detected_on_both_engines(ws: Workspace, name: str) -> None:
    """A representative case of each kind also on the server (the checks themselves are the same code)."""
    populated(ws)
    ok, res = _apply(ws, name)
    assert ok, res


def test_tamper_case_count(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The figure for the closing note: every case on a fresh workspace."""
    from selfcheck.clock import fixed_clock
    from selfcheck.workspace import open_workspace

    detected = 0
    for n, name in enumerate(sorted(CASES)):
        w = open_workspace(tmp_path / f"h{n}", actor="監査", clock=fixed_clock(ws.clock()))
        populated(w)
        ok, _ = _apply(w, name)
        detected += ok
        w.close()
    with capsys.disabled():
        print(f"\naudit tamper cases detected: {detected} of {len(CASES)}")
    assert detected == len(CASES)


@pytest.mark.engines
def test_appended_forgery_detected(ws: Workspace) -> None:
    """A forged record with a correct hash appended after the last one: the head catches it."""
    populated(ws)
    res = verify_chain(ws)
    rec = {
        "id": res.last_id + 1,
        "at": ws.now(),
        "os_user": "x",
        "app_user": "x",
        "action": "update",
        "entity": "answer",
        "entity_id": "1/x",
        "field": "value",
        "old": None,
        "new": "implemented",
    }
    h = chain_hash(res.last_hash, rec)
    with Raw(ws) as db:
        db.rows(
            "INSERT INTO auditrecord (id, at, os_user, app_user, action, entity, entity_id, field, old, new,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (*rec.values(), res.last_hash, h),
        )
    bad = verify_chain(ws)
    assert not bad.ok and bad.problem.kind == "appended" and bad.problem.record_id == res.last_id + 1


@pytest.mark.engines
def test_appending_after_a_stale_head_keeps_working(ws: Workspace) -> None:
    """A DB written before the head existed (no audit.head): the next record re-counts."""
    populated(ws, answers=2)
    tamper(ws, "DELETE FROM setting WHERE key = 'audit.head'")
    assert verify_chain(ws).problem.kind == "head_missing"
    item = inspection.detail(ws, 1).items[5].item_id
    inspection.record_answer(ws, inspection_id=1, item_id=item, value="implemented")
    assert verify_chain(ws).ok


@pytest.mark.engines
def test_history_shows_an_items_changes(ws: Workspace) -> None:
    iid = populated(ws)
    item = inspection.detail(ws, iid).items[1].item_id
    rows = audit.history(ws, [f"{iid}/{item}"])
    assert [(r.entity, r.field) for r in rows][:2] == [("answer", "value"), ("answer", "comment")]
    assert any(r.entity == "improvement" and r.field == "action" for r in rows)
    assert all(r.app_user == "山田 花子" for r in rows)
    assert [r.id for r in audit.history(ws, [], limit=2)] == [
        verify_chain(ws).last_id - 1,
        verify_chain(ws).last_id,
    ]


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfcheck", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.engines
def test_cli_verify_exit_codes(ws: Workspace) -> None:
    iid = populated(ws, answers=3)
    ok = _cli(ws.home, "audit", "verify", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ok"] is True
    log = _cli(ws.home, "audit", "log", "--entity", "answer", "--json")
    assert log.returncode == 0 and all(r["entity"] == "answer" for r in json.loads(log.stdout))
    item = inspection.detail(ws, iid).items[0].item_id
    text = _cli(ws.home, "audit", "log", "--id", f"{iid}/{item}")
    assert "コメント0" in text.stdout
    tamper(ws, "DELETE FROM auditrecord WHERE id = 2")
    bad = _cli(ws.home, "audit", "verify")
    assert bad.returncode == 1
    assert "record 2" in bad.stderr and "deleted" in bad.stderr
    assert "Traceback" not in bad.stderr
