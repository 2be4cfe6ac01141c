"""The self-signed certificate `keys init` makes for a body's signer: EC key, O=body, CN=signer,
title=role, C=JP, five years, key usage for signing documents (digital signature + non-repudiation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

VALIDITY_DAYS = 5 * 365 + 1


def self_signed(key: Any, *, organization: str, name: str, role: str) -> Any:
    """A certificate for `key`, signed by itself, valid from five minutes ago for VALIDITY_DAYS."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
    ]
    if role:
        attrs.append(x509.NameAttribute(NameOID.TITLE, role))
    subject = x509.Name(attrs)
    # real time, not the workspace clock: validity is checked against real time by every verifier
    now = dt.datetime.now(dt.UTC)
    return (
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
