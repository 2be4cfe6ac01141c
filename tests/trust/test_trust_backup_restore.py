"""Backup and restore with real files: contents and hashes, no secrets, consistency with a writer
holding a transaction, round trip, refusal of damaged and hostile archives without touching current data,
rotation of the automatic backup. The tests marked `engines` also run with the data on a PostgreSQL
server (the archive format is the same; restore goes through the server's data lock)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from engines import Raw
from trust_helpers import populated

from selfcheck import evidence, inspection, settings
from selfcheck.clock import fixed_clock
from selfcheck.errors import (
    BackupError,
    CertificateConfirmationRequired,
    DataInUseError,
    SelfcheckError,
)
from selfcheck.models.migrations import HEAD
from selfcheck.trust.archive import check_archive, unsafe_reason
from selfcheck.trust.audit_verify import verify_chain
from selfcheck.trust.backup import auto_backup, auto_backups, backup, create_backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import Workspace, open_workspace


def _real_cert() -> str:
    """A genuine self-signed certificate: restore computes its fingerprint before trusting it."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


CERT = _real_cert()
KEY = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIEsecret\n-----END ENCRYPTED PRIVATE KEY-----\n"


def _with_evidence(ws: Workspace, tmp_path: Path, n: int = 3) -> int:
    iid = populated(ws)
    items = [it.item_id for it in inspection.detail(ws, iid).items]
    for k in range(n):
        f = tmp_path / f"証拠{k}.bin"
        f.write_bytes(os.urandom(2000 + k))
        evidence.attach_file(ws, f, inspection_id=iid, item_id=items[k])
    keys = ws.home / "keys"
    keys.mkdir(exist_ok=True)
    (keys / "signing-key.pem").write_text(KEY, encoding="utf-8")
    (keys / "signing-cert.pem").write_text(CERT, encoding="utf-8")
    (keys / "other-secret.pem").write_text("-----BEGIN PRIVATE KEY-----\nx\n", encoding="utf-8")
    return iid


def _state(home: Path) -> dict[str, str]:
    """Hash of every file under home except backups/ (what 'current data unchanged' means)."""
    out = {}
    for p in sorted(home.rglob("*")):
        rel = p.relative_to(home).as_posix()
        if p.is_file() and not rel.startswith("backups/"):
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _db_state(where: Path | Workspace) -> list[tuple]:
    """Answers and evidence rows of the SQLite file in a data directory, or of a workspace's database."""
    if isinstance(where, Workspace):
        with Raw(where) as db:
            return db.rows("SELECT item_id, value, comment FROM answer ORDER BY id") + db.rows(
                "SELECT id, sha256 FROM evidence ORDER BY id"
            )
    con = sqlite3.connect(where / "selfcheck.sqlite3")
    try:
        return (
            con.execute("SELECT item_id, value, comment FROM answer ORDER BY id").fetchall()
            + con.execute("SELECT id, sha256 FROM evidence ORDER BY id").fetchall()
        )
    finally:
        con.close()


@pytest.mark.engines
def test_backup_contents_and_manifest(ws: Workspace, tmp_path: Path) -> None:
    _with_evidence(ws, tmp_path)
    res = backup(ws, tmp_path / "out" / "b.zip")
    assert res.path.exists() and res.evidence_files == 3 and res.certificates == ["signing-cert.pem"]
    if os.name == "posix":
        assert stat.S_IMODE(res.path.stat().st_mode) == 0o600
    assert not list(res.path.parent.glob(".tmp-*")) and not list(res.path.parent.glob(".backup-*"))
    with zipfile.ZipFile(res.path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        for name, meta in manifest["entries"].items():
            data = zf.read(name)
            assert hashlib.sha256(data).hexdigest() == meta["sha256"] and len(data) == meta["size"]
        blob = b"".join(zf.read(n) for n in names)
    assert names == set(manifest["entries"]) | {"manifest.json"}
    assert "keys/signing-key.pem" not in names and "keys/other-secret.pem" not in names
    assert b"MIIEsecret" not in blob and b"PRIVATE KEY" not in blob
    assert manifest["schema_revision"] == HEAD and manifest["app_version"]
    assert manifest["created_at"].startswith("2026-11-23T10:00:00")


@pytest.mark.engines
def test_snapshot_is_consistent_while_a_writer_holds_a_transaction(ws: Workspace, tmp_path: Path) -> None:
    iid = populated(ws, answers=2)
    with Raw(ws) as db:
        db.run("BEGIN" if ws.on_server else "BEGIN IMMEDIATE", "UPDATE answer SET comment = 'uncommitted'")
        try:
            res = backup(ws, tmp_path / "live.zip")  # must not wait for the writer, must not see its change
        finally:
            db.run("ROLLBACK")
    home2 = tmp_path / "copy"
    restore(home2, res.path)
    w2 = open_workspace(home2)
    assert all(it.comment != "uncommitted" for it in inspection.detail(w2, iid).items)
    assert verify_chain(w2).ok
    w2.close()


@pytest.mark.engines
def test_round_trip_restores_the_backed_up_state(ws: Workspace, tmp_path: Path) -> None:
    iid = _with_evidence(ws, tmp_path)
    res = backup(ws, tmp_path / "b.zip")
    before = _db_state(ws)
    # change things after the backup: a new answer and a new evidence file
    item = inspection.detail(ws, iid).items[10].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="not_implemented", comment="後から")
    late = tmp_path / "late.bin"
    late.write_bytes(os.urandom(999))
    late_view = evidence.attach_file(ws, late, inspection_id=iid, item_id=item)
    after_change = _db_state(ws)
    ws.close()
    rr = restore(ws.home, res.path, clock=fixed_clock(ws.clock() + timedelta(minutes=5)), place=ws.place)
    assert _db_state(ws) == before
    assert rr.safety_backup is not None and rr.safety_backup.name.startswith("before-restore-")
    w = open_workspace(ws.home, actor="x")
    assert evidence.verify_store(w) == [] and verify_chain(w).ok
    assert not evidence.blob_path(w, late_view.sha256).exists()  # only the replaced DB used it
    assert not list(w.home.glob(".restore-*"))
    if os.name == "posix":
        if not w.on_server:
            assert stat.S_IMODE(w.db_path.stat().st_mode) == 0o600
        blob = next(p for p in w.evidence_root.rglob("*") if p.is_file())
        assert stat.S_IMODE(blob.stat().st_mode) == (0o444 if w.shared_evidence else 0o400)
    w.close()
    # the replaced data is really kept: restoring the safety backup brings the late change back
    restore(ws.home, rr.safety_backup, place=ws.place)
    assert _db_state(ws) == after_change
    assert (ws.home / "keys" / "signing-key.pem").read_text(encoding="utf-8") == KEY  # never touched


def test_restore_into_an_empty_directory(ws: Workspace, tmp_path: Path) -> None:
    _with_evidence(ws, tmp_path)
    res = backup(ws, tmp_path / "b.zip")
    home2 = tmp_path / "new-pc" / "selfcheck"
    # installing the archive's certificate changes whom verify trusts: it needs the fingerprint confirmed
    with pytest.raises(CertificateConfirmationRequired) as asked:
        restore(home2, res.path)
    assert not home2.exists() or not (home2 / "selfcheck.sqlite3").exists()
    rr = restore(home2, res.path, accept_certificate=asked.value.fingerprint)
    assert rr.safety_backup is None and rr.certificates_restored == ["signing-cert.pem"]
    assert rr.trusted_certificate_changed
    assert _db_state(home2) == _db_state(ws.home)
    assert not (home2 / "keys" / "signing-key.pem").exists()


def _rewrite(
    src: Path,
    dst: Path,
    *,
    edit=None,
    extra: list[tuple[zipfile.ZipInfo | str, bytes]] = (),
    fix_manifest: bool = False,
    drop: str | None = None,
) -> Path:
    """Copy an archive, optionally editing one entry's bytes, adding entries, recomputing the manifest."""
    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist() if i.filename != "manifest.json"]
    out_items = []
    for name, data in items:
        if name == drop:
            continue
        if edit and name in edit:
            data = edit[name](data)
            if fix_manifest:
                manifest["entries"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        out_items.append((name, data))
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data in out_items:
            zout.writestr(name, data)
        for info, data in extra:
            zout.writestr(info, data)
        zout.writestr("manifest.json", json.dumps(manifest))
    return dst


def _newer_schema_db(data: bytes, tmp: Path) -> bytes:
    p = tmp / "newer.sqlite3"
    p.write_bytes(data)
    con = sqlite3.connect(p)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    return p.read_bytes()


def _symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _hostile_cases(good: Path, tmp: Path) -> dict[str, Path]:
    ev = next(n for n in zipfile.ZipFile(good).namelist() if n.startswith("evidence/"))
    flip = {ev: lambda d: bytes([d[0] ^ 1]) + d[1:]}
    cases = {
        "flipped evidence byte": _rewrite(good, tmp / "c1.zip", edit=flip),
        "flipped db byte": _rewrite(
            good, tmp / "c2.zip", edit={"selfcheck.sqlite3": lambda d: d[:5000] + b"X" + d[5001:]}
        ),
        "truncated evidence": _rewrite(good, tmp / "c3.zip", edit={ev: lambda d: d[:10]}),
        "absolute path": _rewrite(good, tmp / "c4.zip", extra=[("/tmp/evil-abs", b"x")]),
        "dot-dot path": _rewrite(good, tmp / "c5.zip", extra=[("evidence/../../evil", b"x")]),
        "drive letter": _rewrite(good, tmp / "c6.zip", extra=[("C:/evil", b"x")]),
        "backslash path": _rewrite(good, tmp / "c7.zip", extra=[("..\\evil", b"x")]),
        "symlink entry": _rewrite(
            good, tmp / "c8.zip", extra=[(_symlink_info("keys/link.pem"), b"/etc/passwd")]
        ),
        "entry not in manifest": _rewrite(good, tmp / "c9.zip", extra=[("evidence/ab/" + "ab" * 32, b"x")]),
        "entry missing": _rewrite(good, tmp / "c10.zip", drop=ev),
        "newer schema db": _rewrite(
            good,
            tmp / "c11.zip",
            edit={"selfcheck.sqlite3": lambda d: _newer_schema_db(d, tmp)},
            fix_manifest=True,
        ),
        "not a zip": tmp / "c12.zip",
        "empty zip": tmp / "c13.zip",
        "truncated archive": tmp / "c14.zip",
    }
    cases["not a zip"].write_bytes(b"hello, not a zip")
    with zipfile.ZipFile(cases["empty zip"], "w"):
        pass
    cases["truncated archive"].write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    # a manifest that claims a newer schema
    m = tmp / "c15.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(m, "w") as zout:
        for i in zin.infolist():
            data = zin.read(i.filename)
            if i.filename == "manifest.json":
                man = json.loads(data)
                man["schema_revision"] = "9999"
                data = json.dumps(man).encode()
            zout.writestr(i.filename, data)
    cases["newer schema manifest"] = m
    # an archive smuggling the private key, manifest and hashes consistent
    k = tmp / "c16.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(k, "w") as zout:
        for i in zin.infolist():
            data = zin.read(i.filename)
            if i.filename == "manifest.json":
                man = json.loads(data)
                man["entries"]["keys/signing-key.pem"] = {
                    "sha256": hashlib.sha256(b"k").hexdigest(),
                    "size": 1,
                }
                data = json.dumps(man).encode()
            zout.writestr(i.filename, data)
        zout.writestr("keys/signing-key.pem", b"k")
    cases["private key entry"] = k
    return cases


@pytest.mark.engines
def test_hostile_and_damaged_archives_are_refused_without_touching_data(
    ws: Workspace, tmp_path: Path
) -> None:
    _with_evidence(ws, tmp_path)
    good = backup(ws, tmp_path / "good.zip").path
    ws.close()
    before = _state(ws.home)
    db_before = _db_state(ws)
    backups_before = (
        sorted(p.name for p in (ws.home / "backups").glob("*")) if (ws.home / "backups").exists() else []
    )
    refused = 0
    cases = _hostile_cases(good, tmp_path)
    for name, archive in cases.items():
        with pytest.raises(SelfcheckError) as err:
            restore(ws.home, archive, place=ws.place)
        assert "現在のデータは変更していません" in err.value.message_ja or isinstance(
            err.value, BackupError
        ), name
        assert _state(ws.home) == before, name
        assert _db_state(ws) == db_before, name
        assert not list(ws.home.glob(".restore-*")), name
        refused += 1
        print(name, "->", err.value.message_en)
    assert not Path("/tmp/evil-abs").exists() and not (tmp_path.parent / "evil").exists()
    after_backups = (
        sorted(p.name for p in (ws.home / "backups").glob("*")) if (ws.home / "backups").exists() else []
    )
    assert after_backups == backups_before  # refused before any safety backup was even made
    assert refused == len(cases) == 16
    restore(ws.home, good, place=ws.place)  # and the genuine one still restores


@pytest.mark.parametrize(
    "name,reason",
    [
        ("/etc/passwd", "absolute path"),
        ("C:/x", "absolute path"),
        ("c:evil", "absolute path"),
        ("a/../b", "'..' in path"),
        ("..", "'..' in path"),
        ("./x", "'..' in path"),
        ("a\\b", "backslash in name"),
        ("", "empty name"),
        ("dir/", "directory entry"),
        ("evidence/ab/cd", None),
        ("selfcheck.sqlite3", None),
    ],
)
def test_unsafe_names(name: str, reason: str | None) -> None:
    assert unsafe_reason(name) == reason


def test_restore_refused_while_another_process_has_the_data_open(ws: Workspace, tmp_path: Path) -> None:
    populated(ws, answers=1)
    good = backup(ws, tmp_path / "b.zip").path
    inspection.list_inspections(ws)  # the engine now holds an open connection, like a running TUI
    before = _db_state(ws.home)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute('select count(*) from answer').fetchall();"
                "print('open', flush=True); time.sleep(30)"
            ),
            str(ws.db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "open"
        with pytest.raises(DataInUseError):
            restore(ws.home, good)
    finally:
        child.kill()
        child.wait()
    assert _db_state(ws.home) == before
    ws.close()
    restore(ws.home, good)  # fine once everyone has closed it


def test_auto_backup_once_a_day_and_rotation(home: Path) -> None:
    from datetime import datetime

    from selfcheck.clock import JST

    day0 = datetime(2026, 11, 1, 17, 30, tzinfo=JST)
    ws0 = open_workspace(home, actor="x", clock=fixed_clock(day0))
    populated(ws0, answers=1)
    settings.set_(ws0, "backup.keep", 3)
    made = []
    for d in range(6):
        w = Workspace(home=home, actor="x", clock=fixed_clock(day0 + timedelta(days=d)))
        first = auto_backup(w)
        again = auto_backup(w)
        assert first is not None and again is None
        made.append(first.name)
        w.close()
    names = [p.name for p in auto_backups(home)]
    assert names == made[-3:]
    manual = create_backup(home, None, clock=fixed_clock(day0))
    settings.set_(ws0, "backup.auto", False)
    w = Workspace(home=home, clock=fixed_clock(day0 + timedelta(days=9)))
    assert auto_backup(w) is None
    assert manual.path.exists()  # manual archives are never rotated away
    ws0.close()


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfcheck", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.mark.engines
def test_cli_backup_and_restore(ws: Workspace, tmp_path: Path) -> None:
    _with_evidence(ws, tmp_path)
    ws.close()
    out = tmp_path / "cli.zip"
    b = _cli(ws.home, "backup", "-o", str(out), "--json")
    assert b.returncode == 0, b.stderr
    assert json.loads(b.stdout)["evidence_files"] == 3
    check_archive(out)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(out.read_bytes()[:-300])
    r = _cli(ws.home, "restore", str(bad))
    assert r.returncode == 2 and "cannot restore" in r.stderr and "Traceback" not in r.stderr
    r = _cli(ws.home, "restore", str(out))
    assert r.returncode == 0, r.stderr
    assert "before-restore-" in r.stdout
    a = _cli(ws.home, "backup", "--auto", "--json")
    # with a server database no PC takes the automatic copy of the shared data (the administrator does)
    assert a.returncode == 0 and bool(json.loads(a.stdout)["path"]) is not ws.on_server
