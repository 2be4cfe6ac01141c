"""Evidence store: content addressing, dedupe, read-only files, refusal of bad paths with nothing changed
(on both engines: with a server database the store is a separate shared folder)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from selfcheck import evidence, inspection, orgs, settings
from selfcheck.errors import EvidenceError
from selfcheck.workspace import Workspace

pytestmark = pytest.mark.engines


@pytest.fixture
def iid(ws: Workspace) -> int:
    orgs.choose_org(ws, "shunan-eisei")
    return inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)


@pytest.fixture
def item(ws: Workspace, iid: int) -> str:
    return inspection.detail(ws, iid).items[0].item_id


@pytest.fixture
def item2(ws: Workspace, iid: int) -> str:
    return inspection.detail(ws, iid).items[1].item_id


def _count(ws: Workspace) -> int:
    from sqlmodel import select

    from selfcheck.models.tables import Evidence

    with ws.read() as s:
        return len(s.exec(select(Evidence)).all())


def test_file_is_stored_by_hash_once_and_read_only(
    ws: Workspace, iid: int, item: str, item2: str, tmp_path: Path
) -> None:
    src = tmp_path / "研修記録.csv"
    src.write_bytes(b"name,date\n" * 1000)
    a = evidence.attach_file(ws, src, inspection_id=iid, item_id=item)
    b = evidence.attach_file(ws, src, inspection_id=iid, item_id=item2)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    assert a.sha256 == b.sha256 == sha and a.size == 10_000 and a.original_name == "研修記録.csv"
    stored = evidence.blob_path(ws, sha)
    assert stored.read_bytes() == src.read_bytes()
    assert len(list(ws.evidence_root.rglob("*"))) == 2  # one folder + one file
    if os.name == "posix":
        assert not stored.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert evidence.verify_store(ws) == []


def test_tampered_blob_is_reported(ws: Workspace, iid: int, item: str, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("original", encoding="utf-8")
    ev = evidence.attach_file(ws, src, inspection_id=iid, item_id=item)
    blob = evidence.blob_path(ws, ev.sha256 or "")
    blob.chmod(0o600)
    blob.write_text("changed", encoding="utf-8")
    problems = evidence.verify_store(ws, inspection_id=iid)
    assert problems and problems[0]["problem"] == "mismatch" and problems[0]["names"] == ["a.txt"]


@pytest.mark.parametrize("case", ["missing", "directory", "too_large", "unreadable"])
def test_bad_sources_are_refused_and_nothing_is_written(
    ws: Workspace, iid: int, item: str, tmp_path: Path, case: str
) -> None:
    src = tmp_path / "x.bin"
    if case == "missing":
        pass
    elif case == "directory":
        src.mkdir()
    elif case == "too_large":
        src.write_bytes(b"0" * 2048)
        settings.set_(ws, "evidence.max_bytes", 1024)
    else:
        if os.name != "posix" or os.geteuid() == 0:
            pytest.skip("root can read any file")
        src.write_bytes(b"secret")
        src.chmod(0)
    before = _count(ws)
    with pytest.raises(EvidenceError) as err:
        evidence.attach_file(ws, src, inspection_id=iid, item_id=item)
    assert err.value.where == str(src)
    assert _count(ws) == before
    assert not [p for p in ws.evidence_root.rglob("*") if p.is_file()]


def test_paper_location_and_detach_keep_history(ws: Workspace, iid: int, item: str) -> None:
    ev = evidence.attach_paper(ws, "総務係 キャビネット2段目", inspection_id=iid, item_id=item)
    assert inspection.detail(ws, iid).items[0].evidence[0].paper_location == "総務係 キャビネット2段目"
    evidence.detach(ws, ev.id)
    assert inspection.detail(ws, iid).items[0].evidence == ()
    assert _count(ws) == 1
    with pytest.raises(EvidenceError):
        evidence.attach_paper(ws, "   ", inspection_id=iid, item_id=item)


def test_large_file_is_streamed_with_progress(ws: Workspace, iid: int, item: str, tmp_path: Path) -> None:
    src = tmp_path / "big.bin"
    with src.open("wb") as f:
        f.write(os.urandom(1024) * (5 * 1024))  # 5 MiB
    seen: list[float] = []
    ev = evidence.attach_file(
        ws, src, inspection_id=iid, item_id=item, on_progress=lambda f, _n: seen.append(f)
    )
    assert ev.size == 5 * 1024 * 1024 and len(seen) == 5 and seen[-1] == 1.0


def test_leftover_temporaries_are_swept(ws: Workspace) -> None:
    stale = ws.evidence_root / "tmp-123-abcd"
    stale.write_bytes(b"half")
    if ws.shared_evidence:  # another PC's copy may be in progress: only a day-old one is abandoned
        assert evidence.sweep_temporaries(ws) == 0
        os.utime(stale, (1, 1))
    assert evidence.sweep_temporaries(ws) == 1
    assert not list(ws.evidence_root.glob("tmp-*"))


def test_callers_record_commits_with_the_link_or_not_at_all(ws: Workspace, iid: int, item: str) -> None:
    """`also=` runs inside the linking transaction: if the caller's own record fails, no link remains."""

    def failing(_session: object, _ev: object) -> None:
        raise RuntimeError("caller's record failed")

    before = _count(ws)
    with pytest.raises(RuntimeError):
        evidence.attach_paper(ws, "書庫", inspection_id=iid, item_id=item, also=failing)
    assert _count(ws) == before
