"""`selfcheck paths`: where the data lives (the folders a clerk may need to open or back up; the database
as a file, or a server URL with the password masked)."""

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
        "reports": str(paths.reports_dir(home)),
        "logs": str(paths.log_dir(home)),
    }
    if args.json:
        print_json(data)
        return 0
    for key, value in data.items():
        out(f"{LABELS[key]}: {value}")
    return 0


LABELS = {
    "home": "データフォルダ / data folder",
    "database": "データベース / database",
    "database_from": "指定元 / chosen by",
    "config": "データベースの設定 / database setting",
    "evidence": "証跡ファイル / evidence files",
    "keys": "署名用の鍵 / signing key",
    "backups": "バックアップ / backups",
    "reports": "報告書（画面から作成した PDF） / reports made from the screen",
    "logs": "ログ / logs",
}
