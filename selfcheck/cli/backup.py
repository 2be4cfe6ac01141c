"""`selfcheck backup` and `selfcheck restore`: one-file archives of the data directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfcheck.cli.common import home_of, out, place_of, print_json, subcommand, workspace
from selfcheck.trust.backup import auto_backup, backup
from selfcheck.trust.restore import restore
from selfcheck.trust.restore_checks import fingerprint_text
from selfcheck.trust_location import location_warning
from selfcheck.workspace import open_workspace


def register(sub: object) -> None:
    b = subcommand(
        sub, "backup", _backup, "データをバックアップ（1つの zip） / back up the data to one archive"
    )
    b.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="保存先（省略時は backups/ フォルダ） / output file (default: the backups/ folder)",
    )
    b.add_argument(
        "--auto",
        action="store_true",
        help="自動バックアップ（1日1回、古いものは backup.keep 件まで） / "
        "automatic rotating backup (once a day, keep backup.keep)",
    )
    b.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")
    r = subcommand(
        sub,
        "restore",
        _restore,
        "バックアップから復元（現在のデータは退避） / restore a backup (current data is kept aside)",
    )
    r.add_argument("archive", metavar="FILE", type=Path, help="バックアップファイル / backup archive (.zip)")
    r.add_argument(
        "--accept-certificate",
        metavar="FINGERPRINT",
        help="バックアップ内の署名用証明書（SHA-256 指紋）を信頼する / trust the archive's signing "
        "certificate with this SHA-256 fingerprint",
    )
    r.add_argument(
        "--skip-certificate",
        action="store_true",
        help="証明書を除いて復元する / restore without the archive's certificate",
    )
    r.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")


def _warn_location(args: argparse.Namespace) -> None:  # restore opens no workspace before it runs

    msg = location_warning(home_of(args))
    if msg:
        sys.stderr.write(msg + "\n")


def _backup(args: argparse.Namespace) -> int:

    ws = workspace(args)
    try:
        if args.auto:
            if args.output:
                out("--auto では -o は使えません / -o cannot be used with --auto")
                return 2
            path = auto_backup(ws)
            if args.json:
                print_json({"path": str(path) if path else None})
            elif path is None:
                out(
                    "本日の自動バックアップは作成済みか、無効です / automatic backup already made today, or disabled"
                )
            else:
                out(f"自動バックアップを作成しました / automatic backup written: {path}")
            return 0
        res = backup(ws, args.output)
    finally:
        ws.close()
    if args.json:
        print_json(res.as_dict())
        return 0
    out(f"バックアップを作成しました / backup written: {res.path}")
    out(
        f"  証拠ファイル / evidence files: {res.evidence_files}   証明書 / certificates: {len(res.certificates)}"
        f"   {res.bytes:,} bytes   {res.seconds:.1f} s"
    )
    if res.missing_evidence:
        sys.stderr.write(
            f"警告: 証拠ファイル {len(res.missing_evidence)} 件が見つからないか壊れています"
            f"（selfcheck verify で確認してください） / warning: {len(res.missing_evidence)} evidence "
            "file(s) missing or damaged\n"
        )
    return 0


def _restore(args: argparse.Namespace) -> int:

    place = place_of(args)
    if not place.db.is_postgres:
        _warn_location(args)
    home = place.home
    res = restore(
        home,
        args.archive,
        actor=getattr(args, "user", "") or "",
        accept_certificate=args.accept_certificate,
        skip_certificate=args.skip_certificate,
        place=place,
    )
    open_workspace(home, place=place).close()  # an older archive's schema is brought up to date now
    if args.json:
        print_json(res.as_dict())
        return 0
    out(f"復元しました / restored: {res.archive}（{res.created_at} 作成 / made）")
    out(f"  証拠ファイル / evidence files: {res.evidence_files}   {res.seconds:.1f} s")
    if res.safety_backup:
        out(f"  復元前のデータ / previous data kept in: {res.safety_backup}")
    if res.trusted_certificate_changed and res.certificate_fingerprint:
        out(
            f"  信頼する証明書 / trusted certificate: SHA-256 {fingerprint_text(res.certificate_fingerprint)}"
        )
    for name in res.certificates_kept:
        sys.stderr.write(
            f"注意: 証明書 {name} は現在のものと異なるため、現在のものを残しました / "
            f"note: certificate {name} differs from the current one; the current one was kept\n"
        )
    return 0
