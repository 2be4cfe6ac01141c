"""Shared CLI plumbing: the error funnel, workspace opening, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

from selfcheck import dbconfig, paths
from selfcheck.console import LOCALE_MESSAGE, ascii_only_file_names
from selfcheck.crashlog import write_crash_log
from selfcheck.errors import SelfcheckError
from selfcheck.portable import check_output_file
from selfcheck.trust.backup import auto_backup
from selfcheck.trust_location import location_warning
from selfcheck.workspace import Workspace, open_workspace

Handler = Callable[[argparse.Namespace], int | None]


class JapaneseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help that starts in Japanese: 「使い方:」 instead of argparse's English "usage:"."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix="使い方 / usage: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """Every selfcheck parser (subcommand parsers inherit the class): Japanese headings, and a usage error
    as one line in Japanese and English with exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", JapaneseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # ours below, with a Japanese description
        super().__init__(*args, **kwargs)
        self._positionals.title = "引数 / arguments"
        self._optionals.title = "オプション / options"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="この説明を表示 / show this help")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(
            f"{self.prog}: 指定の誤りです（{self.prog} --help で使い方を表示） / usage error: {message}\n"
        )
        sys.exit(2)


def subcommand(sub: Any, name: str, func: Handler, help_: str) -> argparse.ArgumentParser:
    """Add a subcommand that also accepts --data-dir/--user after the command name."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_, description=help_)
    add_common(p)
    p.set_defaults(func=func)
    return p


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="データフォルダ / data directory (default: $SELFCHECK_HOME or the user data dir)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="記録する実施者名 / name recorded as the actor (default: the OS user)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="データベース（postgresql+psycopg://利用者@サーバー/DB名、または sqlite） / database URL "
        "(default: $SELFCHECK_DB_URL, the `db use` setting, else the embedded SQLite file)",
    )


def home_of(args: argparse.Namespace) -> Path:
    return paths.resolve_home(getattr(args, "data_dir", None))


def db_of(args: argparse.Namespace) -> str | None:
    """The `--db URL` given on the command line, if any."""
    return getattr(args, "db", None) or None


def place_of(args: argparse.Namespace) -> dbconfig.Place:
    """Where this command's data lives (data directory, database, evidence store)."""
    return dbconfig.resolve(home_of(args), db_of(args))


def workspace(args: argparse.Namespace) -> Workspace:

    place = place_of(args)
    if not place.db.is_postgres:  # the network-drive warning is about the embedded file
        warning = location_warning(place.home)
        if warning:
            sys.stderr.write(warning + "\n")
    return open_workspace(place.home, actor=getattr(args, "user", "") or "", place=place)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def out(text: str) -> None:
    sys.stdout.write(text + "\n")


def run(func: Handler, args: argparse.Namespace) -> int:
    try:
        if getattr(args, "output", None):  # -o FILE of any command: a name Windows can create
            check_output_file(args.output)
        code = func(args)
        return 0 if code is None else code
    except SelfcheckError as exc:
        sys.stderr.write(exc.one_line() + "\n")
        return exc.exit_code
    except BrokenPipeError:
        # `selfcheck ... | head`: the reader went away; not an error worth a log
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("中断しました / interrupted\n")
        return 130
    except Exception as exc:  # a bug: keep the traceback in a log, never on the user's screen
        if isinstance(exc, UnicodeError) and ascii_only_file_names():  # the environment, not a bug
            sys.stderr.write(LOCALE_MESSAGE + "\n")
            return 2
        log = write_crash_log(home_of(args), exc)
        sys.stderr.write(
            f"予期しないエラーが発生しました。詳細は {log} にあります / unexpected error; details in {log}\n"
        )
        return 70


def _silence_stdout() -> None:

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def run_tui(args: argparse.Namespace) -> int:
    from selfcheck.tui.app import make_app

    app = make_app(home=home_of(args), actor=getattr(args, "user", "") or "", db=db_of(args))
    app.run()
    if app.ws is not None:  # the data opened: take the daily automatic backup after the screen is gone
        _auto_backup(home_of(args), db_of(args))
    return int(app.return_code or 0)


def _auto_backup(home: Path, db: str | None = None) -> None:
    """Once a day, keep the last N (settings backup.auto / backup.keep). A failure is reported in one
    line and never turns a normal exit into an error: the data itself is safe in the database."""

    try:
        made = auto_backup(open_workspace(home, db=db))
    except (SelfcheckError, OSError) as exc:
        text = exc.one_line() if isinstance(exc, SelfcheckError) else str(exc)
        sys.stderr.write(f"自動バックアップを作成できませんでした / automatic backup failed: {text}\n")
        return
    if made is not None:
        sys.stderr.write(f"自動バックアップ / automatic backup: {made}\n")
