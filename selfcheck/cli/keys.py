"""`selfcheck keys init|import|show`: the body's signing key and certificate.

The passphrase comes from `--passphrase-file` (unattended use), else the OS credential store, else a
getpass prompt on a terminal. Without a terminal and without a file we refuse: never a plaintext fallback.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from selfcheck import inputs, orgs
from selfcheck.cli.common import out, print_json, subcommand, workspace
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


def read_passphrase_file(path: str | None) -> str | None:
    """The file's first line (trailing newline removed); None when no file was given."""
    if path is None:
        return None
    try:
        text = inputs.read_text(Path(path), 64 * 1024, error=SigningError)
    except UnicodeDecodeError as exc:
        raise SigningError(
            "パスフレーズファイルが UTF-8 ではありません", "the passphrase file is not UTF-8", where=path
        ) from exc
    secret = text.splitlines()[0] if text.splitlines() else ""
    if not secret:
        raise SigningError("パスフレーズファイルが空です", "the passphrase file is empty", where=path)
    return secret


def tty_prompt(label_ja: str, label_en: str, *, confirm: bool = False) -> Callable[[], str]:
    """A getpass prompt that refuses when stdin is not a terminal (scripts must use --passphrase-file)."""

    def ask() -> str:
        if not sys.stdin.isatty():
            raise SigningError(
                "安全な資格情報ストアがなく、端末でもないためパスフレーズを入力できません。--passphrase-file を指定してください",
                "no secure credential store and no terminal to type the passphrase; give --passphrase-file",
            )
        first = getpass.getpass(f"{label_ja} / {label_en}: ")
        if confirm and getpass.getpass("もう一度 / again: ") != first:
            raise SigningError("パスフレーズが一致しません", "the passphrases do not match")
        return first

    return ask


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
    d = info.as_dict()
    out(f"署名者 / signer: {d['common_name']}（{d['title']}）")
    out(f"団体 / organization: {d['organization']}")
    out(f"発行者 / issuer: {d['issuer']}{'（自己署名 / self-signed）' if d['self_signed'] else ''}")
    out(f"有効期間 / validity: {d['not_before']} 〜 {d['not_after']}")
    out(f"SHA-256: {fingerprint_text(str(d['fingerprint']))}")


def _show(args: argparse.Namespace) -> int:

    ws = workspace(args)
    info = keystore.show(ws)
    if info is None:
        raise SigningError(
            "署名用の鍵がありません（selfcheck keys init で作成）",
            "no signing key (make one with `selfcheck keys init`)",
        )
    if args.json:
        print_json(info.as_dict())
    else:
        _print_cert(info)
    return 0
