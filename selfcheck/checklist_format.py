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
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from selfcheck.yaml_lines import load_model

Segment = Literal["mynumber", "lgwan", "internet", "school_admin", "school_edu"]

# Body types: wording differs (a 組合's CISO is typically its 副管理者, a 町's its 副町長).
Kind = Literal["union", "regional_union", "committee", "town", "city", "other"]
KIND_LABELS: dict[str, str] = {
    "union": "一部事務組合等",
    "regional_union": "広域連合",
    "committee": "委員会・委員",
    "town": "町村",
    "city": "市",
    "other": "その他",
}

Level = Literal["基本", "詳細"]
LEVELS: tuple[str, ...] = get_args(Level)
CORE: Level = "基本"

# The one place the guideline edition is written; bank text says `{guideline}` (see `render`).
GUIDELINE_EDITION = "令和7年3月版"
PLACEHOLDERS: dict[str, str] = {"guideline": f"総務省ガイドライン（{GUIDELINE_EDITION}）"}
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_EDITION_RE = re.compile(r"(令和|平成)(元|\d+)年\d+月版")

# Items of these topics cite a law, not a clause of the body's policy (every body is bound by it).
LAW_CLAUSE = "法令"
LAW_TOPICS: dict[str, str] = {
    "local_autonomy_act": "地方自治法（サイバーセキュリティを確保するための方針の策定・公表）",
}

# A 確認方法 must name the document or record that is looked at: one of these words must occur.
EVIDENCE_WORDS: tuple[str, ...] = (
    "台帳", "記録", "一覧", "名簿", "簿", "議事録", "契約書", "仕様書", "規程", "要綱", "要領", "手順",
    "計画", "報告書", "申請書", "証明書", "資料", "文書", "体制表", "構成図", "ログ", "綴り", "写し",
    "設定", "様式", "規約", "決裁", "掲示", "調書", "履歴", "基準", "通知", "チェックリスト",
)  # fmt: skip

SEGMENT_LABELS: dict[str, str] = {
    "mynumber": "マイナンバー利用事務系",
    "lgwan": "LGWAN接続系",
    "internet": "インターネット接続系",
    "school_admin": "校務系",
    "school_edu": "教育系",
}

# Normalised clause topics. Keys are stable ids used in data files; labels are for people.
TOPICS: dict[str, str] = {
    "purpose": "目的",
    "definitions": "定義",
    "threats": "対象とする脅威",
    "scope": "適用範囲",
    "compliance": "職員等の遵守義務",
    "measures": "情報セキュリティ対策",
    "organization": "組織体制",
    "classification": "情報資産の分類と管理",
    "resilience": "情報システム全体の強靱性の向上",
    "resilience_mynumber": "強靱性（マイナンバー利用事務系）",
    "resilience_lgwan": "強靱性（LGWAN接続系）",
    "resilience_internet": "強靱性（インターネット接続系）",
    "physical": "物理的セキュリティ",
    "human": "人的セキュリティ",
    "technical": "技術的セキュリティ",
    "operation": "運用・緊急時対応計画",
    "outsourcing": "業務委託",
    "outsourcing_contract": "業務委託の管理（契約）",
    "external_service": "外部サービス（クラウドサービス）",
    "sns": "ソーシャルメディアサービス",
    "evaluation": "評価・見直し",
    "self_inspection": "情報セキュリティ監査及び自己点検",
    "policy_review": "情報セキュリティポリシーの見直し",
    "standards": "情報セキュリティ対策基準の策定",
    "procedures": "情報セキュリティ実施手順の策定",
    "standards_procedures": "対策基準・実施手順の策定",
    "supplementary": "附則",
    # content topics: mapped only to a clause whose wording requires what the items ask
    "mynumber_isolation": "マイナンバー利用事務系の分離・持出し制限・多要素認証",
    "mynumber_handlers": "マイナンバー利用事務の取扱者の限定と点検",
    "security_cloud": "自治体情報セキュリティクラウド",
    "council": "議会・議員への適用",
    "sanctions": "違反時の対応",
    "laws": "関係法令の遵守",
    "emerging_threats": "新たな脅威への対応",
    "standards_private": "対策基準の非公開",
    "procedures_private": "実施手順の非公開",
    **LAW_TOPICS,
}
# Topics read from a clause's wording (or the law), never the topic of a heading: a heading's topic is one of
# HEADING_TOPICS, which is what the import wizard offers.
CONTENT_TOPICS = frozenset(
    {
        "mynumber_isolation",
        "mynumber_handlers",
        "security_cloud",
        "council",
        "sanctions",
        "laws",
        "emerging_threats",
        "standards_private",
        "procedures_private",
        *LAW_TOPICS,
    }
)
HEADING_TOPICS: dict[str, str] = {k: v for k, v in TOPICS.items() if k not in CONTENT_TOPICS}
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


def _check_text(v: str) -> str:
    """Only known `{placeholders}`, and no guideline edition written out (it lives in GUIDELINE_EDITION)."""
    for name in _PLACEHOLDER_RE.findall(v):
        if name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{name}}}; known: {', '.join(PLACEHOLDERS)}")
    if "{" in _PLACEHOLDER_RE.sub("", v) or "}" in _PLACEHOLDER_RE.sub("", v):
        raise ValueError("unbalanced { or }")
    m = _EDITION_RE.search(v)
    if m:
        raise ValueError(f"write {{guideline}} instead of the edition {m[0]!r}")
    return v


def _check_how_to_check(v: str) -> str:
    _check_text(v)
    if not any(w in v for w in EVIDENCE_WORDS):
        raise ValueError(
            "確認方法には確認する文書・記録（台帳・記録・契約書・議事録・設定など）を書いてください / "
            "name the document or record to look at"
        )
    return v


def render(text: str) -> str:
    """Bank text with its placeholders filled in."""
    return _PLACEHOLDER_RE.sub(lambda m: PLACEHOLDERS[m[1]], text)


SOURCE_RE = re.compile(r"^C-\d+(\.\d+)?-\d{2}$")
SUPPLEMENT = "補足"


class Variant(_Strict):
    """Wording for some body kinds (`kinds: [union]`): replaces the item's question and/or 確認方法."""

    kinds: list[Kind] = Field(min_length=1)
    question: str | None = Field(default=None, min_length=5)
    how_to_check: str | None = Field(default=None, min_length=5)

    @field_validator("question")
    @classmethod
    def _question_text(cls, v: str | None) -> str | None:
        return v if v is None else _check_text(v)

    @field_validator("how_to_check")
    @classmethod
    def _evidence(cls, v: str | None) -> str | None:
        return v if v is None else _check_how_to_check(v)

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
        return _check_text(v)

    @field_validator("how_to_check")
    @classmethod
    def _evidence(cls, v: str) -> str:
        return _check_how_to_check(v)

    @field_validator("source")
    @classmethod
    def _source_ids(cls, v: str | list[str] | None) -> str | list[str] | None:
        ids = [v] if isinstance(v, str) else (v or [])
        if isinstance(v, list) and not v:
            raise ValueError("an empty list; leave source out or name a statement")
        for s in ids:
            if s != SUPPLEMENT and not SOURCE_RE.match(s):
                raise ValueError(f"{s!r} is neither a statement id like C-4.4-03 nor {SUPPLEMENT}")
        if SUPPLEMENT in ids and len(ids) > 1:
            raise ValueError(f"{SUPPLEMENT} cannot be combined with statement ids")
        if len(set(ids)) != len(ids):
            raise ValueError("a statement is listed twice")
        return v

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
        return [s for s in ids if s != SUPPLEMENT]

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
