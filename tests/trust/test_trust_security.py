"""Security hygiene: private modes for the database (with -wal/-shm) and the evidence store, read-only
evidence, and no secret anywhere in the data directory's database, logs or backups after signing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from trust_helpers import populated

from selfcheck import evidence, inspection
from selfcheck.workspace import Workspace

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows relies on the profile ACL")


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@posix_only
def test_database_and_store_are_private(ws: Workspace, tmp_path: Path) -> None:
    old = os.umask(0o022)  # a typical permissive umask: the app must not rely on the user's
    try:
        iid = populated(ws, answers=1)
        src = tmp_path / "f.txt"
        src.write_bytes(b"evidence")
        view = evidence.attach_file(
            ws, src, inspection_id=iid, item_id=inspection.detail(ws, iid).items[0].item_id
        )
        from selfcheck.trust.backup import backup

        arch = backup(ws).path
    finally:
        os.umask(old)
    db = ws.db_path
    assert _mode(ws.home) == 0o700
    for suffix in ("", "-wal", "-shm"):
        p = db.with_name(db.name + suffix)
        assert p.exists(), suffix  # the engine is open in WAL mode
        assert _mode(p) == 0o600, (suffix, oct(_mode(p)))
    store = ws.home / "evidence"
    blob = evidence.blob_path(ws.home, view.sha256)
    assert _mode(store) == 0o700 and _mode(blob.parent) == 0o700
    assert _mode(blob) == 0o400  # read-only after ingest
    assert _mode(arch) == 0o600 and _mode(arch.parent) == 0o700
    if os.geteuid() != 0:  # root ignores modes; for everyone else the file really is read-only
        with pytest.raises(PermissionError):
            blob.open("ab")


def _grep(home: Path, needles: list[bytes]) -> list[str]:
    """Every file under home (database, WAL, logs, backups - unzipped, reports) containing a needle,
    except the encrypted key file itself."""
    import zipfile

    hits = []
    for p in home.rglob("*"):
        if not p.is_file() or p.name == "signing-key.pem":
            continue
        blobs = [p.read_bytes()]
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as zf:
                blobs += [zf.read(n) for n in zf.namelist()]
        for data in blobs:
            for n in needles:
                if n in data:
                    hits.append(f"{p.relative_to(home)}: {n[:12]!r}")
    return hits


def test_no_secret_in_database_logs_or_backups_after_signing(
    ws: Workspace, tmp_path: Path, mem_keyring: object
) -> None:
    from cryptography.hazmat.primitives import serialization

    from selfcheck.issue import issue_inspection_report
    from selfcheck.signing import keystore
    from selfcheck.trust.backup import backup

    secret = "秘密のパスフレーズ-Tr0ub4dor&3-zq"
    iid = populated(ws, answers=3)
    keystore.init_key(
        ws,
        org_id="shunan-eisei",
        name="山田 花子",
        role="事務局長",
        passphrase=keystore.Passphrase(given=secret),
    )
    out = tmp_path / "report.pdf"
    issue_inspection_report(ws, iid, out, sign=True, passphrase_provider=keystore.Passphrase(given=secret))
    assert out.exists()
    backup(ws)
    # a log file exists only if something crashed or pyHanko logged; both must be secret-free too
    key_pem = keystore.key_path(ws.home).read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in key_pem  # never stored in the clear
    key = serialization.load_pem_private_key(key_pem, password=secret.encode("utf-8"))
    raw_scalar = key.private_numbers().private_value.to_bytes(32, "big")
    clear_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    needles = [
        secret.encode("utf-8"),
        secret.encode("utf-16-le"),
        secret.encode("ascii", "ignore")[-14:],
        raw_scalar,
        clear_pem,
        clear_pem.splitlines()[1],
        key_pem.splitlines()[1],
    ]
    hits = _grep(ws.home, needles)
    assert hits == [], hits
    pdf = out.read_bytes()
    assert not any(n in pdf for n in needles)


def test_undecodable_names_and_control_characters_are_stored_safely(ws: Workspace, tmp_path: Path) -> None:
    """A `--user` or file name with non-UTF-8 bytes arrives as surrogate escapes; SQLite cannot store them."""
    iid = populated(ws, answers=1)
    item = inspection.detail(ws, iid).items[0].item_id
    w = Workspace(home=ws.home, actor="山田\udcff\x1b[31m花子")
    assert w.actor == "山田[31m花子"
    view = evidence.attach_paper(
        w, "棚\ud800 2段目\x07", inspection_id=iid, item_id=item, description="a\udc80b"
    )
    assert view.paper_location == "棚 2段目" and view.description == "ab" and view.added_by == "山田[31m花子"
    src = tmp_path / os.fsdecode(b"scan-\xff.pdf")
    src.write_bytes(b"x")
    assert evidence.attach_file(w, src, inspection_id=iid, item_id=item).original_name == "scan-.pdf"
    w.close()
