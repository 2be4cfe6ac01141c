"""`selfcheck keys init|import|show`: the body's signing key and certificate.

The passphrase comes from `--passphrase-file` (unattended use), else the OS credential store, else a
getpass prompt on a terminal. Without a terminal and without a file we refuse: never a plaintext fallback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from selfcheck import dates, orgs
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.cli.signing import read_passphrase_file, tty_prompt
from selfcheck.errors import SelfcheckError, SigningError
from selfcheck.report.layout import fingerprint_text
from selfcheck.signing import keystore
from selfcheck.signing.keystore import CertInfo
from selfcheck.workspace import Workspace


def register(sub: object) -> None:
    p = subcommand(sub, "keys", _help, "署名用の鍵と証明書 / signing key and certificate")
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION")
    i = subcommand(
        ks, "init", _init, "署名用の鍵と自己署名証明書を作成 / make a key and a self-signed certificate"
    )
    i.add_argument("--org", help="団体ID / body id (default: the current body)")
    i.add_argument("--name", help="署名者の氏名 / signer's name (default: --user or the OS user)")
    i.add_argument("--role", default="情報セキュリティ管理者", help="署名者の役職 / signer's role")
    i.add_argument("--passphrase-file", metavar="FILE", help="パスフレーズを書いたファイル / passphrase file")
    i.add_argument("--force", action="store_true", help="既存の鍵を置き換える / replace an existing key")
    m = subcommand(
        ks, "import", _import, "鍵と証明書を PKCS#12 (.p12/.pfx) から取り込む / import a PKCS#12 file"
    )
    m.add_argument("file", metavar="FILE.p12")
    m.add_argument("--org", help="団体ID / body id (default: the current body)")
    m.add_argument(
        "--passphrase-file", metavar="FILE", help="PKCS#12 のパスワードを書いたファイル / password file"
    )
    m.add_argument("--force", action="store_true", help="既存の鍵を置き換える / replace an existing key")
    s = subcommand(ks, "show", _show, "証明書と指紋を表示 / show the certificate and its fingerprint")
    s.add_argument("--json", action="store_true")


def _help(args: argparse.Namespace) -> int:
    raise SelfcheckError("init / import / show のどれかを指定してください", "give one of: init, import, show")


def _org(ws: Workspace, given: str | None) -> str:
    org = given or orgs.current_org(ws)
    if not org:
        raise SelfcheckError(
            "団体を指定してください（--org、または selfcheck orgs use）",
            "give the body (--org), or choose a current body first",
        )
    return org


def _init(args: argparse.Namespace) -> int:

    ws = workspace(args)
    pp = keystore.Passphrase(
        given=read_passphrase_file(args.passphrase_file),
        ask=tty_prompt("新しいパスフレーズ", "new passphrase", confirm=True),
    )
    info, remembered = keystore.init_key(
        ws,
        org_id=_org(ws, args.org),
        name=args.name or ws.who(),
        role=args.role or "",
        passphrase=pp,
        force=args.force,
    )
    _print_cert(info)
    _say_where_secret(remembered)
    return 0


def _import(args: argparse.Namespace) -> int:

    ws = workspace(args)
    pp = keystore.Passphrase(
        given=read_passphrase_file(args.passphrase_file),
        ask=tty_prompt("PKCS#12 のパスワード", "PKCS#12 password"),
    )
    info, remembered = keystore.import_p12(
        ws, Path(args.file), org_id=_org(ws, args.org), passphrase=pp, force=args.force
    )
    _print_cert(info)
    _say_where_secret(remembered)
    return 0


def _say_where_secret(remembered: bool) -> None:
    if remembered:
        out(
            "パスフレーズは OS の資格情報ストアに保存しました / the passphrase is kept in the OS credential store"
        )
    else:
        out(
            "資格情報ストアがないため、パスフレーズは保存していません。署名のたびに入力するか --passphrase-file を"
            "使ってください / no credential store: the passphrase was not saved; type it or use --passphrase-file"
        )


def _print_cert(info: CertInfo) -> None:
    """The certificate in words (names labelled 氏名/役職/団体, times in JST); `--json` keeps the raw values."""
    out(f"署名者 / signer: {info.common_name}" + (f"（{info.title}）" if info.title else ""))
    out(f"団体 / organization: {info.organization}")
    out(f"証明書の名義 / subject: {info.subject_text}")
    issuer = "自己署名（名義と同じ） / self-signed" if info.self_signed else info.issuer_text
    out(f"発行者 / issuer: {issuer}")
    out(
        f"有効期間 / validity: {dates.time_text(info.not_before)} 〜 {dates.time_text(info.not_after)}"
        "（日本時間 / JST）"
    )
    out(f"指紋 SHA-256 / fingerprint: {fingerprint_text(info.fingerprint)}")


def _show(args: argparse.Namespace) -> int:

    ws = workspace(args)
    info = keystore.show(ws)
    if info is None:
        raise SigningError(
            "署名用の鍵がありません（selfcheck keys init で作成）",
            "no signing key (make one with `selfcheck keys init`)",
            reason="no_key",
        )
    if args.json:
        print_json(info.as_dict())
    else:
        _print_cert(info)
    return 0
