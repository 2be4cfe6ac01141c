"""`selfcheck contacts ...`: the body's contact list and role titles (CSV import/export for Excel)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.cli.incident import _org
from selfcheck.errors import ContactsError
from selfcheck.incident import contacts


def register(sub: Any) -> None:
    top = sub.add_parser(
        "contacts",
        help="緊急連絡先と役割 / contacts and role titles",
        description="緊急連絡先と役割 / contacts and role titles",
    )
    csub = top.add_subparsers(dest="contacts_command", metavar="SUBCOMMAND", required=True)

    p = subcommand(csub, "list", _list, "連絡先の一覧 / list contacts")
    p.add_argument("--org")
    p.add_argument("--json", action="store_true")

    p = subcommand(
        csub,
        "import",
        _import,
        "連絡先を CSV から取り込む（一覧を置き換え） / import a CSV (replaces the list)",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--org")

    p = subcommand(
        csub, "export", _export, "連絡先を CSV に書き出す（UTF-8 BOM付き） / export as CSV (UTF-8 with BOM)"
    )
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--org")

    p = subcommand(csub, "add", _add, "連絡先を追加 / add a contact")
    p.add_argument("--org")
    p.add_argument("--role", required=True)
    p.add_argument("--name", required=True)
    for opt in ("organization", "phone", "email", "note"):
        p.add_argument(f"--{opt}", default="")

    p = subcommand(csub, "remove", _remove, "連絡先を削除 / remove a contact")
    p.add_argument("id", type=int)

    p = subcommand(csub, "roles", _roles, "役割と役職名の一覧 / list roles and titles")
    p.add_argument("--org")
    p.add_argument("--json", action="store_true")

    p = subcommand(
        csub, "set-title", _set_title, "役割の役職名を団体に合わせる / set the body's title for a role"
    )
    p.add_argument("role")
    p.add_argument("title")
    p.add_argument("--org")


def _list(args: argparse.Namespace) -> int:

    ws = workspace(args)
    rows = contacts.list_contacts(ws, _org(ws, args))
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    if not rows:
        out("連絡先はまだありません（selfcheck contacts add / import で登録） / no contacts yet")
        return 0
    from selfcheck.cli.table import print_table  # rich: only when a table is printed

    print_table(
        ["番号", "役割", "氏名", "所属", "電話", "メール", "メモ"],
        [[r.id, r.role_title, r.name, r.organization, r.phone, r.email, r.note] for r in rows],
        right=(0,),
    )
    return 0


def _import(args: argparse.Namespace) -> int:

    ws = workspace(args)
    try:
        n = contacts.import_csv(ws, _org(ws, args), args.file)
    except ContactsError as exc:
        for p in exc.problems[1:]:  # the first one is in the funnel's one-line message
            sys.stderr.write(p + "\n")
        raise
    out(f"{n} 件取り込みました / imported {n} contact(s)")
    return 0


def _export(args: argparse.Namespace) -> int:

    ws = workspace(args)
    n = contacts.export_csv(ws, _org(ws, args), args.output)
    out(f"{n} 件 -> {args.output}")
    return 0


def _add(args: argparse.Namespace) -> int:

    ws = workspace(args)
    c = contacts.add_contact(
        ws,
        _org(ws, args),
        role=args.role,
        name=args.name,
        organization=args.organization,
        phone=args.phone,
        email=args.email,
        note=args.note,
    )
    out(str(c.id))
    return 0


def _remove(args: argparse.Namespace) -> int:

    contacts.delete_contact(workspace(args), args.id)
    return 0


def _roles(args: argparse.Namespace) -> int:

    ws = workspace(args)
    titles = contacts.role_titles(ws, _org(ws, args))
    if args.json:
        print_json(titles)
    else:
        from selfcheck.cli.table import print_table  # rich: only when a table is printed

        print_table(["役割ID", "役職名"], list(titles.items()))
    return 0


def _set_title(args: argparse.Namespace) -> int:

    ws = workspace(args)
    contacts.set_role_title(ws, _org(ws, args), args.role, args.title)
    return 0
