"""Every command and subcommand answers --help, and the help starts in Japanese (the usage line and the
description), so a clerk can find their way from `selfcheck --help` alone."""

from __future__ import annotations

import argparse
import unicodedata

import pytest

from selfcheck.cli import build_parser, main


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += _commands(sub, (*path, name))
    return out


COMMANDS = _commands(build_parser())


def _is_japanese(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and not ch.isascii()


def test_the_walk_finds_every_area() -> None:
    top = {c[0] for c in COMMANDS if c}
    assert {"inspection", "incident", "report", "keys", "verify", "backup", "restore", "policy"} <= top
    assert len(COMMANDS) > 40


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "selfcheck")
def test_help_works_and_starts_in_japanese(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*path, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("使い方"), text[:80]
    # the first line after the usage block is the description, and it is Japanese first
    description = text.split("\n\n", 2)[1].strip()
    assert description and _is_japanese(description[0]), description[:80]
