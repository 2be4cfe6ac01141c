"""`keys show` names the certificate's attributes in words (役職, not 「2.5.4.12=」) and gives its times
in JST; `verify` shows the signing time in JST (issue 11). `--json` keeps the raw values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck.cli import main
from selfcheck.workspace import Workspace


def test_keys_show_in_words(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pfile = tmp_path / "pp.txt"
    pfile.write_text("correct horse battery staple\n", encoding="utf-8")
    h = ["--data-dir", str(ws.home)]
    argv = ["keys", "init", "--org", "shunan-eisei", "--name", "山田 花子", "--role", "総務課長"]
    assert main([*argv, "--passphrase-file", str(pfile), *h]) == 0
    capsys.readouterr()
    assert main(["keys", "show", *h]) == 0
    out = capsys.readouterr().out
    assert "2.5.4.12" not in out and "CN=" not in out
    assert "役職 総務課長" in out and "氏名 山田 花子" in out and "団体 周南地区衛生施設組合" in out
    assert "令和" in out and "日本時間" in out and "+00:00" not in out
    assert main(["keys", "show", "--json", *h]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "総務課長" and data["not_after"].endswith("+00:00")
