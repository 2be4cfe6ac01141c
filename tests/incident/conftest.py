"""Incident test helpers: an incident opened for a union (周南地区衛生施設組合) on the fixed clock."""

from __future__ import annotations

import pytest

from selfcheck.workspace import Workspace

ORG = "shunan-eisei"  # kind: union (構成市町村 applies)
TOWN = "abira-cho"


@pytest.fixture
def incident(ws: Workspace) -> int:
    from selfcheck.incident import cases

    return cases.open_incident(ws, org_id=ORG, playbook_id="lost-stolen", detected_at="2026-11-21T09:30")
