"""Key/value settings stored in the database (JSON values). Changes are audited, except `ui.*` keys,
which only remember where the user was (cursor position) and are not recorded data."""

from __future__ import annotations

import json
from typing import Any

from selfcheck import audit
from selfcheck.workspace import Workspace

DEFAULTS: dict[str, Any] = {
    "current_org": None,
    "actor": "",
    "evidence.max_bytes": 1024**3,  # 1 GiB
    "backup.keep": 7,
    "backup.auto": True,
}


def get(ws: Workspace, key: str) -> Any:
    from selfcheck.models.tables import Setting

    with ws.read() as s:
        row = s.get(Setting, key)
        return json.loads(row.value) if row else DEFAULTS.get(key)


def set_(ws: Workspace, key: str, value: Any) -> None:
    from selfcheck.models.tables import Setting

    encoded = json.dumps(value, ensure_ascii=False)
    with ws.write() as s:
        row = s.get(Setting, key)
        old = row.value if row else None
        if old == encoded:
            return
        if row is None:
            s.add(Setting(key=key, value=encoded, updated_at=ws.now()))
        else:
            row.value = encoded
            row.updated_at = ws.now()
            s.add(row)
        if not key.startswith("ui."):
            audit.record(
                s, ws, action="update", entity="setting", entity_id=key, field="value", old=old, new=encoded
            )
