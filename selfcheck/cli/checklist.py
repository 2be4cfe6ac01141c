"""`selfcheck checklist show|validate|schema`: print a body's derived checklist, check checklist data
files (for whoever edits the bank or a profile), and write the JSON Schema of those files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from selfcheck import orgs
from selfcheck.cli.common import out, print_json, subcommand
from selfcheck.cli.orgs import existing_workspace
from selfcheck.errors import SelfcheckError
from selfcheck.vocabulary import CORE


def register(sub: object) -> None:
    p = subcommand(sub, "checklist", _help, "点検項目の表示と検証 / show and validate checklists")
    inner = p.add_subparsers(dest="checklist_command", metavar="ACTION")

    s = subcommand(inner, "show", _show, "団体の点検項目を表示 / show a body's checklist")
    s.add_argument(
        "org", metavar="ORG", help="団体ID（selfcheck orgs で確認） / body id (see `selfcheck orgs`)"
    )
    s.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")
    s.add_argument(
        "--level",
        choices=["基本", "全項目"],
        default="全項目",
        help="基本: 毎年点検する基本の項目だけ、全項目: 基本＋詳細（既定） / 基本: core items only; 全項目: all",
    )

    v = subcommand(
        inner,
        "validate",
        _validate,
        "点検データ（YAML）を検証（誤りがあれば終了コード2） / validate checklist YAML (exit 2 on errors)",
    )
    v.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        type=Path,
        help="bank/ または bodies/ の YAML、または両方を含むフォルダ / a bank or profile YAML file, "
        "or a folder holding bank/ and bodies/",
    )

    sc = subcommand(
        inner, "schema", _schema, "点検データの JSON Schema を出力 / write the JSON Schema of the data files"
    )
    sc.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="出力先（省略時は標準出力） / output file"
    )


def _help(args: argparse.Namespace) -> int:
    out("使い方 / usage: selfcheck checklist show ORG [--json] | validate PATH... | schema [-o FILE]")
    return 2


def _show(args: argparse.Namespace) -> int:
    from selfcheck.catalog import builtin_catalog
    from selfcheck.checklist_format import derive

    cat = builtin_catalog()
    if args.org in cat.profiles:  # built-in: no data directory needed
        prof = cat.profiles[args.org]
    else:
        with existing_workspace(args) as ws:
            prof = orgs.profile(ws, args.org)
    items = derive(cat.bank, prof, level=CORE if args.level == CORE else None)
    core = sum(1 for it in items if it.level == CORE)
    if args.json:
        print_json(
            {
                "org": prof.id,
                "name": prof.name,
                "policy_title": prof.policy_title,
                "level": args.level,
                "item_count": len(items),
                "core_count": core,
                "items": [it.as_dict() for it in items],
            }
        )
        return 0
    out(f"{prof.name} — {prof.policy_title}（{len(items)}項目、うち{CORE} {core} / items, {core} core）")
    section = None
    for it in items:
        if it.section != section:
            section = it.section
            out("")
            out(f"■ {it.section} {it.section_title}")
        clause = f"{it.clause} " if it.clause != it.section else ""
        out(f"  [{it.id} {it.level}] {clause}{it.question}")
        out(f"      確認方法: {it.how_to_check}（{it.guideline_ref}）")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from selfcheck.checklist_validate import validate_paths

    report = validate_paths(list(args.paths))
    for problem in report.problems:
        sys.stderr.write(problem + "\n")
    if not report.ok:
        sys.stderr.write(f"{len(report.problems)}件の誤り / {len(report.problems)} error(s)\n")
        return 2
    out(f"OK: {report.summary()}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from selfcheck.checklist_validate import checklist_schema

    text = json.dumps(checklist_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0

    try:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise SelfcheckError(
            f"書き込めません: {exc.strerror}", f"cannot write: {exc.strerror}", where=str(args.output)
        ) from exc
    out(f"{args.output} に書き込みました / written")
    return 0
