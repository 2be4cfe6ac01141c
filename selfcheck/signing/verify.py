"""Check a signed report: intact, whole file covered, who signed and when, and whether the certificate is
this body's own.

Validity is pyHanko's `bottom_line` with this data directory's certificate as the only trust root (a
self-signed certificate can be trusted only by being known). `pdfsig` alone is not enough: it calls a file
with an appended incremental update "valid" (it does no difference analysis). A file signed by some other
certificate may be intact and fully covered and is still reported not valid, with those facts shown.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import inputs
from selfcheck.signing import keystore
from selfcheck.signing.names import name_text_of_der
from selfcheck.signing.pades import quiet_pyhanko

if TYPE_CHECKING:
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.status import PdfSignatureStatus
    from pyhanko_certvalidator import ValidationContext


MAX_PDF_BYTES = 32 * 1024 * 1024
"""A selfcheck report is well under 1 MB; a signed PDF over this is refused before it is read."""


@dataclass(frozen=True)
class SignatureFacts:
    field_name: str
    signer: str
    signer_subject: str
    signing_time: str | None
    fingerprint: str
    known_certificate: bool
    intact: bool
    cryptographically_valid: bool
    trusted: bool
    coverage: str
    whole_document: bool
    modification_level: str
    docmdp_ok: bool | None
    bottom_line: bool
    signer_subject_text: str = ""  # for people: 「氏名 …、役職 …、団体 …」 (`names.name_text`)

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class VerifyResult:
    path: str
    valid: bool
    signatures: tuple[SignatureFacts, ...] = ()
    problems: tuple[str, ...] = field(default=())
    known_fingerprint: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "valid": self.valid,
            "known_fingerprint": self.known_fingerprint,
            "problems": list(self.problems),
            "signatures": [s.as_dict() for s in self.signatures],
        }


def _context(home: Path | None) -> tuple[ValidationContext, str | None]:
    from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder
    from pyhanko_certvalidator import ValidationContext

    roots, others, known = [], [], None
    if home is not None and keystore.cert_path(home).exists():
        roots.append(load_cert_from_pemder(str(keystore.cert_path(home))))
        known = keystore.known_fingerprint(home)
        if keystore.chain_path(home).exists():
            others = list(load_certs_from_pemder([str(keystore.chain_path(home))]))
    # offline by design: no OCSP/CRL fetching (PAdES-B-B)
    return ValidationContext(trust_roots=roots, other_certs=others, allow_fetching=False), known


def verify_pdf(path: Path, *, home: Path | None, log_file: Path | None = None) -> VerifyResult:
    """Validate every signature in `path`. Unreadable input is a SelfcheckError; a damaged or unsigned
    PDF is a result with valid=False and the reason in `problems`."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    quiet_pyhanko(log_file)
    # a FIFO would hang, /dev/zero would never end, a huge file would take a gigabyte in the parser
    raw = inputs.read_bytes(path, MAX_PDF_BYTES)

    vc, known = _context(home)
    problems: list[str] = []
    if known is None:
        problems.append(
            "この団体の証明書がデータフォルダにありません / no known certificate in the data directory"
        )
    try:
        reader = PdfFileReader(io.BytesIO(raw), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as exc:  # pyhanko raises several error types for a damaged file
        return VerifyResult(
            str(path), False, (), (*problems, f"PDF を解析できません / cannot parse the PDF: {exc}"), known
        )
    if not sigs:
        return VerifyResult(
            str(path), False, (), (*problems, "署名がありません / the file is not signed"), known
        )
    facts = []
    for sig in sigs:
        facts.append(_check(sig, vc, known, problems, validate_pdf_signature))
    valid = all(f.bottom_line and f.known_certificate for f in facts) and facts[-1].whole_document
    return VerifyResult(str(path), valid, tuple(facts), tuple(problems), known)


def _check(
    sig: EmbeddedPdfSignature,
    vc: ValidationContext,
    known: str | None,
    problems: list[str],
    validate: Callable[[EmbeddedPdfSignature, ValidationContext], PdfSignatureStatus],
) -> SignatureFacts:
    name = getattr(sig, "field_name", "") or ""
    try:
        st = validate(sig, vc)
    except Exception as exc:  # malformed signature dictionary / CMS blob
        problems.append(f"{name}: 署名を検証できません / cannot validate the signature: {exc}")
        return SignatureFacts(
            name, "", "", None, "", False, False, False, False, "UNKNOWN", False, "UNKNOWN", None, False
        )
    cert = st.signing_cert
    fp = cert.sha256.hex() if cert is not None else ""
    subject = cert.subject.human_friendly if cert is not None else ""
    cn = ""
    if cert is not None:
        cn = cert.subject.native.get("common_name", "") or ""
    coverage = getattr(st.coverage, "name", str(st.coverage))
    level = getattr(st.modification_level, "name", str(st.modification_level))
    facts = SignatureFacts(
        field_name=name,
        signer=cn,
        signer_subject=subject,
        signing_time=st.signer_reported_dt.isoformat() if st.signer_reported_dt else None,
        fingerprint=fp,
        known_certificate=bool(known) and fp == known,
        intact=bool(st.intact),
        cryptographically_valid=bool(st.valid),
        trusted=bool(st.trusted),
        coverage=coverage,
        whole_document=coverage == "ENTIRE_FILE",
        modification_level=level,
        docmdp_ok=st.docmdp_ok,
        bottom_line=bool(st.bottom_line),
        signer_subject_text=name_text_of_der(cert.dump()) if cert is not None else "",
    )
    if not facts.intact:
        problems.append(f"{name}: 署名後に内容が変更されています / the signed content was changed")
    if not facts.whole_document:
        problems.append(
            f"{name}: 署名後に追記があります（文書全体が署名されていません） / "
            "content was appended after signing (not the whole document)"
        )
    if not facts.known_certificate:
        problems.append(f"{name}: この団体の証明書ではありません / not this body's known certificate")
    return facts
