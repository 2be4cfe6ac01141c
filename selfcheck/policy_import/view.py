"""What the import wizard shows beside the source text: one row per clause read (number, title, topic,
segments named in it, the source line it starts on), also for a refused text as far as it was read.

This module loads the whole importer (pydantic for the profile; the PDF/Word/HTML readers on demand), so
the wizard imports it only when a file is read: opening the TUI never pays for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfcheck.errors import ImportRejected
from selfcheck.policy_import.build import draft_from_file
from selfcheck.policy_import.draft import Draft
from selfcheck.policy_import.parse import Node, parse
from selfcheck.policy_import.topics import section_topic, segments_in


@dataclass(frozen=True)
class ClauseRow:
    number: str
    title: str
    depth: int
    topic: str | None
    segments: tuple[str, ...]
    """Network segments named in the clause's own text (with its items)."""
    line: int
    """1-based line of the source text the clause starts on (0: unknown)."""


@dataclass
class WizardRead:
    """One file read for the wizard: a Draft, or the refusal with what was read before it."""

    draft: Draft | None
    refusal: ImportRejected | None
    text: str
    rows: list[ClauseRow] = field(default_factory=list)


def read_for_wizard(path: Path) -> WizardRead:
    """Read `path`; a refusal is returned (not raised) with the sections read as far as they went."""
    try:
        draft = draft_from_file(path)
    except ImportRejected as exc:
        return WizardRead(None, exc, exc.source_text, partial_rows(exc.source_text))
    return WizardRead(draft, None, draft.text, draft_rows(draft))


def _segments(node: Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    return tuple(segments_in("".join(ln.compact for ln in node.all_lines())))


def draft_rows(draft: Draft) -> list[ClauseRow]:
    """Every clause the profile keeps, the measures under their section, in document order."""
    prof = draft.profile()
    rows: list[ClauseRow] = []

    def add(clauses: list[object], depth: int) -> None:
        for c in clauses:
            number, title = getattr(c, "number", ""), getattr(c, "title", "")
            node = draft.parsed.find(number)
            rows.append(
                ClauseRow(
                    number,
                    title,
                    depth,
                    draft.topics.get(number),
                    _segments(node),
                    node.line.no if node else 0,
                )
            )
            add(list(getattr(c, "children", [])), depth + 1)

    for s in prof.sections:
        add([s], 0)
        if s.number == prof.measures_section:
            add(list(prof.measures), 1)
    return rows


def partial_rows(text: str) -> list[ClauseRow]:
    """The sections of a refused text, as far as they could be read."""
    if not text.strip():
        return []
    parsed = parse(text)
    return [
        ClauseRow(
            s.number, s.title or s.number, 0, section_topic(s.key) if s.key else None, _segments(s), s.line.no
        )
        for s in parsed.sections
    ]


def source_window(text: str, line: int, height: int) -> list[tuple[int, str]]:
    """About `height` lines of `text` around `line` (1-based), blank runs shown once."""
    lines = text.split("\n")
    if not lines:
        return []
    line = min(max(line, 1), len(lines))
    start = max(1, line - height // 3)
    out: list[tuple[int, str]] = []
    no = start
    while no <= len(lines) and len(out) < height:
        body = lines[no - 1].rstrip()
        if body or (out and out[-1][1]):
            out.append((no, body))
        no += 1
    return out
