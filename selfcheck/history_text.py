"""The audit trail in words: who changed what, when (JST), from what to what, as a clerk reads it.

An `AuditView` keeps the machine values (`planned`, `not_applicable`, JSON objects, ISO timestamps in the
offset they were written with): that is what is hashed, and what `--json` prints. Screens (the TUI's item
history), `selfcheck audit log` and exports show `describe(view)` instead: 「改善策の状態を 予定 → 完了 に
変更」, never 「状態 planned」 or `{"org": ...}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from selfcheck import dates, scale
from selfcheck.audit import AuditView
from selfcheck.incident.roles import known_roles

ENTITIES = {
    "answer": "回答",
    "improvement": "改善策",
    "evidence": "証跡",
    "inspection": "点検",
    "incident": "インシデント",
    "report": "報告書",
    "organization": "団体",
    "setting": "設定",
    "contact": "連絡先",
    "role_title": "役割の名称",
}
ACTIONS = {
    "create": "追加",
    "update": "変更",
    "delete": "削除",
    "finalize": "確定",
    "carry_over": "前年度から引継ぎ",
    "sign": "署名",
    "import": "取込み",
    "note": "メモ",
    "report_made": "外部報告",
    "step_done": "手順完了",
    "step_skipped": "手順省略",
    "step_reopened": "手順取消",
}
FIELDS = {
    "value": "回答",
    "comment": "コメント",
    "na_reason": "該当しない理由",
    "needs_review": "要再確認",
    "action": "改善策",
    "owner": "担当",
    "due_date": "期限",
    "status": "状態",
    "removed_at": "添付を外した日時",
    "previous_id": "引継ぎ元の点検",
    "revision_of": "元の版",
    "title": "件名",
    "summary": "概要",
    "occurred_at": "発生日時",
    "detected_at": "覚知日時",
    "triage": "判定",
    "stamp_roles": "押印欄",
    "profile_json": "団体の設定",
    "contacts": "連絡先一覧",
    # keys inside recorded objects
    "org": "団体",
    "fiscal_year": "年度",
    "items": "項目数",
    "from": "引継ぎ元",
    "playbook": "対応手順",
    "path": "ファイル",
    "document_id": "文書ID",
    "signed": "署名",
    "fingerprint": "証明書の指紋",
    "name": "名前",
    "role": "役割",
    "phone": "電話",
    "organization": "所属",
    "email": "メール",
    "note": "メモ",
    "kind": "種類",
    "sha256": "SHA-256",
    "size": "大きさ（バイト）",
    "paper_location": "紙の保管場所",
}
YES_NO = {"true": "あり", "false": "なし"}
# values that are codes, per field (the rest are shown as they are); "status" depends on the entity
VALUES: dict[str, dict[str, str]] = {
    "value": scale.ANSWERS,
    "needs_review": YES_NO,
    "signed": YES_NO,
    "kind": {"file": "ファイル", "paper": "紙"},
}
STEP_STATES = {"done": "完了", "skip": "省略", "reopen": "未完了に戻す"}
STATUS: dict[str, dict[str, str]] = {
    "improvement": scale.IMPROVEMENT_STATUS,
    "inspection": scale.INSPECTION_STATUS,
    "incident": {"open": "対応中", "closed": "終結"},
}
TIME_FIELDS = {"removed_at", "occurred_at", "detected_at"}
DATE_FIELDS = {"due_date"}
NOTHING = "（なし）"


@dataclass(frozen=True)
class HistoryLine:
    """One audit record for people. `text` is the whole change in one sentence."""

    id: int
    at: str  # 令和8年11月23日 10:00 (JST)
    who: str
    target: str  # 回答 / 改善策 / 点検 3 ...
    action: str  # 追加 / 変更 / 削除 / 確定 ...
    field: str  # 回答 / 期限 / ... ("" when the record is about the whole thing)
    old: str
    new: str
    text: str


def describe(r: AuditView) -> HistoryLine:
    if r.entity == "setting":  # the field is always "value"; the setting's name is its id
        field, old, new = r.entity_id, _setting(r.old), _setting(r.new)
    else:
        field = _field_label(r.field)
        old = value_text(r.field, r.old, entity=r.entity)
        new = value_text(r.field, r.new, entity=r.entity)
    target = ENTITIES.get(r.entity, r.entity)
    action = ACTIONS.get(r.action, r.action)
    subject = f"{target}「{field}」" if field else target
    if r.old is not None and r.new is not None:
        text = f"{subject}を {old} → {new} に{action}"
    elif r.new is not None and r.action == "update":
        text = f"{subject}を {new} に設定"
    elif r.new is not None:
        text = f"{subject}を{action}: {new}"
    elif r.old is not None:
        text = f"{subject}を{action}（元: {old}）"
    else:
        text = f"{subject}を{action}"
    return HistoryLine(
        id=r.id,
        at=dates.time_text(r.at),
        who=r.app_user or r.os_user,
        target=target,
        action=action,
        field=field,
        old=old if r.old is not None else "",
        new=new if r.new is not None else "",
        text=text,
    )


def _setting(value: str | None) -> str:
    return value_text("", value) if value is not None else NOTHING


def _field_label(field: str) -> str:
    if not field:
        return ""
    if field.startswith("step:"):
        return f"手順 {field.removeprefix('step:')}"
    if field.startswith("ppc."):
        return f"個人情報保護委員会への報告事項（{field.removeprefix('ppc.')}）"
    if " " in field:  # a report's "inspection 3", evidence's "inspection 3 item pur-01"
        kind, _sp, rest = field.partition(" ")
        return f"{ENTITIES.get(kind, kind)} {rest.replace(' item ', ' 項目 ')}"
    return FIELDS.get(field, field)


def value_text(field: str, value: str | None, *, entity: str = "", limit: int = 80) -> str:
    """A recorded value in words: codes as labels, dates in 和暦, times in JST, JSON objects as
    「項目 値、...」, nothing as 「（なし）」; long text shortened to one line of `limit` characters."""
    if value is None or value == "":
        return NOTHING
    if field.startswith("step:"):
        return STEP_STATES.get(value, _short(value, limit))
    if field == "triage":
        return _triage(value)
    if field == "role":
        return known_roles().get(value, value)
    codes = STATUS.get(entity, {}) if field == "status" else VALUES.get(field, {})
    if value in codes:
        return codes[value]
    if value.lower() in codes:
        return codes[value.lower()]
    if field in DATE_FIELDS:
        return dates.wareki_text(value)
    if field in TIME_FIELDS:
        return dates.time_text(value)
    if field == "fiscal_year" and value.isdigit():
        return scale.fiscal_year_label(int(value))
    if value[:1] in '{["':
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict):
            parts = (
                f"{FIELDS.get(k, k)} {value_text(k, _plain(v), limit=limit)}" for k, v in decoded.items()
            )
            return _short("、".join(parts), limit)
        if isinstance(decoded, list):
            return _short("、".join(str(x) for x in decoded) or NOTHING, limit)
        if isinstance(decoded, str):  # a setting's JSON-encoded text
            return value_text(field, decoded, entity=entity, limit=limit)
    return _short(value, limit)


def _triage(value: str) -> str:
    """The triage answers as counts (the questions' keys are not words for people; the incident screen
    shows each question)."""
    try:
        answers = json.loads(value)
    except ValueError:
        return _short(value, 80)
    if not isinstance(answers, dict) or not answers:
        return "未回答"
    yes = sum(1 for v in answers.values() if v == "yes")
    no = sum(1 for v in answers.values() if v == "no")
    return f"回答 {len(answers)} 問（はい {yes}、いいえ {no}）"


def _plain(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
