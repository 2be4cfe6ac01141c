"""Golden: each of the five published policies, turned into a PDF, a Word file and a saved web page,
imports to exactly the same profile and checklist as its text."""

from __future__ import annotations

import pytest

from selfcheck.catalog import builtin_catalog
from selfcheck.policy_import.build import draft_from_bytes, draft_from_text
from tests.conftest import BODY_IDS, policy_text
from tests.policy_import.formats import to_docx, to_html, to_pdf

CONVERTERS = {
    "pdf": (lambda t: to_pdf(t, header=t.strip().split("\n")[0]), ".pdf"),
    "pdf-cid": (lambda t: to_pdf(t, cid=True), ".pdf"),
    "docx": (to_docx, ".docx"),
    "html": (to_html, ".html"),
}


@pytest.mark.parametrize("fmt", list(CONVERTERS))
@pytest.mark.parametrize("body_id", BODY_IDS)
def test_every_format_gives_the_profile_and_checklist_of_the_text(body_id: str, fmt: str) -> None:
    text = policy_text(body_id)
    convert, ext = CONVERTERS[fmt]
    want = draft_from_text(text)
    got = draft_from_bytes(convert(text), ext=ext)
    assert got.source_kind == fmt.split("-")[0]
    assert got.profile() == want.profile(), f"{body_id} as {fmt}"
    bank = builtin_catalog().bank
    assert [i.as_dict() for i in got.items(bank)] == [i.as_dict() for i in want.items(bank)]
