"""File names and paths as Windows sees them, checked here on Linux: reserved device names, forbidden
characters, trailing dots, case-blind duplicates, a PDF locked by a viewer, and a data folder whose path
has Japanese and spaces."""

from __future__ import annotations

import contextlib
import io
import json
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from selfcheck import portable
from selfcheck.cli import main as cli_main
from selfcheck.errors import SelfcheckError


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "name",
    ["CON", "con.pdf", "NUL", "nul.txt", "COM1", "com9.csv", "LPT1.zip", "AUX.", "PRN ", "COM¹"],
)
def test_reserved_device_names_are_refused(name: str) -> None:
    assert portable.windows_name_problem(name)


@pytest.mark.parametrize("name", ["a:b.pdf", 'say"hi".csv', "what?.pdf", "a*b", "a|b", "a<b>", "tab\there"])
def test_forbidden_characters_are_refused(name: str) -> None:
    assert portable.windows_name_problem(name)


@pytest.mark.parametrize("name", ["report.", "report "])
def test_trailing_dot_or_space_is_refused(name: str) -> None:
    assert portable.windows_name_problem(name)


@pytest.mark.parametrize(
    "name",
    [
        "報告書.pdf",
        "自己点検結果報告書 令和8年度.pdf",
        "CONSOLE.pdf",
        "console",
        "COM10.txt",
        "NULL.csv",
        ".hidden",
    ],
)
def test_ordinary_names_pass(name: str) -> None:
    assert portable.windows_name_problem(name) is None


def test_output_check_is_windows_only_by_default(tmp_path: Path) -> None:
    portable.check_output_file(tmp_path / "CON.pdf", windows=False)  # a legal name on Linux
    with pytest.raises(SelfcheckError) as err:
        portable.check_output_file(tmp_path / "CON.pdf", windows=True)
    assert err.value.exit_code == 2
    assert "予約名" in err.value.one_line()


def test_cli_refuses_a_reserved_output_name_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.name itself cannot be patched (pathlib would build WindowsPath): give portable a Windows view
    monkeypatch.setattr(portable, "os", SimpleNamespace(name="nt"))
    code, _out, err = run_cli(
        "contacts", "export", "-o", str(tmp_path / "CON.csv"), "--data-dir", str(tmp_path / "h")
    )
    assert code == 2
    assert "出力ファイル名を変えてください" in err and "CON.csv" in err
    assert not (tmp_path / "CON.csv").exists()
    assert not (tmp_path / "h").exists()  # refused before the data folder was even opened


def test_restore_refuses_names_windows_cannot_create(tmp_path: Path) -> None:
    from selfcheck.trust.archive import check_archive, unsafe_reason

    assert unsafe_reason("keys/CON.pem")
    assert unsafe_reason("keys/a:b.pem")
    assert unsafe_reason("keys/cert.pem") is None
    archive = tmp_path / "dup.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "x"}))
        zf.writestr("keys/signing-cert.pem", "a")
        zf.writestr("keys/Signing-Cert.pem", "b")  # the same file on a case-blind disk
    with pytest.raises(SelfcheckError) as err:
        check_archive(archive)
    assert "重複" in err.value.one_line()


def test_a_pdf_locked_by_a_viewer_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows: replacing a PDF that Acrobat has open fails with PermissionError (WinError 32)."""
    from selfcheck import inspection, issue
    from selfcheck.workspace import open_workspace

    ws = open_workspace(tmp_path / "home", actor="山田 花子")
    insp = inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)
    out = tmp_path / "報告書.pdf"
    out.write_bytes(b"%PDF- the old report, open in a viewer")
    real_replace = os.replace

    def locked(src: object, dst: object) -> None:
        if Path(str(dst)) == out.resolve():
            raise PermissionError(13, "The process cannot access the file", str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(issue.os, "replace", locked)
    with pytest.raises(SelfcheckError) as err:
        issue.issue_inspection_report(ws, insp, out, sign=False)
    assert "PDF ビューア" in err.value.message_ja
    assert out.read_bytes().startswith(b"%PDF- the old report")  # untouched
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary PDFs left
    monkeypatch.undo()
    res = issue.issue_inspection_report(ws, insp, out, sign=False)  # closed viewer: works, one report
    assert res.report_id and out.read_bytes().startswith(b"%PDF")
    ws.close()


def test_data_folder_and_files_with_japanese_and_spaces(tmp_path: Path) -> None:
    home = tmp_path / "総務課 データ" / "自己点検 2026"
    code, out, err = run_cli("demo", "--data-dir", str(home), "--json")
    assert code == 0, err
    inspection_id = str(json.loads(out)["inspection_id"])
    doc = tmp_path / "体制表 令和8年度 (写し).pdf"
    doc.write_bytes(b"%PDF-1.4 scanned\n")
    code, _out, err = run_cli(
        "inspection", "attach", inspection_id, "pur-01", str(doc), "--data-dir", str(home)
    )
    assert code == 0, err
    pdf = tmp_path / "報告 書 (案).pdf"
    code, _out, err = run_cli("report", inspection_id, "-o", str(pdf), "--data-dir", str(home))
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out, err = run_cli("verify", "--evidence", inspection_id, "--data-dir", str(home))
    assert code == 0, err + out
