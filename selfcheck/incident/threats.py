"""Which clause of a body's 「対象とする脅威」 an incident answers.

Playbooks speak in normalised threat keys; each body numbers its threats its own way (群馬 has four, its
3(4) covering both staff shortage and infrastructure outage). The table lives in `data/threat_map.yaml`;
a body not listed there (an imported policy) falls back on its profile's `threat_count`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from selfcheck import paths

THREAT_KEYS = ("intentional", "unintentional", "disaster", "pandemic", "infrastructure")


@dataclass(frozen=True)
class ThreatRef:
    key: str
    label: str
    clause: str  # e.g. "3(4)"; "3" when the body's numbering is unknown


@lru_cache(maxsize=1)
def threat_map() -> dict[str, Any]:
    from selfcheck.yaml_lines import load_data  # the one safe YAML loader (no aliases, bounded)

    data: dict[str, Any] = load_data(paths.builtin_data() / "threat_map.yaml")
    return data


def mapping_for(org_id: str, threat_count: int | None) -> dict[str, str]:
    data = threat_map()
    if org_id in data["bodies"]:
        return dict(data["bodies"][org_id])
    if threat_count in data["defaults"]:
        return dict(data["defaults"][threat_count])
    return dict.fromkeys(THREAT_KEYS, "3")


def clause_for(org_id: str, threat: str, threat_count: int | None = None) -> ThreatRef:
    data = threat_map()
    return ThreatRef(
        key=threat,
        label=data["threats"].get(threat, threat),
        clause=mapping_for(org_id, threat_count).get(threat, "3"),
    )
