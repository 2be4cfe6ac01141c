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
from selfcheck.errors import SelfcheckError
from selfcheck.incident import attachments, cases, closed_days, queries
from selfcheck.incident.views import countdown_text
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
        "--detected-at", default=None, help="覚知日時 ISO 8601（省略時は現在） / when it became known"
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
    p.add_argument("field", choices=["title", "summary", "occurred_at", "detected_at"])
    p.add_argument("value")

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
    p.add_argument("--sign", action="store_true", help="団体の鍵で署名する / sign with the body's key")

    p = subcommand(isub, "timeline", _timeline, "時系列を表示・CSV出力 / show or export the timeline")
    p.add_argument("id", type=int)
    p.add_argument("--csv", action="store_true")
    p.add_argument("-o", "--output", type=Path)

    p = subcommand(isub, "playbooks", _playbooks, "対応手順の一覧 / list playbooks")
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


def _list(args: argparse.Namespace) -> int:

    ws = workspace(args)
    rows = queries.list_incidents(ws, org_id=args.org, status=args.status)
    if args.json:
        print_json([r.as_dict() for r in rows])
    elif not rows:
        out("インシデントはありません / no incidents")
    else:
        for r in rows:
            state = "対応中" if r.status == "open" else "終結"
            out(
                f"{r.id:>4}  {state}  覚知 {r.detected_at[:16].replace('T', ' ')}  {r.title}  [{r.playbook_id}]"
            )
    return 0


def _show(args: argparse.Namespace) -> int:

    d = queries.detail(workspace(args), args.id)
    if args.json:
        print_json(d.as_dict())
        return 0
    i = d.incident
    out(f"#{i.id} {i.title}（{'対応中' if i.status == 'open' else '終結'}）")
    out(f"団体: {d.org_name}  対応手順: {i.playbook_title}  脅威: {d.threat.clause} {d.threat.label}")
    out(f"覚知: {i.detected_at}")
    out("判定: " + "、".join(f"{q.key}={q.answer}" for q in d.triage))
    titles = dict(d.tracks)
    if i.status == "open":
        for track, s in d.current_steps.items():
            out(f"  今 {titles.get(track, track)}: {s.title} ({s.id})")
    for dd in d.deadlines:
        out(f"  期限 {dd.title}: {countdown_text(dd)}")
        if dd.legal_date:
            out(f"       法定期限 {dd.legal_date}  内部目標 {dd.due_date}")
        if dd.pending:
            out(f"       未回答: {', '.join(dd.pending)}")
        if dd.alternative:
            out(f"       要判断: {dd.alternative}")
    for s in d.steps:
        mark = {"done": "[済]", "skipped": "[省]", "open": "[  ]"}[s.state]
        out(
            f"  {mark} {s.phase_title} / {s.track_title} / {s.title} ({s.id}){' *必須' if s.required else ''}"
        )
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

    cases.set_field(workspace(args), args.id, args.field, args.value)
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
    path = issue_incident_report(ws, args.id, args.output, sign=args.sign).path
    out(str(path))
    return 0


def _timeline(args: argparse.Namespace) -> int:

    ws = workspace(args)
    if args.csv:
        if not args.output:
            raise SelfcheckError("-o で出力ファイルを指定してください", "give -o FILE for --csv")
        n = queries.timeline_csv(ws, args.id, args.output)
        out(f"{n} 行 / rows -> {args.output}")
        return 0
    for t in queries.timeline(ws, args.id):
        out(f"{t.at}  {t.actor}  {t.kind}  {t.step_id or ''}  {t.text}")
    return 0


def _playbooks(args: argparse.Namespace) -> int:
    from selfcheck.incident.playbook import builtin_playbooks, playbooks_for

    books = playbooks_for(workspace(args), args.org) if args.org else list(builtin_playbooks().values())
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
                    "only_for": b.only_for.model_dump() if b.only_for else None,
                }
                for b in books
            ]
        )
    else:
        for b in books:
            out(f"{b.id:<22} {b.title}  — {b.description}")
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
