"""Command line: `selfcheck` with no command opens the TUI; subcommands script everything the TUI does.

Each area registers its subcommands from its own module (`selfcheck/cli/<area>.py` defines
`register(subparsers)`), so areas never edit one shared file. Every command goes through `run()`, the one
error funnel: a `SelfcheckError` prints `where: 日本語 / English` on stderr and returns its exit code (2);
anything else is a bug, logged with its traceback under the data directory's logs/, and the user gets a
one-line message naming the log file. No traceback ever reaches the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from selfcheck import __version__
from selfcheck.cli.common import Parser, add_common, run, run_tui
from selfcheck.console import make_console_safe

# Order = order in `selfcheck --help`.
COMMAND_MODULES = (
    "orgs",
    "checklist",
    "inspection",
    "demo",
    "report",
    "keys",
    "verify",
    "incident",
    "contacts",
    "policy",
    "audit",
    "backup",
    "db",
    "export",
    "paths",
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="selfcheck",
        description=(
            "情報セキュリティ基本方針の自己点検とインシデント対応 / policy self-inspection and incident response\n"
            "コマンドを付けずに selfcheck と入力すると画面（TUI）が開きます。"
            " / Run selfcheck without a command to open the screen."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"selfcheck {__version__}", help="版を表示 / show the version"
    )
    add_common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"selfcheck.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"selfcheck.cli.{name}":
                continue  # area not built yet
            raise
        module.register(sub)
    return parser


def _tui_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """`selfcheck [--data-dir DIR] [--user NAME]` with no command opens the TUI: parse just those two
    options, without importing every command module (about 50 ms of start-up)."""
    # no abbreviations: `db migrate --use` must not be read as a half-typed --user (the error would leak)
    p = argparse.ArgumentParser(prog="selfcheck", add_help=False, allow_abbrev=False)
    add_common(p)
    try:
        args, rest = p.parse_known_args(argv)
    except SystemExit:
        return None
    return None if rest else args


def legacy_argv(argv: Sequence[str]) -> list[str]:
    """`selfcheck report 3 -o F.pdf` (the form before `report make` existed) -> `report make 3 -o F.pdf`,
    so scripts written for it keep working."""
    args = list(argv)
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in ("--data-dir", "--user") else 1
    if i + 1 < len(args) and args[i] == "report" and args[i + 1].isdigit():
        args.insert(i + 1, "make")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    make_console_safe()  # before anything prints, --help included (cp932 / C-locale consoles)
    argv = list(sys.argv[1:] if argv is None else argv)
    quick = _tui_only(argv)
    if quick is not None:
        return run(run_tui, quick)
    parser = build_parser()
    args = parser.parse_args(legacy_argv(argv))
    if not getattr(args, "command", None):
        return run(run_tui, args)
    return run(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
