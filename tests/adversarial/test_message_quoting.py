"""A message that quotes what the user gave (a URL, a path) is one bounded line with no control
characters: a terminal escape in a file name or a database URL never reaches the screen, and a 100 kB
argument gives a short line, not 100 kB of it (the start and the end stay readable)."""

from __future__ import annotations

from pathlib import Path

import pytest
from adv_helpers import cli, one_line_error

from selfcheck.errors import SelfcheckError

ESC = "\x1b[2J\x1b[31m"


@pytest.mark.parametrize(
    "args",
    [
        ("--db", f"postgresql+psycopg://u:pw@h{ESC}/db", "inspection", "list"),
        ("--db", "postgresql+psycopg://u@127.0.0.1:1/" + "x" * 100_000, "inspection", "list"),
        ("--db", f"not a url{ESC}\u202e", "inspection", "list"),
        ("policy", "import", f"missing{ESC}\u202egpj.exe.txt", "--dry-run"),
        ("inspection", "attach", "1", "item", f"/nowhere/{'y' * 50_000}{ESC}.pdf"),
    ],
    ids=["escape-in-url", "huge-url", "garbage-url", "escape-in-file-name", "huge-path"],
)
def test_quoted_input_is_clean_and_bounded(tmp_path: Path, args: tuple[str, ...]) -> None:
    line = one_line_error(cli(*args, home=tmp_path / "home"))
    assert "\x1b" not in line and "\u202e" not in line
    assert not any(ord(c) < 0x20 for c in line)
    assert len(line) < 2_000, len(line)


def test_where_is_cleaned_however_it_is_set() -> None:
    err = SelfcheckError("読めません", "cannot read", where=f"a{ESC}b")
    assert err.where == "a[2J[31mb"
    err.where = "p" * 10_000 + "end.txt"
    assert err.where is not None and len(err.where) <= 300
    assert err.where.startswith("ppp") and err.where.endswith("end.txt")  # both ends readable
    assert "\x1b" not in SelfcheckError(f"x{ESC}", f"y{ESC}").one_line()
