"""`selfcheck orgs`: the bodies whose checklists the program knows (the five built-in ones, plus any
imported policy when a data directory already exists)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from selfcheck import paths
from selfcheck.cli.common import out, place_of, print_json, subcommand
from selfcheck.errors import SelfcheckError
from selfcheck.orgs import list_orgs
from selfcheck.vocabulary import SEGMENT_LABELS
from selfcheck.workspace import open_workspace

if TYPE_CHECKING:
    from selfcheck.workspace import Workspace


def register(sub: object) -> None:
    p = subcommand(
        sub, "orgs", _orgs, "団体の一覧（組込みと取込み済み） / list the bodies (built-in and imported)"
    )
    p.add_argument("--json", action="store_true", help="JSON で出力 / JSON output")


@contextmanager
def existing_workspace(args: argparse.Namespace) -> Iterator[Workspace | None]:
    """The workspace if its database already exists, else None: listing bodies or showing a built-in
    checklist must never create a data directory as a side effect. A database that cannot be opened
    (newer version, locked) is reported on stderr and the built-in data is used alone."""

    place = place_of(args)
    if not place.db.is_postgres and not paths.db_path(place.home).is_file():
        yield None
        return

    try:
        ws = open_workspace(place.home, actor=getattr(args, "user", "") or "", place=place)
    except SelfcheckError as exc:
        sys.stderr.write(f"{exc.one_line()}（組込みの団体のみ表示します / showing built-in bodies only）\n")
        yield None
        return
    try:
        yield ws
    finally:
        ws.close()


def _orgs(args: argparse.Namespace) -> int:

    with existing_workspace(args) as ws:
        orgs = list_orgs(ws)
    if args.json:
        print_json([o.as_dict() for o in orgs])
        return 0
    for o in orgs:
        segs = "・".join(_segment_label(s) for s in o.segments) or "-"
        origin = "" if o.source == "builtin" else "  [取込み / imported]"
        out(f"{o.id}  {o.name}{origin}")
        out(f"    {o.policy_title}（{o.adopted_text or o.adopted or '策定日不明'}）")
        out(f"    ネットワーク区分 / segments: {segs}")
        out(f"    点検項目 / items: {o.item_count}")
    if not orgs:
        out("団体がありません / no bodies")
    return 0


def _segment_label(seg: str) -> str:

    return SEGMENT_LABELS.get(seg, seg)
