"""Files that cannot be imported, in every format: one line (or, with --json, a JSON refusal with its reason
code), exit code 2, the database unchanged (hash and row counts) and no temporary file left behind."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfcheck.cli import main
from selfcheck.workspace import Workspace
from tests.conftest import policy_text
from tests.policy_import.formats import image_pdf, to_docx, to_pdf
from tests.policy_import.test_reject import _state

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    c.drawString(72, 700, "confidential")
    c.save()
    return out.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A .docx whose document.xml inflates to 120 MB (it is 120 KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            b'<Types><Override ContentType="wordprocessingml.document.main+xml"/></Types>',
        )
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"\x00" * (1024 * 1024)
            for _ in range(120):
                fh.write(block)
    return out.getvalue()


def _docm() -> bytes:
    with zipfile.ZipFile(io.BytesIO(to_docx("1 目的\nテスト"))) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    return _zip(parts)


CASES: dict[str, tuple[str, object, str]] = {
    # name: (file name, bytes or a maker, reason)
    "encrypted pdf": ("policy.pdf", _encrypted_pdf, "unsupported_format"),
    "damaged pdf": ("policy.pdf", lambda: to_pdf("1 目的\nテスト")[:600], "not_text"),
    "image-only pdf": ("scan.pdf", image_pdf, "scanned_pdf"),
    "zip bomb docx": ("policy.docx", _zip_bomb, "too_large"),
    "docm": ("policy.docm", _docm, "unsupported_format"),
    "docm named docx": ("policy.docx", _docm, "unsupported_format"),
    "doc": ("policy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "unsupported_format"),
    "old doc renamed txt": (
        "policy.txt",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
        "unsupported_format",
    ),
    "xlsx": ("policy.xlsx", lambda: _zip({"xl/workbook.xml": b"<workbook/>"}), "unsupported_format"),
    "xlsx named docx": (
        "policy.docx",
        lambda: _zip({"xl/workbook.xml": b"<workbook/>"}),
        "unsupported_format",
    ),
    "damaged docx": ("policy.docx", lambda: to_docx("1 目的")[:900], "not_text"),
    "empty": ("policy.txt", b"", "empty"),
    "empty html": ("policy.html", b"<!DOCTYPE html><html><body><nav>menu</nav></body></html>", "empty"),
    "wrong encoding": ("policy.txt", b"\x80\x81abc\xfd\xfe" * 300, "not_text"),
    "latin-1 text": ("policy.txt", "Sécurité de l'information, déjà évaluée. ".encode("cp1252") * 50, ""),
    "cut-off pdf text": (
        "policy.pdf",
        lambda: to_pdf(policy_text("shunan-eisei")[:2000]),
        "incomplete",
    ),
}


@pytest.fixture
def clean_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    yield tmp


def _files(tmp: Path) -> dict[str, Path]:
    folder = tmp.parent / "files"
    folder.mkdir(exist_ok=True)
    out = {}
    for name, (fname, data, _reason) in CASES.items():
        path = folder / name.replace(" ", "-") / fname
        path.parent.mkdir()
        raw = data() if callable(data) else data
        assert isinstance(raw, bytes)
        path.write_bytes(raw)
        out[name] = path
    big = folder / "big" / "policy.html"
    big.parent.mkdir()
    with big.open("wb") as fh:  # a real 50 MB page
        fh.write(b"<!DOCTYPE html><html><body>")
        chunk = "<p>情報セキュリティ基本方針の本文です。</p>\n".encode() * 20000
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    out["50 MB html"] = big
    if hasattr(os, "mkfifo"):
        fifo = folder / "fifo" / "policy.txt"
        fifo.parent.mkdir()
        os.mkfifo(fifo)
        out["fifo"] = fifo
    return out


REASONS = {name: reason for name, (_f, _d, reason) in CASES.items()} | {
    "50 MB html": "too_large",
    "fifo": "not_text",
}


def test_bad_files_are_refused_and_change_nothing(
    ws: Workspace, home: Path, clean_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.close()
    before = _state(home)
    for name, path in _files(clean_tmp).items():
        for extra in ([], ["--json"]):
            code = main(["policy", "import", str(path), "--data-dir", str(home), *extra])
            cap = capsys.readouterr()
            assert code == 2, (name, cap.err)
            err = cap.err.strip()
            assert "\n" not in err and " / " in err and "Traceback" not in err, (name, err)
            if extra:
                doc = json.loads(cap.out)
                assert doc["ok"] is False and doc["message_ja"] and doc["message_en"], name
                if REASONS[name]:
                    assert doc["reason"] == REASONS[name], (name, doc["reason"], err)
            else:
                assert cap.out == "", name
    assert _state(home) == before
    assert list(clean_tmp.iterdir()) == []


def test_refusal_json_names_what_was_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (DATA / "reiki-kunrei.txt").read_text(encoding="utf-8")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(to_pdf(text[: text.index("(情報セキュリティ対策)")]))
    assert main(["policy", "import", str(cut), "--dry-run", "--json", "--data-dir", str(tmp_path / "h")]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["ok", "reason", "message_ja", "message_en", "found"]
    assert doc["reason"] == "incomplete" and "職員等の遵守義務" in doc["message_ja"]
    assert doc["found"]["organization"] == "梅ヶ丘町"
    assert doc["found"]["sections"][0] == {"number": "1", "title": "目的"}
    assert doc["found"]["last_line_read"]
    assert not (tmp_path / "h").exists()


def test_every_supported_format_imports_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = policy_text("gunma-sogo-jimu")
    for name, data in (("p.pdf", to_pdf(text)), ("p.docx", to_docx(text))):
        path = tmp_path / name
        path.write_bytes(data)
        assert (
            main(["policy", "import", str(path), "--dry-run", "--json", "--data-dir", str(tmp_path / "h")])
            == 0
        )
        doc = json.loads(capsys.readouterr().out)
        assert doc["ok"] is True and doc["organization"] == "群馬県市町村総合事務組合"
    code = main(
        [
            "policy",
            "import",
            str(DATA / "web-definitions.html"),
            "--dry-run",
            "--data-dir",
            str(tmp_path / "h"),
        ]
    )
    assert code == 0 and "HTML（cp932）" in capsys.readouterr().out
