"""Inputs that hang or eat memory (issue 10, point 6): FIFOs, devices and huge files are refused before
one byte is read; YAML anchors/aliases, deep nesting and huge files are refused fast by the one loader;
a contacts CSV with an unclosed quote is refused with its line number."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from adv_helpers import REPO, cli, one_line_error, populated

from selfcheck import evidence
from selfcheck.errors import ChecklistFormatError, ContactsError
from selfcheck.incident import contacts
from selfcheck.workspace import open_workspace
from selfcheck.yaml_lines import load_with_lines

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "huge_pdf"])
def test_verify_refuses_before_reading(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "x.pdf"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev_zero":
        target = Path("/dev/zero")
    else:
        with target.open("wb") as f:  # 100 MB starting with %PDF (sparse: nothing to read but the size)
            f.write(b"%PDF-1.7\n")
            f.truncate(100 * 1024 * 1024)
    started = time.perf_counter()
    line = one_line_error(cli("verify", target, home=tmp_path / "home", timeout=30))
    assert time.perf_counter() - started < 15
    assert ("通常のファイルではありません" in line) or ("大きすぎます" in line)


@posix_only
def test_verify_evidence_with_a_fifo_in_the_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    iid = populated(ws, tmp_path, files=1)
    sha = evidence.verify_store(ws) or None
    assert sha is None
    blob = next(p for p in (home / "evidence").rglob("*") if p.is_file())
    blob.chmod(0o600)
    blob.unlink()
    os.mkfifo(blob)
    ws.close()
    res = cli("verify", "--evidence", iid, home=home, timeout=30)
    assert res.returncode == 1 and "通常のファイルではありません" in res.stdout, res


@posix_only
@pytest.mark.parametrize("what", ["contacts", "policy", "checklist", "keys_import"])
def test_every_file_input_refuses_a_fifo(tmp_path: Path, what: str) -> None:
    fifo = tmp_path / "input.txt"
    os.mkfifo(fifo)
    home = tmp_path / "home"
    args = {
        "contacts": ("contacts", "import", fifo, "--org", "shunan-eisei"),
        "policy": ("policy", "import", fifo, "--dry-run"),
        "checklist": ("checklist", "validate", fifo),
        "keys_import": ("keys", "import", fifo, "--org", "shunan-eisei", "--passphrase-file", fifo),
    }[what]
    res = cli(*args, home=home, timeout=30)
    assert res.returncode == 2 and "Traceback" not in res.stderr, res
    assert "通常のファイルではありません" in res.stderr + res.stdout


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)


@pytest.mark.parametrize(
    "name,text",
    [
        ("billion_laughs", BILLION_LAUGHS),
        ("self_alias", "a: &a [*a]\n"),
        ("merge_alias", "base: &b {x: 1}\nother:\n  <<: *b\n"),
        ("deep_flow", "[" * 50_000 + "]" * 50_000),
        ("deep_block", "".join("  " * i + "k:\n" for i in range(200)) + "  " * 200 + "v\n"),
        ("python_tag", "a: !!python/object/apply:os.system ['true']\n"),
        ("set_tag", "a: !!set {x, y}\n"),
    ],
)
def test_yaml_bombs_are_refused_fast(tmp_path: Path, name: str, text: str) -> None:
    f = tmp_path / f"{name}.yaml"
    f.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ChecklistFormatError) as err:
        load_with_lines(f)
    assert time.perf_counter() - started < 5
    assert re.match(rf"{re.escape(str(f))}:\d+: ", err.value.problems[0])


def test_checklist_validate_cli_on_billion_laughs(tmp_path: Path) -> None:
    f = tmp_path / "bank" / "bomb.yaml"
    f.parent.mkdir()
    f.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    res = cli("checklist", "validate", f, timeout=60)
    assert res.returncode == 2 and "Traceback" not in res.stderr + res.stdout
    assert time.perf_counter() - started < 20


def test_yaml_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    with f.open("wb") as out:
        out.write(b"a: 1\n")
        out.truncate(50 * 1024 * 1024)
    with pytest.raises(ChecklistFormatError) as err:
        load_with_lines(f)
    assert "大きすぎます" in err.value.problems[0]


def test_one_yaml_loader_for_every_yaml_read() -> None:
    """No module but yaml_lines parses YAML (safe_load would expand aliases)."""
    offenders = []
    for p in [
        *(REPO / "selfcheck").rglob("*.py"),
        *(REPO / "models").rglob("*.py"),
        *(REPO / "tui").rglob("*.py"),
    ]:
        if p.name == "yaml_lines.py" or "migrations" in p.parts:
            continue
        text = p.read_text(encoding="utf-8")
        if re.search(r"yaml\.(safe_load|load|full_load|unsafe_load|compose|load_all|safe_load_all)\(", text):
            offenders.append(str(p.relative_to(REPO)))
    assert offenders == []


@pytest.mark.parametrize(
    "body,line",
    [
        ('role,name,phone\nciso,"山田,090-1\nmanager,佐藤,090-2\n', 2),
        ('role,name,phone\nciso,山田,090-1\nmanager,"佐藤 太郎,090-2\n', 3),
    ],
)
def test_contacts_csv_with_an_unclosed_quote(tmp_path: Path, body: str, line: int) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home)
    f = tmp_path / "c.csv"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(ContactsError) as err:
        contacts.parse_csv(ws, "shunan-eisei", f)
    assert any(p.startswith(f"{f}:{line}: ") and "引用符" in p for p in err.value.problems), (
        err.value.problems
    )
    ws.close()
    res = cli("contacts", "import", f, "--org", "shunan-eisei", home=home)
    assert f"{f}:{line}:" in one_line_error(res)
