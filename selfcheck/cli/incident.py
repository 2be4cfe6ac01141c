"""`selfcheck incident ...`: script everything the incident screens do (open, steps, triage, notes,
evidence, reports made, PPC items, close, report PDF, timeline CSV, playbooks).

Core modules are imported inside the handlers so `import selfcheck.cli` stays light.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from selfcheck import dates, orgs
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.cli.signing import add_signing_options, passphrase_for
from selfcheck.errors import SelfcheckError
from selfcheck.incident import attachments, cases, queries
from selfcheck.incident.views import (
    EDITABLE_FIELDS,
    INCIDENT_STATUS_LABELS,
    TIMELINE_KIND_LABELS,
    TRIAGE_LABELS,
    countdown_text,
)
from selfcheck.issue import issue_incident_report


def register(sub: Any) -> None:
    top = sub.add_parser(
        "incident",
        help="インシデント対応 / incident response",
        description="インシデント対応 / incident response",
    )
    isub = top.add_subparsers(dest="incident_command", metavar="SUBCOMMAND", required=True)

    p = subcommand(isub, "list", _list, "インシデントの一覧 / list incidents")
    p.add_argument("--json", action="store_true")
    p.add_argument("--org", help="団体ID（省略時はすべて） / body id (default: all)")
    p.add_argument("--status", choices=["open", "closed"])

    p = subcommand(isub, "show", _show, "インシデントの詳細 / show one incident")
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

    p = subcommand(isub, "timeline", _timeline, "時系列を表示・CSV出力 / show or export the timeline")
    p.add_argument("id", type=int)
    p.add_argument("--csv", action="store_true")
    p.add_argument("-o", "--output", type=Path)

    p = subcommand(isub, "playbooks", _playbooks, "対応手順の一覧 / list playbooks")
    p.add_argument("--json", action="store_true")
    psub = p.add_subparsers(dest="playbooks_command", metavar="validate")
    v = subcommand(psub, "validate", _validate, "対応手順ファイルを検査 / validate playbook files")
    v.add_argument("path", type=Path)


def _org(ws: Any, args: argparse.Namespace) -> str:

    org = getattr(args, "org", None) or orgs.current_org(ws)
    if not org:
        raise SelfcheckError(
            "団体が選ばれていません。--org で団体IDを指定してください", "no body selected; give --org BODY_ID"
        )
    return org


def _list(args: argparse.Namespace) -> int:
    ws = workspace(args)
    rows = queries.list_incidents(ws, org_id=args.org, status=args.status)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    if not rows:
        out("インシデントはありません / no incidents")
        return 0
    from selfcheck.cli.table import print_table  # rich: only when a table is printed

    print_table(
        ["番号", "状態", "覚知（日本時間）", "件名", "事案の種類"],
        [
            [
                r.id,
                INCIDENT_STATUS_LABELS.get(r.status, r.status),
                dates.time_text(r.detected_at),
                r.title,
                r.playbook_title,
            ]
            for r in rows
        ],
        right=(0,),
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    d = queries.detail(workspace(args), args.id)
    if args.json:
        print_json(d.as_dict())
        return 0
    i = d.incident
    out(f"#{i.id} {i.title}（{INCIDENT_STATUS_LABELS.get(i.status, i.status)}）")
    out(f"団体: {d.org_name}  対応手順: {i.playbook_title}  脅威: {d.threat.clause} {d.threat.label}")
    out(
        f"発生: {dates.time_text(d.occurred_at, empty='不明')}  覚知: {dates.time_text(i.detected_at)}（日本時間）"
    )
    if d.summary:
        out(f"概要: {d.summary}")
    out("判定:")
    for q in d.triage:
        out(f"  {q.text}: {TRIAGE_LABELS.get(q.answer, q.answer)}")
    if d.deadlines:
        out("外部への報告:")
    for dd in d.deadlines:
        out(f"  {dd.title}: {countdown_text(dd)}")
    out("手順:")
    for st in d.steps:
        mark = {"done": "[済]", "skipped": "[省]", "open": "[  ]"}[st.state]
        out(f"  {mark} {st.phase_title} / {st.title} ({st.id}){' *必須' if st.required else ''}")
    return 0


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


def _timeline(args: argparse.Namespace) -> int:

    ws = workspace(args)
    if args.csv:
        if not args.output:
            raise SelfcheckError("-o で出力ファイルを指定してください", "give -o FILE for --csv")
        n = queries.timeline_csv(ws, args.id, args.output)
        out(f"{n} 行 / rows -> {args.output}")
        return 0
    from selfcheck.cli.table import print_table  # rich: only when a table is printed

    d = queries.detail(ws, args.id)
    titles = {st.id: st.title for st in d.steps}  # the step's title, as on the screen and in the report
    print_table(
        ["日時（日本時間）", "記録者", "種類", "手順", "内容"],
        [
            [
                dates.time_text(t.at),
                t.actor,
                TIMELINE_KIND_LABELS.get(t.kind, t.kind),
                titles.get(t.step_id, t.step_id) if t.step_id else "",
                t.text,
            ]
            for t in d.timeline
        ],
    )
    return 0


def _playbooks(args: argparse.Namespace) -> int:
    from selfcheck.incident.playbook import builtin_playbooks

    books = builtin_playbooks()
    if args.json:
        print_json(
            [
                {
                    "id": b.id,
                    "title": b.title,
                    "description": b.description,
                    "threat": b.threat,
                    "shape": b.shape,
                    "flags": list(b.flags),
                    "steps": len(b.steps()),
                }
                for b in books.values()
            ]
        )
    else:
        from selfcheck.cli.table import print_table  # rich: only when a table is printed

        print_table(
            ["対応手順ID", "事案の種類", "説明"], [[b.id, b.title, b.description] for b in books.values()]
        )
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
