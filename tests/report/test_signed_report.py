"""Signed 自己点検結果報告書 end to end: real PDFs checked with pyHanko (selfcheck verify) and poppler; the
tests marked `engines` also with the data on a PostgreSQL server (signing finalises the inspection there)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from selfcheck import inspection
from selfcheck.cli import main
from selfcheck.errors import FinalizedError
from selfcheck.signing import keystore, secret_store

from .conftest import ORG, Prepared

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")


def run(*argv: str | Path, home: Path) -> int:
    return main([*map(str, argv), "--data-dir", str(home)])


@pytest.fixture
def signed(prepared: Prepared, mem_keyring: object, tmp_path: Path) -> tuple[Prepared, Path]:
    ws = prepared.ws
    assert (
        run(
            "keys",
            "init",
            "--org",
            ORG,
            "--name",
            "山田 花子",
            "--role",
            "情報セキュリティ管理者",
            home=ws.home,
        )
        == 0
    )
    pdf = tmp_path / "out" / "報告書.pdf"
    pdf.parent.mkdir()
    assert run("report", prepared.inspection_id, "-o", pdf, "--sign", home=ws.home) == 0
    return prepared, pdf


def poppler(tool: str, *args: str | Path) -> str:
    return subprocess.run(
        [tool, *map(str, args)], capture_output=True, text=True, check=False, timeout=60
    ).stdout


@pytest.mark.engines
def test_signed_report_is_valid_in_pyhanko_and_pdfsig(signed: tuple[Prepared, Path]) -> None:
    prepared, pdf = signed
    assert run("verify", pdf, home=prepared.ws.home) == 0
    out = poppler("pdfsig", pdf)
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out
    assert [p.name for p in pdf.parent.iterdir()] == ["報告書.pdf"]  # no temporaries left


def test_flipped_byte_is_not_valid(signed: tuple[Prepared, Path], capsys: pytest.CaptureFixture[str]) -> None:
    prepared, pdf = signed
    data = bytearray(pdf.read_bytes())
    pos = len(data) // 3  # inside the first signed byte range (the signature sits in the last update)
    data[pos] ^= 0x01
    bad = pdf.with_name("flipped.pdf")
    bad.write_bytes(bytes(data))
    capsys.readouterr()
    assert run("verify", bad, home=prepared.ws.home) == 1
    assert "NOT VALID" in capsys.readouterr().out


def test_appended_incremental_update_is_not_valid(
    signed: tuple[Prepared, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    prepared, pdf = signed
    buf = io.BytesIO(pdf.read_bytes())
    w = IncrementalPdfFileWriter(buf)
    stream = generic.StreamObject(stream_data=b"0 0 1 rg 50 50 200 200 re f")
    w.add_stream_to_page(0, w.add_object(stream))
    w.write_in_place()
    bad = pdf.with_name("appended.pdf")
    bad.write_bytes(buf.getvalue())
    assert "Signature is Valid" in poppler("pdfsig", bad)  # pdfsig alone would accept it
    capsys.readouterr()
    assert run("verify", bad, "--json", home=prepared.ws.home) == 1
    assert '"whole_document": false' in capsys.readouterr().out


def test_unknown_certificate_is_not_valid_but_facts_shown(
    signed: tuple[Prepared, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _prepared, pdf = signed
    other = tmp_path / "other-home"
    capsys.readouterr()
    assert run("verify", pdf, home=other) == 1
    text = capsys.readouterr().out
    assert "intact: はい / yes" in text
    assert "whole document: はい / yes" in text
    assert "known certificate: いいえ / no" in text


def test_fonts_text_and_rendering(signed: tuple[Prepared, Path], tmp_path: Path) -> None:
    _prepared, pdf = signed
    fonts = poppler("pdffonts", pdf)
    rows = [line for line in fonts.splitlines() if "IPAexGothic" in line]
    assert rows and all(line.split()[-5] == "yes" for line in rows)  # "emb" column
    assert "Helvetica" not in fonts  # nothing refers to a non-embedded font
    text = poppler("pdftotext", "-layout", pdf, "-")
    assert "周南地区衛生施設組合" in text
    assert "7(1)" in text
    assert "自己点検結果報告書" in text and "令和8年度（2026年度）" in text
    for role in ("担当者", "統括情報セキュリティ責任者", "最高情報セキュリティ責任者"):
        assert role in text
    assert "前回点検との比較" in text
    assert "総務係 キャビネット2段目" in text
    assert "/ " in text  # page numbers n / N
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_secret_never_written(signed: tuple[Prepared, Path], mem_keyring: object) -> None:
    prepared, pdf = signed
    secret = mem_keyring.store[("selfcheck", f"signing-key:{ORG}")]  # type: ignore[attr-defined]
    assert len(secret) >= 40
    needles = [secret.encode(), secret.encode("utf-16-le")]
    files = [p for p in prepared.ws.home.rglob("*") if p.is_file()] + [pdf]
    assert any(p.name.endswith(".sqlite3") for p in files)
    for p in files:
        blob = p.read_bytes()
        assert not any(n in blob for n in needles), p


@pytest.mark.engines
def test_signed_inspection_is_final_and_revise_makes_editable_copy(
    signed: tuple[Prepared, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    prepared, _pdf = signed
    ws, iid = prepared.ws, prepared.inspection_id
    with pytest.raises(FinalizedError):
        inspection.record_answer(ws, inspection_id=iid, item_id=prepared.item_ids[0], value="partial")
    capsys.readouterr()
    assert run("report", "revise", iid, "--json", home=ws.home) == 0
    import json

    new_id = json.loads(capsys.readouterr().out)["inspection_id"]
    inspection.record_answer(ws, inspection_id=new_id, item_id=prepared.item_ids[0], value="partial")
    assert inspection.info(ws, new_id).status == "open"


def test_wrong_passphrase_leaves_nothing(prepared: Prepared, mem_keyring: object, tmp_path: Path) -> None:
    ws = prepared.ws
    keystore.init_key(ws, org_id=ORG, name="山田 花子", role="管理者", passphrase=keystore.Passphrase())
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not-the-passphrase\n", encoding="utf-8")
    pdf = tmp_path / "out.pdf"
    assert (
        run("report", prepared.inspection_id, "-o", pdf, "--sign", "--passphrase-file", wrong, home=ws.home)
        == 2
    )
    assert not pdf.exists()
    assert not list(tmp_path.glob(".out*"))
    assert inspection.info(ws, prepared.inspection_id).status == "open"
    from sqlmodel import select

    from selfcheck.models.tables import Report

    with ws.read() as s:
        assert s.exec(select(Report)).all() == []


def test_no_keyring_uses_passphrase_file(
    prepared: Prepared, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No mem_keyring here: the conftest forces keyring's fail backend (NoKeyringError)."""
    ws = prepared.ws
    assert secret_store.secure_backend() is None
    pfile = tmp_path / "pp.txt"
    pfile.write_text("correct horse battery staple 馬\n", encoding="utf-8")
    assert run("keys", "init", "--org", ORG, "--name", "佐藤", "--passphrase-file", pfile, home=ws.home) == 0
    assert "保存していません" in capsys.readouterr().out
    pdf = tmp_path / "signed.pdf"
    # no file and no terminal: refused with a clear message, nothing written
    assert run("report", prepared.inspection_id, "-o", pdf, "--sign", home=ws.home) == 2
    assert "--passphrase-file" in capsys.readouterr().err
    assert not pdf.exists()
    assert (
        run("report", prepared.inspection_id, "-o", pdf, "--sign", "--passphrase-file", pfile, home=ws.home)
        == 0
    )
    assert run("verify", pdf, home=ws.home) == 0
    assert run("keys", "show", "--json", home=ws.home) == 0
    assert '"common_name": "佐藤"' in capsys.readouterr().out


@pytest.mark.engines
def test_verify_evidence_detects_changed_file(prepared: Prepared, capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck import evidence

    ws, iid = prepared.ws, prepared.inspection_id
    assert run("verify", "--evidence", iid, home=ws.home) == 0
    ev = next(e for it in inspection.detail(ws, iid).items for e in it.evidence if e.kind == "file")
    blob = evidence.blob_path(ws, ev.sha256 or "")
    blob.chmod(0o600)
    blob.write_bytes(b"tampered")
    capsys.readouterr()
    assert run("verify", "--evidence", iid, home=ws.home) == 1
    assert ev.original_name in capsys.readouterr().out
