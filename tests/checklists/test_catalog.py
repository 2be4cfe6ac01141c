"""load_catalog refuses a malformed file on its own: the other files still load, and the problem names
the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

from selfcheck.catalog import load_catalog
from tests.conftest import BODY_IDS, REPO


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "checklists"
    shutil.copytree(REPO / "checklists", root, ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.json"))
    return root


def test_broken_profile_is_refused_alone(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    bad = root / "bodies" / "abira-cho.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("threat_count: 5", "threat_count: many"), encoding="utf-8"
    )
    cat = load_catalog(root)
    assert sorted(cat.profiles) == sorted(set(BODY_IDS) - {"abira-cho"})
    assert len(cat.problems) == 1 and cat.problems[0].startswith(f"{bad}:10: threat_count: ")
    assert len(cat.checklist("shunan-eisei")) > 60


def test_broken_bank_file_is_refused_alone(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    bad = root / "bank" / "physical.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "  - id: [unclosed\n", encoding="utf-8")
    cat = load_catalog(root)
    assert len(cat.areas) == 9
    assert cat.problems and cat.problems[0].startswith(f"{bad}:")
    assert not any(i.topic == "physical" for i in cat.bank)


def test_duplicate_id_within_one_file_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    f = root / "bank" / "human.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("id: hum-02", "id: hum-01"), encoding="utf-8")
    cat = load_catalog(root)
    assert any("duplicate id hum-01" in p for p in cat.problems)
    assert not any(i.topic == "human" for i in cat.bank)
