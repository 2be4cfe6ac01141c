"""`selfcheck incident list|show|timeline|playbooks`: what an incident looks like to a person in the
terminal, in words (対応中, はい/いいえ, step titles) with times in JST and dates in 和暦. The commands are
registered in `cli/incident.py`; `--json` prints the machine values."""

from __future__ import annotations

import argparse

from selfcheck import dates
from selfcheck.cli.common import out, print_json, workspace
from selfcheck.errors import SelfcheckError
from selfcheck.incident import queries
from selfcheck.incident.views import (
    INCIDENT_STATUS_LABELS,
    TIMELINE_KIND_LABELS,
    TRIAGE_LABELS,
    countdown_text,
)


def list_cmd(args: argparse.Namespace) -> int:
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


def show_cmd(args: argparse.Namespace) -> int:
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
    questions = {q.key: q.text for q in d.triage}
    for q in d.triage:
        out(f"  {q.text}: {TRIAGE_LABELS.get(q.answer, q.answer)}")
    titles = dict(d.tracks)
    if i.status == "open":
        for track, st in d.current_steps.items():
            out(f"  今 {titles.get(track, track)}: {st.title} ({st.id})")
    if d.deadlines:
        out("外部への報告:")
    for dd in d.deadlines:
        out(f"  {dd.title}: {countdown_text(dd)}")
        if dd.legal_date:
            out(
                f"       法定期限 {dates.wareki_text(dd.legal_date)}  内部目標 {dates.wareki_text(dd.due_date)}"
            )
        if dd.pending:
            out(f"       未回答の質問: {'、'.join(questions.get(k, k) for k in dd.pending)}")
        if dd.alternative:
            out(f"       要判断: {dates.wareki_in(dd.alternative)}")
    out("手順:")
    for st in d.steps:
        mark = {"done": "[済]", "skipped": "[省]", "open": "[  ]"}[st.state]
        out(
            f"  {mark} {st.phase_title} / {st.track_title} / {st.title} ({st.id}){' *必須' if st.required else ''}"
        )
    return 0


def timeline_cmd(args: argparse.Namespace) -> int:

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


def playbooks_cmd(args: argparse.Namespace) -> int:
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
        from selfcheck.cli.table import print_table  # rich: only when a table is printed

        print_table(["対応手順ID", "事案の種類", "説明"], [[b.id, b.title, b.description] for b in books])
    return 0
