"""インシデント報告書: real PDFs read back with poppler; the signed one verifies with `selfcheck verify`
(pyHanko) and pdfsig, through the same issue/sign pipeline as the inspection report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from selfcheck.cli import main
from selfcheck.incident import cases, queries
from selfcheck.incident.demo import create_demo_incident
from selfcheck.workspace import Workspace
from tests.incident.conftest import ORG


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def test_unsigned_report_contents(ws: Workspace, tmp_path: Path) -> None:
    iid = create_demo_incident(ws, ORG)
    cases.mark_report(ws, iid, "ppc_prelim", made_at="2026-11-23T09:30")
    pdf = tmp_path / "incident.pdf"
    assert main(["incident", "report", str(iid), "-o", str(pdf), "--data-dir", str(ws.home)]) == 0
    text = _text(pdf)
    flat = "".join(text.split())
    for expected in (
        "インシデント報告書",
        "周南地区衛生施設組合",
        "3(2)",
        "非意図的な要因",
        "本人の数が100人を超えますか",
        "個人情報保護委員会への報告（確報）",
        # 覚知 11/21: day 30 is Sun 12/20 (internal target), the legal deadline is Mon 12/21
        "法定期限令和8年12月21日",
        "内部目標令和8年12月20日",
        "休日のため法定期限を繰下げ（令和8年12月20日（日）日曜日）",
        "要判断:不正の目的によるおそれがある場合→60日・法定期限令和9年1月19日（火）",
        # both tracks' "now" steps while the incident is open
        "今やること（作成時点。封じ込めと報告は同時に進める）",
        "封じ込め・対処入っていた情報を調べる",
        "報告・連絡個人情報の該当性を判断する",
        "令和8年11月23日09:30",  # dates in 和暦, times in JST (issue 11)
        "漏えい等が発生し又は発生したおそれがある保有個人情報の項目",
        "二次被害又はそのおそれの有無及びその内容",
        "その他参考となる事項",
        "150人",
        "紛失時の状況メモ.txt",
        "SHA-256",
        "遠隔でロック・消去する",
        "USBメモリのため遠隔ロック・消去の手段がない",
        "最高情報セキュリティ責任者",
        "令和",
    ):
        assert expected in flat, expected
    sha = queries.detail(ws, iid).evidence[0].sha256
    assert sha and sha in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "IPAexGothic" in fonts and "Helvetica" not in fonts


def test_undecided_and_mynumber_rows_in_the_report(ws: Workspace, tmp_path: Path) -> None:
    """While the answers cannot decide, the report says 要判断 and names the questions, never a date."""
    iid = cases.open_incident(ws, org_id=ORG, playbook_id="ransomware", detected_at="2026-11-22T08:00")
    cases.set_triage(ws, iid, {"personal_info": "yes", "mynumber": "yes", "over_100": "yes"})
    pdf = tmp_path / "undecided.pdf"
    assert main(["incident", "report", str(iid), "-o", str(pdf), "--data-dir", str(ws.home)]) == 0
    flat = "".join(_text(pdf).split())
    assert "個人情報保護委員会への報告（特定個人情報・確報）" in flat
    assert "要判断（判定の質問に未回答）" in flat
    assert (
        "次の判定の質問に答えると決まります" in flat and "特定個人情報の本人の数が100人を超えますか" in flat
    )
    assert "番号法第29条の4第2項" in flat
    assert "系統:対処=封じ込め・対処、報告=報告・連絡" in flat


def test_gunma_cites_its_shared_clause_for_outages(ws: Workspace, tmp_path: Path) -> None:
    iid = cases.open_incident(
        ws, org_id="gunma-sogo-jimu", playbook_id="outage", detected_at="2026-11-22T08:00"
    )
    pdf = tmp_path / "gunma.pdf"
    assert main(["incident", "report", str(iid), "-o", str(pdf), "--data-dir", str(ws.home)]) == 0
    flat = "".join(_text(pdf).split())
    assert "群馬県市町村総合事務組合" in flat and "3(4)" in flat and "3(5)" not in flat


def test_signed_report_verifies(
    ws: Workspace, tmp_path: Path, mem_keyring: object, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(ws.home)
    iid = create_demo_incident(ws, ORG)
    assert (
        main(
            [
                "keys",
                "init",
                "--org",
                ORG,
                "--name",
                "山田 花子",
                "--role",
                "情報セキュリティ管理者",
                "--data-dir",
                home,
            ]
        )
        == 0
    )
    pdf = tmp_path / "signed.pdf"
    assert main(["incident", "report", str(iid), "-o", str(pdf), "--sign", "--data-dir", home]) == 0
    assert main(["verify", str(pdf), "--data-dir", home]) == 0
    sig = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    assert "Total document signed" in sig
    flat = "".join(_text(pdf).split())
    assert "電子署名者" in flat and "山田花子" in flat
    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 0x01
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["verify", str(bad), "--data-dir", home]) == 1


def test_failed_report_leaves_nothing(ws: Workspace, tmp_path: Path) -> None:
    iid = create_demo_incident(ws, ORG)
    out = tmp_path / "missing-dir" / "x.pdf"
    assert main(["incident", "report", str(iid), "-o", str(out), "--data-dir", str(ws.home)]) == 2
    assert not out.parent.exists()
