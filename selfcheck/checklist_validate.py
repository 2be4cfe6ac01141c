"""Checks on checklist data beyond one file's schema, for the people who edit the bank and the profiles.

`selfcheck checklist validate` uses this: a single YAML file gets its schema checked (every error as
`file:line: field: message`); a directory holding `bank/` and `bodies/` also gets the cross-checks that
only make sense together: duplicate item ids across area files, each profile's id against its file
name, topics the format does not know, and, per body, that the derived checklist cites every required
clause and stays within a size a clerk can finish, and that its 基本 items alone still cite every required
clause and number CORE_MIN–CORE_MAX (what a small office checks every year). `checklist_schema()` is the JSON Schema committed as
`checklists/schema.json` so that editors can validate while typing.

UI-free: the CLI prints what this returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from selfcheck import inputs
from selfcheck.checklist_format import BankArea, BankItem, Clause, Profile, derive, uncited
from selfcheck.errors import ChecklistFormatError, NotFoundError
from selfcheck.vocabulary import CORE, LAW_TOPICS, TOPICS
from selfcheck.yaml_lines import Loc, format_loc, line_for, load_with_lines, validation_problems

# A body's full checklist (基本＋詳細) covers the model standards' small-body measures; its 基本 set is what a
# 5–20 person office checks every year, so it must stay small and still cite every section and measure.
MIN_ITEMS = 60
MAX_ITEMS = 200
CORE_MIN = 50
CORE_MAX = 70

Kind = Literal["bank", "profile"]
_BANK_KEY = re.compile(r"^(area|items)\s*:", re.MULTILINE)


@dataclass
class LoadedFile:
    path: Path
    kind: Kind
    model: BankArea | Profile | None
    lines: dict[Loc, int]
    problems: list[str]


@dataclass
class Report:
    """What `validate` found: problems (one `file:line: field: message` each) and counts."""

    problems: list[str] = field(default_factory=list)
    bank_files: int = 0
    bank_items: int = 0
    profiles: int = 0
    checklist_sizes: dict[str, int] = field(default_factory=dict)
    core_sizes: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        parts = []
        if self.bank_files:
            parts.append(f"bank {self.bank_files} files / {self.bank_items} items")
        if self.profiles:
            parts.append(f"{self.profiles} profiles")
        if self.checklist_sizes:
            parts.append(
                "items per body (基本): "
                + ", ".join(
                    f"{k} {v} ({self.core_sizes[k]})" if k in self.core_sizes else f"{k} {v}"
                    for k, v in self.checklist_sizes.items()
                )
            )
        return "; ".join(parts)

    def merge(self, other: Report) -> None:
        self.problems += other.problems
        self.bank_files += other.bank_files
        self.bank_items += other.bank_items
        self.profiles += other.profiles
        self.checklist_sizes.update(other.checklist_sizes)
        self.core_sizes.update(other.core_sizes)


def file_kind(path: Path) -> Kind:
    """A file in `bank/` or `bodies/` is what its folder says; elsewhere, a bank file is the one with
    top-level `area:` or `items:` keys."""
    parent = path.parent.name
    if parent == "bank":
        return "bank"
    if parent == "bodies":
        return "profile"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return "profile"  # the loader reports the real problem with its line
    return "bank" if _BANK_KEY.search(text) else "profile"


def load_file(path: Path, kind: Kind | None = None) -> LoadedFile:
    """Parse and schema-check one file; never raises for bad content."""
    kind = kind or file_kind(path)
    try:
        data, lines = load_with_lines(path)
    except ChecklistFormatError as exc:
        return LoadedFile(path, kind, None, {}, list(exc.problems))
    model_cls: type[BaseModel] = BankArea if kind == "bank" else Profile
    try:
        model: Any = model_cls.model_validate(data)
    except ValidationError as exc:
        return LoadedFile(path, kind, None, lines, validation_problems(path, lines, exc.errors()))
    loaded = LoadedFile(path, kind, model, lines, [])
    loaded.problems += _bank_checks(loaded) if kind == "bank" else _profile_checks(loaded)
    return loaded


def _at(f: LoadedFile, loc: Loc, ja: str, en: str) -> str:
    return f"{f.path}:{line_for(f.lines, loc)}: {format_loc(loc)}: {ja} / {en}"


def _bank_checks(f: LoadedFile) -> list[str]:
    assert isinstance(f.model, BankArea)
    out, seen = [], set()
    for i, item in enumerate(f.model.items):
        if item.id in seen:
            out.append(
                _at(f, ("items", i, "id"), f"IDが重複しています（{item.id}）", f"duplicate id {item.id}")
            )
        seen.add(item.id)
    return out


def _walk_clauses(clauses: list[Clause], loc: Loc) -> list[tuple[Loc, Clause]]:
    out = []
    for i, c in enumerate(clauses):
        out.append(((*loc, i), c))
        out += _walk_clauses(c.children, (*loc, i, "children"))
    return out


def _profile_checks(f: LoadedFile) -> list[str]:
    prof = f.model
    assert isinstance(prof, Profile)
    out = []
    if prof.id != f.path.stem:
        out.append(
            _at(
                f,
                ("id",),
                f"ファイル名（{f.path.stem}）と一致しません",
                f"id {prof.id!r} does not match the file name {f.path.stem!r}",
            )
        )
    numbers: dict[str, Loc] = {}
    for loc, c in _walk_clauses(prof.sections, ("sections",)) + _walk_clauses(prof.measures, ("measures",)):
        if c.number in numbers:
            out.append(
                _at(
                    f,
                    (*loc, "number"),
                    f"条項番号 {c.number} が重複しています",
                    f"clause {c.number} appears twice",
                )
            )
        numbers.setdefault(c.number, loc)
        if c.topic is not None and c.topic not in TOPICS:
            out.append(_at(f, (*loc, "topic"), f"未知のトピック {c.topic!r}", f"unknown topic {c.topic!r}"))
        for child in c.children:
            if not child.number.startswith(c.number):
                out.append(
                    _at(
                        f,
                        (*loc, "number"),
                        f"{child.number} は {c.number} の下位の番号ではありません",
                        f"child {child.number} is not under {c.number}",
                    )
                )
    if prof.measures_section not in {s.number for s in prof.sections}:
        out.append(
            _at(
                f,
                ("measures_section",),
                f"{prof.measures_section} は sections にありません",
                f"{prof.measures_section!r} is not one of the sections",
            )
        )
    for i, m in enumerate(prof.measures):
        if not m.number.startswith(prof.measures_section + "("):
            out.append(
                _at(
                    f,
                    ("measures", i, "number"),
                    f"{m.number} は対策の節 {prof.measures_section} の下にありません",
                    f"measure {m.number} is not under section {prof.measures_section}",
                )
            )
    return out


def _clause_loc(prof: Profile, number: str) -> Loc:
    for loc, c in _walk_clauses(prof.sections, ("sections",)) + _walk_clauses(prof.measures, ("measures",)):
        if c.number == number:
            return (*loc, "number")
    return ()


def validate_paths(paths: list[Path]) -> Report:
    report = Report()
    for p in paths:
        if p.is_dir():
            report.merge(validate_dir(p))
        elif p.is_file():
            report.merge(validate_file(p))
        elif p.exists():  # a FIFO or a device: refused unread (inputs says what it is)
            inputs.open_regular(p, 0)
        else:
            raise NotFoundError(f"{p} はありません", f"{p} does not exist", where=str(p))
    return report


def validate_file(path: Path) -> Report:
    f = load_file(path)
    rep = Report(problems=list(f.problems))
    if f.kind == "bank":
        rep.bank_files = 1
        rep.bank_items = len(f.model.items) if isinstance(f.model, BankArea) else 0
    else:
        rep.profiles = 1
    return rep


def validate_dir(root: Path) -> Report:
    """Every file under `root/bank` and `root/bodies`, then the cross-checks."""
    bank_dir, bodies_dir = root / "bank", root / "bodies"
    if not bank_dir.is_dir() and not bodies_dir.is_dir():
        raise NotFoundError(
            f"{root} に bank/ も bodies/ もありません",
            f"{root} has neither bank/ nor bodies/",
            where=str(root),
        )
    banks = [load_file(p, "bank") for p in sorted(bank_dir.glob("*.yaml"))]
    profiles = [load_file(p, "profile") for p in sorted(bodies_dir.glob("*.yaml"))]
    rep = Report(bank_files=len(banks), profiles=len(profiles))
    for f in banks + profiles:
        rep.problems += f.problems

    bank: list[BankItem] = []
    first_seen: dict[str, Path] = {}
    for f in banks:
        if not isinstance(f.model, BankArea):
            continue
        for i, item in enumerate(f.model.items):
            other = first_seen.get(item.id)
            if other is not None and other != f.path:
                rep.problems.append(
                    _at(
                        f,
                        ("items", i, "id"),
                        f"IDが {other.name} と重複しています（{item.id}）",
                        f"duplicate id {item.id} (also in {other.name})",
                    )
                )
                continue
            first_seen.setdefault(item.id, f.path)
            bank.append(item)
    rep.bank_items = len(bank)

    if bank_dir.is_dir():  # coverage needs the bank; a bodies-only folder gets the schema checks alone
        for f in profiles:
            prof = f.model
            if not isinstance(prof, Profile):
                continue
            items = derive(bank, prof)
            rep.checklist_sizes[prof.id] = len(items)
            for number in uncited(items, prof):
                rep.problems.append(
                    _at(
                        f,
                        _clause_loc(prof, number),
                        f"条項 {number} を引用する項目がありません",
                        f"no item cites clause {number}",
                    )
                )
            if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
                rep.problems.append(
                    _at(
                        f,
                        ("clauses",),
                        f"項目数 {len(items)} が {MIN_ITEMS}〜{MAX_ITEMS} の範囲外です",
                        f"checklist has {len(items)} items, outside {MIN_ITEMS}-{MAX_ITEMS}",
                    )
                )
            core = derive(bank, prof, level=CORE)
            rep.core_sizes[prof.id] = len(core)
            # a clause with no item at all is reported above; here only what the 基本 set alone misses
            missing = set(uncited(items, prof))
            for number in uncited(core, prof):
                if number in missing:
                    continue
                rep.problems.append(
                    _at(
                        f,
                        _clause_loc(prof, number),
                        f"条項 {number} を引用する基本の項目がありません",
                        f"no {CORE} item cites clause {number}",
                    )
                )
            if not CORE_MIN <= len(core) <= CORE_MAX:
                rep.problems.append(
                    _at(
                        f,
                        ("clauses",),
                        f"基本の項目数 {len(core)} が {CORE_MIN}〜{CORE_MAX} の範囲外です",
                        f"{len(core)} {CORE} items, outside {CORE_MIN}-{CORE_MAX}",
                    )
                )
    return rep


def checklist_schema() -> dict[str, Any]:
    """One JSON Schema document for both kinds of file (bank area or body profile)."""
    from pydantic.json_schema import models_json_schema

    _, schema = models_json_schema([(BankArea, "validation"), (Profile, "validation")])
    defs = schema["$defs"]
    # The topic vocabulary is checked in Python; spell it out for editors as well.
    topics = list(TOPICS)
    defs["BankItem"]["properties"]["topic"]["enum"] = topics
    # law topics cite the law for every body, so a profile never maps them
    defs["Profile"]["properties"]["clauses"]["propertyNames"] = {
        "enum": [t for t in topics if t not in LAW_TOPICS]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "selfcheck checklist data",
        "description": (
            "checklists/bank/*.yaml (BankArea) and checklists/bodies/*.yaml (Profile). "
            "Generated by `selfcheck checklist schema -o checklists/schema.json`; do not edit by hand."
        ),
        "anyOf": [{"$ref": "#/$defs/BankArea"}, {"$ref": "#/$defs/Profile"}],
        "$defs": defs,
    }
