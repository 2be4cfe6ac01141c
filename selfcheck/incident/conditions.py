"""When an outside report applies: conditions on the triage answers, decided in three values.

An unanswered triage question must never read as 「いいえ」: a report whose trigger depends on it is shown
as 要判断, naming the questions that would decide it, rather than silently left out or given a date. So a
condition evaluates to True, False or None (cannot decide yet) with the keys still open (Kleene logic):

- `all_yes`: every listed answer is yes. Any "no" makes it False; unanswered ones leave it open.
- `any_yes`: at least one listed answer is yes. All "no" makes it False; otherwise open until one is yes.
- `none_yes`: none of the listed answers is yes. This is how exemptions are written (高度な暗号化): an
  exemption holds only when it is affirmatively answered, so an unanswered one does not exempt.
- `flags`, `org_kind`: facts of the playbook and the body, always known.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Tri = bool | None


class Condition(BaseModel):
    """All parts must hold (an empty condition always holds)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    # not `yes`/`no` as keys: YAML 1.1 reads those as booleans
    all_yes: list[str] = Field(default_factory=list)
    any_yes: list[str] = Field(default_factory=list)
    none_yes: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    org_kind: list[str] = Field(default_factory=list)

    def keys(self) -> set[str]:
        return {*self.all_yes, *self.any_yes, *self.none_yes}

    def decide(self, triage: dict[str, str], flags: set[str], org_kind: str) -> tuple[Tri, set[str]]:
        """(True | False | None, the unanswered keys that keep it open)."""
        if self.flags and not flags & set(self.flags):
            return False, set()
        if self.org_kind and org_kind not in self.org_kind:
            return False, set()
        if any(triage.get(k) == "yes" for k in self.none_yes):
            return False, set()
        if any(triage.get(k) == "no" for k in self.all_yes):
            return False, set()
        open_keys = {k for k in self.all_yes if triage.get(k) != "yes"}
        if self.any_yes and not any(triage.get(k) == "yes" for k in self.any_yes):
            unanswered = {k for k in self.any_yes if triage.get(k) != "no"}
            if not unanswered:
                return False, set()
            open_keys |= unanswered
        return (None, open_keys) if open_keys else (True, set())

    def matches(self, triage: dict[str, str], flags: set[str], org_kind: str) -> bool:
        """Holds for certain (an open condition does not match)."""
        return self.decide(triage, flags, org_kind)[0] is True


def decide_any(
    conds: list[Condition], triage: dict[str, str], flags: set[str], org_kind: str
) -> tuple[Tri, set[str]]:
    """Any block holds: True if one is True; None (with the open keys of the open blocks) if none is
    True but some are open; False otherwise."""
    pending: set[str] = set()
    undecided = False
    for c in conds:
        value, keys = c.decide(triage, flags, org_kind)
        if value is True:
            return True, set()
        if value is None:
            undecided = True
            pending |= keys
    return (None, pending) if undecided else (False, set())


def any_matches(conds: list[Condition], triage: dict[str, str], flags: set[str], org_kind: str) -> bool:
    return decide_any(conds, triage, flags, org_kind)[0] is True
