"""The body's name, the policy's title, its adoption date and the body's kind, read from the text.

The title is the first line naming both the body and the policy (「〇〇町情報セキュリティ基本方針」), or such a
line under a line with the body's name. 例規集 pages put 「○」 before the title and the 訓令 number and date
beside or under it: those are not part of the name. A name cut before its end (「〇〇市教育」 from
「〇〇市教育情報セキュリティ基本方針」) is completed from the text (「〇〇市教育委員会」).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from selfcheck import catalog
from selfcheck.errors import ImportCorrectionError
from selfcheck.policy_import.lines import Line, compact
from selfcheck.policy_import.parse import ParsedPolicy

TITLE_RX = re.compile(
    r"(?:教育)?(情報セキュリティ|サイバーセキュリティ|セキュリティ)(?:対策)?(?:に関する)?"
    r"(基本方針|ポリシー|規程|要綱)"
)
_DATE_RX = re.compile(
    r"(令和|平成|R|H)(元|\d{1,2})年(\d{1,2})月(?:(\d{1,2})日)?|(20\d\d)年(\d{1,2})月(?:(\d{1,2})日)?"
)
_REIKI_NO = re.compile(r"(訓令|告示|規程|要綱|規則|条例|達)第\S{1,6}号")
_NUMBER_PAREN = re.compile(r"[(（][^()（）]*(?:号|年|日)[^()（）]*[)）]")
_BODY_END = re.compile(
    r"(町|村|市|区|県|都|府|道|組合|連合|委員会|委員|議会|企業団|公社|局|事務所|センター|病院|協議会)$"
)
_COMPLETIONS = ("委員会", "事務組合", "組合", "広域連合", "連合", "企業団", "協議会")
_ID_RX = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _plain(text: str) -> str:
    return re.sub(r"[\s*#_]+", "", text).strip("-").strip()


def _is_reiki(parsed: ParsedPolicy) -> bool:
    return any(_REIKI_NO.search(ln.compact) for ln in parsed.lines[:40])


def _strip_mark(text: str, reiki: bool) -> str:
    """「○〇〇町…」 -> 「〇〇町…」: the 例規集 mark is one circle; 「○○村」 (a placeholder name) keeps its two."""
    m = re.match(r"^[○〇◯]+", text)
    n = len(m.group(0)) if m else 0
    return text[1:] if n and (n % 2 == 1 or reiki) else text


def title_and_name(parsed: ParsedPolicy, warnings: list[str]) -> tuple[str, str]:
    reiki = _is_reiki(parsed)
    title = bare = ""
    first_section = parsed.sections[0].line if parsed.sections else None
    before: list[Line] = []
    for ln in parsed.lines[:80]:
        if ln is first_section:
            break
        before.append(ln)
    for ln in before:  # the first line naming both the body and the policy (a 目次 heading counts)
        c = _NUMBER_PAREN.sub("", ln.compact)
        m = TITLE_RX.search(c)
        if m and m.start() > 0 and len(c) <= 70 and not re.search(r"[、。]", c):
            text = re.sub(r"(\s)\s+", r"\1", ln.orig.strip().replace("**", "").lstrip("#- ").strip())
            title = _strip_mark(_NUMBER_PAREN.sub("", text).strip(), reiki)
            break
    for i, ln in enumerate(before):  # 「情報セキュリティ基本方針」 under a line with the body's name
        c = _NUMBER_PAREN.sub("", ln.compact)
        m = TITLE_RX.match(c)
        if title or not m or len(c) > 70 or re.search(r"[、。]", c):
            continue
        text = _NUMBER_PAREN.sub("", _plain(ln.orig))
        prev = _strip_mark(_plain(before[i - 1].orig), reiki) if i else ""
        if prev and len(prev) <= 30 and not re.search(r"[、。0-9０-９年月日号]", prev):
            title = prev + text
            break
        bare = bare or text
    title = title or bare
    name = ""
    if title:
        flat = _plain(title)
        m = TITLE_RX.search(compact(_nfkc(flat)))
        name = flat[: _orig_index(flat, m.start())] if m else ""
        name = re.sub(r"(の|における|に係る)$", "", name)
        if m and m.group(0).startswith("教育"):  # 〇〇市教育情報セキュリティ…: the board of education's
            name = _complete(name + "教育", parsed.text)
            name = name if name.endswith(_COMPLETIONS) else name + "委員会"
        name = _complete(name, parsed.text)
    if not name:
        name = _complete(_name_from_purpose(parsed), parsed.text)
    if not title:
        title = (name or "") + "情報セキュリティ基本方針"
        warnings.append("表題が見つからないため、表題を補いました / no title line found; a title was assumed")
    if not name:
        name = "（名称不明）"
        warnings.append("団体名が見つかりませんでした / the body's name was not found")
    return title, name


def _complete(name: str, text: str) -> str:
    """「〇〇市教育」 -> 「〇〇市教育委員会」 when the text has the whole name."""
    if not name or _BODY_END.search(name):
        return name
    flat = re.sub(r"\s+", "", text)
    for tail in _COMPLETIONS:
        if name + tail in flat:
            return name + tail
    return name


def _orig_index(title: str, norm_index: int) -> int:
    """Index in `title` (whitespace-free original) of character `norm_index` of its NFKC compact form."""
    acc = 0
    for i, ch in enumerate(title):
        if acc >= norm_index:
            return i
        acc += len(_nfkc(ch))
    return len(title)


def _name_from_purpose(parsed: ParsedPolicy) -> str:
    for s in parsed.sections:
        m = re.search(r"([^、。「」()（）\s]{2,40}?)[(（]以下", s.line.orig + "".join(b.orig for b in s.body))
        if m:
            return re.sub(r"^(この|本)(基本)?(方針|訓令|規程|要綱)は", "", m[1])
    return ""


def kind_of(name: str) -> str:
    """広域連合 -> regional_union, 組合 -> union, 委員(会) -> committee, 町/村 -> town, 市/区 -> city."""
    if "広域連合" in name:
        return "regional_union"
    if "組合" in name or "連合" in name or "企業団" in name:
        return "union"
    if "委員" in name:
        return "committee"
    if name.endswith(("町", "村")) or re.search(r"[町村](?!内)", name):
        return "town"
    if "市" in name or name.endswith("区"):
        return "city"
    return "other"


def adopted(parsed: ParsedPolicy, warnings: list[str]) -> tuple[date | None, str]:
    cands: list[tuple[int, Line, re.Match[str]]] = []
    for ln in parsed.header:
        c = ln.compact
        m = _DATE_RX.search(c)
        if m and len(c) <= 60:
            if re.search(r"改正|改訂|一部改", c):
                rank = 2
            elif re.search(r"策定|制定|施行|決定|訓令|告示|第\S{1,6}号", c):
                rank = 0
            else:
                rank = 1
            cands.append((rank, ln, m))
    if not cands:
        for ln in parsed.supplementary:
            m = _DATE_RX.search(ln.compact)
            if m:
                cands.append((3, ln, m))
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


def choose_id(org_id: str | None, name: str, kind: str) -> str:
    key = compact(_nfkc(name))
    if org_id:
        if not _ID_RX.match(org_id) or len(org_id) > 100:
            raise ImportCorrectionError(
                f"ID {org_id!r} は半角英小文字・数字・ハイフンで指定してください",
                f"id {org_id!r} must be lower-case letters, digits and hyphens",
            )
        builtin = catalog.builtin_catalog().profiles.get(org_id)
        if builtin is not None and compact(_nfkc(builtin.name)) != key:
            raise ImportCorrectionError(
                f"ID {org_id!r} は組込みの団体「{builtin.name}」の ID です。別の ID を指定してください",
                f"id {org_id!r} belongs to the built-in body {builtin.name}; choose another id",
            )
        return org_id
    for prof in catalog.builtin_catalog().profiles.values():
        if compact(_nfkc(prof.name)) == key:
            return prof.id
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    # a 広域連合 keeps the union- prefix it had before it was a kind of its own, so re-importing the same
    # policy gives the same id
    prefix = "union" if kind == "regional_union" else kind
    return f"{prefix}-{digest}"
