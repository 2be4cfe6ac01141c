"""`selfcheck paths`: where the data lives."""

from __future__ import annotations

import argparse

from selfcheck import paths
from selfcheck.cli.common import home_of, out, print_json, subcommand


def register(sub: object) -> None:
    p = subcommand(sub, "paths", _paths, "データの保存場所を表示 / show where data is stored")
    p.add_argument("--json", action="store_true")


def _paths(args: argparse.Namespace) -> int:
    home = home_of(args)
    data = {
        "home": str(home),
        "database": str(paths.db_path(home)),
        "evidence": str(paths.evidence_dir(home)),
        "keys": str(paths.keys_dir(home)),
        "backups": str(paths.backups_dir(home)),
        "logs": str(paths.log_dir(home)),
    }
    if args.json:
        print_json(data)
    else:
        for k, v in data.items():
            out(f"{k}: {v}")
    return 0
