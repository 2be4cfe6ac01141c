"""Reading a policy into a `Draft`, or a one-line reason (with what was found) why it cannot be used.

`draft_from_file()` reads any supported file (`sources`), `draft_from_text()` finds the numbered structure
(`parse`), gives each section and measure its topic (`topics`), checks that the text is a whole policy, and
takes the body's name, title, adoption date (`header`), network segments and threat count from it.

Refusals are honest about what happened: `not_policy` only when nothing policy-like is there; a text with
policy sections that stops early is `incomplete` and names the last section read; repeated or backward
numbers are `bad_numbering`. Each carries `found` (organization, title, sections, last line read).
"""

from __future__ import annotations

import re
from pathlib import Path

from selfcheck import catalog
from selfcheck.errors import ImportRejected
from selfcheck.policy_import.draft import Draft
from selfcheck.policy_import.header import TITLE_RX, adopted, choose_id, kind_of, title_and_name
from selfcheck.policy_import.lines import compact
from selfcheck.policy_import.parse import Node, ParsedPolicy, parse
from selfcheck.policy_import.sources import SourceText, read_source, source_from_bytes
from selfcheck.policy_import.topics import (
    SECTION_CHILD_TOPICS,
    child_topic,
    content_topic,
    measure_topic,
    section_topic,
    segments_in,
)
from selfcheck.vocabulary import TOPICS

__all__ = ["draft_from_bytes", "draft_from_file", "draft_from_text", "kind_of"]

# Sections every 基本方針 has, judged by meaning; missing ones mean the text was cut off.
EXPECTED: tuple[tuple[str, str], ...] = (
    ("purpose", "目的"),
    ("threats", "対象とする脅威"),
    ("scope", "適用範囲"),
    ("measures", "情報セキュリティ対策"),
    ("standards", "情報セキュリティ対策基準の策定"),
    ("procedures", "情報セキュリティ実施手順の策定"),
)
_CORE = frozenset(
    {
        "purpose",
        "definitions",
        "threats",
        "scope",
        "compliance",
        "measures",
        "standards",
        "procedures",
        "standards_procedures",
        "self_inspection",
        "policy_review",
    }
)


def draft_from_file(path: Path, org_id: str | None = None) -> Draft:
    """Read a policy file of any supported kind (text, PDF, Word, HTML)."""
    source = read_source(path)
    try:
        return _with_source(draft_from_text(source.text, org_id=org_id), source)
    except ImportRejected as exc:
        exc.where = exc.where or str(path)
        exc.source_text = source.text
        raise


def draft_from_bytes(data: bytes, org_id: str | None = None, ext: str = "") -> Draft:
    source = source_from_bytes(data, ext)
    return _with_source(draft_from_text(source.text, org_id=org_id), source)


def _with_source(draft: Draft, source: SourceText) -> Draft:
    draft.source_kind, draft.source_detail = source.kind, source.detail
    draft.warnings[:0] = source.warnings
    return draft


def draft_from_text(text: str, org_id: str | None = None) -> Draft:
    """Read a decoded policy text; raises ImportRejected with a one-line reason when it cannot be used."""
    if not text.strip():
        raise ImportRejected(
            "ファイルが空です（文字がありません）", "the file is empty (no text)", reason="empty"
        )
    parsed = parse(text)
    warnings = [f"{ja} / {en}" for ja, en in parsed.warnings]
    topics, children = _topics(parsed)
    _check_is_policy(parsed, topics)
    if parsed.numbering_errors:
        ja, en = parsed.numbering_errors[0]
        more = len(parsed.numbering_errors) - 1
        raise ImportRejected(
            ja + (f"（ほか{more}件）" if more else ""),
            en + (f" (and {more} more)" if more else ""),
            reason="bad_numbering",
            found=found_of(parsed),
        )
    msec = _measures_section(parsed, topics)
    _check_complete(parsed, topics, msec)
    title, name = title_and_name(parsed, warnings)
    kind = kind_of(name)
    adopted_on, adopted_text = adopted(parsed, warnings)
    segments = _segments(parsed, topics, msec)
    if not segments:
        warnings.append(
            "ネットワークの区分（マイナンバー利用事務系等）が見つかりませんでした / no network segment found"
        )
    threats = _threat_count(parsed, topics, warnings)
    for s in parsed.sections:
        if topics[s.number] is None:
            warnings.append(
                f"節 {s.number}「{s.title}」の分野を判別できませんでした / topic of section {s.number} unknown"
            )
    measures = parsed.find(msec)
    for m in measures.children if measures else []:
        if topics[m.number] is None:
            warnings.append(
                f"項目 {m.number}「{m.title}」の分野を判別できませんでした / topic of {m.number} unknown"
            )
    draft = Draft(
        parsed=parsed,
        org_id=choose_id(org_id, name, kind),
        name=name,
        kind=kind,
        title=title,
        adopted=adopted_on,
        adopted_text=adopted_text,
        threat_count=threats,
        measures_section=msec,
        segments=segments,
        topics=topics,
        section_children=children,
        warnings=warnings,
    )
    draft.profile()  # validate now, so a bad result is a reason, not a later surprise
    if draft.org_id in catalog.builtin_catalog().profiles:
        warnings.append(
            f"組込みの団体と同じ名前のため ID {draft.org_id} を使います（点検項目は組込みの内容が使われます） / "
            f"same name as the built-in body {draft.org_id}; its built-in checklist is used"
        )
    return draft


def found_of(parsed: ParsedPolicy) -> dict[str, object]:
    """What could be read, for a refusal: name, title, sections and the last line read."""
    title, name = title_and_name(parsed, [])
    last = parsed.last_line or (parsed.lines[-1] if parsed.lines else None)
    return {
        "organization": None if name == "（名称不明）" else name,
        "title": title if parsed.sections or TITLE_RX.search(compact(title)) else None,
        "sections": [{"number": s.number, "title": s.title} for s in parsed.sections],
        "last_line_read": last.orig.strip()[:200] if last else None,
    }


def _topics(parsed: ParsedPolicy) -> tuple[dict[str, str | None], dict[str, list[str]]]:
    topics: dict[str, str | None] = {}
    children: dict[str, list[str]] = {}
    for s in parsed.sections:
        st = section_topic(s.key) if s.key else None
        if st is None and (not s.key or s.line.compact.count("。")):
            st = content_topic(s.own_text())  # 「第1 この基本方針は、…を目的とする。」 with no caption
        if not s.title and st:
            s.title = TOPICS[st]
        topics[s.number] = st
        if st == "measures":
            for m in s.children:
                mt = measure_topic(m.key)
                topics[m.number] = mt
                for c in m.children:
                    topics[c.number] = child_topic(mt, c.key)
            continue
        kid_topics = {k.number: child_topic(st, k.key) for k in s.children}
        if kid_topics and all(t in SECTION_CHILD_TOPICS for t in kid_topics.values()):
            children[s.number] = list(kid_topics)
            topics.update(kid_topics)
            for k in s.children:
                for c in k.children:
                    topics[c.number] = child_topic(kid_topics[k.number], c.key)
    return topics, children


def _check_is_policy(parsed: ParsedPolicy, topics: dict[str, str | None]) -> None:
    """Refuse as `not_policy` only a text with nothing of a policy: no security wording, or neither a
    policy title nor any section a policy has."""
    found = {t for n, t in topics.items() if t and "(" not in n}
    titled = any(TITLE_RX.search(ln.compact) and len(ln.compact) <= 70 for ln in parsed.lines[:80])
    sample = compact(parsed.text[:200_000])
    if "セキュリティ" in sample and (found & _CORE or titled):
        if not parsed.sections:
            raise ImportRejected(
                "基本方針の表題はありますが、番号付きの節を読み取れません（途中で切れているか、番号のない文書です）",
                "a policy title is there but no numbered sections could be read (cut off, or not numbered)",
                reason="incomplete",
                found=found_of(parsed),
            )
        return
    raise ImportRejected(
        "情報セキュリティ基本方針として読み取れません（「目的」「対象とする脅威」「情報セキュリティ対策」"
        "のような節が見つかりません）",
        "this does not read as an information security basic policy (no sections such as 目的, "
        "対象とする脅威, 情報セキュリティ対策)",
        reason="not_policy",
        found=found_of(parsed),
    )


def _measures_section(parsed: ParsedPolicy, topics: dict[str, str | None]) -> str:
    cands = [s for s in parsed.sections if topics.get(s.number) == "measures"]
    with_items = [s for s in cands if s.children]
    if with_items:
        return with_items[0].number
    if cands:
        return cands[0].number
    # No section titled 対策: take the one whose items name the most measure topics.
    scored = [(sum(1 for m in s.children if measure_topic(m.key)), s) for s in parsed.sections]
    score, best = max(scored, key=lambda t: t[0], default=(0, None))
    if best is not None and score >= 3:
        topics[best.number] = "measures"
        for m in best.children:
            topics[m.number] = measure_topic(m.key)
            for c in m.children:
                topics[c.number] = child_topic(topics[m.number], c.key)
        return best.number
    return ""


def covered_topics(parsed: ParsedPolicy, topics: dict[str, str | None], msec: str) -> set[str]:
    """The required topics the policy covers, by heading or by what its sections say: a 対策基準 section
    that also orders the 実施手順 (an 教育委員会's 「教育情報セキュリティ対策基準の策定」) covers both."""
    found = {t for n, t in topics.items() if t and "(" not in n}
    if "standards_procedures" in found:
        found |= {"standards", "procedures"}
    if msec:
        found.add("measures")
    msec_index = next((i for i, s in enumerate(parsed.sections) if s.number == msec), len(parsed.sections))
    for i, s in enumerate(parsed.sections):
        text = "".join(ln.compact for ln in s.all_lines())
        topic = topics.get(s.number)
        if (
            topic in ("standards", "procedures", "standards_procedures", "policy_review", None)
            and i > msec_index
        ):
            if re.search(r"対策基準.{0,30}(策定|定め)|(策定|定め).{0,30}対策基準", text):
                found.add("standards")
            if re.search(r"実施手順.{0,30}(策定|定め)|(策定|定め).{0,30}実施手順|手順書", text):
                found.add("procedures")
        listed = bool(s.children) or _lists(s)
        if (
            i < msec_index
            and "脅威" in text
            and topic in ("purpose", "definitions", "scope", None)
            and listed
        ):
            found.add("threats")
    return found


def _lists(s: Node) -> bool:
    return sum(1 for ln in s.body if re.match(r"\s*[・•\-*]", ln.orig)) >= 2


def missing_parts(parsed: ParsedPolicy, topics: dict[str, str | None], msec: str) -> list[str]:
    found = covered_topics(parsed, topics, msec)
    return [label for topic, label in EXPECTED if topic not in found]


def _check_complete(parsed: ParsedPolicy, topics: dict[str, str | None], msec: str) -> None:
    missing = missing_parts(parsed, topics, msec)
    if missing:
        last = parsed.sections[-1]
        names = "、".join(f"「{m}」" for m in missing)
        raise ImportRejected(
            f"方針が途中で切れているか、必要な節がありません: {names} が見つかりません"
            f"（最後に読めた節は {last.number}「{last.title}」）",
            f"the policy looks cut off or incomplete: missing {', '.join(missing)} "
            f"(last section read: {last.number} {last.title})",
            reason="incomplete",
            found=found_of(parsed),
        )
    msec_node = parsed.find(msec)
    if msec_node is None or not msec_node.children:
        raise ImportRejected(
            f"節 {msec}「情報セキュリティ対策」に (1)(2)… の対策の項目がありません",
            f"section {msec} (情報セキュリティ対策) lists no numbered measures (1), (2), ...",
            reason="incomplete",
            found=found_of(parsed),
        )


def _segments(parsed: ParsedPolicy, topics: dict[str, str | None], msec: str) -> list[str]:
    text = ""
    for s in parsed.sections:
        if topics.get(s.number) == "definitions":
            text += "".join(ln.compact for ln in s.all_lines())
    msec_node = parsed.find(msec)
    for m in msec_node.children if msec_node else []:
        if topics.get(m.number) == "resilience":
            text += "".join(ln.compact for ln in m.all_lines())
    return segments_in(text)


def _threat_count(parsed: ParsedPolicy, topics: dict[str, str | None], warnings: list[str]) -> int:
    sec = next((s for s in parsed.sections if topics.get(s.number) == "threats"), None)
    count = 0
    if sec is not None:
        count = len(sec.children) or sum(len(k.children) for k in sec.children)
        if not count:
            count = sum(1 for ln in sec.body if re.match(r"\s*[・•\-*]", ln.orig))
    if count < 1:
        warnings.append(
            "対象とする脅威の項目を数えられませんでした（1件として扱います） / threats could not be counted"
        )
        return 1
    if count > 20:
        warnings.append(f"脅威の項目が{count}件あり、20件として扱います / {count} threats, capped at 20")
        return 20
    return count
