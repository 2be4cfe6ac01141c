"""The built-in checklists: load the bank and the five body profiles from the packaged `checklists/`
folder, and derive a body's checklist. A malformed file is refused on its own (named, with its line),
not the whole program: `load_catalog()` collects problems instead of raising on the first one."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from selfcheck import paths
from selfcheck.checklist_format import (
    BankArea,
    BankItem,
    ChecklistItem,
    Profile,
    derive,
    load_bank_file,
    load_profile_file,
)
from selfcheck.errors import ChecklistFormatError, NotFoundError


@dataclass
class Catalog:
    areas: list[BankArea] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def bank(self) -> list[BankItem]:
        return [item for area in self.areas for item in area.items]

    def profile(self, org_id: str) -> Profile:
        try:
            return self.profiles[org_id]
        except KeyError:
            raise NotFoundError(
                f"団体 {org_id!r} は見つかりません（selfcheck orgs で一覧を表示できます）",
                f"no body {org_id!r} (list them with `selfcheck orgs`)",
            ) from None

    def checklist(self, org_id: str) -> list[ChecklistItem]:
        return derive(self.bank, self.profile(org_id))


def load_catalog(root: Path | None = None) -> Catalog:
    root = root or paths.builtin_checklists()
    cat = Catalog()
    seen: dict[str, Path] = {}
    for path in sorted((root / "bank").glob("*.yaml")):
        try:
            area = load_bank_file(path)
        except ChecklistFormatError as exc:
            cat.problems.extend(exc.problems)
            continue
        dupes = [i.id for i in area.items if i.id in seen]
        if dupes:
            cat.problems.append(
                f"{path}:1: items: 重複したID / duplicate id {dupes[0]} (also in {seen[dupes[0]].name})"
            )
            continue
        ids = [i.id for i in area.items]
        inner = [x for k, x in enumerate(ids) if x in ids[:k]]
        if inner:  # the same id twice in one file would make answers of two questions collide
            cat.problems.append(f"{path}:1: items: 重複したID / duplicate id {inner[0]} (twice in this file)")
            continue
        seen.update({i.id: path for i in area.items})
        cat.areas.append(area)
    for path in sorted((root / "bodies").glob("*.yaml")):
        try:
            prof = load_profile_file(path)
        except ChecklistFormatError as exc:
            cat.problems.extend(exc.problems)
            continue
        cat.profiles[prof.id] = prof
    return cat


@lru_cache(maxsize=1)
def builtin_catalog() -> Catalog:
    return load_catalog()
