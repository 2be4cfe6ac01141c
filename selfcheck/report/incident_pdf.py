"""インシデント報告書: the incident as an A4 PDF (issued and signed by `selfcheck.issue`, laid out with
`selfcheck.report.layout`, like the self-inspection report).

Contents: summary (body, playbook, the policy's threat clause it answers, times) with the step to do now in
each track (containment and reporting run at the same time), triage answers, the outside reports with their
legal deadline (rolled forward over closed days) next to the internal target, or 要判断 while the answers
cannot decide, the nine 個人情報保護委員会 report items as far as recorded, the steps by phase and track, the
full timeline, the evidence with SHA-256, the 押印欄 and (when signed) the signer block.
`build(data, out)` takes only the frozen `IncidentReportData` (see `incident_data`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfcheck import dates
from selfcheck.incident import views
from selfcheck.incident.views import IncidentDetail
from selfcheck.report import blocks, layout
from selfcheck.report.incident_data import IncidentReportData
from selfcheck.report.layout import mm

DOC_TITLE = "インシデント報告書"
STATUS_JA = {
    "overdue": "期限超過",
    "late": "目安超過",
    "due": "期限前",
    "asap": "速やかに",
    "done": "報告済み",
    "undecided": "要判断",
}
ANSWER_JA = views.TRIAGE_LABELS
KIND_JA = views.TIMELINE_KIND_LABELS


def _t(iso: str | None) -> str:
    """A recorded time as people read it in this report: 和暦, Japan time (「令和8年11月21日 09:30」)."""
    return dates.time_text(iso)


def _d(iso: str | None) -> str:
    """A day (a report's due date): 和暦."""
    return dates.wareki_text(iso)


def build(data: IncidentReportData, out: Path) -> Path:
    """Write the report to `out` and return it."""
    from reportlab.platypus import PageBreak

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
    document.keywords = layout.anchor_keywords(data.signer)
    layout.build_story(
        document,
        story,
        footer_left=f"文書ID {data.document_id}",
        header=f"{d.org_name}　{DOC_TITLE}",
        watermark=layout.DRAFT_MARK if data.signer is None else "",
    )
    return out


def _h(text: str, style: str = "h1") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(layout.markup(text), layout.styles()[style])


def _summary(data: IncidentReportData) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

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
        ("対応手順の進み具合", progress_text(d)),
        ("発行日", data.issued_wareki),
        ("文書ID", data.document_id),
    ]
    top: list[Any] = []
    if data.signer is None:
        top = [blocks.draft_banner(draft_lines(d)), Spacer(1, mm(4))]
    return [
        *top,
        Paragraph(layout.markup(DOC_TITLE + ("（下書き）" if data.signer is None else "")), st["title"]),
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
        *_now(d),
    ]


def _now(d: IncidentDetail) -> list[Any]:
    """While the incident is open: the step to do now in each track (both at the same time)."""
    from reportlab.platypus import Spacer

    now = d.current_steps
    if d.incident.status != "open" or not now:
        return []
    titles = dict(d.tracks)
    pairs = [
        (
            titles.get(track, track),
            f"{s.title}（{s.role_title}"
            + (f"・覚知から{s.within_hours:g}時間以内 {_t(s.target_at)}まで" if s.within_hours else "")
            + ("・目標超過" if s.target_passed else "")
            + "）",
        )
        for track, s in now.items()
    ]
    return [
        Spacer(1, mm(3)),
        _h("今やること（作成時点。封じ込めと報告は同時に進める）", "h2"),
        layout.kv_table(pairs),
    ]


def progress_text(d: IncidentDetail) -> str:
    """「手順 8 / 18 完了（省略 1、未完了 9 うち必須 7）」."""
    done = sum(1 for s in d.steps if s.state == "done")
    skipped = sum(1 for s in d.steps if s.state == "skipped")
    left = len(d.steps) - done - skipped
    rest = [f"省略 {skipped}"] if skipped else []
    if left:
        rest.append(f"未完了 {left}" + (f" うち必須 {len(d.open_required)}" if d.open_required else ""))
    return f"手順 {done} / {len(d.steps)} 完了" + (f"（{'、'.join(rest)}）" if rest else "")


def draft_lines(d: IncidentDetail) -> list[str]:
    """Why this report is a draft: not signed, and how far the response got."""
    state = "対応中" if d.incident.status == "open" else "終結済み"
    return [
        "電子署名前の報告書です。確定した報告書ではありません。",
        f"インシデントは{state}です。{progress_text(d)}。",
        "確定するには、報告書を電子署名して作成してください。",
    ]


def _triage(d: IncidentDetail) -> list[Any]:

    rows = [["判定の質問", "回答"]] + [[q.text, ANSWER_JA.get(q.answer, q.answer)] for q in d.triage]
    return [_h("2. 判定（個人情報の該当性等）"), layout.grid(rows, [layout.content_width() - mm(30), mm(30)])]


def _deadlines(d: IncidentDetail) -> list[Any]:
    from reportlab.platypus import CondPageBreak

    from selfcheck.incident.deadlines import builtin_rules

    # never leave the heading alone at the foot of a page, away from its table
    out: list[Any] = [CondPageBreak(mm(50)), _h("3. 外部への報告と期限")]
    if not d.deadlines:
        return [*out, layout.para("判定の結果、期限のある外部への報告はありません。", "body")]
    questions = {q.key: q.text for q in d.triage}
    rows = [["報告", "期限（覚知日を1日目）", "報告日時", "状態", "根拠"]]
    notes: list[str] = []
    for x in d.deadlines:
        rows.append([x.title, _due_text(x), _t(x.made_at) or "未報告", STATUS_JA[x.status], x.basis])
        if not x.decided:
            asked = "、".join(questions.get(k, k) for k in x.pending)
            notes.append(f"{x.title}: 要判断。次の判定の質問に答えると決まります: {asked}")
        if x.rolled_over:
            notes.append(f"{x.title}: 休日のため法定期限を繰下げ（{'、'.join(x.rolled_over)}）")
        if x.legal_caveat:
            notes.append(f"{x.title}: {x.legal_caveat}")
        if x.alternative:
            notes.append(f"{x.title}: 要判断: {x.alternative}")
        if x.note and x.status != "done":
            notes.append(f"{x.title}: {x.note}")
    counting = builtin_rules().counting
    if d.closed_days:
        days = "、".join(f"{c['day']} {c.get('note', '')}".strip() for c in d.closed_days)
        notes.append(f"団体の休日（設定）: {days}")
    return [
        *out,
        layout.grid(rows, [mm(40), mm(46), mm(26), mm(16), mm(52)]),
        *[layout.para(dates.wareki_in(n), "note") for n in notes],
        layout.para(counting.note, "note"),
        layout.para("数え方の根拠: " + counting.basis, "note"),
    ]


def _due_text(x: views.Deadline) -> str:
    if not x.decided:
        return "要判断（判定の質問に未回答）"
    if x.asap:
        return "速やかに"
    if x.legal_date:
        # one fact per line: a 和暦 day fills the column, and a line broken mid-date reads badly
        text = f"法定期限 {_d(x.legal_date)}\n（{x.days}日）"
        return text + (f"\n内部目標 {_d(x.due_date)}\n（末日）" if x.due_date != x.legal_date else "")
    return _d(x.due_date) + (
        f"\n（遅くとも {_d(x.limit_date)}）" if x.limit_date and x.limit_date != x.due_date else ""
    )


def _ppc(d: IncidentDetail) -> list[Any]:

    rows = [["報告事項", "内容"]] + [
        [f"{n}. {label}", d.ppc.get(key, "") or "（未記入）"]
        for n, (key, label) in enumerate(views.PPC_ITEMS.items(), start=1)
    ]
    return [
        _h("4. 個人情報保護委員会への報告事項"),
        layout.grid(rows, [mm(62), layout.content_width() - mm(62)]),
    ]


def _steps(d: IncidentDetail) -> list[Any]:

    state = {"done": "完了", "skipped": "省略", "open": "未完了"}
    short = {"act": "対処", "report": "報告"}
    rows = [["段階", "系統", "手順", "担当", "状態", "日時・実施者・理由"]]
    for s in d.steps:
        when = f"{_t(s.state_at)} {s.state_by or ''}".strip()
        rows.append(
            [
                s.phase_title,
                short.get(s.track, s.track_title),
                s.title + ("（必須）" if s.required else ""),
                s.role_title,
                state[s.state],
                when + (f"\n理由: {s.reason}" if s.reason else ""),
            ]
        )
    titles = "、".join(f"{short.get(t, t)} = {title}" for t, title in d.tracks)
    return [
        _h("5. 対応手順の実施状況"),
        *layout.grids(rows[0], rows[1:], [mm(26), mm(12), mm(52), mm(30), mm(14), mm(46)]),
        layout.para(
            f"系統: {titles}。二つの系統は同時に進めます（封じ込めは報告の連絡を待たない）。", "note"
        ),
    ]


def _timeline(d: IncidentDetail) -> list[Any]:

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
            [mm(35), mm(24), mm(19), layout.content_width() - mm(78)],
        ),
    ]


def _evidence(d: IncidentDetail) -> list[Any]:

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

    block: list[Any] = [_h("8. 確認・承認"), blocks.approval_block(data.stamp_roles)]
    if data.signer is not None:
        block += [Spacer(1, mm(4)), _h("電子署名", "h2"), blocks.signer_block(data.signer)]
    else:
        block += [Spacer(1, mm(2)), layout.para("この報告書には電子署名が付いていません（下書き）。", "note")]
    return [KeepTogether(block)]
