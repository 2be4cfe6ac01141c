"""Reading a policy text into a `Draft`, or a one-line reason why it cannot be used.

`draft_from_text()` finds the numbered structure (`parse`), gives each section and measure its topic
(`topics`), checks that the text is a whole policy, and takes the body's name, title, adoption date,
network segments and threat count from it. The wizard and `selfcheck policy import` then correct and save
the returned `Draft`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path

from selfcheck.catalog import builtin_catalog
from selfcheck.errors import ImportRejected
from selfcheck.policy_import.decode import decode_bytes, read_policy_file
from selfcheck.policy_import.draft import Draft
from selfcheck.policy_import.lines import Line, compact
from selfcheck.policy_import.parse import ParsedPolicy, parse
from selfcheck.policy_import.topics import (
    SECTION_CHILD_TOPICS,
    child_topic,
    measure_topic,
    section_topic,
    segments_in,
)

# Sections every 基本方針 has; missing ones mean the text was cut off (or is not a whole policy).
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
_TITLE_RX = re.compile(r"(情報セキュリティ|サイバーセキュリティ|セキュリティ)(基本方針|ポリシー)")
_DATE_RX = re.compile(
    r"(令和|平成|R|H)(元|\d{1,2})年(\d{1,2})月(?:(\d{1,2})日)?|(20\d\d)年(\d{1,2})月(?:(\d{1,2})日)?"
)
_ID_RX = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def draft_from_file(path: Path, org_id: str | None = None) -> Draft:
    text, _encoding = read_policy_file(path)
    try:
        return draft_from_text(text, org_id=org_id)
    except ImportRejected as exc:
        exc.where = exc.where or str(path)
        raise


def draft_from_bytes(data: bytes, org_id: str | None = None) -> Draft:
    text, _encoding = decode_bytes(data)
    return draft_from_text(text, org_id=org_id)


def draft_from_text(text: str, org_id: str | None = None) -> Draft:
    """Read a decoded policy text; raises ImportRejected with a one-line reason when it cannot be used."""
    if not text.strip():
        raise ImportRejected("ファイルが空です（文字がありません）", "the file is empty (no text)")
    parsed = parse(text)
    warnings = [f"{ja} / {en}" for ja, en in parsed.warnings]
    topics, children = _topics(parsed)
    _check_is_policy(parsed, topics)
    if parsed.numbering_errors:
        ja, en = parsed.numbering_errors[0]
        more = len(parsed.numbering_errors) - 1
        raise ImportRejected(
            ja + (f"（ほか{more}件）" if more else ""), en + (f" (and {more} more)" if more else "")
        )
    msec = _measures_section(parsed, topics)
    _check_complete(parsed, topics, msec)
    title, name = _title_and_name(parsed, warnings)
    kind = kind_of(name)
    adopted, adopted_text = _adopted(parsed, warnings)
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
        org_id=_choose_id(org_id, name, kind),
        name=name,
        kind=kind,
        title=title,
        adopted=adopted,
        adopted_text=adopted_text,
        threat_count=threats,
        measures_section=msec,
        segments=segments,
        topics=topics,
        section_children=children,
        warnings=warnings,
    )
    draft.profile()  # validate now, so a bad result is a reason, not a later surprise
    if draft.org_id in builtin_catalog().profiles:
        warnings.append(
            f"組込みの団体と同じ名前のため ID {draft.org_id} を使います（点検項目は組込みの内容が使われます） / "
            f"same name as the built-in body {draft.org_id}; its built-in checklist is used"
        )
    return draft


def _topics(parsed: ParsedPolicy) -> tuple[dict[str, str | None], dict[str, list[str]]]:
    topics: dict[str, str | None] = {}
    children: dict[str, list[str]] = {}
    for s in parsed.sections:
        st = section_topic(s.key)
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
    found = {t for n, t in topics.items() if t and "(" not in n}
    if not parsed.sections or len(found & _CORE) < 3 or "セキュリティ" not in compact(parsed.text[:200_000]):
        raise ImportRejected(
            "情報セキュリティ基本方針として読み取れません（「1 目的」「3 対象とする脅威」「6 情報セキュリティ対策」"
            "のような番号付きの節が見つかりません）",
            "this does not read as an information security basic policy (no numbered sections such as "
            "目的, 対象とする脅威, 情報セキュリティ対策)",
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


def _check_complete(parsed: ParsedPolicy, topics: dict[str, str | None], msec: str) -> None:
    found = {t for n, t in topics.items() if t and "(" not in n}
    if "standards_procedures" in found:
        found |= {"standards", "procedures"}
    if msec:
        found.add("measures")
    missing = [label for topic, label in EXPECTED if topic not in found]
    if missing:
        last = parsed.sections[-1]
        names = "、".join(f"「{m}」" for m in missing)
        raise ImportRejected(
            f"方針が途中で切れているか、必要な節がありません: {names} が見つかりません（最後の節は {last.number}「{last.title}」）",
            f"the policy looks cut off or incomplete: missing {', '.join(missing)} "
            f"(last section read: {last.number})",
        )
    msec_node = parsed.find(msec)
    if msec_node is None or not msec_node.children:
        raise ImportRejected(
            f"節 {msec}「情報セキュリティ対策」に (1)(2)… の対策の項目がありません",
            f"section {msec} (情報セキュリティ対策) lists no numbered measures (1), (2), ...",
        )


def _title_and_name(parsed: ParsedPolicy, warnings: list[str]) -> tuple[str, str]:
    header = parsed.header
    title = ""
    for ln in parsed.lines:  # the first line naming both the body and the policy (a 目次 heading counts)
        if ln is (parsed.sections[0].line if parsed.sections else None):
            break
        c = ln.compact
        m = _TITLE_RX.search(c)
        if m and m.start() > 0 and len(c) <= 60 and not re.search(r"[、。]", c):
            title = re.sub(r"(\s)\s+", r"\1", ln.orig.strip().replace("**", "").lstrip("#- ").strip())
            break
    for i, ln in enumerate(header):
        if title:
            break
        c = ln.compact
        if len(c) > 60 or "。" in c or not _TITLE_RX.search(c):
            continue
        title = _plain(ln.orig)
        if _TITLE_RX.match(c) and i > 0:  # 「情報セキュリティ基本方針」 under a line with the body's name
            prev = header[i - 1].compact
            if prev and len(prev) <= 30 and not re.search(r"[、。0-9年月日]", prev):
                title = _plain(header[i - 1].orig) + title
        break
    name = ""
    if title:
        flat = _plain(title)
        m = _TITLE_RX.search(compact(_nfkc(flat)))
        name = flat[: _orig_index(flat, m.start())] if m else ""
    if not name:
        name = _name_from_purpose(parsed)
    if not title:
        title = (name or "") + "情報セキュリティ基本方針"
        warnings.append("表題が見つからないため、表題を補いました / no title line found; a title was assumed")
    if not name:
        name = "（名称不明）"
        warnings.append("団体名が見つかりませんでした / the body's name was not found")
    return title, name


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _orig_index(title: str, norm_index: int) -> int:
    """Index in `title` (whitespace-free original) of character `norm_index` of its NFKC compact form."""
    acc = 0
    for i, ch in enumerate(title):
        if acc >= norm_index:
            return i
        acc += len(_nfkc(ch))
    return len(title)


def _plain(text: str) -> str:
    return re.sub(r"[\s*#_]+", "", text).strip("-").strip()


def _name_from_purpose(parsed: ParsedPolicy) -> str:
    for s in parsed.sections:
        m = re.search(r"([^、。「」()（）\s]{2,40}?)[(（]以下", s.line.orig + "".join(b.orig for b in s.body))
        if m:
            return re.sub(r"^(この|本)(基本)?方針は", "", m[1])
    return ""


def kind_of(name: str) -> str:
    """組合 -> union, 委員(会) -> committee, 町/村 -> town, 市/区 -> city."""
    if "組合" in name or "連合" in name:
        return "union"
    if "委員" in name:
        return "committee"
    if name.endswith(("町", "村")) or re.search(r"[町村](?!内)", name):
        return "town"
    if "市" in name or name.endswith("区"):
        return "city"
    return "other"


def _adopted(parsed: ParsedPolicy, warnings: list[str]) -> tuple[date | None, str]:
    cands: list[tuple[int, Line, re.Match[str]]] = []
    for ln in parsed.header:
        c = ln.compact
        m = _DATE_RX.search(c)
        if m and len(c) <= 40:
            rank = 0 if re.search(r"策定|制定|施行|改定|改正|決定", c) else 1
            cands.append((rank, ln, m))
    if not cands:
        for ln in parsed.supplementary:
            m = _DATE_RX.search(ln.compact)
            if m:
                cands.append((2, ln, m))
                break
    if not cands:
        warnings.append("策定日が見つかりませんでした / no adoption date found")
        return None, ""
    _rank, ln, m = min(cands, key=lambda t: t[0])
    if m[1]:
        era = 2018 if m[1] in ("令和", "R") else 1988
        year = era + (1 if m[2] == "元" else int(m[2]))
        month, day = int(m[3]), m[4]
    else:
        year, month, day = int(m[5]), int(m[6]), m[7]
    text = ln.orig.strip()
    if not day:
        warnings.append(
            f"策定日に日付がないため {year}-{month:02d}-01 としました（{_plain(text)}） / "
            f"the adoption date has no day; {year}-{month:02d}-01 assumed"
        )
    try:
        return date(year, month, int(day) if day else 1), text
    except ValueError:
        warnings.append(f"策定日「{_plain(text)}」は日付として正しくありません / invalid adoption date")
        return None, text


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


def _choose_id(org_id: str | None, name: str, kind: str) -> str:
    from selfcheck.catalog import builtin_catalog

    key = compact(_nfkc(name))
    if org_id:
        if not _ID_RX.match(org_id) or len(org_id) > 100:
            raise ImportRejected(
                f"ID {org_id!r} は半角英小文字・数字・ハイフンで指定してください",
                f"id {org_id!r} must be lower-case letters, digits and hyphens",
            )
        builtin = builtin_catalog().profiles.get(org_id)
        if builtin is not None and compact(_nfkc(builtin.name)) != key:
            raise ImportRejected(
                f"ID {org_id!r} は組込みの団体「{builtin.name}」の ID です。別の ID を指定してください",
                f"id {org_id!r} belongs to the built-in body {builtin.name}; choose another id",
            )
        return org_id
    for prof in builtin_catalog().profiles.values():
        if compact(_nfkc(prof.name)) == key:
            return prof.id
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{kind}-{digest}"
