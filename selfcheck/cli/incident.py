"""`selfcheck incident ...`: script everything the incident screens do (open, steps, triage, notes,
evidence, reports made, PPC items, close, report PDF, timeline CSV, playbooks, the body's closure days).

Core modules are imported inside the handlers so `import selfcheck.cli` stays light.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from selfcheck import orgs
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.cli.incident_show import list_cmd, playbooks_cmd, show_cmd, timeline_cmd
from selfcheck.cli.signing import add_signing_options, passphrase_for
from selfcheck.errors import SelfcheckError
from selfcheck.incident import attachments, cases, closed_days
from selfcheck.incident.views import EDITABLE_FIELDS
from selfcheck.issue import issue_incident_report


def register(sub: Any) -> None:
    top = sub.add_parser(
        "incident",
        help="インシデント対応 / incident response",
        description="インシデント対応 / incident response",
    )
    isub = top.add_subparsers(dest="incident_command", metavar="SUBCOMMAND", required=True)

    p = subcommand(isub, "list", list_cmd, "インシデントの一覧 / list incidents")
    p.add_argument("--json", action="store_true")
    p.add_argument("--org", help="団体ID（省略時はすべて） / body id (default: all)")
    p.add_argument("--status", choices=["open", "closed"])

    p = subcommand(isub, "show", show_cmd, "インシデントの詳細 / show one incident")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")

    p = subcommand(isub, "open", _open, "インシデント対応を始める / open an incident")
    p.add_argument("--playbook", required=True, help="対応手順ID（incident playbooks で一覧） / playbook id")
    p.add_argument(
        "--detected-at",
        default=None,
        help="覚知日時（例: 2026-04-06T10:00、令和8年4月6日 10時。日本時間。省略時は現在） / when it became known (JST)",
    )
    p.add_argument("--title", default=None)
    p.add_argument("--summary", default="")
    p.add_argument("--org", help="団体ID（省略時は選択中の団体） / body id (default: the current body)")

    p = subcommand(isub, "step", _step, "手順を完了・省略・取消 / mark a step done, skipped or reopened")
    p.add_argument("id", type=int)
    p.add_argument("step")
    p.add_argument("state", choices=["done", "skip", "reopen"])
    p.add_argument("--reason", default="", help="省略の理由（skip では必須） / reason (required for skip)")

    p = subcommand(isub, "note", _note, "メモを追加 / add a note")
    p.add_argument("id", type=int)
    p.add_argument("text")
    p.add_argument("--step", default=None)

    p = subcommand(isub, "triage", _triage, "判定の質問に答える / answer triage questions")
    p.add_argument("id", type=int)
    p.add_argument("answers", nargs="+", metavar="KEY=yes|no|unknown")

    p = subcommand(isub, "reported", _reported, "外部への報告を済みにする / record that a report was made")
    p.add_argument("id", type=int)
    p.add_argument("report", help="報告ID（show --json の deadlines） / report id")
    p.add_argument("--at", default=None, help="報告日時（省略時は現在） / when")
    p.add_argument("--undo", action="store_true", help="記録を取り消す / undo the record")
    p.add_argument("--text", default="")

    p = subcommand(isub, "ppc", _ppc, "個人情報保護委員会への報告事項を編集 / edit a PPC report item")
    p.add_argument("id", type=int)
    p.add_argument("item", help="overview|items|count|cause|secondary|persons|publication|prevention|other")
    p.add_argument("text")

    p = subcommand(isub, "set", _set, "件名・概要・日時を変更 / edit title, summary, times")
    p.add_argument("id", type=int)
    p.add_argument("--title", help="件名 / title")
    p.add_argument("--summary", help="概要 / summary")
    p.add_argument(
        "--occurred-at",
        help="発生日時（例: 令和8年4月6日 10:00、2026-04-06T10:00。日本時間。空文字で不明に戻す） / when it happened (JST)",
    )
    p.add_argument("--detected-at", help="覚知日時（日本時間） / when it became known (JST)")
    # the older positional form `incident set ID FIELD VALUE` keeps working for scripts
    p.add_argument("field", nargs="?", choices=list(EDITABLE_FIELDS), help=argparse.SUPPRESS)
    p.add_argument("value", nargs="?", help=argparse.SUPPRESS)

    p = subcommand(isub, "evidence", _evidence, "証拠ファイル・紙の保管場所を追加 / add evidence")
    p.add_argument("id", type=int)
    p.add_argument("file", nargs="?", type=Path)
    p.add_argument("--paper", default=None, help="紙の保管場所 / where a paper record is kept")
    p.add_argument("--description", default="")
    p.add_argument("--step", default=None)

    p = subcommand(isub, "close", _close, "終結する / close")
    p.add_argument("id", type=int)
    p.add_argument("--note", default="")

    p = subcommand(isub, "reopen", _reopen, "再開する / reopen")
    p.add_argument("id", type=int)
    p.add_argument("--reason", required=True)

    p = subcommand(isub, "report", _report, "インシデント報告書PDFを作る / write the incident report PDF")
    p.add_argument("id", type=int)
    p.add_argument("-o", "--output", type=Path, required=True)
    add_signing_options(p)
    p.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")

    p = subcommand(isub, "timeline", timeline_cmd, "時系列を表示・CSV出力 / show or export the timeline")
    p.add_argument("id", type=int)
    p.add_argument("--csv", action="store_true")
    p.add_argument("-o", "--output", type=Path)

    p = subcommand(isub, "playbooks", playbooks_cmd, "対応手順の一覧 / list playbooks")
    p.add_argument("--json", action="store_true")
    p.add_argument("--org", help="団体に当てはまる手順だけ / only those that fit this body")
    psub = p.add_subparsers(dest="playbooks_command", metavar="validate")
    v = subcommand(psub, "validate", _validate, "対応手順ファイルを検査 / validate playbook files")
    v.add_argument("path", type=Path)

    p = subcommand(
        isub,
        "closed-days",
        _closed_days,
        "団体の休日（条例で定める閉庁日。確報の期限の繰下げに使う） / the body's own closure days",
    )
    p.add_argument("action", choices=["list", "add", "remove"], nargs="?", default="list")
    p.add_argument("day", nargs="?", help="YYYY-MM-DD（その日）か MM-DD（毎年） / a date or MM-DD every year")
    p.add_argument("--note", default="", help="休日の名前・根拠（例: 慰霊の日（条例第1条）） / name, basis")
    p.add_argument("--org", help="団体ID（省略時は選択中の団体） / body id (default: the current body)")
    p.add_argument("--json", action="store_true")


def _org(ws: Any, args: argparse.Namespace) -> str:

    org = getattr(args, "org", None) or orgs.current_org(ws)
    if not org:
        raise SelfcheckError(
            "団体が選ばれていません。--org で団体IDを指定してください", "no body selected; give --org BODY_ID"
        )
    return org


def _open(args: argparse.Namespace) -> int:

    ws = workspace(args)
    iid = cases.open_incident(
        ws,
        org_id=_org(ws, args),
        playbook_id=args.playbook,
        detected_at=args.detected_at,
        title=args.title,
        summary=args.summary,
    )
    out(str(iid))
    return 0


def _step(args: argparse.Namespace) -> int:

    cases.mark_step(workspace(args), args.id, args.step, args.state, args.reason)
    return 0


def _note(args: argparse.Namespace) -> int:

    cases.add_note(workspace(args), args.id, args.text, step_id=args.step)
    return 0


def _triage(args: argparse.Namespace) -> int:

    answers: dict[str, str] = {}
    for a in args.answers:
        key, sep, value = a.partition("=")
        if not sep:
            raise SelfcheckError(
                f"KEY=yes|no|unknown の形で指定してください: {a}", f"use KEY=yes|no|unknown: {a}"
            )
        answers[key.strip()] = value.strip().lower()
    n = cases.set_triage(workspace(args), args.id, answers)
    out(f"{n} 件変更 / {n} changed")
    return 0


def _reported(args: argparse.Namespace) -> int:

    cases.mark_report(workspace(args), args.id, args.report, made_at=args.at, undo=args.undo, text=args.text)
    return 0


def _ppc(args: argparse.Namespace) -> int:

    cases.set_ppc(workspace(args), args.id, args.item, args.text)
    return 0


def _set(args: argparse.Namespace) -> int:
    changes = {
        name: value
        for name, value in (
            ("title", args.title),
            ("summary", args.summary),
            ("occurred_at", args.occurred_at),
            ("detected_at", args.detected_at),
        )
        if value is not None
    }
    if args.field is not None:
        if args.value is None:
            raise SelfcheckError(f"{args.field} の値を指定してください", f"give a value for {args.field}")
        changes[args.field] = args.value
    if not changes:
        raise SelfcheckError(
            "変更する項目を指定してください（--title / --summary / --occurred-at / --detected-at）",
            "give what to change: --title, --summary, --occurred-at or --detected-at",
        )
    n = cases.set_fields(workspace(args), args.id, changes)
    out(f"{n} 項目を変更しました / {n} field(s) changed" if n else "変更はありません / nothing changed")
    return 0


def _evidence(args: argparse.Namespace) -> int:

    ws = workspace(args)
    if (args.file is None) == (args.paper is None):
        raise SelfcheckError(
            "ファイルか --paper のどちらか一方を指定してください", "give a FILE or --paper, not both"
        )
    if args.paper is not None:
        ev = attachments.add_evidence_paper(
            ws, args.id, args.paper, description=args.description, step_id=args.step
        )
    else:
        ev = attachments.add_evidence_file(
            ws, args.id, args.file, description=args.description, step_id=args.step
        )
    out(f"{ev.id} {ev.sha256 or ev.paper_location}")
    return 0


def _close(args: argparse.Namespace) -> int:

    cases.close_incident(workspace(args), args.id, args.note)
    return 0


def _reopen(args: argparse.Namespace) -> int:

    cases.reopen_incident(workspace(args), args.id, args.reason)
    return 0


def _report(args: argparse.Namespace) -> int:
    ws = workspace(args)
    res = issue_incident_report(
        ws, args.id, args.output, sign=args.sign, passphrase_provider=passphrase_for(args)
    )
    if args.json:
        print_json(res.as_dict())
        return 0
    out(f"インシデント報告書を作成しました / report written: {res.path}")
    out(
        "電子署名済み / signed"
        if res.signed
        else "署名していない下書きです（--sign で署名） / an unsigned draft (sign with --sign)"
    )
    return 0


def _closed_days(args: argparse.Namespace) -> int:

    ws = workspace(args)
    org = _org(ws, args)
    if args.action != "list":
        if not args.day:
            raise SelfcheckError(
                "日付を指定してください（YYYY-MM-DD か MM-DD）", "give the day (YYYY-MM-DD or MM-DD)"
            )
        changed = closed_days.set_body_closure(ws, org, args.day, args.note, remove=args.action == "remove")
        if not changed and args.action == "remove":
            raise SelfcheckError(
                f"団体の休日に {args.day} はありません", f"{args.day} is not a closure day of {org}"
            )
    days = closed_days.body_closures(ws, org)
    if args.json:
        print_json([c.as_dict() for c in days])
    elif not days:
        out("団体の休日は登録されていません（土日・祝日・年末年始は自動） / no closure days of the body")
    else:
        for c in days:
            out(f"{c.day:<10}  {c.note}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from selfcheck.incident.playbook import validate_path

    good, problems = validate_path(args.path)
    for p in problems:
        sys.stderr.write(p + "\n")
    if problems:
        return 2
    out(f"OK: {len(good)} 件 / playbook(s)")
    return 0
