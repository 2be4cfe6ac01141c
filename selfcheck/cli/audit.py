"""`selfcheck audit verify|log`: check the tamper-evident audit trail and show who changed what."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from selfcheck.audit import AuditView, history
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.history_text import describe
from selfcheck.text import strip_controls
from selfcheck.trust.audit_anchor import check_anchors, find_anchors
from selfcheck.trust.audit_state import check_state
from selfcheck.trust.audit_verify import verify_chain


def register(sub: object) -> None:
    p = subcommand(sub, "audit", _help, "監査記録の検証と表示 / verify and show the audit trail")
    inner = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = subcommand(
        inner,
        "verify",
        _verify,
        "監査記録の改ざんを検査（改ざんがあれば終了コード1） / verify the hash chain (exit 1 when broken)",
    )
    v.add_argument(
        "--against",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help="署名済み PDF またはバックアップ zip の記録とも照合（複数可） / also check against this signed "
        "report or backup (repeatable)",
    )
    v.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")
    lg = subcommand(inner, "log", _log, "変更履歴を表示 / show the change history")
    lg.add_argument(
        "--entity", metavar="E", help="種類で絞り込み（answer, improvement, evidence, ...） / filter by kind"
    )
    lg.add_argument(
        "--id",
        metavar="X",
        action="append",
        default=[],
        help="対象IDで絞り込み（例: 1/pur-01、複数可） / filter by entity id (repeatable)",
    )
    lg.add_argument("--limit", type=int, metavar="N", help="最新 N 件のみ / only the last N records")
    lg.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")


def _help(args: argparse.Namespace) -> int:
    out(
        "使い方 / usage: selfcheck audit verify [--json] | selfcheck audit log [--entity E] [--id X] [--json]"
    )
    return 2


def _verify(args: argparse.Namespace) -> int:
    """The chain, the current records against it, and the chain against the signed reports and backups
    that carry its head (see trust.audit_state and trust.audit_anchor). Exit 1 on any tampering."""
    ws = workspace(args)
    result = verify_chain(ws)
    state = check_state(ws) if result.ok else []
    anchors, skipped = find_anchors(ws, list(args.against))
    anchored = check_anchors(ws, anchors, skipped)
    ok = result.ok and not state and not anchored.problems
    if args.json:
        print_json(
            {
                **result.as_dict(),
                "ok": ok,
                "chain_ok": result.ok,
                "state_problems": [p.as_dict() for p in state],
                "anchors": anchored.as_dict(),
            }
        )
        return 0 if ok else 1
    if not result.ok:
        prob = result.problem
        assert prob is not None
        where = f"record {prob.record_id}: " if prob.record_id is not None else ""
        sys.stderr.write(f"{where}{prob.message_ja} / {prob.message_en}\n")
    for sp in state[:20]:
        sys.stderr.write(f"{sp.entity} {sp.entity_id}: {sp.message_ja} / {sp.message_en}\n")
    if len(state) > 20:
        sys.stderr.write(f"…ほか {len(state) - 20} 件 / … and {len(state) - 20} more\n")
    for source, ja, en in anchored.problems:
        sys.stderr.write(f"{source}: {ja} / {en}\n")
    if ok:
        out(
            f"監査記録は改ざんされていません（{result.checked}件） / audit trail intact ({result.checked} records)"
        )
        if result.last_hash:
            out(f"最終記録 / last record: {result.last_id}  hash {result.last_hash}")
    else:
        kind = result.problem.kind if result.problem else ("state" if state else "anchor")
        out(f"改ざんを検出しました / TAMPERING DETECTED ({kind}); {result.checked} records checked")
    out(
        f"外部の記録との照合 / anchors: {anchored.confirmed}/{anchored.checked} 一致 / match"
        + (
            f"、復元前のもの {len(anchored.superseded)} 件 / superseded by a restore"
            if anchored.superseded
            else ""
        )
    )
    return 0 if ok else 1


def _log(args: argparse.Namespace) -> int:

    # rows written before text cleaning existed (or by hand with sqlite3) may hold escapes or bidi
    # overrides: they are cleaned for every output too, never printed raw
    rows = [
        _printable(r) for r in history(workspace(args), list(args.id), entity=args.entity, limit=args.limit)
    ]
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    if not rows:
        out("該当する記録はありません / no matching records")
        return 0
    from selfcheck.cli.table import print_table  # rich: only when a table is printed

    lines = [describe(r) for r in rows]
    print_table(
        ["番号", "日時（日本時間）", "記録者", "対象", "変更内容"],
        [[h.id, h.at, h.who, f"{h.target} {r.entity_id}", h.text] for h, r in zip(lines, rows, strict=True)],
        right=(0,),
    )
    return 0


def _printable(raw: AuditView) -> AuditView:
    def one(v: str) -> str:
        return strip_controls(v, multiline=False)

    return replace(
        raw,
        at=one(raw.at),
        os_user=one(raw.os_user),
        app_user=one(raw.app_user),
        action=one(raw.action),
        entity=one(raw.entity),
        entity_id=one(raw.entity_id),
        field=one(raw.field),
        old=None if raw.old is None else strip_controls(raw.old),
        new=None if raw.new is None else strip_controls(raw.new),
    )
