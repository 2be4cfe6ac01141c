"""Contacts: CSV round trip (UTF-8 BOM, Excel-compatible), bad rows rejected with line numbers and
nothing written, formula injection neutralised, role titles per body."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from selfcheck.cli import main
from selfcheck.errors import ContactsError
from selfcheck.incident import contacts
from selfcheck.workspace import Workspace
from tests.incident.conftest import ORG


def _seed(ws: Workspace) -> None:
    contacts.add_contact(ws, ORG, role="ciso", name="渡辺 聡", organization="事務局", phone="090-0000-5501")
    contacts.add_contact(
        ws,
        ORG,
        role="vendor",
        name="サポート窓口",
        organization="例示システム（株）",
        phone="+81-3-0000-0555",
        email="support@example.jp",
        note='=1+1, "受付" 平日\n9-17時',
    )


def test_round_trip_with_bom_and_excel_dialect(ws: Workspace, tmp_path: Path) -> None:
    _seed(ws)
    out = tmp_path / "連絡先.csv"
    assert contacts.export_csv(ws, ORG, out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == list(contacts.CSV_HEADER)
    assert rows[1][:3] == ["ciso", "最高情報セキュリティ責任者", "渡辺 聡"]
    assert rows[2][4] == "'+81-3-0000-0555" and rows[2][6].startswith("'=1+1")  # formula-safe
    before = contacts.list_contacts(ws, ORG)
    assert contacts.import_csv(ws, ORG, out) == 2
    after = contacts.list_contacts(ws, ORG)
    strip = lambda cs: [(c.role, c.name, c.organization, c.phone, c.email, c.note) for c in cs]  # noqa: E731
    assert strip(after) == strip(before)


def test_bad_rows_are_all_reported_with_lines_and_nothing_is_written(ws: Workspace, tmp_path: Path) -> None:
    _seed(ws)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\ufeff役割,氏名,電話番号,メール\n"
        "manager,田中 誠,0834-55-0101,tanaka@example.jp\n"
        "janitor,佐藤,abc,not-mail\n"
        "\n"
        "ciso,,0834,\n"
        "最高情報セキュリティ責任者,@SUM(A1),,\n",
        encoding="utf-8",
    )
    with pytest.raises(ContactsError) as e:
        contacts.import_csv(ws, ORG, bad)
    p = e.value.problems
    assert f"{bad}:3: role: 不明な役割です: janitor / unknown role" in p
    assert any(x.startswith(f"{bad}:3: phone:") for x in p)
    assert any(x.startswith(f"{bad}:3: email:") for x in p)
    assert any(x.startswith(f"{bad}:5: name:") for x in p)
    assert any(x.startswith(f"{bad}:6: name:") for x in p)  # Japanese title accepted as role, name refused
    assert "何も取り込んでいません" in e.value.message_ja
    assert [c.name for c in contacts.list_contacts(ws, ORG)] == ["渡辺 聡", "サポート窓口"]


def test_not_utf8_and_bad_header(ws: Workspace, tmp_path: Path) -> None:
    sj = tmp_path / "sjis.csv"
    sj.write_bytes("role,name\nciso,渡辺\n".encode("cp932"))
    with pytest.raises(ContactsError, match="UTF-8"):
        contacts.import_csv(ws, ORG, sj)
    hdr = tmp_path / "hdr.csv"
    hdr.write_text("who,phone\nx,1\n", encoding="utf-8")
    with pytest.raises(ContactsError, match="header"):
        contacts.import_csv(ws, ORG, hdr)
    with pytest.raises(ContactsError, match="not found"):
        contacts.import_csv(ws, ORG, tmp_path / "missing.csv")


def test_role_titles_are_data_per_body(ws: Workspace) -> None:
    titles = contacts.role_titles(ws, ORG)
    assert (
        titles["reporter"] == "発見者" and titles["members"] == "構成市町村" and titles["deputy"] == "代行者"
    )
    contacts.set_role_title(ws, ORG, "ciso", "最高情報セキュリティ責任者（事務局長）")
    assert contacts.role_titles(ws, ORG)["ciso"] == "最高情報セキュリティ責任者（事務局長）"
    assert contacts.role_titles(ws, "abira-cho")["ciso"] == "最高情報セキュリティ責任者"
    with pytest.raises(ContactsError):
        contacts.set_role_title(ws, ORG, "Bad Key", "x")


def test_update_and_delete(ws: Workspace) -> None:
    c = contacts.add_contact(ws, ORG, role="police", name="相談窓口", phone="000-555-0110")
    contacts.update_contact(ws, c.id, phone="000-555-0111")
    assert contacts.list_contacts(ws, ORG)[0].phone == "000-555-0111"
    with pytest.raises(ContactsError):
        contacts.update_contact(ws, c.id, email="bad")
    contacts.delete_contact(ws, c.id)
    assert contacts.list_contacts(ws, ORG) == []


def test_cli_import_export(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(ws.home)
    src = tmp_path / "in.csv"
    src.write_text("role,name,phone\nmanager,田中 誠,0834-55-0101\n", encoding="utf-8-sig")
    assert main(["contacts", "import", str(src), "--org", ORG, "--data-dir", home]) == 0
    out = tmp_path / "out.csv"
    assert main(["contacts", "export", "-o", str(out), "--org", ORG, "--data-dir", home]) == 0
    assert "田中 誠" in out.read_text(encoding="utf-8-sig")
    bad = tmp_path / "bad.csv"
    bad.write_text("role,name\nxx,\nyy,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["contacts", "import", str(bad), "--org", ORG, "--data-dir", home]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: role" in err and f"{bad}:3: role" in err
    assert "Traceback" not in err
