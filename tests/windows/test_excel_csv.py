"""Every CSV meant for Excel (contacts, inspection results and plan, incident timeline, both exports) is
UTF-8 with a BOM and CRLF line ends: Excel on a Japanese Windows opens a BOM-less UTF-8 file as cp932
(mojibake) and expects CRLF records."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest

from selfcheck.cli import main as cli_main


def run(*argv: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = cli_main(list(argv))
    assert code == 0, err.getvalue()


def record_ends(data: bytes) -> list[bytes]:
    """The line ends that close records (outside quoted cells, where Excel allows bare newlines)."""
    ends, quoted, i = [], False, 0
    while i < len(data):
        c = data[i : i + 1]
        if c == b'"':
            quoted = not quoted
        elif not quoted and c in (b"\r", b"\n"):
            end = data[i : i + 2] if data[i : i + 2] == b"\r\n" else c
            ends.append(end)
            i += len(end)
            continue
        i += 1
    return ends


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("csv") / "home"
    run("demo", "--data-dir", str(home))
    run(
        "inspection",
        "answer",
        "2",
        "pur-01",
        "implemented",
        "--comment",
        '1行目\n2行目, "引用"',
        "--data-dir",
        str(home),
    )
    return home


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["contacts", "export"], "情報セキュリティ管理者"),
        (["export", "inspection", "2"], "目的"),
        (["export", "inspection", "2", "--plan"], "改善"),
        (["export", "incident", "1"], "紛失"),
        (["incident", "timeline", "1", "--csv"], "紛失"),
    ],
)
def test_csv_for_excel_is_utf8_bom_with_crlf(
    demo: Path, tmp_path: Path, argv: list[str], expect: str
) -> None:
    out = tmp_path / "出力 結果.csv"
    run(*argv, "-o", str(out), "--data-dir", str(demo))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    ends = record_ends(data)
    assert ends and set(ends) == {b"\r\n"}, f"record ends: {sorted(set(ends))}"
    text = data.decode("utf-8-sig")
    assert expect in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) >= 2 and len({len(r) for r in rows}) == 1  # a rectangular table
