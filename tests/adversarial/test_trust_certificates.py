"""A restore must not silently change whom `verify` trusts (issue 10, point 4)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from adv_helpers import cli, one_line_error, populated

from selfcheck.errors import CertificateConfirmationRequired
from selfcheck.issue import issue_inspection_report
from selfcheck.signing import keystore
from selfcheck.signing.keystore import Passphrase
from selfcheck.trust.backup import backup
from selfcheck.trust.restore import restore
from selfcheck.workspace import open_workspace


def _installation(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    """Another body's installation: a key, a signed report, a backup."""
    home = tmp_path / name
    ws = open_workspace(home)
    iid = populated(ws, tmp_path)
    keystore.init_key(ws, org_id="shunan-eisei", name=name, role="課長", passphrase=Passphrase(given="pw"))
    pdf = tmp_path / f"{name}.pdf"
    issue_inspection_report(ws, iid, pdf, sign=True, passphrase_provider=Passphrase(given="pw"))
    archive = backup(ws, tmp_path / f"{name}.zip").path
    ws.close()
    return home, pdf, archive


def test_restoring_a_foreign_certificate_needs_its_fingerprint(tmp_path: Path, mem_keyring: object) -> None:
    theirs_home, their_pdf, their_zip = _installation(tmp_path, "other-body")
    fp = keystore.known_fingerprint(theirs_home)
    assert fp
    mine = tmp_path / "mine"
    open_workspace(mine).close()
    assert cli("verify", their_pdf, home=mine).returncode == 1  # not trusted here
    with pytest.raises(CertificateConfirmationRequired) as err:
        restore(mine, their_zip)
    assert err.value.fingerprint == fp and not (mine / "keys" / "signing-cert.pem").exists()
    line = one_line_error(cli("restore", their_zip, home=mine))
    assert fp in line and "--accept-certificate" in line
    assert cli("verify", their_pdf, home=mine).returncode == 1  # still not trusted
    wrong = "00" * 32
    assert "--accept-certificate" in one_line_error(
        cli("restore", their_zip, "--accept-certificate", wrong, home=mine)
    )
    # skipping the certificate restores the data and keeps trust as it was
    assert cli("restore", their_zip, "--skip-certificate", home=mine).returncode == 0
    assert cli("verify", their_pdf, home=mine).returncode == 1
    # the explicit confirmation, in the colon form people read off the screen
    colon = ":".join(fp[i : i + 2] for i in range(0, 64, 2)).upper()
    res = cli("restore", their_zip, "--accept-certificate", colon, home=mine)
    assert res.returncode == 0 and "信頼する証明書" in res.stdout
    res = cli("verify", their_pdf, home=mine)
    assert res.returncode == 0
    assert "信頼した証明書 / trusted certificate: SHA-256 " + colon in res.stdout


def test_replacing_a_trusted_certificate_needs_confirmation_too(tmp_path: Path, mem_keyring: object) -> None:
    a_home, a_pdf, a_zip = _installation(tmp_path, "body-a")
    _b_home, b_pdf, b_zip = _installation(tmp_path, "body-b")
    viewer = tmp_path / "viewer"  # an auditor's PC: no key, trusts A's certificate
    restore(viewer, a_zip, accept_certificate=keystore.known_fingerprint(a_home))
    with pytest.raises(CertificateConfirmationRequired) as err:
        restore(viewer, b_zip)
    assert "置き換え" in err.value.message_ja
    assert cli("verify", a_pdf, home=viewer).returncode == 0
    assert cli("verify", b_pdf, home=viewer).returncode == 1


def test_an_installation_with_its_own_key_never_changes_trust(tmp_path: Path, mem_keyring: object) -> None:
    a_home, _a_pdf, _a_zip = _installation(tmp_path, "body-a")
    _b_home, b_pdf, b_zip = _installation(tmp_path, "body-b")
    before = (a_home / "keys" / "signing-cert.pem").read_bytes()
    res = cli("restore", b_zip, home=a_home)
    assert res.returncode == 0
    assert (a_home / "keys" / "signing-cert.pem").read_bytes() == before
    assert cli("verify", b_pdf, home=a_home).returncode == 1


def test_pdfsig_agrees_the_report_is_signed(tmp_path: Path, mem_keyring: object) -> None:
    _home, pdf, _zip = _installation(tmp_path, "body")
    out = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, check=False)
    if out.returncode == 127:
        pytest.skip("pdfsig not installed")
    assert "Signature is Valid" in out.stdout and "Total document signed" in out.stdout
