"""`selfcheck db use|status|migrate`: which database this PC uses (the embedded file or a PostgreSQL
server shared by several staff), what it is, and moving an embedded data set onto a server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfcheck import dbadmin
from selfcheck.cli.common import home_of, out, place_of, print_json, subcommand

EXAMPLE = (
    "postgresql+psycopg://利用者@サーバー:5432/selfcheck?sslmode=verify-full&sslrootcert=ルート証明書.crt"
)


def register(sub: object) -> None:
    p = subcommand(
        sub, "db", _help, "データベースの選択・状態・移行 / choose, inspect and migrate the database"
    )
    inner = p.add_subparsers(dest="db_command", metavar="ACTION")
    u = subcommand(
        inner,
        "use",
        _use,
        "使うデータベースを設定（接続と中身を確かめてから保存） / set the database to use (checked first)",
    )
    u.add_argument("url", metavar="URL", help=f"例 / e.g. {EXAMPLE}、または sqlite（内蔵のファイルに戻す）")
    u.add_argument(
        "--evidence-dir",
        metavar="DIR",
        type=Path,
        help="証拠ファイルの保存先（全員が使える共有フォルダ） / evidence store (a folder every PC reaches)",
    )
    u.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")
    s = subcommand(inner, "status", _status, "データベースの状態を表示 / show the database in use")
    s.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")
    m = subcommand(
        inner,
        "migrate",
        _migrate,
        "内蔵のデータを空の PostgreSQL に移して検査 / copy the embedded data into an empty PostgreSQL "
        "database and check it",
    )
    m.add_argument("--to", metavar="URL", required=True, help="移行先 / target database URL")
    m.add_argument(
        "--evidence-dir",
        metavar="DIR",
        type=Path,
        help="証拠ファイルのコピー先（共有フォルダ） / copy the evidence files into this (shared) folder",
    )
    m.add_argument(
        "--use",
        action="store_true",
        help="移行後、このPCで移行先を使う（db use と同じ） / use the target afterwards (like db use)",
    )
    m.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")


def _help(args: argparse.Namespace) -> int:
    out("使い方 / usage: selfcheck db use URL [--evidence-dir DIR] | db status | db migrate --to URL [--use]")
    return 2


def _use(args: argparse.Namespace) -> int:
    res = dbadmin.use(home_of(args), args.url, evidence_dir=args.evidence_dir)
    if args.json:
        print_json(res.as_dict())
        return 0
    out(f"データベースを設定しました / database set: {res.database}")
    out(f"  証拠ファイル / evidence: {res.evidence}")
    if res.password == "keyring":
        out("  パスワードは OS の資格情報ストアに保存しました / the password is in the OS credential store")
    out(f"  設定ファイル / setting: {res.config}")
    if res.password and not res.shared_evidence:
        sys.stderr.write(
            "注意: 証拠ファイルはこの PC の中に保存されます。複数の PC で使うときは --evidence-dir で共有フォルダを指定してください"
            " / note: evidence files stay on this PC; give a shared folder with --evidence-dir for several PCs\n"
        )
    return 0


def _status(args: argparse.Namespace) -> int:
    info = dbadmin.status(place_of(args))
    if args.json:
        print_json(info)
        return 0
    labels = {
        "engine": "種類 / engine",
        "database": "データベース / database",
        "from": "指定元 / chosen by",
        "kind": "判定 / identified as",
        "revision": "スキーマ / schema",
        "server_version": "サーバー / server",
        "user": "ログイン / login",
        "tls": "TLS",
        "data_checksums": "ページチェックサム / data checksums",
        "evidence": "証拠ファイル / evidence",
    }
    for key, label in labels.items():
        if key in info:
            out(f"{label}: {info[key]}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    res = dbadmin.migrate_to_server(home_of(args), args.to, evidence_dir=args.evidence_dir, use_it=args.use)
    if args.json:
        print_json(res.as_dict())
        return 0
    out(f"移行しました / migrated to: {res.target}")
    for table, n in res.rows.items():
        out(f"  {table}: {n}")
    out(f"  監査記録を検証 / audit records verified: {res.audit_records}")
    out(f"  証拠ファイル / evidence files: {res.evidence_files}（{res.evidence}）")
    if res.now_used:
        out("  このPCは移行先を使います / this PC now uses the target")
    else:
        out(f"  使うには / to use it: selfcheck db use {res.target}")
    return 0
