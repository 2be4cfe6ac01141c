"""Certificate names in words people read: 「氏名 山田 花子、役職 情報セキュリティ管理者、団体 ○○組合、国 JP」
instead of RFC 4514's 「CN=山田 花子,2.5.4.12=情報セキュリティ管理者,...」 (cryptography knows no short
name for the title attribute, so it prints its OID)."""

from __future__ import annotations

from typing import Any

# OID dotted string -> Japanese label, in the order people read a name (person first, country last)
LABELS: dict[str, str] = {
    "2.5.4.3": "氏名",  # commonName
    "2.5.4.12": "役職",  # title
    "2.5.4.11": "部署",  # organizationalUnitName
    "2.5.4.10": "団体",  # organizationName
    "2.5.4.7": "市区町村",  # localityName
    "2.5.4.8": "都道府県",  # stateOrProvinceName
    "2.5.4.6": "国",  # countryName
    "1.2.840.113549.1.9.1": "メール",  # emailAddress
    "2.5.4.5": "番号",  # serialNumber
}


def name_text(name: Any) -> str:
    """An `x509.Name` as labelled Japanese text; attributes without a label keep their dotted OID."""
    order = list(LABELS)
    parts = []
    for attr in name:
        oid = attr.oid.dotted_string
        parts.append(
            (order.index(oid) if oid in LABELS else len(order), LABELS.get(oid, oid), str(attr.value))
        )
    parts.sort(key=lambda p: p[0])
    return "、".join(f"{label} {value}" for _n, label, value in parts)


def name_text_of_der(cert_der: bytes) -> str:
    """The subject of a DER certificate (as pyHanko hands it over) in the same words."""
    from cryptography import x509

    try:
        return name_text(x509.load_der_x509_certificate(cert_der).subject)
    except ValueError:
        return ""
