"""`selfcheck verify FILE.pdf [--json]` and `selfcheck verify --evidence INSPECTION_ID`.

Exit 0 only when valid: for a PDF, pyHanko's bottom line with this body's certificate as trust root and
the whole file covered; for evidence, every stored file still hashes to its recorded SHA-256. Exit 1
when not valid (the facts are printed), 2 for input errors.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

from selfcheck import dates, evidence, inspection, paths
from selfcheck.cli.common import home_of, out, print_json, subcommand, workspace
from selfcheck.errors import SelfcheckError
from selfcheck.report.layout import fingerprint_text
from selfcheck.signing.verify import verify_pdf


def register(sub: object) -> None:
    p = subcommand(
        sub,
        "verify",
        _verify,
        "署名付き PDF・証跡ファイルの検証 / verify a signed PDF, or the evidence files of an inspection",
    )
    p.add_argument("file", nargs="?", metavar="FILE.pdf")
    p.add_argument(
        "--evidence", metavar="INSPECTION_ID", type=int, help="証跡ファイルを再計算 / re-hash evidence"
    )
    p.add_argument("--json", action="store_true")


def _verify(args: argparse.Namespace) -> int:
    if args.evidence is not None:
        return _evidence(args)
    if not args.file:
        raise SelfcheckError("検証する PDF を指定してください", "give the PDF to verify")

    home = home_of(args)
    res = verify_pdf(
        Path(args.file),
        home=home if home.exists() else None,
        log_file=paths.log_dir(home) / "signing.log" if home.exists() else None,
    )
    if args.json:
        print_json(res.as_dict())
        return 0 if res.valid else 1
    out(f"{'有効 / VALID' if res.valid else '無効 / NOT VALID'}: {res.path}")
    trusted = fingerprint_text(res.known_fingerprint) if res.known_fingerprint else "なし / none"
    out(f"  信頼した証明書 / trusted certificate: SHA-256 {trusted}（{home}）")
    for s in res.signatures:
        yes = {True: "はい / yes", False: "いいえ / no"}
        out(f"  署名者 / signer: {s.signer}（{s.signer_subject_text or s.signer_subject}）")
        when = f"{dates.time_text(s.signing_time, seconds=True)}（日本時間）" if s.signing_time else "—"
        out(f"  署名日時 / signing time: {when}")
        out(f"  改ざんなし / intact: {yes[s.intact]}")
        out(f"  文書全体を署名 / whole document: {yes[s.whole_document]}")
        out(f"  この団体の証明書 / known certificate: {yes[s.known_certificate]}")
        out(f"  証明書 SHA-256: {fingerprint_text(s.fingerprint) if s.fingerprint else '—'}")
    for p in res.problems:
        out(f"  ! {p}")
    return 0 if res.valid else 1


def _evidence(args: argparse.Namespace) -> int:

    ws = workspace(args)
    inspection.info(ws, args.evidence)  # NotFoundError for a wrong id
    problems = evidence.verify_store(ws, inspection_id=args.evidence)
    if args.json:
        print_json({"inspection_id": args.evidence, "valid": not problems, "problems": problems})
        return 1 if problems else 0
    if not problems:
        out(f"証跡ファイルはすべて記録どおりです / all evidence files match (inspection {args.evidence})")
        return 0
    labels = {
        "missing": "見つかりません / missing",
        "mismatch": "内容が変わっています / content changed",
        "not_regular": "通常のファイルではありません / not a regular file",
    }
    for p in problems:
        names = ", ".join(cast(list[str], p["names"]))
        out(f"! {names}: {labels.get(str(p['problem']), p['problem'])}（SHA-256 {p['sha256']}）")
    return 1
