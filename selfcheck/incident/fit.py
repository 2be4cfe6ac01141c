"""What a playbook says to one body: which playbooks and steps apply to it, and its words filled in.

The outage playbook must not tell a body without LGWAN to check LGWAN, nor one without a server room to
check the server room's cooling; the SNS playbook is offered only to a body whose policy has an SNS clause
(安平町's has none). This reads the body's profile (network segments, the topics its policy has clauses
for) and `data/body_facts.yaml` (facts the profiles do not carry, such as the name of the server room).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from selfcheck import orgs, paths
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from selfcheck.incident.playbook import OnlyFor, Playbook, Step


@dataclass(frozen=True)
class BodyFit:
    org_id: str
    kind: str
    segments: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()  # topics the body's policy has a clause for (e.g. sns)
    facts: dict[str, str] = field(default_factory=dict)

    def allows(self, only: OnlyFor | None) -> bool:
        if only is None:
            return True
        return (
            (not only.segments or bool(self.segments & set(only.segments)))
            and all(f in self.facts for f in only.facts)
            and all(t in self.topics for t in only.clauses)
        )

    def fill(self, text: str) -> str:
        """Put the body's words into a step text (`{server_room}` -> 電子計算機室)."""
        for name, value in self.facts.items():
            text = text.replace("{" + name + "}", value)
        return text


@lru_cache(maxsize=1)
def facts_data() -> dict[str, Any]:
    from selfcheck.yaml_lines import load_data  # the one safe YAML loader (PyYAML: heavy)

    data: dict[str, Any] = load_data(paths.builtin_data() / "body_facts.yaml")
    return data


def known_facts() -> set[str]:
    return set(facts_data()["facts"])


def body_fit(ws: Workspace | None, org_id: str) -> BodyFit:
    prof = orgs.profile(ws, org_id)
    facts = facts_data()["bodies"].get(org_id) or {}
    return BodyFit(
        org_id=org_id,
        kind=prof.kind,
        segments=frozenset(prof.segments),
        topics=frozenset(prof.clauses),
        facts={str(k): str(v) for k, v in facts.items()},
    )


def steps_for(pb: Playbook, body: BodyFit) -> list[tuple[str, Step]]:
    """(phase id, step) of the steps that apply to the body, in playbook order."""
    return [(p.id, s) for p, s in pb.steps() if body.allows(s.only_for)]
