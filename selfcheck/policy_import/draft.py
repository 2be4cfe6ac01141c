"""What was read from one policy text, open to correction before saving (the wizard's model).

`Draft.profile()` rebuilds the body profile, including the topic -> clause mapping, after every correction
(a section's or measure's topic, the segments); `items()` derives the checklist that profile gives.
Saving is `orgs.save_imported(ws, draft.profile(), draft.text)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from selfcheck import catalog
from selfcheck.checklist_format import (
    BankItem,
    ChecklistItem,
    Clause,
    Profile,
    clause_sort_key,
    derive,
)
from selfcheck.errors import ImportCorrectionError, ImportRejected
from selfcheck.policy_import.parse import Node, ParsedPolicy
from selfcheck.policy_import.topics import CONTENT_FALLBACK, content_topics, implied_topics
from selfcheck.vocabulary import HEADING_TOPICS, SEGMENT_LABELS, TOPICS


@dataclass
class Draft:
    """What was read from one policy text, open to correction before saving."""

    parsed: ParsedPolicy
    org_id: str
    name: str
    kind: str
    title: str
    adopted: date | None
    adopted_text: str
    threat_count: int
    measures_section: str
    segments: list[str]
    topics: dict[str, str | None]
    """clause number -> topic, for every section, measure, ①② and kept section sub-item."""
    section_children: dict[str, list[str]]
    warnings: list[str] = field(default_factory=list)
    source_kind: str = "text"
    """What the file was: 'text', 'pdf', 'docx' or 'html'."""
    source_detail: str = ""

    @property
    def text(self) -> str:
        return self.parsed.text

    # -- corrections -------------------------------------------------------------------------------
    def set_topic(self, number: str, topic: str | None) -> None:
        if number not in self.topics:
            raise ImportCorrectionError(
                f"{number} はこの方針の節・項目ではありません", f"{number} is not a clause of this policy"
            )
        if topic is not None and topic not in HEADING_TOPICS:  # content topics are read from the wording
            raise ImportCorrectionError(f"分野 {topic!r} は使えません", f"unknown topic {topic!r}")
        self.topics[number] = topic

    def add_segment(self, segment: str) -> None:
        if segment not in SEGMENT_LABELS:
            raise ImportCorrectionError(f"区分 {segment!r} は使えません", f"unknown segment {segment!r}")
        if segment not in self.segments:
            self.segments = [s for s in SEGMENT_LABELS if s in {*self.segments, segment}]

    def remove_segment(self, segment: str) -> None:
        self.segments = [s for s in self.segments if s != segment]

    # -- results -----------------------------------------------------------------------------------
    def clause(self, node: Node, keep_children: bool = True) -> Clause:
        kids = [self.clause(c) for c in node.children] if keep_children else []
        return Clause(
            number=node.number,
            title=node.title or node.number,
            topic=self.topics.get(node.number),
            children=kids,
        )

    def profile(self) -> Profile:
        from pydantic import ValidationError  # pydantic: only when a profile is built

        sections = []
        for s in self.parsed.sections:
            c = self.clause(s, keep_children=False)
            kept = self.section_children.get(s.number, [])
            c.children = [self.clause(k) for k in s.children if k.number in kept]
            sections.append(c)
        msec = self.parsed.find(self.measures_section)
        measures = [self.clause(m) for m in msec.children] if msec else []
        clauses = self.clauses()
        try:
            # validated from a dict: kind and segments are checked against their Literal sets here
            return Profile.model_validate(
                {
                    "id": self.org_id,
                    "name": self.name,
                    "kind": self.kind,
                    "policy_title": self.title,
                    "adopted": self.adopted,
                    "adopted_text": self.adopted_text,
                    "segments": self.segments,
                    "threat_count": self.threat_count,
                    "has_self_inspection": "self_inspection" in clauses,
                    "sections": sections,
                    "measures_section": self.measures_section,
                    "measures": measures,
                    "clauses": clauses,
                }
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise ImportRejected(
                f"取り込み結果が不正です（{loc}: {first['msg']}）",
                f"the imported profile is invalid ({loc}: {first['msg']})",
                reason="incomplete",
            ) from None

    def _entries(self) -> list[tuple[str, int, str | None, str]]:
        """(number, depth, topic, own text) of every clause the profile keeps, in document order."""
        out: list[tuple[str, int, str | None, str]] = []
        for s in self.parsed.sections:
            out.append((s.number, 1, self.topics.get(s.number), s.own_text()))
            kept = self.section_children.get(s.number, [])
            kids = (
                s.children
                if s.number == self.measures_section
                else [k for k in s.children if k.number in kept]
            )
            for m in kids:
                out.append((m.number, 2, self.topics.get(m.number), m.own_text()))
                for c in m.children if s.number == self.measures_section or kept else []:
                    out.append((c.number, 3, self.topics.get(c.number), c.own_text()))
        return out

    def clauses(self) -> dict[str, str]:
        """topic -> clause: the deepest heading naming the topic, else a measure whose wording covers it."""
        best: dict[str, tuple[int, str]] = {}
        entries = self._entries()
        for number, depth, topic, _text in entries:
            if (
                topic
                and topic not in ("measures", "supplementary")
                and (topic not in best or depth > best[topic][0])
            ):
                best[topic] = (depth, number)
        for number, _depth, topic, text in entries:
            for t in implied_topics(topic, text, self.segments):
                best.setdefault(t, (0, number))
        stated: dict[str, tuple[int, str]] = {}
        for number, depth, topic, text in entries:
            if depth == 1:  # a section's requirements may sit in its items (4(1) 行政機関の範囲)
                node = self.parsed.find(number)
                text = "".join(ln.compact for ln in node.all_lines()) if node else text
            for t, rank in content_topics(topic, text):
                if t not in stated or rank > stated[t][0]:
                    stated[t] = (rank, number)
        for t, (_rank, number) in stated.items():
            best[t] = (0, number)
        for t, fallback in CONTENT_FALLBACK.items():
            if t not in best and fallback in best:
                best[t] = (0, best[fallback][1])
        # 小城 9 「対策基準・実施手順の策定」 only groups 9(1) and 9(2): cite those, like the measures section.
        if {"standards", "procedures"} <= best.keys() and best.get("standards_procedures", (0, ""))[0] == 1:
            sp = best["standards_procedures"][1]
            if best["standards"][1] != sp and best["procedures"][1] != sp:
                del best["standards_procedures"]
        ordered = sorted(best.items(), key=lambda kv: (clause_sort_key(kv[1][1]), list(TOPICS).index(kv[0])))
        return {t: n for t, (_d, n) in ordered}

    def items(self, bank: list[BankItem] | None = None) -> list[ChecklistItem]:
        if bank is None:
            bank = catalog.builtin_catalog().bank
        return derive(bank, self.profile())

    def as_json(self, bank: list[BankItem] | None = None) -> dict[str, object]:
        """The `policy import --dry-run --json` document."""
        prof = self.profile()

        def clause_json(c: Clause) -> dict[str, object]:
            return {
                "number": c.number,
                "title": c.title,
                "topic": c.topic,
                "children": [clause_json(k) for k in c.children],
            }

        return {
            "organization": prof.name,
            "title": prof.policy_title,
            "adopted": prof.adopted.isoformat() if prof.adopted else None,
            "sections": [{"number": s.number, "title": s.title, "topic": s.topic} for s in prof.sections],
            "measures": [clause_json(m) for m in prof.measures],
            "segments": list(prof.segments),
            "threat_count": prof.threat_count,
            "has_self_inspection": prof.has_self_inspection,
            "warnings": list(self.warnings),
            "items": [it.as_dict() for it in self.items(bank)],
        }
