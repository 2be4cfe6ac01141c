"""`selfcheck inspection ...`: list, start, answer, improve, attach evidence, summarise, export."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from selfcheck import dates, evidence, inspection, scale
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.errors import EvidenceError
from selfcheck.vocabulary import ALL_ITEMS, INSPECTION_LEVELS


def register(sub: Any) -> None:
    p = subcommand(sub, "inspection", lambda a: _usage(p), "自己点検の操作 / self-inspections")
    isub = p.add_subparsers(dest="inspection_command", metavar="ACTION")

    q = subcommand(isub, "list", _list, "点検の一覧 / list inspections")
    q.add_argument("--org", help="団体ID（省略時はすべて） / body id (default: all)")
    q.add_argument("--json", action="store_true", help="JSON で出力（値は内部値） / JSON output")

    q = subcommand(isub, "start", _start, "点検を開始 / start an inspection")
    q.add_argument("org", help="団体ID / body id (see `selfcheck orgs`)")
    q.add_argument(
        "--year",
        required=True,
        help="年度（例: 2026、令和8年度、R8） / fiscal year, e.g. 2026 = 令和8年度",
    )
    q.add_argument(
        "--from", dest="from_previous", type=int, help="前回の点検ID（回答を引き継ぐ） / carry over from"
    )
    q.add_argument("--title")
    q.add_argument(
        "--level",
        choices=list(INSPECTION_LEVELS),
        default=ALL_ITEMS,
        help="点検の範囲: 基本（毎年点検する基本の項目のみ）または 全項目（基本＋詳細、既定） / "
        "基本: the core items only; 全項目: all items (default)",
    )

    q = subcommand(isub, "answer", _answer, "回答を記録 / record an answer")
    q.add_argument("id", type=int)
    q.add_argument("item")
    q.add_argument(
        "value", choices=["implemented", "partial", "not_implemented", "not_applicable", "unanswered"]
    )
    q.add_argument("--comment")
    q.add_argument("--reason", help="該当しない理由 / reason for not_applicable")

    q = subcommand(isub, "improve", _improve, "改善策を記録 / record an improvement action")
    q.add_argument("id", type=int)
    q.add_argument("item")
    q.add_argument("action")
    q.add_argument("--owner", default="")
    q.add_argument("--due", help="期限（例: 令和9年3月31日、R9.3.31、2027-03-31） / due date")
    q.add_argument("--done", action="store_true")

    q = subcommand(isub, "attach", _attach, "証拠を添付 / attach evidence (file or --paper)")
    q.add_argument("id", type=int)
    q.add_argument("item")
    q.add_argument("file", nargs="?")
    q.add_argument("--paper", help="紙の保管場所 / where the paper record is kept")

    q = subcommand(
        isub, "detach", _detach, "証拠の添付を外す（記録は残る） / detach evidence (history is kept)"
    )
    q.add_argument("evidence_id", type=int)

    q = subcommand(isub, "summary", _summary, "実施率と進捗 / progress and 実施率")
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true")

    q = subcommand(isub, "export", _export, "記録をすべて出力 / export everything recorded")
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true", required=True)


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 2


def _list(args: argparse.Namespace) -> int:
    rows = inspection.list_inspections(workspace(args), org_id=args.org)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    if not rows:
        out("点検はまだありません（selfcheck inspection start で開始） / no inspections yet")
        return 0
    from selfcheck.cli.table import print_table  # rich: only when a table is printed

    print_table(
        ["点検ID", "団体", "年度", "範囲", "版", "状態", "回答"],
        [
            [
                r.id,
                r.org_name,
                r.fiscal_year_label,
                r.level,
                f"第{r.revision}版",
                scale.INSPECTION_STATUS.get(r.status, r.status),
                f"{r.answered} / {r.item_count}",
            ]
            for r in rows
        ],
        right=(0, 6),
    )
    return 0


def _start(args: argparse.Namespace) -> int:
    ws = workspace(args)
    new_id = inspection.start(
        ws,
        org_id=args.org,
        fiscal_year=dates.parse_fiscal_year(args.year),
        title=args.title,
        from_previous=args.from_previous,
        level=args.level,
    )
    out(str(new_id))  # the id alone: scripts read it
    return 0


def _answer(args: argparse.Namespace) -> int:

    inspection.record_answer(
        workspace(args),
        inspection_id=args.id,
        item_id=args.item,
        value=args.value,
        comment=args.comment,
        na_reason=args.reason,
    )
    return 0


def _improve(args: argparse.Namespace) -> int:

    inspection.set_improvement(
        workspace(args),
        inspection_id=args.id,
        item_id=args.item,
        action=args.action,
        owner=args.owner,
        due_date=args.due,
        status="done" if args.done else "planned",
    )
    return 0


def _attach(args: argparse.Namespace) -> int:

    ws = workspace(args)
    if args.paper:
        ev = evidence.attach_paper(ws, args.paper, inspection_id=args.id, item_id=args.item)
    elif args.file:
        ev = evidence.attach_file(ws, Path(args.file), inspection_id=args.id, item_id=args.item)
    else:
        raise EvidenceError("ファイルか --paper を指定してください", "give a file or --paper")
    out(f"{ev.id} {ev.sha256 or ev.paper_location}")
    return 0


def _detach(args: argparse.Namespace) -> int:

    evidence.detach(workspace(args), args.evidence_id)
    return 0


def _summary(args: argparse.Namespace) -> int:

    s = inspection.summary(workspace(args), args.id)
    if args.json:
        print_json(summary_dict(s))
        return 0
    from selfcheck.cli.table import print_table  # rich: only when a table is printed

    out(
        f"回答 {s.answered} / {s.total}  実施率 {_rate(s.rate)}  要再確認 {s.needs_review}"
        f"  改善が必要 {len(s.gaps)}（改善策未記入 {s.gaps_without_action}）"
    )
    print_table(
        ["節", "表題", "回答", "実施率", "内訳"],
        [
            [
                sec.section,
                sec.title,
                f"{sec.answered} / {sec.total}",
                _rate(sec.rate),
                " ".join(f"{scale.SHORT[k]} {v}" for k, v in sec.counts.items() if v),
            ]
            for sec in s.sections
        ],
        right=(2, 3),
    )
    return 0


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def summary_dict(s: Any) -> dict[str, Any]:
    return {
        "inspection_id": s.inspection_id,
        "total": s.total,
        "answered": s.answered,
        "rate": s.rate,
        "needs_review": s.needs_review,
        "counts": s.counts,
        "sections": [
            {
                "section": x.section,
                "title": x.title,
                "total": x.total,
                "answered": x.answered,
                "counts": x.counts,
                "rate": x.rate,
            }
            for x in s.sections
        ],
        "gaps": [
            {
                "item_id": g.item_id,
                "clause": g.clause,
                "value": g.value,
                "improvement": g.improvement.action if g.improvement else None,
            }
            for g in s.gaps
        ],
    }


def _export(args: argparse.Namespace) -> int:

    ws = workspace(args)
    d = inspection.detail(ws, args.id)
    s = inspection.summarize(d.items, args.id)
    print_json(
        {
            "inspection": d.info.as_dict(),
            "summary": summary_dict(s),
            "items": [
                {
                    **{
                        k: v
                        for k, v in asdict(it).items()
                        if k not in ("evidence", "improvement", "previous")
                    },
                    "improvement": asdict(it.improvement) if it.improvement else None,
                    "previous": asdict(it.previous) if it.previous else None,
                    "evidence": [e.as_dict() for e in it.evidence],
                }
                for it in d.items
            ],
        }
    )
    return 0
