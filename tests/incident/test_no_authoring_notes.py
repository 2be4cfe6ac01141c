"""Authoring notes (「［要確認］」) are for the people who write the data files; clerks never see them: not
in any text value of data/ (help, guidance, notes shown on screen and in the incident report), not in the
demo, not in the incident PDF (issue 11). Notes for authors live in YAML comments."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from selfcheck import paths
from selfcheck.incident import demo
from selfcheck.issue import issue_incident_report
from selfcheck.workspace import Workspace

from .conftest import ORG

NOTE = re.compile(r"[［\[]要確認")


def _strings(value: object, where: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [s for n, v in enumerate(value) for s in _strings(v, f"{where}[{n}]")]
    return []


def test_no_text_value_in_the_data_files_carries_an_authoring_note() -> None:
    found = []
    for path in sorted(paths.builtin_data().rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [f"{path.name}:{w}: {t}" for w, t in _strings(data, "") if NOTE.search(t)]
    assert found == []


def test_the_demo_carries_no_authoring_note() -> None:
    assert not [c for c in demo.DEMO_CONTACTS if any(NOTE.search(x) or "要確認" in x for x in c)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_incident_report_carries_no_authoring_note_and_uses_wareki(ws: Workspace, tmp_path: Path) -> None:
    iid = demo.create_demo_incident(ws, ORG)
    pdf = tmp_path / "incident.pdf"
    issue_incident_report(ws, iid, pdf, sign=False)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    flat = "".join(text.split())
    assert not NOTE.search(flat)  # uncertainty may be said in words (「扱いは要確認です」), never as a mark
    assert "令和8年11月21日16:40" in flat  # 覚知 in 和暦, JST (the demo's fixed clock: 2026-11-23 10:00)
    assert "2026-11-21T" not in flat and "+09:00" not in flat
    assert "下書き" in flat and "手順" in flat
