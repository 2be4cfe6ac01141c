"""Incident playbooks: one YAML file per incident type under `data/playbooks/`, validated like checklists.

A playbook walks a stressed clerk through the response in phases. Security incidents use the IPA shape
(検知・初動対応 → 証拠保全・影響調査 → 報告・公表 → 復旧 → 再発防止 → 終結); disasters, staff shortage and
outages use the BCP shape (安全確保・状況把握 → 代替手段への切替 → 復旧 → 通常業務への復帰 → 記録・振り返り).

Every step runs in one of two **tracks** that proceed at the same time: `act` (封じ込め・対処: what is done
to the machines and the data) and `report` (報告・連絡: the internal chain of GL 5.3 and the outside
reports). Containment must not wait behind the reporting chain: in the first minutes the lead has one
"now" step in each track (LAN cable out, and the call to the 情報セキュリティ管理者). Within a track, a step
with a shorter target time never waits behind one with a longer (or no) target; the loader refuses a
playbook that breaks this.

A playbook or a step may apply only to some bodies (`only_for`: a network segment such as LGWAN, a fact
of the body such as a server room, or a clause of its policy such as the SNS clause); text may name a
fact as `{server_room}`. Each playbook names the threat of policy section 3 it answers by a normalised
key; `threats.clause_for()` turns that into the body's own clause number.

Errors are reported as `file:line: field: message` so a person editing the YAML can find the spot.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from selfcheck import paths
from selfcheck.checklist_format import Segment
from selfcheck.errors import ChecklistFormatError, NotFoundError, SelfcheckError
from selfcheck.incident.fit import BodyFit, body_fit, known_facts
from selfcheck.incident.roles import known_roles
from selfcheck.vocabulary import TOPICS
from selfcheck.workspace import Workspace
from selfcheck.yaml_lines import load_model

ThreatKey = Literal["intentional", "unintentional", "disaster", "pandemic", "infrastructure"]
Shape = Literal["incident", "bcp"]

# Phase ids and titles per shape, in the order the steps must follow.
PHASES: dict[str, list[tuple[str, str]]] = {
    "incident": [
        ("initial", "検知・初動対応"),
        ("investigate", "証拠保全・影響調査"),
        ("report", "報告・公表"),
        ("recover", "復旧"),
        ("prevent", "再発防止"),
        ("close", "終結"),
    ],
    "bcp": [
        ("safety", "安全確保・状況把握"),
        ("fallback", "代替手段への切替"),
        ("restore", "復旧"),
        ("normal", "通常業務への復帰"),
        ("record", "記録・振り返り"),
    ],
}
Track = Literal["act", "report"]
# Track ids and titles per shape, in display order; both tracks run at the same time.
TRACKS: dict[str, list[tuple[str, str]]] = {
    "incident": [("act", "封じ込め・対処"), ("report", "報告・連絡")],
    "bcp": [("act", "安全確保・対処"), ("report", "報告・連絡")],
}
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")

# Flags a playbook may carry; deadline rules test them (e.g. police for crime-type playbooks).
Flag = Literal["crime", "cyber", "personal_data", "contractor", "service_outage"]

ID_PATTERN = r"^[a-z][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class OnlyFor(_Strict):
    """For which bodies a playbook or a step applies (all listed parts must hold)."""

    segments: list[Segment] = Field(default_factory=list, description="the body has any of these")
    facts: list[str] = Field(default_factory=list, description="the body has all of these facts")
    clauses: list[str] = Field(default_factory=list, description="its policy has a clause on these topics")


class Step(_Strict):
    """One thing to do, written as short imperative sentences."""

    id: str = Field(pattern=ID_PATTERN, max_length=60)
    track: Track = Field(description="act (封じ込め・対処) or report (報告・連絡)")
    title: str = Field(min_length=2, max_length=60)
    guidance: str = Field(min_length=5, description="短い命令形の文。例: LANケーブルを抜く。Wi-Fiを切る。")
    role: str = Field(description="role key of who does it (contacts_default.yaml)")
    required: bool = True
    skippable: bool = Field(default=True, description="false: may not be skipped (the CISO report)")
    contacts: list[str] = Field(default_factory=list, description="role keys whose contacts are shown")
    evidence: str = Field(default="", description="what to keep as evidence")
    within_hours: float | None = Field(default=None, gt=0, le=24 * 90, description="target, hours from 覚知")
    only_for: OnlyFor | None = None

    def texts(self) -> list[str]:
        return [self.title, self.guidance, self.evidence]


class Phase(_Strict):
    id: str
    title: str = ""
    steps: list[Step] = Field(min_length=1)


class Playbook(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=60)
    title: str = Field(min_length=2)
    description: str = Field(min_length=5, description="what happened, in plain words, for the picker")
    threat: ThreatKey
    shape: Shape = "incident"
    flags: list[Flag] = Field(default_factory=list)
    order: int = 100
    sources: list[str] = Field(default_factory=list)
    only_for: OnlyFor | None = None
    phases: list[Phase] = Field(min_length=1)

    @field_validator("flags")
    @classmethod
    def _unique_flags(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("flags are repeated")
        return v

    @model_validator(mode="after")
    def _phases_in_order(self) -> Playbook:
        expected = [pid for pid, _ in PHASES[self.shape]]
        got = [p.id for p in self.phases]
        if got != expected:
            raise ValueError(
                f"phases for shape {self.shape!r} must be exactly {expected} in this order, got {got}"
            )
        seen: set[str] = set()
        for phase in self.phases:
            for step in phase.steps:
                if step.id in seen:
                    raise ValueError(f"step id {step.id!r} is used twice")
                seen.add(step.id)
        return self

    def phase_title(self, phase_id: str) -> str:
        return dict(PHASES[self.shape]).get(phase_id, phase_id)

    def track_title(self, track: str) -> str:
        return dict(TRACKS[self.shape]).get(track, track)

    def tracks(self) -> list[str]:
        return [t for t, _title in TRACKS[self.shape]]

    def steps(self) -> list[tuple[Phase, Step]]:
        return [(p, s) for p in self.phases for s in p.steps]

    def step(self, step_id: str) -> Step:
        for _p, s in self.steps():
            if s.id == step_id:
                return s
        raise NotFoundError(
            f"手順 {step_id!r} はこの対応手順にありません", f"no step {step_id!r} in playbook {self.id}"
        )


def load_playbook_file(path: Path) -> Playbook:
    """Parse and validate one playbook; raise ChecklistFormatError with every problem found."""
    pb, lines = load_model(path, Playbook)
    problems = []
    roles = known_roles()
    for pi, phase in enumerate(pb.phases):
        for si, step in enumerate(phase.steps):
            loc: tuple[Any, ...] = ("phases", pi, "steps", si)
            if step.role not in roles:
                problems.append(_problem(path, lines, (*loc, "role"), f"unknown role {step.role!r}"))
            for ci, c in enumerate(step.contacts):
                if c not in roles:
                    problems.append(_problem(path, lines, (*loc, "contacts", ci), f"unknown role {c!r}"))
    problems += [_problem(path, lines, loc, msg) for loc, msg in shape_problems(pb)]
    if path.stem != pb.id:
        problems.append(
            _problem(path, lines, ("id",), f"id {pb.id!r} must match the file name {path.stem!r}")
        )
    if problems:
        raise ChecklistFormatError(problems)
    return pb


def shape_problems(pb: Playbook) -> list[tuple[tuple[Any, ...], str]]:
    """Problems a schema cannot see: within one track a step never waits behind a step with a longer (or
    no) target time, the first step has a target, and every `{fact}` in a text is guaranteed by
    `only_for.facts` (so no body ever sees an unfilled placeholder)."""
    out: list[tuple[tuple[Any, ...], str]] = []
    latest: dict[str, tuple[float, str]] = {}
    pb_facts = set(pb.only_for.facts) if pb.only_for else set()
    for pi, phase in enumerate(pb.phases):
        for si, step in enumerate(phase.steps):
            loc: tuple[Any, ...] = ("phases", pi, "steps", si)
            hours = step.within_hours if step.within_hours is not None else float("inf")
            before = latest.get(step.track)
            if before is not None and hours < before[0]:
                limit = "no target" if before[0] == float("inf") else f"{before[0]:g}h"
                out.append(
                    (
                        (*loc, "within_hours"),
                        f"{step.id} ({hours:g}h) waits behind {before[1]} ({limit}) in track {step.track!r}: "
                        "put the step with the shorter target first",
                    )
                )
            if before is None or hours >= before[0]:
                latest[step.track] = (hours, step.id)
            allowed = pb_facts | (set(step.only_for.facts) if step.only_for else set())
            for text in step.texts():
                for name in PLACEHOLDER_RE.findall(text):
                    if name not in allowed:
                        out.append(((*loc,), f"{{{name}}} is used but not required by only_for.facts"))
    facts = known_facts()
    scopes: list[tuple[tuple[Any, ...], OnlyFor | None]] = [(("only_for",), pb.only_for)]
    scopes += [
        (("phases", pi, "steps", si, "only_for"), s.only_for)
        for pi, p in enumerate(pb.phases)
        for si, s in enumerate(p.steps)
    ]
    for loc, only in scopes:
        if only is None:
            continue
        out += [
            ((*loc, "facts"), f"unknown fact {f!r} (data/body_facts.yaml)")
            for f in only.facts
            if f not in facts
        ]
        out += [((*loc, "clauses"), f"unknown topic {t!r}") for t in only.clauses if t not in TOPICS]
    first = pb.phases[0].steps[0]
    if first.within_hours is None:
        out.append((("phases", 0, "steps", 0, "within_hours"), "the first step needs a target time"))
    return out


def _problem(path: Path, lines: dict[Any, int], loc: tuple[Any, ...], msg: str) -> str:
    from selfcheck.yaml_lines import format_loc, line_for

    return f"{path}:{line_for(lines, loc)}: {format_loc(loc)}: {msg}"


def validate_path(target: Path) -> tuple[list[Playbook], list[str]]:
    """Validate one file or every *.yaml in a folder; return (good playbooks, problem lines)."""
    files = sorted(target.glob("*.yaml")) if target.is_dir() else [target]
    if not target.exists():
        return [], [f"{target}:1: (file): 見つかりません / not found"]
    good: list[Playbook] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for f in files:
        try:
            pb = load_playbook_file(f)
        except ChecklistFormatError as exc:
            problems.extend(exc.problems)
            continue
        if pb.id in seen:
            problems.append(f"{f}:1: id: duplicate playbook id {pb.id!r} (also in {seen[pb.id].name})")
            continue
        seen[pb.id] = f
        good.append(pb)
    return good, problems


@lru_cache(maxsize=1)
def builtin_playbooks() -> dict[str, Playbook]:
    """The packaged playbooks, in display order. A broken file is a packaging bug: fail loudly."""
    good, problems = validate_path(paths.builtin_data() / "playbooks")
    if problems:
        raise ChecklistFormatError(problems)
    return {pb.id: pb for pb in sorted(good, key=lambda p: (p.order, p.id))}


def get_playbook(playbook_id: str) -> Playbook:
    books = builtin_playbooks()
    if playbook_id not in books:
        raise NotFoundError(
            f"対応手順 {playbook_id!r} はありません（selfcheck incident playbooks で一覧を表示できます）",
            f"no playbook {playbook_id!r} (list them with `selfcheck incident playbooks`)",
        )
    return books[playbook_id]


def playbooks_for(ws: Workspace | None, org_id: str) -> list[Playbook]:
    """The playbooks offered to the body, in display order (e.g. no SNS playbook for a body whose policy
    has no SNS clause)."""
    body = body_fit(ws, org_id)
    return [pb for pb in builtin_playbooks().values() if body.allows(pb.only_for)]


def require_offered(pb: Playbook, body: BodyFit, org_name: str) -> None:
    if not body.allows(pb.only_for):
        raise SelfcheckError(
            f"対応手順「{pb.title}」は{org_name}の基本方針には当てはまりません（selfcheck incident playbooks --org で一覧）",
            f"playbook {pb.id!r} does not apply to body {body.org_id!r}",
        )
