"""Bad input gets one clear line (ja / en), exit code 2, and leaves the data directory untouched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.cli import main
from selfcheck.errors import REJECT_REASONS, ImportCorrectionError, ImportRejected
from selfcheck.policy_import.build import draft_from_text
from selfcheck.workspace import Workspace
from tests.conftest import optional_policy_text, policy_file, policy_text

DATA = Path(__file__).resolve().parent.parent / "data" / "policies"


def _state(home: Path) -> tuple[str, dict[str, int]]:
    import sqlite3

    db = home / "selfcheck.sqlite3"
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
    digest = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(home.glob("selfcheck.sqlite3*")))
    ).hexdigest()
    return digest, counts


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the reason must contain)."""
    files: dict[str, tuple[bytes, str]] = {
        "empty": (b"", "空"),
        "whitespace": ("  \n\u3000\r\n\t\n".encode(), "空"),
        "binary": (bytes(range(256)) * 8, "文字の読めるファイルではありません"),
        "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF が壊れている"),
        "prose": ((DATA / "prose.txt").read_bytes(), "基本方針として読み取れません"),
        "recipe": ((DATA / "recipe.txt").read_bytes(), "基本方針として読み取れません"),
    }
    shunan = optional_policy_text("shunan-eisei")
    if shunan is not None:  # variants of a real policy (skipped only on a clone without ../shared)
        files["cut"] = (shunan[: shunan.index("(5) 人的")].encode(), "情報セキュリティ対策基準の策定")
        files["repeat"] = (shunan.replace("4. 適用範囲", "3. 適用範囲").encode(), "3 が重複")
        files["backwards"] = (shunan.replace("(5) 人的", "(3) 人的").encode(), "7(4) の後に 7(3)")
    out = {}
    for name, (data, word) in files.items():
        p = tmp / f"{name}.txt"
        p.write_bytes(data)
        out[name] = (p, word)
    big = tmp / "big.txt"
    with big.open("wb") as fh:  # sparse: 5 GB on paper, nothing on disk; reading it would never finish
        fh.truncate(5 * 1024**3)
    out["big"] = (big, "1 MB")
    return out


def test_every_bad_file_is_refused_with_a_reason_and_nothing_written(
    ws: Workspace, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.close()
    before = _state(home)
    for name, (path, word) in _bad_files(tmp_path).items():
        for extra in ([], ["--dry-run", "--json"]):
            code = main(["policy", "import", str(path), "--data-dir", str(home), *extra])
            captured = capsys.readouterr()
            assert code == 2, name
            if extra:
                doc = json.loads(captured.out)
                assert doc["ok"] is False and doc["reason"] in REJECT_REASONS, name
                assert set(doc["found"]) == {"organization", "title", "sections", "last_line_read"}
            else:
                assert captured.out == "", name
            err = captured.err.strip()
            assert "\n" not in err and " / " in err and word in err, (name, err)
            assert "Traceback" not in err
    assert _state(home) == before


def test_refusal_does_not_create_a_data_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "fresh"
    assert main(["policy", "import", str(DATA / "recipe.txt"), "--data-dir", str(home)]) == 2
    assert (
        main(["policy", "import", str(policy_file("abira-cho")), "--dry-run", "--data-dir", str(home)]) == 0
    )
    assert not home.exists()
    capsys.readouterr()


def test_cut_off_message_names_the_missing_sections() -> None:
    with pytest.raises(ImportRejected) as exc:
        draft_from_text(
            policy_text("shunan-eisei")[: policy_text("shunan-eisei").index("8. 情報セキュリティ対策基準")]
        )
    assert "「情報セキュリティ対策基準の策定」" in exc.value.message_ja
    assert "「情報セキュリティ実施手順の策定」" in exc.value.message_ja
    assert "「目的」" not in exc.value.message_ja


def test_missing_file_and_folder(tmp_path: Path) -> None:
    from selfcheck.policy_import.build import draft_from_file

    with pytest.raises(ImportRejected, match="file not found"):
        draft_from_file(tmp_path / "nope.txt")
    with pytest.raises(ImportRejected, match="folder"):
        draft_from_file(tmp_path)


def test_bad_id_is_refused() -> None:
    with pytest.raises(ImportCorrectionError, match="lower-case"):
        draft_from_text(policy_text("shunan-eisei"), org_id="周南")


def test_real_process_exit_code_and_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02garbage\xff\xfe" * 100)
    env = {**os.environ, "SELFCHECK_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-m", "selfcheck", "policy", "import", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "home").exists()


def test_builtin_id_for_another_body_is_refused() -> None:
    text = (DATA / "dai-fullwidth.txt").read_text(encoding="utf-8")
    with pytest.raises(ImportCorrectionError, match="built-in body"):
        draft_from_text(text, org_id="shunan-eisei")
    assert any("組込み" in w for w in draft_from_text(policy_text("shunan-eisei")).warnings)
