"""PAdES signing of a finished PDF (pyHanko): invisible signature, SHA-256, covering the whole file.

Signing is a separate stage from building (G10): `sign(src, dst, key=...)` reads `src` and writes the
signed copy to `dst`; it knows nothing about inspections. The signer's name, role, time and certificate
fingerprint are already drawn on the page by reportlab, because pyHanko's default stamp font cannot
draw Japanese. Offline, with no TSA, this is PAdES-B-B: the signing time is the signer's own claim.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from selfcheck import paths
from selfcheck.errors import SigningError
from selfcheck.signing.keystore import KeyRef

FIELD_NAME = "SelfcheckSignature"


def quiet_pyhanko(log_file: Path | None = None) -> None:
    """Keep pyHanko's log (it logs whole tracebacks at WARNING while validating) off the terminal:
    to `log_file` when given, else nowhere."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        lg = logging.getLogger(name)
        lg.propagate = False
        if not lg.handlers:
            handler: logging.Handler = logging.NullHandler()
            if log_file is not None:
                try:
                    # the log sits in the data directory: owner-only like everything there
                    paths.ensure_private_dir(log_file.parent)
                    os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
                    handler = logging.FileHandler(log_file, encoding="utf-8")
                    handler.setLevel(logging.WARNING)
                except OSError:
                    handler = logging.NullHandler()
            lg.addHandler(handler)


def sign(
    src: Path,
    dst: Path,
    *,
    key: KeyRef,
    reason: str = "自己点検結果の確定",
    location: str = "",
    log_file: Path | None = None,
) -> Path:
    """Sign `src` into `dst` (a different path) with the unlocked key."""
    from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder, load_private_key_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    quiet_pyhanko(log_file)
    try:
        priv = load_private_key_from_pemder(str(key.key_path), passphrase=key.passphrase)
        cert = load_cert_from_pemder(str(key.cert_path))
        chain = list(load_certs_from_pemder([str(key.chain_path)])) if key.chain_path else []
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(
            "署名用の鍵を読み込めません",
            f"cannot load the signing key ({exc})",
            where=str(key.key_path),
            reason="sign_failed",
        ) from exc
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=priv, cert_registry=SimpleCertificateStore.from_certs([cert, *chain])
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=key.cert.common_name or None,
    )
    try:
        with src.open("rb") as inf, dst.open("wb") as out:
            writer = IncrementalPdfFileWriter(inf, strict=False)
            signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
            out.flush()
    except SigningError:
        raise
    except Exception as exc:  # pyhanko raises many types (PdfError, SigningError, ValueError ...)
        dst.unlink(missing_ok=True)
        raise SigningError(
            "PDF に署名できませんでした",
            f"signing the PDF failed ({exc})",
            where=str(src),
            reason="sign_failed",
        ) from exc
    return dst
