"""`selfcheck report`: make the 自己点検結果報告書, sign it, print it; reopen a signed inspection.

    selfcheck report make INSPECTION_ID -o FILE.pdf [--sign] [--passphrase-file F] [--print] [--json]
    selfcheck report revise INSPECTION_ID          new open revision of a signed (final) inspection
    selfcheck report roles show ORG                 the 押印欄 titles
    selfcheck report roles set ORG "A" "B" ...      rename the 押印欄 (no titles = the defaults)

The old form `selfcheck report INSPECTION_ID -o FILE.pdf ...` (before `make` existed) still works:
`selfcheck.cli.legacy_argv` inserts the word `make` when a number follows `report`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from selfcheck import inspection, issue, roles
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.cli.signing import add_signing_options, passphrase_for
from selfcheck.errors import SelfcheckError
from selfcheck.report import output


def register(sub: object) -> None:
    p = subcommand(
        sub,
        "report",
        _usage,
        "自己点検結果報告書（PDF）の作成・署名・印刷 / make, sign and print the inspection report",
    )
    rsub = p.add_subparsers(dest="report_command", metavar="ACTION")

    m = subcommand(
        rsub, "make", _make, "報告書の PDF を作成する（--sign で署名して確定） / make the report PDF"
    )
    m.add_argument("id", type=int, metavar="INSPECTION_ID", help="点検ID / inspection id")
    m.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="出力する PDF / output PDF")
    add_signing_options(
        m,
        sign_help="電子署名して点検を確定する（確定後の変更は新しい版で） / sign; the inspection becomes final",
    )
    m.add_argument("--print", dest="print_", action="store_true", help="既定のプリンターで印刷 / print")
    m.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")

    r = subcommand(
        rsub,
        "revise",
        _revise,
        "署名済み（確定）の点検を新しい版として開き直す / reopen a signed inspection as a new revision",
    )
    r.add_argument("id", type=int, metavar="INSPECTION_ID", help="点検ID / inspection id")
    r.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")

    roles_p = subcommand(rsub, "roles", _usage_roles, "押印欄の役職名 / the titles of the stamp boxes")
    ro = roles_p.add_subparsers(dest="roles_command", metavar="ACTION")
    show = subcommand(ro, "show", _roles_show, "押印欄の役職名を表示 / show the stamp box titles")
    show.add_argument("org", metavar="ORG", help="団体ID / body id")
    show.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")
    st = subcommand(
        ro,
        "set",
        _roles_set,
        "押印欄の役職名を設定（省略すると既定に戻す） / set the stamp box titles (none = defaults)",
    )
    st.add_argument("org", metavar="ORG", help="団体ID / body id")
    st.add_argument("titles", nargs="*", metavar="TITLE", help="役職名（左から順に） / titles, left to right")
    st.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")


def _usage(args: argparse.Namespace) -> int:
    raise SelfcheckError(
        "make / revise / roles のどれかを指定してください（例: selfcheck report make 3 -o 報告書.pdf）",
        "give one of: make, revise, roles (e.g. `selfcheck report make 3 -o report.pdf`)",
    )


def _usage_roles(args: argparse.Namespace) -> int:
    raise SelfcheckError(
        "show / set のどちらかを指定してください（例: selfcheck report roles show 団体ID）",
        "give show or set (e.g. `selfcheck report roles show ORG`)",
    )


def _make(args: argparse.Namespace) -> int:
    ws = workspace(args)
    res = issue.issue_inspection_report(
        ws, args.id, Path(args.output), sign=args.sign, passphrase_provider=passphrase_for(args)
    )
    if args.json:
        printed = output.print_pdf(res.path) if args.print_ else None
        print_json({**res.as_dict(), "printed": printed})
        return 0
    out(f"報告書を作成しました / report written: {res.path}")
    out(f"文書ID / document id: {res.document_id}")
    if res.signed:
        out(f"電子署名済み。点検 {args.id} は確定しました / signed; inspection {args.id} is now final")
        s = inspection.summary(ws, args.id)
        left = s.total - s.answered
        if left or s.needs_review:
            out(
                f"注意: 未回答 {left} 項目・要再確認 {s.needs_review} 項目のまま確定しました。直すには"
                f" selfcheck report revise {args.id} / note: finalised with {left} unanswered and"
                f" {s.needs_review} to-review items"
            )
    else:
        out(
            "署名していない下書きです。確定するには --sign を付けて作り直してください"
            " / an unsigned draft; make it again with --sign to finalise"
        )
    if args.print_:  # after the lines above: a printer problem must not hide that the file exists
        out(output.print_pdf(res.path))
    return 0


def _revise(args: argparse.Namespace) -> int:
    ws = workspace(args)
    new_id = inspection.new_revision(ws, args.id)
    if args.json:
        print_json({"inspection_id": new_id, "revision_of": args.id})
    else:
        info = inspection.info(ws, new_id)
        out(
            f"点検 {args.id} を開き直し、新しい版（第{info.revision}版）の点検 {new_id} を作成しました。"
            f"以後は点検 {new_id} を変更してください / new revision {info.revision}: inspection {new_id}"
        )
    return 0


def _roles_show(args: argparse.Namespace) -> int:
    _print_roles(args, roles.stamp_roles(workspace(args), args.org))
    return 0


def _roles_set(args: argparse.Namespace) -> int:
    _print_roles(args, roles.set_stamp_roles(workspace(args), args.org, args.titles))
    return 0


def _print_roles(args: argparse.Namespace, titles: Sequence[str]) -> None:
    if args.json:
        print_json({"org": args.org, "stamp_roles": list(titles)})
    else:
        out("押印欄 / stamp boxes: " + " | ".join(titles))
