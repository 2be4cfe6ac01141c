"""`selfcheck audit verify|log`: check the tamper-evident audit trail and show who changed what."""

from __future__ import annotations

import argparse
import sys

from selfcheck.audit import history
from selfcheck.cli.common import out, print_json, subcommand, workspace
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

    result = verify_chain(workspace(args))
    if args.json:
        print_json(result.as_dict())
    elif result.ok:
        out(
            f"監査記録は改ざんされていません（{result.checked}件） / audit trail intact ({result.checked} records)"
        )
        if result.last_hash:
            out(f"最終記録 / last record: {result.last_id}  hash {result.last_hash}")
    else:
        prob = result.problem
        assert prob is not None
        where = f"record {prob.record_id}: " if prob.record_id is not None else ""
        sys.stderr.write(f"{where}{prob.message_ja} / {prob.message_en}\n")
        out(
            f"改ざんを検出しました / TAMPERING DETECTED ({prob.kind}); {result.checked} records checked before it"
        )
    return 0 if result.ok else 1


def _log(args: argparse.Namespace) -> int:

    rows = history(workspace(args), list(args.id), entity=args.entity, limit=args.limit)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    if not rows:
        out("該当する記録はありません / no matching records")
    for r in rows:
        who = r.app_user or r.os_user
        change = f"{_short(r.old)} → {_short(r.new)}" if r.old is not None else _short(r.new)
        fld = f".{r.field}" if r.field else ""
        out(f"{r.id:>6}  {r.at}  {who} ({r.os_user})  {r.action} {r.entity} {r.entity_id}{fld}: {change}")
    return 0


def _short(value: str | None, limit: int = 60) -> str:
    if value is None:
        return "-"
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
