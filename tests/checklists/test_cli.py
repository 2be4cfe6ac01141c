"""`selfcheck orgs` and `selfcheck checklist show|validate|schema` through the real entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from selfcheck.checklist_validate import MAX_ITEMS, MIN_ITEMS
from selfcheck.cli import main
from selfcheck.workspace import Workspace
from tests.conftest import BODY_IDS, REPO

CHECKLISTS = REPO / "checklists"
BAD = REPO / "tests" / "data" / "checklists"


@pytest.fixture(autouse=True)
def _no_user_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the default data directory at an empty temp path so no test sees a real one."""
    home = tmp_path / "default-home"
    monkeypatch.setenv("SELFCHECK_HOME", str(home))
    return home


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_orgs_json(capsys: pytest.CaptureFixture[str], _no_user_home: Path) -> None:
    code, out, err = run(capsys, "orgs", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [o["id"] for o in data] == sorted(BODY_IDS)
    keys = {"id", "name", "policy_title", "adopted", "adopted_text", "segments", "item_count", "source"}
    for o in data:
        assert set(o) == keys
        assert MIN_ITEMS <= o["item_count"] <= MAX_ITEMS
        assert isinstance(o["segments"], list)
    gunma = next(o for o in data if o["id"] == "gunma-sogo-jimu")
    assert gunma["segments"] == ["internet"] and gunma["adopted"] == "2026-04-01"
    assert not _no_user_home.exists(), "listing bodies must not create a data directory"


def test_orgs_human(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "orgs")
    assert code == 0
    assert "周南地区衛生施設組合" in out and "shunan-eisei" in out
    assert "インターネット接続系" in out


def test_orgs_with_existing_workspace(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    code, out, err = run(capsys, "orgs", "--json", "--data-dir", str(ws.home))
    assert code == 0, err
    assert len(json.loads(out)) == 5


def test_show_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "checklist", "show", "shunan-eisei", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["org"] == "shunan-eisei" and data["item_count"] == len(data["items"])
    first = data["items"][0]
    assert set(first) == {
        "id",
        "clause",
        "clause_title",
        "section",
        "section_title",
        "topic",
        "question",
        "how_to_check",
        "guideline_ref",
        "position",
        "level",
    }
    assert {it["level"] for it in data["items"]} == {"基本", "詳細"}
    assert [it["position"] for it in data["items"]] == list(range(1, len(data["items"]) + 1))
    sns = [it for it in data["items"] if it["topic"] == "sns"]
    assert sns and all(
        it["clause"] == "7(8)③" and it["clause_title"] == "ソーシャルメディアサービス" for it in sns
    )


def test_show_core_level_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "checklist", "show", "abira-cho", "--json", "--level", "基本")
    assert code == 0, err
    data = json.loads(out)
    assert data["level"] == "基本" and data["item_count"] == data["core_count"] == len(data["items"])
    assert {it["level"] for it in data["items"]} == {"基本"}
    assert [it["position"] for it in data["items"]] == list(range(1, len(data["items"]) + 1))
    code, out, _ = run(capsys, "checklist", "show", "abira-cho", "--json")
    full = json.loads(out)
    assert full["core_count"] == data["item_count"] < full["item_count"]


def test_show_human_groups_by_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checklist", "show", "ogi-kansa-iin")
    assert code == 0
    assert "■ 9(1) 対策基準の策定" in out
    assert "■ 6(3) 情報システム全体の強靱性の向上" in out
    assert (
        out.index("■ 1 方針の目的") < out.index("■ 6(1) 組織体制の確立") < out.index("■ 9(2) 実施手順の策定")
    )
    assert "確認方法:" in out
    assert "[org-01 基本]" in out and "詳細]" in out
    assert "■ 法令 地方自治法" in out


def test_show_unknown_org_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "checklist", "show", "no-such-body")
    assert code == 2
    assert "no-such-body" in err and "selfcheck orgs" in err
    assert "Traceback" not in err


def test_validate_builtin_directory(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "checklist", "validate", str(CHECKLISTS))
    assert code == 0, err
    assert out.startswith("OK: bank 10 files / ")
    assert "5 profiles" in out and "shunan-eisei" in out


def test_validate_single_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "checklist",
        "validate",
        str(CHECKLISTS / "bank" / "outsourcing.yaml"),
        str(CHECKLISTS / "bodies" / "abira-cho.yaml"),
    )
    assert code == 0, err
    assert "1 profiles" in out


# each fixture and the exact `file:line: field: ` start of its message
BAD_CASES = [
    ("bad_syntax.yaml", ":13: (syntax): "),
    ("bad_missing_field.yaml", ":11: items[1].how_to_check: "),
    ("bad_unknown_topic.yaml", ":13: items[1].topic: "),
    ("bad_no_evidence.yaml", ":15: items[1].how_to_check: "),
    ("bad_variant_kind.yaml", ":14: items[0].variants[1].kinds[0]: "),
    ("bad_clause_format.yaml", ":16: measures[2].number: "),
    ("bad_wrong_type.yaml", ":5: threat_count: "),
    ("bad_clause_ref.yaml", ":14: clauses.sns: "),
    ("bad_duplicate_key.yaml", ":14: clauses.purpose: "),
]


@pytest.mark.parametrize(("name", "prefix"), BAD_CASES)
def test_validate_bad_file(capsys: pytest.CaptureFixture[str], name: str, prefix: str) -> None:
    path = BAD / name
    code, out, err = run(capsys, "checklist", "validate", str(path))
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith(f"{path}{prefix}"), lines[0]
    assert len(lines) == 2 and lines[1].startswith("1件の誤り")
    assert out == ""


def test_every_bad_fixture_is_tested() -> None:
    fixtures = {p.name for p in BAD.glob("bad_*.yaml")}
    tested = {name for name, _ in BAD_CASES}
    assert fixtures == tested


def _copy_checklists(tmp_path: Path) -> Path:
    root = tmp_path / "checklists"
    shutil.copytree(CHECKLISTS, root, ignore=shutil.ignore_patterns("__pycache__", "*.py", "schema.json"))
    return root


def test_validate_directory_reports_uncited_clause_at_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = _copy_checklists(tmp_path)
    prof = root / "bodies" / "shunan-eisei.yaml"
    text = prof.read_text(encoding="utf-8")
    prof.write_text(text.replace('  sns: "7(8)③"\n', ""), encoding="utf-8")
    line = next(n for n, ln in enumerate(prof.read_text(encoding="utf-8").splitlines(), 1) if "7(8)③" in ln)
    code, _, err = run(capsys, "checklist", "validate", str(root))
    assert code == 2
    assert err.splitlines()[0].startswith(f"{prof}:{line}: measures[7].children[2].number: ")
    assert "7(8)③" in err.splitlines()[0]


def test_validate_directory_reports_cross_file_duplicate_and_size(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = _copy_checklists(tmp_path)
    sns_file = root / "bank" / "outsourcing.yaml"
    sns_file.write_text(
        sns_file.read_text(encoding="utf-8").replace("id: sns-05", "id: org-01"), encoding="utf-8"
    )
    # a body mapping nearly nothing: coverage and size both fail
    gunma = root / "bodies" / "gunma-sogo-jimu.yaml"
    text = gunma.read_text(encoding="utf-8")
    head, _, rest = text.partition("clauses:\n")
    kept = "".join(ln + "\n" for ln in rest.splitlines()[:6] if ln.startswith("  ") and ": " in ln)
    notes = rest[rest.index("notes:") :]
    gunma.write_text(head + "clauses:\n" + kept + notes, encoding="utf-8")
    code, _, err = run(capsys, "checklist", "validate", str(root))
    assert code == 2
    assert f"{sns_file}:" in err and "duplicate id org-01 (also in organization.yaml)" in err
    assert f"outside {MIN_ITEMS}-{MAX_ITEMS}" in err
    assert "no item cites clause 6(4)" in err


def test_validate_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "checklist", "validate", str(tmp_path / "nothing.yaml"))
    assert code == 2 and "does not exist" in err


def test_schema_is_committed_and_current(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checklist", "schema")
    assert code == 0
    committed = (CHECKLISTS / "schema.json").read_text(encoding="utf-8")
    assert out == committed, (
        "checklists/schema.json is out of date; regenerate it with: "
        "selfcheck checklist schema -o checklists/schema.json"
    )


def test_schema_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    code, _, _ = run(capsys, "checklist", "schema", "-o", str(target))
    assert code == 0
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert {"BankArea", "BankItem", "Clause", "Profile"} <= set(schema["$defs"])
    assert "sns" in schema["$defs"]["BankItem"]["properties"]["topic"]["enum"]
