"""Rules for the text of bank items, apart from the schema that applies them: the `{guideline}`
placeholder, the 確認方法 that must name a document or record, and the `source` ids of the outline.

Plain functions raising ValueError, so pydantic reports each problem at its field (`file:line: field:`).
"""

from __future__ import annotations

import re

from selfcheck.vocabulary import GUIDELINE_EDITION

PLACEHOLDERS: dict[str, str] = {"guideline": f"総務省ガイドライン（{GUIDELINE_EDITION}）"}
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_EDITION_RE = re.compile(r"(令和|平成)(元|\d+)年\d+月版")

# A 確認方法 names the document or record that is looked at: one of these words must occur.
EVIDENCE_WORDS: tuple[str, ...] = (
    "台帳", "記録", "一覧", "名簿", "簿", "議事録", "契約書", "仕様書", "規程", "要綱", "要領", "手順",
    "計画", "報告書", "申請書", "証明書", "資料", "文書", "体制表", "構成図", "ログ", "綴り", "写し",
    "設定", "様式", "規約", "決裁", "掲示", "調書", "履歴", "基準", "通知", "チェックリスト",
)  # fmt: skip

SOURCE_RE = re.compile(r"^C-\d+(\.\d+)?-\d{2}$")
SUPPLEMENT = "補足"


def check_text(v: str) -> str:
    """Only known `{placeholders}`, and no guideline edition written out (it lives in GUIDELINE_EDITION)."""
    for name in _PLACEHOLDER_RE.findall(v):
        if name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{name}}}; known: {', '.join(PLACEHOLDERS)}")
    rest = _PLACEHOLDER_RE.sub("", v)
    if "{" in rest or "}" in rest:
        raise ValueError("unbalanced { or }")
    m = _EDITION_RE.search(v)
    if m:
        raise ValueError(f"write {{guideline}} instead of the edition {m[0]!r}")
    return v


def check_how_to_check(v: str) -> str:
    check_text(v)
    if not any(w in v for w in EVIDENCE_WORDS):
        raise ValueError(
            "確認方法には確認する文書・記録（台帳・記録・契約書・議事録・設定など）を書いてください / "
            "name the document or record to look at"
        )
    return v


def check_sources(v: str | list[str] | None) -> str | list[str] | None:
    """`source`: an outline id (C-4.4-03), a list of them, or 補足 alone."""
    if isinstance(v, list) and not v:
        raise ValueError("an empty list; leave source out or name a statement")
    ids = [v] if isinstance(v, str) else (v or [])
    for s in ids:
        if s != SUPPLEMENT and not SOURCE_RE.match(s):
            raise ValueError(f"{s!r} is neither a statement id like C-4.4-03 nor {SUPPLEMENT}")
    if SUPPLEMENT in ids and len(ids) > 1:
        raise ValueError(f"{SUPPLEMENT} cannot be combined with statement ids")
    if len(set(ids)) != len(ids):
        raise ValueError("a statement is listed twice")
    return v


def render(text: str) -> str:
    """Bank text with its placeholders filled in."""
    return _PLACEHOLDER_RE.sub(lambda m: PLACEHOLDERS[m[1]], text)
