"""インシデント報告書: the incident as an A4 PDF, built and signed through the same pipeline as the
self-inspection report (`selfcheck.issue.issue_report`, `selfcheck.report.layout`).

Contents: summary (body, playbook, the policy's threat clause it answers, times), triage answers, the nine
個人情報保護委員会 report items as far as recorded, the outside reports with their due dates and when each
was made, the full timeline, the evidence with SHA-256, the 押印欄 and (when signed) the signer block.
`build(data, out)` takes only the frozen `IncidentReportData`; the document id is the SHA-256 of the
recorded incident data (not of the issue time), so the same record gives the same id.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfcheck.incident import cases
from selfcheck.incident.cases import IncidentDetail
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from selfcheck.issue import IssuedReport
    from selfcheck.report.layout import SignerInfo
    from selfcheck.signing.keystore import Passphrase

Progress = Callable[[float, str], None]
DOC_TITLE = "インシデント報告書"
STATUS_JA = {
    "overdue": "期限超過",
    "late": "目安超過",
    "due": "期限前",
    "asap": "速やかに",
    "done": "報告済み",
}
ANSWER_JA = {"yes": "はい", "no": "いいえ", "unknown": "未回答"}
KIND_JA = {
    "opened": "対応開始",
    "step_done": "手順完了",
    "step_skipped": "手順省略",
    "step_reopened": "手順取消",
    "note": "メモ",
    "evidence": "証拠追加",
    "triage": "判定",
    "status": "状態変更",
    "report_made": "外部報告",
    "field": "記入・変更",
}


@dataclass(frozen=True)
class IncidentReportData:
    detail: IncidentDetail
    policy_title: str
    stamp_roles: tuple[str, ...]
    issued_wareki: str
    issued_at: str
    document_id: str
    signer: SignerInfo | None = None

    def with_signer(self, signer: SignerInfo | None) -> IncidentReportData:
        return dataclasses.replace(self, signer=signer)


def _snapshot(d: IncidentDetail) -> str:
    """Hash of what is recorded (the deadline states depend on the clock, so only their dates count)."""
    data = d.as_dict()
    data["deadlines"] = [
        {k: x[k] for k in ("id", "due_date", "limit_date", "made_at")}  # type: ignore[index]
        for x in data["deadlines"]
    ]  # type: ignore[union-attr]
    data["steps"] = [
        {k: s[k] for k in ("id", "state", "reason", "state_at", "state_by")}  # type: ignore[index]
        for s in data["steps"]
    ]  # type: ignore[union-attr]
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def gather(ws: Workspace, incident_id: int) -> IncidentReportData:
    from selfcheck import orgs, roles, scale

    d = cases.detail(ws, incident_id)
    prof = orgs.profile(ws, d.incident.org_id)
    return IncidentReportData(
        detail=d,
        policy_title=prof.policy_title,
        stamp_roles=roles.stamp_roles(ws, d.incident.org_id),
        issued_wareki=scale.wareki_date(ws.clock().date()),
        issued_at=ws.now(),
        document_id=_snapshot(d),
    )


def issue(
    ws: Workspace,
    incident_id: int,
    *,
    out: Path,
    sign: bool,
    passphrase_provider: Passphrase | None = None,
    on_progress: Progress | None = None,
) -> Path:
    """Build (and sign) the report into `out` and record it (a `Report` row + audit record)."""
    from selfcheck import paths

    if Path(out).parent == paths.reports_dir(ws.home):  # the TUI's default place: create it on first use
        paths.ensure_private_dir(Path(out).parent)
    return issue_report(
        ws, incident_id, out=out, sign=sign, passphrase_provider=passphrase_provider, on_progress=on_progress
    ).path


def issue_report(
    ws: Workspace,
    incident_id: int,
    *,
    out: Path,
    sign: bool,
    passphrase_provider: Passphrase | None = None,
    on_progress: Progress | None = None,
) -> IssuedReport:
    from selfcheck import issue as issuing
    from selfcheck.errors import SelfcheckError

    data = gather(ws, incident_id)

    def build_pdf(path: Path, signer: SignerInfo | None) -> str:
        build(data.with_signer(signer), path)
        return data.document_id

    def guard(_s: object) -> None:
        # the record must not have changed while the PDF was built (the write lock is held here)
        if _snapshot(cases.detail(ws, incident_id)) != data.document_id:
            raise SelfcheckError(
                "報告書の作成中にインシデントの記録が変更されました。もう一度作成してください",
                "the incident changed while the report was being made; make it again",
            )

    return issuing.issue_report(
        ws,
        kind="incident",
        subject_id=incident_id,
        out=out,
        sign=sign,
        passphrase_provider=passphrase_provider,
        build=build_pdf,
        guard=guard,
        on_progress=on_progress,
    )


def _t(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else ""


def build(data: IncidentReportData, out: Path) -> Path:
    """Write the report to `out` and return it."""
    from reportlab.platypus import PageBreak

    from selfcheck.report import layout

    d = data.detail
    story: list[Any] = [
        *_summary(data),
        *_triage(d),
        *_deadlines(d),
        PageBreak(),
        *_ppc(d),
        *_steps(d),
        PageBreak(),
        *_timeline(d),
        *_evidence(d),
        *_approval(data),
    ]
    document = layout.doc(
        out,
        title=f"{DOC_TITLE} {d.org_name} #{d.incident.id}",
        author=d.org_name,
        subject=f"文書ID {data.document_id}",
    )
    layout.build_story(
        document, story, footer_left=f"文書ID {data.document_id}", header=f"{d.org_name}　{DOC_TITLE}"
    )
    return out


def _h(text: str, style: str = "h1") -> Any:
    from reportlab.platypus import Paragraph

    from selfcheck.report import layout

    return Paragraph(layout.markup(text), layout.styles()[style])


def _summary(data: IncidentReportData) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    d, i = data.detail, data.detail.incident
    st = layout.styles()
    pairs = [
        ("団体名", d.org_name),
        ("件名", f"{i.title}（インシデント番号 {i.id}）"),
        (
            "状態",
            "終結" + (f"（{_t(i.closed_at)} {d.closed_by or ''}）" if i.closed_at else "")
            if i.status == "closed"
            else "対応中",
        ),
        ("事案の種類", i.playbook_title),
        ("対象とする脅威", f"{data.policy_title} {d.threat.clause}\n{d.threat.label}"),
        ("発生日時", _t(d.occurred_at) or "（不明）"),
        ("覚知日時", _t(i.detected_at)),
        ("対応開始", f"{_t(i.opened_at)} {i.opened_by}"),
        ("概要", d.summary or "（未記入）"),
        ("発行日", data.issued_wareki),
        ("文書ID", data.document_id),
    ]
    return [
        Paragraph(layout.markup(DOC_TITLE), st["title"]),
        Paragraph(layout.markup(d.org_name), st["subtitle"]),
        Spacer(1, mm(6)),
        _h("1. 概要"),
        layout.kv_table(pairs),
        Spacer(1, mm(2)),
        Paragraph(
            "文書IDは、この報告書の作成に用いたインシデントの記録（判定・手順・時系列・証拠）の SHA-256 "
            "ハッシュ値です。",
            st["note"],
        ),
    ]


def _triage(d: IncidentDetail) -> list[Any]:
    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    rows = [["判定の質問", "回答"]] + [[q.text, ANSWER_JA.get(q.answer, q.answer)] for q in d.triage]
    return [_h("2. 判定（個人情報の該当性等）"), layout.grid(rows, [layout.content_width() - mm(30), mm(30)])]


def _deadlines(d: IncidentDetail) -> list[Any]:
    from selfcheck.incident.deadlines import builtin_rules
    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    out: list[Any] = [_h("3. 外部への報告と期限")]
    if not d.deadlines:
        return [*out, layout.para("判定の結果、期限のある外部への報告はありません。", "body")]
    rows = [["報告", "期限（覚知日を1日目）", "報告日時", "状態", "根拠"]]
    for x in d.deadlines:
        due = (
            "速やかに"
            if x.asap
            else (x.due_date or "")
            + (f"\n（遅くとも {x.limit_date}）" if x.limit_date and x.limit_date != x.due_date else "")
        )
        rows.append([x.title, due, _t(x.made_at) or "未報告", STATUS_JA[x.status], x.basis])
    note = builtin_rules().counting.note
    return [*out, layout.grid(rows, [mm(46), mm(34), mm(28), mm(18), mm(54)]), layout.para(note, "note")]


def _ppc(d: IncidentDetail) -> list[Any]:
    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    rows = [["報告事項", "内容"]] + [
        [f"{n}. {label}", d.ppc.get(key, "") or "（未記入）"]
        for n, (key, label) in enumerate(cases.PPC_ITEMS.items(), start=1)
    ]
    return [
        _h("4. 個人情報保護委員会への報告事項"),
        layout.grid(rows, [mm(62), layout.content_width() - mm(62)]),
    ]


def _steps(d: IncidentDetail) -> list[Any]:
    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    state = {"done": "完了", "skipped": "省略", "open": "未完了"}
    rows = [["段階", "手順", "担当", "状態", "日時・実施者・理由"]]
    for s in d.steps:
        when = f"{_t(s.state_at)} {s.state_by or ''}".strip()
        rows.append(
            [
                s.phase_title,
                s.title + ("（必須）" if s.required else ""),
                s.role_title,
                state[s.state],
                when + (f"\n理由: {s.reason}" if s.reason else ""),
            ]
        )
    return [
        _h("5. 対応手順の実施状況"),
        *layout.grids(rows[0], rows[1:], [mm(28), mm(56), mm(32), mm(16), mm(48)]),
    ]


def _timeline(d: IncidentDetail) -> list[Any]:
    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    titles = {s.id: s.title for s in d.steps}
    rows = []
    for t in d.timeline:
        text = (f"［{titles.get(t.step_id, t.step_id)}］" if t.step_id else "") + t.text
        rows.append([_t(t.at), t.actor, KIND_JA.get(t.kind, t.kind), text])
    return [
        _h("6. 時系列（全記録）"),
        *layout.grids(
            ["日時", "記録者", "種類", "内容"],
            rows,
            [mm(28), mm(26), mm(20), layout.content_width() - mm(74)],
        ),
    ]


def _evidence(d: IncidentDetail) -> list[Any]:
    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    out: list[Any] = [_h("7. 証拠")]
    if not d.evidence:
        return [*out, layout.para("登録された証拠はありません。", "body")]
    rows = []
    for e in d.evidence:
        what = (
            f"{e.original_name}（{e.size or 0:,} バイト）\nSHA-256: {e.sha256}"
            if e.kind == "file"
            else f"紙の保管場所: {e.paper_location}"
        )
        rows.append(
            [
                str(e.id),
                what + (f"\n{e.description}" if e.description else ""),
                f"{_t(e.added_at)}\n{e.added_by}",
            ]
        )
    return [
        *out,
        *layout.grids(["番号", "証拠", "追加"], rows, [mm(12), layout.content_width() - mm(44), mm(32)]),
    ]


def _approval(data: IncidentReportData) -> list[Any]:
    from reportlab.platypus import KeepTogether, Spacer

    from selfcheck.report import layout
    from selfcheck.report.layout import mm

    block: list[Any] = [_h("8. 確認・承認"), layout.approval_block(data.stamp_roles)]
    if data.signer is not None:
        block += [Spacer(1, mm(4)), _h("電子署名", "h2"), layout.signer_block(data.signer)]
    return [KeepTogether(block)]
