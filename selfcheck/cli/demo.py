"""`selfcheck demo [--org ORG]`: create realistic demo data and print the new inspection's id."""

from __future__ import annotations

import argparse
from typing import Any

from selfcheck.cli.common import out, subcommand, workspace
from selfcheck.demo import create_demo


def register(sub: Any) -> None:
    p = subcommand(sub, "demo", _demo, "デモデータを作成 / create a realistic demo inspection (and incident)")
    p.add_argument("--org", default="shunan-eisei", help="団体ID / body id (default: shunan-eisei)")
    p.add_argument(
        "--no-incident", action="store_true", help="インシデントを作らない / skip the demo incident"
    )


def _demo(args: argparse.Namespace) -> int:

    out(str(create_demo(workspace(args), args.org, with_incident=not args.no_incident)))
    return 0
