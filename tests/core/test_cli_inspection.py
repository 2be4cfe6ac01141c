"""The inspection CLI end to end on a real data directory: start, answer, attach, detach, summary, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_scripted_inspection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "home"), "--user", "佐藤"]
    code, out, _ = _run(capsys, "inspection", "start", "gunma-sogo-jimu", "--year", "2026", *d)
    assert code == 0
    iid = out.strip()
    code, out, _ = _run(capsys, "inspection", "export", iid, "--json", *d)
    items = json.loads(out)["items"]
    first = items[0]["item_id"]
    assert _run(capsys, "inspection", "answer", iid, first, "partial", "--comment", "一部未設定", *d)[0] == 0
    assert (
        _run(
            capsys,
            "inspection",
            "improve",
            iid,
            first,
            "設定を適用する",
            "--owner",
            "係長",
            "--due",
            "2027-03-31",
            *d,
        )[0]
        == 0
    )
    src = tmp_path / "記録.txt"
    src.write_text("記録", encoding="utf-8")
    code, out, _ = _run(capsys, "inspection", "attach", iid, first, str(src), *d)
    ev_id = out.split()[0]
    assert _run(capsys, "inspection", "detach", ev_id, *d)[0] == 0
    code, out, _ = _run(capsys, "inspection", "export", iid, "--json", *d)
    data = json.loads(out)
    item = next(i for i in data["items"] if i["item_id"] == first)
    assert (item["value"], item["comment"], item["answered_by"]) == ("partial", "一部未設定", "佐藤")
    assert item["improvement"]["owner"] == "係長" and item["evidence"] == []
    assert data["summary"]["rate"] == 50.0
    # errors: one line on stderr, exit 2, nothing changed
    code, _, err = _run(capsys, "inspection", "detach", ev_id, *d)
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "inspection", "attach", iid, first, str(tmp_path / "none.txt"), *d)
    assert code == 2 and "none.txt" in err and "見つかりません" in err


def test_start_with_a_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "home"), "--user", "佐藤"]
    code, out, _ = _run(
        capsys, "inspection", "start", "gunma-sogo-jimu", "--year", "2026", "--level", "基本", *d
    )
    assert code == 0
    core = out.strip()
    code, out, _ = _run(capsys, "inspection", "start", "gunma-sogo-jimu", "--year", "2027", *d)
    full = out.strip()
    code, out, _ = _run(capsys, "inspection", "list", "--json", *d)
    rows = {str(r["id"]): r for r in json.loads(out)}
    assert rows[core]["level"] == "基本" and rows[full]["level"] == "全項目"
    code, out, _ = _run(capsys, "checklist", "show", "gunma-sogo-jimu", "--json", "--level", "基本")
    assert rows[core]["item_count"] == json.loads(out)["item_count"] < rows[full]["item_count"]
    code, out, _ = _run(capsys, "inspection", "list", *d)
    assert "基本" in out and "全項目" in out
    # a level that is not a choice: argparse's one-line message, exit 2, no traceback
    with pytest.raises(SystemExit) as exc:
        main(["inspection", "start", "gunma-sogo-jimu", "--year", "2028", "--level", "詳細", *d])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "--level" in err and "Traceback" not in err
