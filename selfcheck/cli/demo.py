"""`selfcheck demo [--org ORG]`: create realistic demo data once, and say what was made and what to do
next. Running it again changes nothing and says where the demo is."""

from __future__ import annotations

import argparse
from typing import Any

from selfcheck import scale
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.demo import DEMO_YEARS, ensure_demo


def register(sub: Any) -> None:
    p = subcommand(sub, "demo", _demo, "デモデータを作成 / create a realistic demo inspection (and incident)")
    p.add_argument("--org", default="shunan-eisei", help="団体ID / body id (default: shunan-eisei)")
    p.add_argument(
        "--no-incident", action="store_true", help="インシデントを作らない / skip the demo incident"
    )
    p.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")


def _demo(args: argparse.Namespace) -> int:
    r = ensure_demo(workspace(args), args.org, with_incident=not args.no_incident)
    if args.json:
        print_json(r.__dict__)
        return 0
    this_year, last_year = (scale.fiscal_year_label(y) for y in reversed(DEMO_YEARS))
    made = (
        f"{r.org_name}の{this_year}の自己点検（点検 {r.inspection_id}。{last_year}の点検 {r.previous_id}"
        "（署名済み）から引き継ぎ）"
        + (f"と、対応中のインシデント（番号 {r.incident_id}）" if r.incident_id else "")
    )
    if r.created:
        out(f"デモデータを作成しました: {made}。")
    else:
        out(f"デモデータはすでにあります（何も変更していません）: {made}。")
    out(
        f"selfcheck と入力すると画面が開きます。コマンドでは selfcheck inspection summary {r.inspection_id}"
        f" で進み具合を、selfcheck report make {r.inspection_id} -o 報告書.pdf で報告書を確認できます。"
    )
    out(
        f"demo data {'created' if r.created else 'already present (nothing changed)'}: inspection "
        f"{r.inspection_id} ({DEMO_YEARS[1]}, carried over from {r.previous_id})"
        + (f", incident {r.incident_id}" if r.incident_id else "")
        + "; run `selfcheck` to open the screen"
    )
    return 0
