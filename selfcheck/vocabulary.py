"""The fixed words of the checklist data: network segments and clause topics.

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
}
