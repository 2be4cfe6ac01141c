"""The body's signing key: made here or imported from PKCS#12, kept encrypted, unlocked by a passphrase
that lives in the OS credential store.

The passphrase's home is `secret_store` (the only module that imports `keyring`). The private key is written encrypted (PKCS#8,
BestAvailableEncryption) to `keys/signing-key.pem`, the certificate to `keys/signing-cert.pem` and any CA
certificates to `keys/signing-chain.pem`. The passphrase goes to the OS store (Windows Credential
Manager, macOS Keychain, Secret Service) under service "selfcheck", user "signing-key:<body id>".

Where no secure store exists (headless Linux raises NoKeyringError), the passphrase is asked for
(`Passphrase.ask`: getpass in the CLI, a dialog in the TUI) and kept only in memory. We never use a
plaintext or file-based keyring (keyrings.alt), never write the secret to the database, a log or a
file, and we call the chosen backend directly so the chainer cannot silently fall through to a weaker one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfcheck import inputs, orgs, paths, settings
from selfcheck.errors import SelfcheckError, SigningError
from selfcheck.signing.names import name_text
from selfcheck.signing.secret_store import secure_backend, store_secret, stored_secret
from selfcheck.workspace import Workspace

KEY_FILE, CERT_FILE, CHAIN_FILE = "signing-key.pem", "signing-cert.pem", "signing-chain.pem"
VALIDITY_DAYS = 5 * 365 + 1


@dataclass(frozen=True)
class Passphrase:
    """Where a passphrase comes from when the credential store cannot give it."""

    given: str | None = field(default=None, repr=False)  # --passphrase-file: used as is, store not asked
    ask: Callable[[], str] | None = field(default=None, repr=False)  # getpass / TUI dialog


@dataclass(frozen=True)
class CertInfo:
    subject: str
    common_name: str
    organization: str
    title: str
    issuer: str
    not_before: str
    not_after: str
    fingerprint: str  # SHA-256 of the DER certificate, lower-case hex
    self_signed: bool
    org_id: str | None
    subject_text: str = ""  # for people: 「氏名 山田 花子、役職 …、団体 …、国 JP」 (see `names`)
    issuer_text: str = ""

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class KeyRef:
    """An unlocked key: where its files are and the passphrase, in memory only."""

    key_path: Path
    cert_path: Path
    chain_path: Path | None
    passphrase: bytes = field(repr=False)
    cert: CertInfo


def key_path(home: Path) -> Path:
    return paths.keys_dir(home) / KEY_FILE


def cert_path(home: Path) -> Path:
    return paths.keys_dir(home) / CERT_FILE


def chain_path(home: Path) -> Path:
    return paths.keys_dir(home) / CHAIN_FILE


def can_unlock_without_asking(ws: Workspace, passphrase: Passphrase | None = None) -> bool:
    """True when signing needs no prompt (a given passphrase, or one in the credential store)."""
    if passphrase is not None and passphrase.given is not None:
        return True
    org = settings.get(ws, "signing.org")
    return bool(org) and stored_secret(org) is not None


@dataclass(frozen=True)
class Readiness:
    """Whether signing can start, for a screen to decide before it tries: `state` is "no_key" (set a
    key up first), "ready" (the credential store holds the passphrase: no question asked) or "ask" (the
    passphrase will be asked for). `store` says whether a secure credential store exists at all."""

    state: str
    store: bool
    cert: CertInfo | None


def readiness(ws: Workspace) -> Readiness:
    cert = show(ws) if key_path(ws.home).exists() else None
    store = secure_backend() is not None
    if cert is None:
        return Readiness("no_key", store, None)
    return Readiness("ready" if can_unlock_without_asking(ws) else "ask", store, cert)


# --- certificate facts ---------------------------------------------------------------------------


def _name_attr(name: Any, oid: Any) -> str:
    vals = name.get_attributes_for_oid(oid)
    return str(vals[0].value) if vals else ""


def describe(cert: Any, org_id: str | None = None) -> CertInfo:
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID

    der = cert.public_bytes(serialization.Encoding.DER)
    return CertInfo(
        subject=cert.subject.rfc4514_string(),
        common_name=_name_attr(cert.subject, NameOID.COMMON_NAME),
        organization=_name_attr(cert.subject, NameOID.ORGANIZATION_NAME),
        title=_name_attr(cert.subject, NameOID.TITLE),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        fingerprint=hashlib.sha256(der).hexdigest(),
        self_signed=cert.issuer == cert.subject,
        org_id=org_id,
        subject_text=name_text(cert.subject),
        issuer_text=name_text(cert.issuer),
    )


def load_cert(path: Path) -> Any:
    from cryptography import x509

    return x509.load_pem_x509_certificate(path.read_bytes())


def show(ws: Workspace) -> CertInfo | None:
    """The installed certificate, or None when no key has been made or imported."""
    p = cert_path(ws.home)
    if not p.exists():
        return None
    try:
        return describe(load_cert(p), settings.get(ws, "signing.org"))
    except (OSError, ValueError) as exc:
        raise SigningError(
            "署名用の証明書ファイルを読めません",
            f"cannot read the signing certificate ({exc})",
            where=str(p),
            reason="bad_certificate",
        ) from exc


def known_fingerprint(home: Path) -> str | None:
    """Fingerprint of this data directory's certificate (what `verify` compares a signer with)."""
    p = cert_path(home)
    if not p.exists():
        return None
    try:
        return describe(load_cert(p)).fingerprint
    except (OSError, ValueError):
        return None


# --- making and importing keys ---------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically, owner-only on POSIX (a temp name in the same folder, then rename)."""
    paths.ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _refuse_overwrite(ws: Workspace, force: bool) -> None:
    if key_path(ws.home).exists() and not force:
        raise SigningError(
            "署名用の鍵はすでにあります。作り直す場合は --force を付けてください",
            "a signing key already exists; use --force to replace it",
            where=str(key_path(ws.home)),
            reason="key_exists",
        )


def _secret_for_new_key(org_id: str, passphrase: Passphrase, default: str | None) -> tuple[str, bool]:
    """Choose the passphrase for a new key file and try to remember it; returns (secret, remembered)."""
    secret = passphrase.given if passphrase.given is not None else None
    if secret is None and secure_backend() is not None:
        secret = default or secrets.token_urlsafe(32)
    if secret is None:
        if passphrase.ask is None:
            raise _no_store_error()
        secret = passphrase.ask()
    if not secret:
        raise SigningError("パスフレーズが空です", "the passphrase is empty", reason="empty_passphrase")
    return secret, store_secret(org_id, secret)


def _no_store_error() -> SigningError:
    return SigningError(
        "この環境には安全な資格情報ストアがありません。端末から実行してパスフレーズを入力するか、"
        "--passphrase-file を指定してください",
        "no secure credential store here; run from a terminal to type the passphrase, or give --passphrase-file",
        reason="no_store",
    )


def _save(ws: Workspace, org_id: str, key: Any, cert: Any, chain: list[Any], secret: str) -> CertInfo:
    from cryptography.hazmat.primitives import serialization

    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret.encode("utf-8")),
    )
    _write_private(key_path(ws.home), pem_key)
    _write_private(cert_path(ws.home), cert.public_bytes(serialization.Encoding.PEM))
    if chain:
        _write_private(
            chain_path(ws.home), b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)
        )
    else:
        chain_path(ws.home).unlink(missing_ok=True)
    info = describe(cert, org_id)
    settings.set_(ws, "signing.org", org_id)  # audited
    settings.set_(ws, "signing.fingerprint", info.fingerprint)  # audited
    return info


def init_key(
    ws: Workspace, *, org_id: str, name: str, role: str, passphrase: Passphrase, force: bool = False
) -> tuple[CertInfo, bool]:
    """Make an EC P-256 key and a 5-year self-signed certificate (O=body, CN=signer, title=role, C=JP).
    Returns the certificate facts and whether the passphrase was stored in the credential store."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    _refuse_overwrite(ws, force)
    prof = orgs.ensure_org(ws, org_id)
    if not name.strip():
        raise SelfcheckError("署名者の氏名を指定してください（--name）", "give the signer's name (--name)")
    secret, remembered = _secret_for_new_key(org_id, passphrase, None)
    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, prof.name),
        x509.NameAttribute(NameOID.COMMON_NAME, name.strip()),
    ]
    if role.strip():
        attrs.append(x509.NameAttribute(NameOID.TITLE, role.strip()))
    subject = x509.Name(attrs)
    # real time, not the workspace clock: validity is checked against real time by every verifier
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _save(ws, org_id, key, cert, [], secret), remembered


def import_p12(
    ws: Workspace, p12: Path, *, org_id: str, passphrase: Passphrase, force: bool = False
) -> tuple[CertInfo, bool]:
    """Take a key and certificate from a PKCS#12 file (e.g. an LGPKI certificate). The PKCS#12 password
    becomes the passphrase of the stored key."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    _refuse_overwrite(ws, force)
    orgs.ensure_org(ws, org_id)
    data = inputs.read_bytes(p12, 1024 * 1024, error=SigningError)  # a PKCS#12 file is a few KB
    password = passphrase.given
    if password is None:
        if passphrase.ask is None:
            raise SigningError(
                "PKCS#12 のパスワードを入力するか --passphrase-file を指定してください",
                "type the PKCS#12 password or give --passphrase-file",
                where=str(p12),
                reason="pkcs12",
            )
        password = passphrase.ask()
    if not password:
        raise SigningError(
            "パスワードのない PKCS#12 は取り込めません",
            "a PKCS#12 file without password is refused",
            where=str(p12),
            reason="pkcs12",
        )
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
    except ValueError as exc:
        raise SigningError(
            "PKCS#12 を開けません（パスワードが違うか、ファイルが壊れています）",
            "cannot open the PKCS#12 file (wrong password or damaged file)",
            where=str(p12),
            reason="pkcs12",
        ) from exc
    if key is None or cert is None:
        raise SigningError(
            "PKCS#12 に鍵と証明書が入っていません",
            "the PKCS#12 file has no key and certificate",
            where=str(p12),
            reason="pkcs12",
        )
    _secret, remembered = _secret_for_new_key(org_id, Passphrase(given=password), None)
    return _save(ws, org_id, key, cert, list(extra or []), password), remembered


# --- unlocking ---------------------------------------------------------------------------------------


def unlock(ws: Workspace, passphrase: Passphrase) -> KeyRef:
    """Get the passphrase (given, else the credential store, else ask) and check it opens the key."""
    from cryptography.hazmat.primitives import serialization

    kp, cp = key_path(ws.home), cert_path(ws.home)
    if not kp.exists() or not cp.exists():
        raise SigningError(
            "署名用の鍵がありません。先に署名用の鍵を作成してください（selfcheck keys init）",
            "no signing key; make one first (`selfcheck keys init`)",
            where=str(kp),
            reason="no_key",
        )
    org = settings.get(ws, "signing.org") or ""
    secret = passphrase.given
    if secret is None:
        secret = stored_secret(org)
    if secret is None:
        if passphrase.ask is None:
            raise _no_store_error()
        secret = passphrase.ask()
    try:
        serialization.load_pem_private_key(kp.read_bytes(), secret.encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise SigningError(
            "パスフレーズが違うため署名用の鍵を開けません",
            "wrong passphrase: cannot open the signing key",
            where=str(kp),
            reason="wrong_passphrase",
        ) from exc
    chain = chain_path(ws.home)
    return KeyRef(
        key_path=kp,
        cert_path=cp,
        chain_path=chain if chain.exists() else None,
        passphrase=secret.encode("utf-8"),
        cert=describe(load_cert(cp), org or None),
    )
