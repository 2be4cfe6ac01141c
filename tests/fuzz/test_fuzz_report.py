"""Fuzz the report builder end to end: hostile Unicode (very long strings, emoji, control characters,
right-to-left text, unpaired surrogates) goes in through the core API into every text field a user can
type (comment, 該当しない reason, improvement action and owner, paper-evidence location and description,
the actor name), then the inspection report PDF is built and must open with `pdfinfo`. A SelfcheckError
from the core (e.g. a text over the length limit) is an acceptable answer; any other exception is not."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from fuzz_common import hostile_text, report
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from selfcheck import evidence, inspection
from selfcheck.errors import SelfcheckError
from selfcheck.workspace import Workspace, open_workspace

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
EXAMPLES = 12


def _try(fn: object, *a: object, **kw: object) -> None:
    with contextlib.suppress(SelfcheckError):  # a clear refusal (e.g. over the length limit) is fine
        fn(*a, **kw)  # type: ignore[operator]


@pytest.mark.slow  # about 35 s: twelve full reports built and opened with pdfinfo
def test_inspection_report_pdf_survives_hostile_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from selfcheck.report import data as report_data
    from selfcheck.report import inspection_pdf as builder

    home = tmp_path / "home"
    base = open_workspace(home, actor="準備")
    iid = inspection.start(base, org_id="shunan-eisei", fiscal_year=2026)
    items = [it.item_id for it in inspection.detail(base, iid).items]
    base.close()
    n = built = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )  # shrinking would rebuild PDFs for minutes
    @given(
        actor=hostile_text,
        texts=st.lists(hostile_text, min_size=7, max_size=7),
        start=st.integers(0, len(items) - 3),
        value=st.sampled_from(["implemented", "partial", "not_implemented", "not_applicable"]),
    )
    def example(actor: str, texts: list[str], start: int, value: str) -> None:
        nonlocal n, built
        n += 1
        ws = Workspace(home=home, actor=actor)
        a, b, c = items[start : start + 3]
        _try(inspection.record_answer, ws, inspection_id=iid, item_id=a, value=value, comment=texts[0])
        _try(
            inspection.record_answer,
            ws,
            inspection_id=iid,
            item_id=b,
            value="not_applicable",
            na_reason=texts[1],
        )
        _try(inspection.record_answer, ws, inspection_id=iid, item_id=c, value="partial", comment=texts[2])
        _try(
            inspection.set_improvement,
            ws,
            inspection_id=iid,
            item_id=c,
            action=texts[3],
            owner=texts[4],
            due_date="2027-03-31",
        )
        _try(evidence.attach_paper, ws, texts[5], inspection_id=iid, item_id=a, description=texts[6])
        out = tmp_path / f"r{n}.pdf"
        builder.build(report_data.gather(ws, iid), out)
        ws.close()
        r = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert "Pages:" in r.stdout
        built += 1
        out.unlink()

    example()
    report(capsys, f"inspection report builder (PDFs built and opened with pdfinfo: {built})", n)
    assert built > 0


def test_cell_taller_than_two_pages(tmp_path: Path) -> None:
    """Found by the fuzz test: a table row taller than about two pages (a comment of 1,200 short lines)
    made reportlab raise LayoutError."""
    from selfcheck.report import data as report_data
    from selfcheck.report import inspection_pdf

    ws = open_workspace(tmp_path / "home", actor="x")
    iid = inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)
    item = inspection.detail(ws, iid).items[0].item_id
    inspection.record_answer(ws, inspection_id=iid, item_id=item, value="partial", comment="漢\n" * 1200)
    out = inspection_pdf.build(report_data.gather(ws, iid), tmp_path / "long.pdf")
    assert subprocess.run(["pdfinfo", str(out)], capture_output=True).returncode == 0
