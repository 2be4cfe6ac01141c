"""The fixed words of the checklist data: network segments, clause topics, body kinds, item levels, the
citation of the law, and the guideline edition.

Plain dictionaries with no dependencies, so screens and commands can show them without loading the
data-file schema (pydantic) that `checklist_format` builds on them.
"""

SEGMENT_LABELS: dict[str, str] = {
    "mynumber": "マイナンバー利用事務系",
    "lgwan": "LGWAN接続系",
    "internet": "インターネット接続系",
    "school_admin": "校務系",
    "school_edu": "教育系",
}

# Normalised clause topics. Keys are stable ids used in data files; labels are for people. A heading of a
# policy has one of these (what the import wizard offers); TOPICS below adds the content and law topics.
HEADING_TOPICS: dict[str, str] = {
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
}

# Content topics: a profile maps one only to a clause whose wording requires what its items ask (6(3)①
# that requires separation, a 5 that names 議員), never to a heading as such.
CONTENT_TOPICS: dict[str, str] = {
    "mynumber_isolation": "マイナンバー利用事務系の分離・持出し制限・多要素認証",
    "mynumber_handlers": "マイナンバー利用事務の取扱者の限定と点検",
    "security_cloud": "自治体情報セキュリティクラウド",
    "council": "議会・議員への適用",
    "sanctions": "違反時の対応",
    "laws": "関係法令の遵守",
    "emerging_threats": "新たな脅威への対応",
    "standards_private": "対策基準の非公開",
    "procedures_private": "実施手順の非公開",
}

# Items of these topics cite a law, not a clause of the body's policy: every body is bound by it, so
# no profile maps them.
LAW_CLAUSE = "法令"
LAW_TOPICS: dict[str, str] = {
    "local_autonomy_act": "地方自治法（サイバーセキュリティを確保するための方針の策定・公表）",
}

# Every topic a bank item or a profile may use.
TOPICS: dict[str, str] = {**HEADING_TOPICS, **CONTENT_TOPICS, **LAW_TOPICS}

# Body types: the wording differs (a 組合's CISO is typically its 副管理者, a 町's its 副町長).
KIND_LABELS: dict[str, str] = {
    "union": "一部事務組合等",
    "regional_union": "広域連合",
    "committee": "委員会・委員",
    "town": "町村",
    "city": "市",
    "other": "その他",
}

# Item levels: 基本 is what a small body checks every year. An inspection takes the 基本 items only or
# 全項目 (基本＋詳細); INSPECTION_LEVELS are the values of its `level`, with how the screens say them.
CORE = "基本"
LEVELS: tuple[str, ...] = (CORE, "詳細")
ALL_ITEMS = "全項目"
INSPECTION_LEVELS: dict[str, str] = {CORE: "基本項目のみ", ALL_ITEMS: "全項目（基本＋詳細）"}

# The one place the guideline edition is written; bank text says `{guideline}`.
GUIDELINE_EDITION = "令和7年3月版"
