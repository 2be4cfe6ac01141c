"""`selfcheck policy import FILE [--dry-run] [--json] [--id ID]` and `selfcheck policy clause ORG CLAUSE`.

Import reads a body's own 基本方針 (text, PDF, Word .docx or a saved HTML page), builds its profile and
checklist, and stores both the profile and the text read. The file is read and checked completely before
the data directory is opened, so a refused file (or a dry run) never creates or changes anything. With
--json a refusal is also a JSON document on stdout ({"ok": false, "reason", "message_ja", "message_en",
"found"}), exit code 2; the one-line message still goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfcheck import orgs
from selfcheck.cli.common import out, print_json, subcommand, workspace
from selfcheck.cli.orgs import existing_workspace
from selfcheck.errors import ImportRejected, NotFoundError
from selfcheck.vocabulary import SEGMENT_LABELS, TOPICS


def register(sub: object) -> None:
    p = subcommand(sub, "policy", _help, "基本方針の取り込み / import a body's policy text")
    inner = p.add_subparsers(dest="policy_command", metavar="ACTION")

    i = subcommand(
        inner,
        "import",
        _import,
        "基本方針のテキストを読み取り、団体と点検項目を登録 / read a policy text and register the body",
    )
    i.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help="基本方針のファイル（.txt .pdf .docx .html） / the policy file (text, PDF, Word, HTML)",
    )
    i.add_argument(
        "--dry-run",
        action="store_true",
        help="読み取り結果を表示するだけで保存しない / show what was read, save nothing",
    )
    i.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")
    i.add_argument(
        "--id",
        metavar="ID",
        default=None,
        help="団体ID（半角英小文字・数字・-） / body id (default: the built-in id for the same name, "
        "else derived from the name)",
    )

    c = subcommand(inner, "clause", _clause, "取り込んだ方針の条文を表示 / print the wording of one clause")
    c.add_argument("org", metavar="ORG", help="団体ID / body id")
    c.add_argument("clause", metavar="CLAUSE", help="条番号（例: 6(4)、7(8)③） / clause number, e.g. 6(4)")


def _help(args: argparse.Namespace) -> int:
    out("使い方 / usage: selfcheck policy import FILE [--dry-run] [--json] [--id ID] | clause ORG CLAUSE")
    return 2


def _import(args: argparse.Namespace) -> int:
    from selfcheck.policy_import.build import draft_from_file

    try:
        draft = draft_from_file(args.file, org_id=args.id)  # refused before anything is opened
    except ImportRejected as exc:
        if not args.json:
            raise
        print_json(exc.as_json())
        sys.stderr.write(exc.one_line() + "\n")
        return exc.exit_code
    if args.dry_run:
        if args.json:
            print_json({"ok": True, **draft.as_json()})
        else:
            _print_summary(draft)
        return 0
    ws = workspace(args)
    try:
        prof = orgs.save_draft(ws, draft)
    finally:
        ws.close()
    count = len(draft.items())
    if args.json:
        print_json(
            {
                "ok": True,
                "id": prof.id,
                "organization": prof.name,
                "item_count": count,
                "warnings": draft.warnings,
            }
        )
    else:
        for w in draft.warnings:
            out(f"注意 / warning: {w}")
        out(f"取り込みました / imported: {prof.id} {prof.name}（点検項目 {count} 件 / {count} items）")
    return 0


def _print_summary(draft: object) -> None:
    from selfcheck.policy_import.draft import Draft

    assert isinstance(draft, Draft)
    prof = draft.profile()
    out(f"{prof.name} — {prof.policy_title}（{prof.adopted or '策定日不明'}）  ID: {prof.id}")
    out(f"  読み取り元 / source: {draft.source_detail or draft.source_kind}")
    for s in prof.sections:
        out(f"  {s.number} {s.title}  [{TOPICS.get(s.topic or '', '分野不明')}]")
        if s.number == prof.measures_section:
            for m in prof.measures:
                out(f"      {m.number} {m.title}  [{TOPICS.get(m.topic or '', '分野不明')}]")
                for c in m.children:
                    out(f"          {c.number} {c.title}  [{TOPICS.get(c.topic or '', '分野不明')}]")
    out("  区分 / segments: " + ("、".join(SEGMENT_LABELS[s] for s in prof.segments) or "なし / none"))
    out(
        f"  脅威 / threats: {prof.threat_count}  自己点検 / self-inspection: "
        f"{'あり / yes' if prof.has_self_inspection else 'なし / no'}  点検項目 / items: {len(draft.items())}"
    )
    for w in draft.warnings:
        out(f"  注意 / warning: {w}")


def _clause(args: argparse.Namespace) -> int:
    from selfcheck.policy_import.wording import clause_text

    with existing_workspace(args) as ws:
        text = orgs.policy_text(ws, args.org) if ws is not None else None
        if not text:
            raise NotFoundError(
                f"団体 {args.org!r} の方針の本文は取り込まれていません",
                f"no imported policy text for {args.org!r}",
            )
        wording = clause_text(text, orgs.profile(ws, args.org), args.clause)
    if not wording:
        raise NotFoundError(
            f"{args.clause} は方針の本文に見つかりません", f"clause {args.clause} not found in the text"
        )
    out(wording)
    return 0
