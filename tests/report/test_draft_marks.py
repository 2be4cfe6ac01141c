"""A report that is not signed says so (issue 11): 「下書き」 on the cover and a watermark on every page,
and the cover says how many items are answered; a signed final report has neither. The signing time is
shown in Japan time and 和暦."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from selfcheck import inspection
from selfcheck.issue import issue_inspection_report
from selfcheck.report import data as report_data
from selfcheck.report.inspection_cover import cover_rate
from selfcheck.signing import keystore

from .conftest import ORG, Prepared

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    return ["".join(p.split()) for p in text.split("\f") if p.strip()]


def test_an_unsigned_report_is_a_draft_on_every_page(prepared: Prepared, tmp_path: Path) -> None:
    ws, iid = prepared.ws, prepared.inspection_id
    pdf = tmp_path / "draft.pdf"
    issue_inspection_report(ws, iid, pdf, sign=False)
    got = pages(pdf)
    assert len(got) > 3
    assert all("下書き" in p for p in got), [n for n, p in enumerate(got, 1) if "下書き" not in p]
    s = inspection.summary(ws, iid)
    cover = got[0]
    assert f"回答{s.answered}/{s.total}項目" in cover and f"未回答{s.total - s.answered}" in cover
    assert "電子署名前" in cover and "回答済みの項目のみで計算" in cover
    # the banner and the watermark use the embedded font only
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    assert "IPAexGothic" in fonts and "Helvetica" not in fonts


def test_a_signed_report_has_no_draft_mark(prepared: Prepared, mem_keyring: object, tmp_path: Path) -> None:
    ws, iid = prepared.ws, prepared.inspection_id
    keystore.init_key(ws, org_id=ORG, name="山田 花子", role="管理者", passphrase=keystore.Passphrase())
    pdf = tmp_path / "signed.pdf"
    issue_inspection_report(ws, iid, pdf, sign=True)
    got = pages(pdf)
    assert not [n for n, p in enumerate(got, 1) if "下書き" in p]
    s = inspection.summary(ws, iid)
    assert f"回答{s.answered}/{s.total}項目" in got[0]
    # the signing time in JST and 和暦 (the fixed clock is 2026-11-23 10:00 JST)
    assert "署名日時" in got[-1] and "令和8年11月23日10:00:00（日本時間" in got[-1]
    # a later copy of the signed (final) inspection, without a signature, is not called a draft either
    copy = tmp_path / "copy.pdf"
    issue_inspection_report(ws, iid, copy, sign=False)
    got = pages(copy)
    assert not [n for n, p in enumerate(got, 1) if "下書き" in p]
    assert "確定した点検の写し" in got[-1]


def test_the_rate_on_the_cover_says_what_it_is_computed_over(prepared: Prepared) -> None:
    rd = report_data.gather(prepared.ws, prepared.inspection_id)
    assert rd.draft and not rd.final
    assert "未回答" in cover_rate(rd)
