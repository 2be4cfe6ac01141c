"""How an incident is drawn: its head line, the "now" line of each track, one line per step, the card of
the highlighted step and the deadline panel. Pure functions from the core's frozen views to Rich text, so
the screen only places them."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from rich.text import Text

from selfcheck import dates
from selfcheck.incident import closed_days
from selfcheck.incident.views import (
    INCIDENT_STATUS_LABELS,
    UNDECIDED,
    Deadline,
    IncidentDetail,
    StepView,
    countdown_text,
)

STATE_MARK = {"done": ("完了", "green"), "skipped": ("省略", "yellow"), "open": ("未了", "bold")}
"""A step's state as a word in a column of its own: the old 「[  ]」 held spaces, so Rich broke the line
inside the brackets (「[」 on one line, 「]*統括…」 on the next)."""
REQUIRED_MARK = "＊"  # the wide asterisk: ＊ is East-Asian Wide, * beside Japanese is easy to miss
# one character per track in the step list, so the two tracks can be told apart at 80 columns
TRACK_MARK = {"act": "対", "report": "報"}
CARD_PARTS = ("phase", "title", "who", "contacts", "target", "guidance", "evidence")
"""The card's parts in the order they are shown: who does it and whom to call come before the how, so
at 80×24 the phone numbers of the highlighted step are on screen without scrolling."""
SHOWN_DEADLINES = 4
STATUS_ORDER = ("overdue", "late", "due", "asap", "undecided", "done")


def incident_head(d: IncidentDetail) -> Text:
    i = d.incident
    head = Text()
    head.append(f"#{i.id} {i.title}", style="bold")
    head.append(
        f"  {INCIDENT_STATUS_LABELS.get(i.status, i.status)}",
        style="bold red" if i.status == "open" else "dim",
    )
    head.append(
        f"\n覚知 {dates.time_text(i.detected_at)}  脅威 基本方針{d.threat.clause} {d.threat.label.split('（')[0]}",
        style="dim",
    )
    return head


def _target(s: StepView) -> str:
    if s.within_hours is None:
        return ""
    return f"{s.within_hours:g}時間以内" + ("・超過" if s.target_passed else "")


def now_panel(d: IncidentDetail) -> Text:
    """One line per track with its first open step: containment and reporting run at the same time, so
    the lead always sees both "now" steps, whichever step is highlighted."""
    now = d.current_steps
    if d.incident.status != "open" or not now:
        return Text("")
    titles = dict(d.tracks)
    width = max(cell_len(titles.get(t, t)) for t in now)
    t = Text()
    for n, (track, s) in enumerate(now.items()):
        if n:
            t.append("\n")
        label = titles.get(track, track)
        t.append("今 ", style="bold")
        t.append(label + " " * (width - cell_len(label)), style="bold reverse")
        t.append(f" {s.title}", style="bold")
        # the target first: at 80 columns the end of the line may be cut, and 超過 must stay visible
        extra = "・".join(x for x in (_target(s), s.role_title) if x)
        t.append(f"（{extra}）" if extra else "", style="bold white on red" if s.target_passed else "dim")
    t.no_wrap = True
    t.overflow = "ellipsis"
    return t


def step_line(s: StepView, *, now: bool = False, width: int = 0) -> Text:
    """One step of the list on one line: state word, ▶ for a "now" step, its track (対 containment /
    報 reporting), ＊ when required, and the title cut with … (the card shows it whole). One unbreakable
    line: the old 「[  ]」 mark held spaces, so the list broke it (「[」 on one line, 「]*統括…」 on the
    next), and a wrapped title would take a row from the other steps at 80×24."""
    mark, style = STATE_MARK[s.state]
    t = Text(no_wrap=True, overflow="ellipsis", end="")
    t.append(mark, style=style)
    t.append(" ▶" if now else "  ", style="bold")
    t.append(TRACK_MARK.get(s.track, "　"), style="bold" if now else "dim")
    t.append(REQUIRED_MARK if s.required else "　", style="bold")
    t.append(s.title, style="dim" if s.state != "open" else "")
    if width > 0:  # the option list wraps its prompts: cut to the cells it has, so a step stays one row
        t.truncate(width, overflow="ellipsis")
    return t


def step_card(s: StepView | None, *, current: bool) -> dict[str, Text | str]:
    """The card's parts (keys of CARD_PARTS) for the highlighted step; all empty when there is none."""
    if s is None:
        return dict.fromkeys(CARD_PARTS, "")
    state = {
        "done": f"完了 {dates.time_text(s.state_at)} {s.state_by or ''}".rstrip(),
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
        people.append(f"\n  {title}（未登録: t で連絡先に追加）", style="dim")
    target: Text | str = ""
    if s.target_at and s.within_hours is not None:
        style = "bold white on red" if s.target_passed else ""
        target = Text.assemble(
            ("目標: ", "bold"),
            (
                # the moment on a line of its own: a day and hour broken across lines misread easily
                f"覚知から{s.within_hours:g}時間以内\n  {dates.time_text(s.target_at)}まで"
                + ("  超過" if s.target_passed else ""),
                style,
            ),
        )
    # the list shows the phase headings: the card names the track and the state only, on one line
    where = f"{s.track_title}  ／  " if s.track_title else ""
    return {
        "phase": Text(f"{where}{state}" + ("（必須）" if s.required else ""), style="dim"),
        "title": Text(s.title, style="bold"),
        "who": Text.assemble(("担当: ", "bold"), s.role_title),
        "contacts": people,
        "target": target,
        "guidance": Text(s.guidance.replace("。", "。\n").rstrip()),
        "evidence": Text.assemble(("残す証拠: ", "bold"), s.evidence_hint) if s.evidence_hint else "",
    }


def deadline_style(d: Deadline) -> str:
    return {
        "overdue": "bold white on red",
        "late": "bold yellow",
        "due": "",
        "asap": "yellow",
        "undecided": "bold yellow",
        "done": "green",
    }[d.status]


def deadline_text(d: Deadline, title_width: int = 0, *, short: bool = False) -> Text:
    title = (d.short_title or d.title) if short else d.title
    t = Text()
    pad = max(0, title_width - cell_len(title))  # pad by terminal cells: Japanese characters are 2 wide
    t.append(title + " " * pad, style="bold")
    t.append("  ")
    t.append(countdown_text(d), style=deadline_style(d))
    if d.alternative and d.status != "done":
        t.append(" ［要判断］", style="bold yellow")  # e.g. whether the 60-day case applies (b で詳細)
    return t


def deadline_detail(d: Deadline, to_title: str) -> Text:
    """The lines under a report in the reports dialog: legal deadline and target, roll-forward, basis.
    Indented with an ideographic space, which the 禁則 wrap (`Wrapped`) keeps at the start of a line.
    The core writes its days in ISO for JSON; a clerk reads them in 和暦 here."""
    t = Text(style="dim")
    if d.legal_date and d.due_date:
        t.append(f"\n　法定期限 {day_label(d.legal_date)}")
        t.append(f"\n　内部目標 {day_label(d.due_date)}（覚知から{d.days}日目）")
        if d.rolled_over:
            t.append("\n　休日のため繰下げ：" + dates.wareki_in("、".join(d.rolled_over)))
    if d.legal_caveat:
        t.append(f"\n　{dates.wareki_in(d.legal_caveat)}", style="yellow")
    if d.alternative:
        t.append(f"\n　要判断：{dates.wareki_in(d.alternative)}", style="yellow")
    # no space after a colon: the basis starts on its own line, not under it
    t.append(f"\n　宛先：{to_title}\n　根拠：{d.basis}")
    if d.note:
        t.append(f"\n　{dates.wareki_in(d.note)}")
    return t


def day_label(iso: str) -> str:
    """A statutory day with its weekday, in 和暦: 「令和9年1月4日（月）」."""
    return dates.wareki_in(closed_days.day_label(date.fromisoformat(iso)))


def deadlines_panel(d: IncidentDetail, rows: int = SHOWN_DEADLINES, width: int = 0) -> Text:
    """The outside reports, most urgent first; reports whose trigger is still open are grouped on one
    要判断 line, so an unanswered question is never read as 'no report due'."""
    decided = [x for x in d.deadlines if x.status != "undecided"]
    undecided = [x for x in d.deadlines if x.status == "undecided"]
    pending = [x for x in decided if x.status != "done"]
    if not d.deadlines:
        return Text("外部への報告: 今の判定では必要な報告はありません（g で判定の質問）", style="dim")
    t = Text()
    t.append(f"外部への報告  未了{len(pending)}/{len(decided)}（b 報告済み・g 判定）", style="bold")
    shown = sorted(decided, key=lambda x: STATUS_ORDER.index(x.status))
    room = max(1, rows - (1 if undecided else 0))
    title_width = max((cell_len(x.short_title or x.title) for x in shown[:room]), default=0)
    for n, x in enumerate(shown[:room]):
        line = Text(" ")
        line.append_text(deadline_text(x, title_width, short=True))
        if n == room - 1 and len(shown) > room:
            line.append(f"  …ほか{len(shown) - room}件（b で一覧）", style="dim")
        if width > 0:
            line.truncate(width, overflow="ellipsis")  # a wrapped line would push the panel off screen
        t.append("\n")
        t.append_text(line)
    if undecided:
        keys = sorted({k for x in undecided for k in x.pending})
        names = "・".join(x.short_title or x.title for x in undecided)
        line = Text(" ")
        line.append(f"{UNDECIDED} ", style="bold black on yellow")
        line.append(f"未回答の判定の質問{len(keys)}件（g で回答）: {names}", style="bold yellow")
        if width > 0:
            line.truncate(width, overflow="ellipsis")  # one line at 80×24: b lists them all
        t.append("\n")
        t.append_text(line)
    return t
