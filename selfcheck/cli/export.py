"""`selfcheck export inspection|incident`: Excel (.xlsx) and CSV (UTF-8 with BOM) for the 委員会."""

from __future__ import annotations

import argparse
from pathlib import Path

from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.trust.export import export_inspection, incident_csv


def register(sub: object) -> None:
    p = subcommand(sub, "export", _help, "点検結果などを Excel / CSV に出力 / export to Excel or CSV")
    inner = p.add_subparsers(dest="export_command", metavar="WHAT")
    i = subcommand(
        inner,
        "inspection",
        _inspection,
        "点検結果と改善計画を .xlsx か .csv に出力 / inspection results and improvement plan",
    )
    i.add_argument("inspection_id", metavar="ID", type=int)
    i.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        required=True,
        help="出力先（.xlsx または .csv） / output file (.xlsx or .csv)",
    )
    i.add_argument(
        "--plan",
        action="store_true",
        help="CSV で改善計画を出力（.xlsx には常に含まれます） / CSV of the improvement plan",
    )
    i.add_argument("--json", action="store_true", help="JSON で結果を出力 / JSON output")
    n = subcommand(inner, "incident", _incident, "インシデントの経過を CSV に出力 / incident timeline to CSV")
    n.add_argument("incident_id", metavar="ID", type=int)
    n.add_argument(
        "-o", "--output", metavar="FILE", type=Path, required=True, help="出力先 .csv / output .csv"
    )
    n.add_argument("--json", action="store_true", help="JSON で結果を出力 / JSON output")


def _help(args: argparse.Namespace) -> int:
    out(
        "使い方 / usage: selfcheck export inspection ID -o FILE.xlsx|FILE.csv [--plan] | "
        "selfcheck export incident ID -o FILE.csv"
    )
    return 2


def _inspection(args: argparse.Namespace) -> int:

    n = export_inspection(workspace(args), args.inspection_id, args.output, plan=args.plan)
    if args.json:
        print_json({"path": str(args.output), "rows": n})
    else:
        out(f"出力しました / written: {args.output}（{n} 行 / rows）")
    return 0


def _incident(args: argparse.Namespace) -> int:

    n = incident_csv(workspace(args), args.incident_id, args.output)
    if args.json:
        print_json({"path": str(args.output), "rows": n})
    else:
        out(f"出力しました / written: {args.output}（{n} 行 / rows）")
    return 0
