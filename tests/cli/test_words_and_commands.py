"""Human CLI output in words, not internal values (issue 11): `report` has real subcommands (the old
form still works), `incident set` takes options with 和暦/JST times, `paths` lists the reports folder,
`inspection list` says 実施中 / 確定, tables align full-width text. `--json` keeps machine values."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from selfcheck import inspection
from selfcheck.cli import legacy_argv, main
from selfcheck.incident import cases, queries
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    c = capsys.readouterr()
    return code, c.out, c.err


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_report_has_real_subcommands_and_the_old_form_still_works(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    h = ("--data-dir", str(ws.home))
    pdf = ws.home.parent / "報告書.pdf"
    code, out, _ = _run(capsys, "report", "make", str(iid), "-o", str(pdf), *h)
    assert code == 0 and pdf.exists() and "下書き" in out
    pdf.unlink()
    code, out, _ = _run(capsys, "report", str(iid), "-o", str(pdf), *h)  # the form before `make`
    assert code == 0 and pdf.exists()
    assert legacy_argv(["--data-dir", "D", "report", "3", "-o", "x.pdf"]) == [
        "--data-dir",
        "D",
        "report",
        "make",
        "3",
        "-o",
        "x.pdf",
    ]
    code, out, _ = _run(capsys, "report", "roles", "show", ORG, *h)
    assert code == 0 and "押印欄" in out
    code, _, err = _run(capsys, "report", *h)
    assert code == 2 and "make" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        main(["report", "make", "--help"])
    assert exc.value.code == 0
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert "report make" in usage and "INSPECTION_ID" in usage


def test_report_revise_says_which_inspection_to_use(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    inspection.finalize(ws, iid)
    code, out, _ = _run(capsys, "report", "revise", str(iid), "--data-dir", str(ws.home))
    assert code == 0 and "第2版" in out and f"点検 {iid + 1}" in out
    code, _, err = _run(capsys, "report", "revise", str(iid), "--data-dir", str(ws.home))
    assert code == 2 and f"点検 {iid + 1}" in err


def test_incident_set_takes_options_with_wareki_and_jst(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    iid = cases.open_incident(ws, org_id=ORG, playbook_id="lost-stolen", detected_at="2026-11-21T09:30")
    h = ("--data-dir", str(ws.home))
    code, out, _ = _run(
        capsys,
        "incident",
        "set",
        str(iid),
        "--title",
        "USBメモリの紛失",
        "--summary",
        "会場で紛失",
        "--occurred-at",
        "令和8年11月21日 7時40分",
        *h,
    )
    assert code == 0 and "3 項目を変更" in out
    d = queries.detail(ws, iid)
    assert (d.incident.title, d.summary, d.occurred_at) == (
        "USBメモリの紛失",
        "会場で紛失",
        "2026-11-21T07:40:00+09:00",
    )
    # the older positional form still works
    assert _run(capsys, "incident", "set", str(iid), "title", "紛失", *h)[0] == 0
    assert queries.detail(ws, iid).incident.title == "紛失"
    code, _, err = _run(capsys, "incident", "set", str(iid), "--occurred-at", "あした", *h)
    assert code == 2 and "発生日時" in err and "例:" in err
    code, _, err = _run(capsys, "incident", "set", str(iid), *h)
    assert code == 2 and "--title" in err


def test_paths_lists_the_reports_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "paths", "--data-dir", str(tmp_path))
    assert code == 0 and "報告書" in out and str(tmp_path / "reports") in out
    code, out, _ = _run(capsys, "paths", "--json", "--data-dir", str(tmp_path))
    assert json.loads(out)["reports"] == str(tmp_path / "reports")


def test_inspection_list_in_words_and_aligned(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    first = inspection.start(ws, org_id=ORG, fiscal_year=2025)
    inspection.finalize(ws, first)
    inspection.start(ws, org_id="gunma-sogo-jimu", fiscal_year=2026)
    code, out, _ = _run(capsys, "inspection", "list", "--data-dir", str(ws.home))
    lines = out.splitlines()
    assert code == 0 and "確定（署名済み）" in out and "実施中" in out
    assert " open" not in out and " final" not in out
    # the 版 column starts at the same screen cell on every line (full-width text counted as 2)
    starts = {_cells(line[: line.index("版")]) for line in lines[:1]}
    starts |= {_cells(line[: line.index("第")]) for line in lines[1:]}
    assert len(starts) == 1, lines
    code, out, _ = _run(capsys, "inspection", "list", "--json", "--data-dir", str(ws.home))
    assert {r["status"] for r in json.loads(out)} == {"open", "final"}  # machine values kept
