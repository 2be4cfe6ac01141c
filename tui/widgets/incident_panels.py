"""How an incident is drawn: its head line, one line per step, the card of the highlighted step and the
deadline panel. Pure functions from the core's frozen views to Rich text, so the screen only places them."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from selfcheck.incident.views import Deadline, IncidentDetail, StepView, countdown_text

STATE_MARK = {"done": ("[済]", "green"), "skipped": ("[省]", "yellow"), "open": ("[  ]", "")}
CARD_PARTS = ("phase", "title", "guidance", "who", "contacts", "evidence", "target")
SHOWN_DEADLINES = 4


def short_time(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else ""


def incident_head(d: IncidentDetail) -> Text:
    i = d.incident
    head = Text()
    head.append(f"#{i.id} {i.title}", style="bold")
    head.append(
        "  対応中" if i.status == "open" else "  終結", style="bold red" if i.status == "open" else "dim"
    )
    head.append(
        f"\n覚知 {short_time(i.detected_at)}  脅威 基本方針{d.threat.clause} {d.threat.label.split('（')[0]}",
        style="dim",
    )
    return head


def step_line(s: StepView) -> Text:
    mark, style = STATE_MARK[s.state]
    t = Text()
    t.append(mark, style=style)
    t.append(("*" if s.required else " ") + s.title, style="dim" if s.state != "open" else "")
    return t


def step_card(s: StepView | None, *, current: bool) -> dict[str, Text | str]:
    """The card's parts (keys of CARD_PARTS) for the highlighted step; all empty when there is none."""
    if s is None:
        return dict.fromkeys(CARD_PARTS, "")
    state = {
        "done": f"完了 {short_time(s.state_at)} {s.state_by}",
        "skipped": f"省略（{s.reason}）",
        "open": "今やること" if current else "未完了",
    }[s.state]
    people = Text()
    if s.contacts or s.missing_contacts:
        people.append("連絡先:", style="bold")
    for c in s.contacts:
        people.append(f"\n  {c.role_title}  {c.name}  ")
        people.append(c.phone or "電話番号なし", style="bold" if c.phone else "dim")
    for title in s.missing_contacts:
        people.append(f"\n  {title}  （未登録: c で連絡先に追加）", style="dim")
    target: Text | str = ""
    if s.target_at and s.within_hours is not None:
        style = "bold white on red" if s.target_passed else ""
        target = Text.assemble(
            ("目標: ", "bold"),
            (
                f"覚知から{s.within_hours:g}時間以内（{short_time(s.target_at)}まで）"
                + ("  超過" if s.target_passed else ""),
                style,
            ),
        )
    return {
        "phase": Text(f"{s.phase_title}  ／  {state}" + ("  （必須）" if s.required else ""), style="dim"),
        "title": Text(s.title, style="bold"),
        "guidance": Text(s.guidance.replace("。", "。\n").rstrip()),
        "who": Text.assemble(("担当: ", "bold"), s.role_title),
        "contacts": people,
        "evidence": Text.assemble(("残す証拠: ", "bold"), s.evidence_hint) if s.evidence_hint else "",
        "target": target,
    }


def deadline_text(d: Deadline, title_width: int = 0) -> Text:
    style = {
        "overdue": "bold white on red",
        "late": "bold yellow",
        "due": "",
        "asap": "yellow",
        "done": "green",
    }[d.status]
    t = Text()
    pad = max(0, title_width - cell_len(d.title))  # pad by terminal cells: Japanese characters are 2 wide
    t.append(d.title + " " * pad, style="bold")
    t.append("  ")
    t.append(countdown_text(d), style=style)
    return t


def deadlines_panel(d: IncidentDetail) -> Text:
    pending = [x for x in d.deadlines if x.status != "done"]
    # an unanswered question may hide a legal deadline: say so rather than imply the list is complete
    unknown = sum(1 for q in d.triage if q.answer == "unknown") if d.incident.status == "open" else 0
    warn = (
        Text(
            f"判定の質問に未回答が{unknown}件: ほかに必要な報告を判断できません（g で回答）",
            style="bold yellow",
        )
        if unknown
        else None
    )
    if not d.deadlines:
        return warn or Text("外部への報告期限: 今の判定ではありません（g で判定の質問）", style="dim")
    t = Text()
    t.append(f"外部への報告（r で報告済み） 未了 {len(pending)} / {len(d.deadlines)}", style="bold")
    width = max(cell_len(x.title) for x in d.deadlines)
    order = ["overdue", "late", "due", "asap", "done"]
    for x in sorted(d.deadlines, key=lambda x: order.index(x.status))[:SHOWN_DEADLINES]:
        t.append("\n")
        t.append_text(deadline_text(x, width))
    if len(d.deadlines) > SHOWN_DEADLINES:
        t.append(f"\n…ほか{len(d.deadlines) - SHOWN_DEADLINES}件（r で一覧）", style="dim")
    if warn is not None:
        t.append("\n")
        t.append_text(warn)
    return t
