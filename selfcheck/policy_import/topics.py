"""Which TOPICS key a heading names, which network segments a policy defines, and what a measure's text
implies.

Headings differ between bodies (「物理的セキュリティ」「物理的セキュリティ対策」「物理的対策」), but each names its
topic with a key word, so the rules below are ordered key-word tests on the compact NFKC form of the
heading. The level matters: 「業務委託の管理」 as a numbered section is the contract clause
(outsourcing_contract), while 「業務委託と外部サービスの利用」 as a measure is outsourcing.
"""

from __future__ import annotations

import re

from selfcheck.vocabulary import SEGMENT_LABELS

# Section-level headings (1, 2, ... / 第1条 ...). Order matters: 「情報セキュリティ対策基準の策定」 must be tested
# before 「情報セキュリティ対策」.
SECTION_RULES: tuple[tuple[str, str], ...] = (
    (r"附則", "supplementary"),
    (r"(対策基準|基準).*(実施手順|手順)|対策基準等", "standards_procedures"),
    (r"対策基準", "standards"),
    (r"実施手順", "procedures"),
    (r"目的|趣旨", "purpose"),
    (r"定義|用語", "definitions"),
    (r"脅威", "threats"),
    (r"適用範囲|対象範囲|範囲", "scope"),
    (r"遵守|順守", "compliance"),
    (r"評価.*見直|評価", "evaluation"),
    (r"監査|自己点検|点検", "self_inspection"),
    (r"見直", "policy_review"),
    (r"委託", "outsourcing_contract"),
    (r"対策|措置", "measures"),
    (r"組織|体制", "organization"),
    (r"強靱|強靭|強じん", "resilience"),
)

# Measure-level headings ((1), (2), ... inside the 情報セキュリティ対策 section).
MEASURE_RULES: tuple[tuple[str, str], ...] = (
    (r"組織|体制", "organization"),
    (r"強靱|強靭|強じん", "resilience"),
    (r"物理", "physical"),
    (r"人的", "human"),
    (r"技術", "technical"),
    (r"分類|資産", "classification"),
    (r"委託", "outsourcing"),
    (r"外部サービス|クラウド", "external_service"),
    (r"ソーシャルメディア|SNS", "sns"),
    (r"評価|見直", "evaluation"),
    (r"監査|自己点検|点検", "self_inspection"),
    (r"運用|緊急時|事故", "operation"),
    (r"対策基準", "standards"),
    (r"実施手順", "procedures"),
)

# Sub-items of a section other than the measures section are kept in the profile only when they name
# these (小城 9(1) 対策基準の策定, 9(2) 実施手順の策定).
SECTION_CHILD_TOPICS = frozenset(
    {"standards", "procedures", "self_inspection", "policy_review", "evaluation"}
)

SEGMENT_PATTERNS: dict[str, re.Pattern[str]] = {
    "mynumber": re.compile(r"マイナンバー利用事務|個人番号利用事務系"),
    "lgwan": re.compile(r"LGWAN接続|LGWAN系", re.IGNORECASE),
    "internet": re.compile(r"インターネット接続"),
    "school_admin": re.compile(r"校務(情報)?系"),
    "school_edu": re.compile(r"教育(情報)?系"),
}

# What an article says when it has no caption (「第1 この基本方針は、…を目的とする。」): tested on its first
# sentence, in this order.
CONTENT_RULES: tuple[tuple[str, str], ...] = (
    (r"(対策基準|基準).*(実施手順|手順).*(策定|定め)", "standards_procedures"),
    (r"対策基準.{0,20}(策定|定め)", "standards"),
    (r"実施手順.{0,20}(策定|定め)", "procedures"),
    (r"目的とする|趣旨", "purpose"),
    (r"用語の意義|用語の定義|次の各号に掲げる用語", "definitions"),
    (r"脅威", "threats"),
    (r"適用(する|される|範囲)|対象範囲", "scope"),
    (r"遵守(しなければ|する|義務)|順守", "compliance"),
    (r"監査|自己点検", "self_inspection"),
    (r"見直", "policy_review"),
    (r"次の(情報セキュリティ)?(対策|措置)を講", "measures"),
    (r"委託", "outsourcing_contract"),
)

_SECTION = [(re.compile(p, re.IGNORECASE), t) for p, t in SECTION_RULES]
_CONTENT = [(re.compile(p, re.IGNORECASE), t) for p, t in CONTENT_RULES]
_MEASURE = [(re.compile(p, re.IGNORECASE), t) for p, t in MEASURE_RULES]
_EXTERNAL = re.compile(r"外部サービス|クラウドサービス|クラウド")
_SNS = re.compile(r"ソーシャルメディア|SNS", re.IGNORECASE)
_AUDIT = re.compile(r"監査|自己点検")
_REVIEW = re.compile(r"見直")


def section_topic(key: str) -> str | None:
    """Topic of a numbered section heading (compact NFKC form)."""
    for rx, topic in _SECTION:
        if rx.search(key):
            return topic
    return None


def content_topic(text: str) -> str | None:
    """Topic of a section without a usable heading, from its first sentence (compact NFKC form)."""
    first = text.split("。", 1)[0]
    for rx, topic in _CONTENT:
        if rx.search(first):
            return topic
    return None


def measure_topic(key: str) -> str | None:
    """Topic of a measure heading inside the measures section."""
    for rx, topic in _MEASURE:
        if rx.search(key):
            return topic
    return None


def segments_in(text: str) -> list[str]:
    """Segments named in `text` (compact NFKC form), in the canonical order."""
    return [seg for seg in SEGMENT_LABELS if SEGMENT_PATTERNS[seg].search(text)]


def child_topic(parent_topic: str | None, key: str) -> str | None:
    """Topic of a ①②③ item, read in the light of its parent measure."""
    if parent_topic == "resilience":
        segs = [s for s in segments_in(key) if s in ("mynumber", "lgwan", "internet")]
        return f"resilience_{segs[0]}" if segs else None
    if parent_topic in ("outsourcing", "external_service", "sns"):
        if "委託" in key:
            return "outsourcing"
        if _EXTERNAL.search(key):
            return "external_service"
        if _SNS.search(key):
            return "sns"
        return None
    if parent_topic == "standards_procedures":
        return section_topic(key)
    return measure_topic(key)


def implied_topics(topic: str | None, text: str, segments: list[str]) -> list[str]:
    """Topics a measure covers in its wording without its own ①②③ (compact NFKC form of title + text).

    周南 7(9) 評価・見直し speaks of 監査及び自己点検 and of 見直し; 大野城 6(8) 業務委託と外部サービス speaks of
    ソーシャルメディア; 群馬 6(3) 強靱性の向上 speaks of インターネット接続系. Only the measure's own family is
    read, so 運用's mention of 業務委託 does not make it the outsourcing clause. A numbered heading for the
    topic elsewhere (周南 6 業務委託の管理 for outsourcing_contract) always wins over what is implied."""
    out: list[str] = []
    if topic in ("outsourcing", "external_service", "sns"):
        if "委託" in text:
            out.append("outsourcing")
            if "契約" in text:  # 「…要件を明記した契約を締結し」: the measure is also the contract clause
                out.append("outsourcing_contract")
        if _EXTERNAL.search(text):
            out.append("external_service")
        if _SNS.search(text):
            out.append("sns")
    elif topic == "resilience":
        out += [
            f"resilience_{s}"
            for s in segments_in(text)
            if s in ("mynumber", "lgwan", "internet") and s in segments
        ]
    elif topic == "evaluation":
        if _AUDIT.search(text):
            out.append("self_inspection")
        if _REVIEW.search(text):
            out.append("policy_review")
    elif topic == "standards_procedures":
        out += ["standards", "procedures"]
    return out


# -- content topics ------------------------------------------------------------------------------------
# Some bank items check a requirement only some clauses state (a 6(3)① that requires separation, a 5 that
# covers 議員). The clause gets that content topic only when its own wording states it, so an item is never
# cited against a clause that does not require what it asks.
_ISOLATION = re.compile(r"他の領域との通信|持ち?出し不可|多要素認証")
_HANDLERS = re.compile(r"取扱者")
_SECURITY_CLOUD = re.compile(r"セキュリティクラウド")
_COUNCIL = re.compile(r"(?<![協審])議会|議員")
_VIOLATION = re.compile(r"違反")
_LAWS = re.compile(r"法令")
_EMERGING = re.compile(r"新たな脅威")
_PRIVATE = re.compile(r"非公開")

# When no clause states a content topic, its items cite the clause of this heading topic instead (the
# model standards put 違反時の対応 and 法令遵守 under 運用, 新たな脅威への予防策 under 技術的対策).
CONTENT_FALLBACK: dict[str, str] = {
    "sanctions": "operation",
    "laws": "operation",
    "emerging_threats": "technical",
}


def content_topics(topic: str | None, text: str) -> list[tuple[str, int]]:
    """(content topic, rank) that a clause of `topic` states in its wording (compact NFKC form; for a
    section, its whole text). When two clauses state the same topic the higher rank wins: 議員 in 遵守義務
    (5) is more specific than 議会 in 適用範囲 (4)."""
    out: list[tuple[str, int]] = []
    if topic in ("resilience", "resilience_mynumber"):
        if _ISOLATION.search(text) and segments_in(text)[:1] == ["mynumber"]:
            out.append(("mynumber_isolation", 1))
        if _HANDLERS.search(text) and "mynumber" in segments_in(text):
            out.append(("mynumber_handlers", 1))
    if topic in ("resilience", "resilience_internet") and _SECURITY_CLOUD.search(text):
        out.append(("security_cloud", 1))
    if topic == "compliance":
        if _COUNCIL.search(text):
            out.append(("council", 2))
        if _VIOLATION.search(text):
            out.append(("sanctions", 1))
        if _LAWS.search(text):
            out.append(("laws", 1))
    if topic == "scope" and _COUNCIL.search(text):
        out.append(("council", 1))
    if topic == "threats" and _EMERGING.search(text):
        out.append(("emerging_threats", 1))
    if topic == "standards" and _PRIVATE.search(text):
        out.append(("standards_private", 1))
    if topic == "procedures" and _PRIVATE.search(text):
        out.append(("procedures_private", 1))
    return out
