"""The checklist data format (question bank and body profiles) and its derivation.

- `checklists/bank/<area>.yaml`: questions written from the 総務省 model standards, each tagged with the
  *topic* of the policy clause it checks (a normalised key such as `physical` or `resilience_lgwan`).
- `checklists/bodies/<body-id>.yaml`: one profile per body: its sections and measures with their own
  numbers and titles, its network segments, and `clauses`, which maps each topic to that body's clause
  number (`physical: "7(4)"`, `sns: "7(8)③"`).

`derive(bank, profile)` gives the body's checklist: an item appears only when the body has a clause for
its topic and every segment it requires, and it cites that clause. The result is plain data that the
database snapshots when an inspection starts.

Gating and wording, all explicit in the bank item:
- `topic`: the item checks what the body's clause for this topic requires. Besides the heading topics
  (`physical`, `sns`, ...) there are *content* topics for requirements only some clauses state
  (`mynumber_isolation` is mapped only where 6(3)① requires separation, `council` only where 4 or 5 covers
  the 議会・議員, `sanctions` to 5 where it speaks of 違反, else to 運用): a clause that does not require
  what an item asks is never cited by it, so a 「いいえ」 never records a gap against the wrong clause.
- `local_autonomy_act` is not a clause of the policy: the duty to adopt and publish the policy comes from
  the 地方自治法, so those items cite the law (`LAW_CLAUSE`) for every body.
- `requires_segments`: network segments the body must define.
- `variants`: per body kind (組合, 広域連合, 委員会, 町, 市) wording of the question or 確認方法.
- `level`: 基本 (checked every year) or 詳細; an inspection may take the 基本 items only.
Text may use `{guideline}` for the guideline edition, which lives in `GUIDELINE_EDITION` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from selfcheck.checklist_text import check_how_to_check, check_sources, check_text, render
from selfcheck.vocabulary import LAW_CLAUSE, LAW_TOPICS, TOPICS
from selfcheck.yaml_lines import load_model

Segment = Literal["mynumber", "lgwan", "internet", "school_admin", "school_edu"]

# The schema's types for vocabulary.KIND_LABELS and LEVELS (test_derive checks they agree).
Kind = Literal["union", "regional_union", "committee", "town", "city", "other"]
Level = Literal["基本", "詳細"]

Topic = str

CLAUSE_RE = re.compile(r"^(?P<sec>\d+)(?:\((?P<sub>\d+)\)(?P<circ>[①-⑳])?)?$")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def clause_sort_key(clause: str) -> tuple[int, int, int]:
    m = CLAUSE_RE.match(clause)
    if not m:
        return (10_000, 0, 0)
    sub = int(m["sub"]) if m["sub"] else 0
    circ = CIRCLED.index(m["circ"]) + 1 if m["circ"] else 0
    return (int(m["sec"]), sub, circ)


def section_of(clause: str) -> str:
    """`6(3)②` -> `6(3)`; `9(1)` -> `9(1)`; `3` -> `3`: the level at which progress is grouped."""
    m = CLAUSE_RE.match(clause)
    if not m:
        return clause
    return f"{m['sec']}({m['sub']})" if m["sub"] else m["sec"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Variant(_Strict):
    """Wording for some body kinds (`kinds: [union]`): replaces the item's question and/or 確認方法."""

    kinds: list[Kind] = Field(min_length=1)
    question: str | None = Field(default=None, min_length=5)
    how_to_check: str | None = Field(default=None, min_length=5)

    @field_validator("question")
    @classmethod
    def _question_text(cls, v: str | None) -> str | None:
        return v if v is None else check_text(v)

    @field_validator("how_to_check")
    @classmethod
    def _evidence(cls, v: str | None) -> str | None:
        return v if v is None else check_how_to_check(v)

    @model_validator(mode="after")
    def _says_something(self) -> Variant:
        if self.question is None and self.how_to_check is None:
            raise ValueError("a variant needs question or how_to_check")
        return self


class BankItem(_Strict):
    """One question in the bank."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*-\d{2,3}$", description="stable id, e.g. phys-03")
    topic: Topic = Field(description="normalised topic of the policy clause this item checks")
    level: Level = Field(description="基本: a small body checks it every year; 詳細: the fuller set")
    question: str = Field(min_length=5, description="concrete, answerable by a clerk")
    how_to_check: str = Field(min_length=5, description="確認方法: which document or record is the evidence")
    guideline_ref: str = Field(
        pattern=r"^GL \d+(\.\d+)?$", description='section-level reference, e.g. "GL 4.2"'
    )
    requires_segments: list[Segment] = Field(default_factory=list)
    variants: list[Variant] = Field(
        default_factory=list, description="per body kind wording; the first variant naming the kind wins"
    )
    source: str | list[str] | None = Field(
        default=None,
        description="mic-outline statement(s) the item checks, e.g. C-4.4-03 or [C-5.3-01, C-1-10]; 補足 "
        "for a check the outline does not state",
    )

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, v: str) -> str:
        if v not in TOPICS:
            raise ValueError(f"unknown topic {v!r}; known: {', '.join(TOPICS)}")
        return v

    @field_validator("question")
    @classmethod
    def _question_text(cls, v: str) -> str:
        return check_text(v)

    @field_validator("how_to_check")
    @classmethod
    def _evidence(cls, v: str) -> str:
        return check_how_to_check(v)

    @field_validator("source")
    @classmethod
    def _source_ids(cls, v: str | list[str] | None) -> str | list[str] | None:
        return check_sources(v)

    @field_validator("variants")
    @classmethod
    def _one_variant_per_kind(cls, v: list[Variant]) -> list[Variant]:
        seen: set[str] = set()
        for var in v:
            twice = seen & set(var.kinds)
            if twice:
                raise ValueError(f"kind {sorted(twice)[0]!r} is in more than one variant")
            seen |= set(var.kinds)
        return v

    @property
    def sources(self) -> list[str]:
        """The cited statement ids (without 補足)."""
        ids = [self.source] if isinstance(self.source, str) else (self.source or [])
        return [s for s in ids if s != "補足"]

    def wording(self, kind: str) -> tuple[str, str]:
        """(question, how_to_check) for a body of `kind`, placeholders filled in."""
        q, h = self.question, self.how_to_check
        for var in self.variants:
            if kind in var.kinds:
                q, h = var.question or q, var.how_to_check or h
                break
        return render(q), render(h)


class BankArea(_Strict):
    """One bank file: an area of the model standards and its questions."""

    area: str = Field(pattern=r"^[a-z_]+$")
    title: str
    items: list[BankItem] = Field(min_length=1)


class Clause(_Strict):
    number: str
    title: str
    topic: Topic | None = None
    children: list[Clause] = Field(default_factory=list)

    @field_validator("number")
    @classmethod
    def _clause_format(cls, v: str) -> str:
        if not CLAUSE_RE.match(v):
            raise ValueError(f"clause {v!r} is not in the form 6, 6(3) or 6(3)②")
        return v


class Profile(_Strict):
    """A body's policy as the checklist needs it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: Kind = "other"
    policy_title: str
    adopted: date | None = None
    adopted_text: str = ""
    segments: list[Segment] = Field(default_factory=list)
    threat_count: int = Field(ge=1, le=20)
    has_self_inspection: bool = True
    sections: list[Clause] = Field(min_length=1)
    measures_section: str = Field(description="number of the section listing the 情報セキュリティ対策")
    measures: list[Clause] = Field(min_length=1)
    clauses: dict[Topic, str] = Field(description="topic -> this body's clause number")
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _clauses_exist(self) -> Profile:
        # Report each bad entry at its own key (`clauses.sns`), not at the document root, so that the
        # `file:line: field:` message points at the offending line of the profile.
        known = set(self.clause_titles())
        errors: list[InitErrorDetails] = []
        for topic, number in self.clauses.items():
            if topic not in TOPICS:
                msg = f"unknown topic {topic!r}; known: {', '.join(TOPICS)}"
            elif topic in LAW_TOPICS:
                msg = f"{topic!r} items cite the law ({LAW_CLAUSE}), not a clause of the policy"
            elif not CLAUSE_RE.match(number):
                msg = f"clause {number!r} is not in the form 6, 6(3) or 6(3)②"
            elif number not in known:
                msg = f"{number!r} is not a section or measure of this profile"
            else:
                continue
            # the text goes in as context: a brace in user data must not be read as a template field
            errors.append(
                InitErrorDetails(
                    type=PydanticCustomError("clause_ref", "{msg}", {"msg": msg}),
                    loc=("clauses", topic),
                    input=number,
                )
            )
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def clause_titles(self) -> dict[str, str]:
        out: dict[str, str] = {}

        def walk(items: list[Clause]) -> None:
            for c in items:
                out[c.number] = c.title
                walk(c.children)

        walk(self.sections)
        walk(self.measures)
        return out

    def required_citations(self) -> list[str]:
        """Clauses that the checklist must cite: every top-level section, every measure and each ①②③."""
        out = [s.number for s in self.sections]
        for m in self.measures:
            out.append(m.number)
            out.extend(c.number for c in m.children)
        return out


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a body's derived checklist (what `checklist show --json` prints)."""

    id: str
    clause: str
    clause_title: str
    section: str
    section_title: str
    topic: str
    question: str
    how_to_check: str
    guideline_ref: str
    position: int
    level: str

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def load_bank_file(path: Path) -> BankArea:
    return load_model(path, BankArea)[0]


def load_profile_file(path: Path) -> Profile:
    return load_model(path, Profile)[0]


def clause_for(item: BankItem, profile: Profile) -> str | None:
    """The clause `item` cites for this body, or None when the item is not part of its checklist."""
    if not set(item.requires_segments) <= set(profile.segments):
        return None
    if item.topic in LAW_TOPICS:
        return LAW_CLAUSE
    return profile.clauses.get(item.topic)


def derive(bank: list[BankItem], profile: Profile, *, level: str | None = None) -> list[ChecklistItem]:
    """Bank × profile -> the body's checklist, ordered by clause then by bank order. With `level="基本"`
    only the core items; positions are then numbered within that set."""
    titles = profile.clause_titles()
    chosen: list[tuple[tuple[int, int, int], int, BankItem, str]] = []
    for order, item in enumerate(bank):
        clause = clause_for(item, profile)
        if clause is None or (level is not None and item.level != level):
            continue
        # the law comes before the policy's own sections: adopting the policy is the first duty
        key = (0, 0, 0) if clause == LAW_CLAUSE else clause_sort_key(clause)
        chosen.append((key, order, item, clause))
    chosen.sort(key=lambda t: (t[0], t[1]))
    out = []
    for pos, (_key, _order, item, clause) in enumerate(chosen, start=1):
        law = clause == LAW_CLAUSE
        section = clause if law else section_of(clause)
        title = LAW_TOPICS[item.topic] if law else titles.get(clause, "")
        question, how_to_check = item.wording(profile.kind)
        out.append(
            ChecklistItem(
                id=item.id,
                clause=clause,
                clause_title=title,
                section=section,
                section_title=title if law else titles.get(section, ""),
                topic=item.topic,
                question=question,
                how_to_check=how_to_check,
                guideline_ref=item.guideline_ref,
                position=pos,
                level=item.level,
            )
        )
    return out


def uncited(items: list[ChecklistItem], profile: Profile) -> list[str]:
    """Required clauses that no item cites (a citation of 6(4) also counts for section 6, and of 7(8)③
    for 7(8))."""
    cited: set[str] = set()
    for it in items:
        m = CLAUSE_RE.match(it.clause)
        if not m:
            continue
        cited.add(it.clause)
        cited.add(m["sec"])
        if m["sub"]:
            cited.add(f"{m['sec']}({m['sub']})")
    return [c for c in profile.required_citations() if c not in cited]
