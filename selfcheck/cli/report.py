"""`selfcheck report`: make the 自己点検結果報告書, sign it, print it; reopen a signed inspection.

    selfcheck report INSPECTION_ID -o FILE.pdf [--sign] [--print] [--passphrase-file F] [--json]
    selfcheck report revise INSPECTION_ID          new open revision of a signed (final) inspection
    selfcheck report roles show ORG                 the 押印欄 titles
    selfcheck report roles set ORG "A" "B" ...      rename the 押印欄 (no titles = the defaults)

argparse cannot mix a positional id with sub-commands, so the words are dispatched here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from selfcheck import inspection, issue, roles
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.cli.keys import read_passphrase_file, tty_prompt
from selfcheck.errors import SelfcheckError
from selfcheck.report import output
from selfcheck.signing.keystore import Passphrase

USAGE_JA = "使い方: report 点検ID -o ファイル.pdf [--sign] [--print] / report revise 点検ID / report roles set 団体ID 職名..."
USAGE_EN = "usage: report ID -o FILE.pdf [--sign] [--print] | report revise ID | report roles set|show ORG [TITLE ...]"


def register(sub: object) -> None:
    p = subcommand(
        sub,
        "report",
        _report,
        "自己点検結果報告書（PDF）の作成・署名・印刷 / make, sign and print the inspection report",
    )
    p.add_argument("words", nargs="+", metavar="INSPECTION_ID | revise ID | roles set|show ORG [TITLE ...]")
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="出力する PDF / output PDF")
    p.add_argument(
        "--sign", action="store_true", help="電子署名して点検を確定する / sign (finalises the inspection)"
    )
    p.add_argument("--print", dest="print_", action="store_true", help="既定のプリンターで印刷 / print")
    p.add_argument(
        "--passphrase-file", metavar="FILE", help="鍵のパスフレーズを書いたファイル / passphrase file"
    )
    p.add_argument("--json", action="store_true")


def _int(word: str) -> int:
    try:
        return int(word)
    except ValueError:
        raise SelfcheckError(
            f"点検ID {word!r} は数字ではありません。{USAGE_JA}",
            f"inspection id {word!r} is not a number; {USAGE_EN}",
        ) from None


def _report(args: argparse.Namespace) -> int:
    words = args.words
    if words[0] == "revise":
        return _revise(args, words[1:])
    if words[0] == "roles":
        return _roles(args, words[1:])
    if len(words) != 1:
        raise SelfcheckError(USAGE_JA, USAGE_EN)
    return _make(args, _int(words[0]))


def _make(args: argparse.Namespace, inspection_id: int) -> int:

    if not args.output:
        raise SelfcheckError(
            "出力先を -o ファイル.pdf で指定してください", "give the output file with -o FILE.pdf"
        )
    ws = workspace(args)
    pp = None
    if args.sign:
        pp = Passphrase(
            given=read_passphrase_file(args.passphrase_file),
            ask=tty_prompt("署名用の鍵のパスフレーズ", "signing key passphrase"),
        )
    res = issue.issue_inspection_report(
        ws, inspection_id, Path(args.output), sign=args.sign, passphrase_provider=pp
    )
    if args.json:
        printed = output.print_pdf(res.path) if args.print_ else None
        print_json({**res.as_dict(), "printed": printed})
        return 0
    out(f"報告書を作成しました / report written: {res.path}")
    out(f"文書ID / document id: {res.document_id}")
    if res.signed:
        out(
            f"電子署名済み、点検 {inspection_id} は確定しました / signed; inspection {inspection_id} is now final"
        )
    if args.print_:  # after the lines above: a printer problem must not hide that the file exists
        out(output.print_pdf(res.path))
    return 0


def _revise(args: argparse.Namespace, rest: list[str]) -> int:

    if len(rest) != 1:
        raise SelfcheckError(USAGE_JA, USAGE_EN)
    ws = workspace(args)
    new_id = inspection.new_revision(ws, _int(rest[0]))
    if args.json:
        print_json({"inspection_id": new_id, "revision_of": _int(rest[0])})
    else:
        out(f"新しい版を作成しました / new revision: 点検 {new_id}（元: {rest[0]}）")
    return 0


def _roles(args: argparse.Namespace, rest: list[str]) -> int:

    if len(rest) < 2 or rest[0] not in ("set", "show"):
        raise SelfcheckError(USAGE_JA, USAGE_EN)
    ws = workspace(args)
    org = rest[1]
    titles = roles.set_stamp_roles(ws, org, rest[2:]) if rest[0] == "set" else roles.stamp_roles(ws, org)
    if args.json:
        print_json({"org": org, "stamp_roles": list(titles)})
    else:
        out("押印欄 / stamp boxes: " + " | ".join(titles))
    return 0
