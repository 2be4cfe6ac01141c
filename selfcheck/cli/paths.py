"""`selfcheck paths`: where the data lives (the database as a file, or a server URL with the password
masked)."""

from __future__ import annotations

import argparse

from selfcheck import dbconfig, paths
from selfcheck.cli.common import out, place_of, print_json, subcommand


def register(sub: object) -> None:
    p = subcommand(sub, "paths", _paths, "データの保存場所を表示 / show where data is stored")
    p.add_argument("--json", action="store_true")


def _paths(args: argparse.Namespace) -> int:
    place = place_of(args)
    home = place.home
    data = {
        "home": str(home),
        "database": place.db.display,
        "database_from": place.source,
        "config": str(dbconfig.config_path(home)),
        "evidence": str(place.evidence),
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
