"""`selfcheck demo`: realistic demo data for trying the product, screenshots and tests.

It makes last year's inspection (令和7年度) and this year's (令和8年度) carried over from it, with answers of
every kind, comments in a clerk's words, evidence files (small text/CSV records written to the data dir's
`demo-files/` and taken into the store like any other file), paper locations, improvement actions with
owners and due dates, and (when the incident module is installed) one incident in progress.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from selfcheck import evidence, inspection, orgs, paths, settings
from selfcheck.errors import SelfcheckError
from selfcheck.incident import queries
from selfcheck.incident.demo import create_demo_incident
from selfcheck.workspace import Workspace

COMMENTS = {
    "implemented": [
        "規程・体制表で確認した。令和8年4月1日改定版。",
        "記録簿で今年度分を確認した。漏れなし。",
        "担当者へのヒアリングと画面設定で確認した。",
        "委託業者の報告書（月次）で確認済み。",
    ],
    "partial": [
        "文書はあるが、昨年度の人事異動が反映されていない。",
        "一部の端末で未設定。台数を確認中。",
        "会計年度任用職員への説明が未実施の者が2名いる。",
        "手順はあるが、記録が残っていない月がある。",
    ],
    "not_implemented": [
        "手順書が作られていない。",
        "実施していない。来年度の予算要求で対応を検討。",
        "担当者が決まっていない。",
    ],
}
# 該当しない only where a small sanitation union plausibly has nothing to check, with its own reason; every
# other item gets an answer from the mix (a 該当しない picked by position could land on 「基本方針を決定
# している」, which no body can call not applicable).
NOT_APPLICABLE: dict[str, str] = {
    "sns-01": "組合としてソーシャルメディアのアカウントを持っていないため。",
    "sns-02": "組合としてソーシャルメディアのアカウントを持っていないため。",
    "sns-03": "組合としてソーシャルメディアのアカウントを持っていないため。",
    "sns-04": "組合としてソーシャルメディアのアカウントを持っていないため。",
    "sns-05": "組合としてソーシャルメディアのアカウントを持っていないため。",
    "sns-06": "組合としてソーシャルメディアのアカウントを持っていないため。",
    "tech-08": "事務所内で無線LANを使っていないため（有線のみ）。",
    "tech-35": "システムの開発・改修を行っておらず、テストの機会がないため。",
    "ext-09": "利用をやめた外部サービスがないため。",
}
IMPROVEMENTS = [
    ("手順書を作成し、幹部会議で承認を得る", "総務係長"),
    ("未設定の端末に設定を適用し、設定状況を一覧にする", "情報担当"),
    ("未受講者向けに研修を実施し、受講記録を残す", "総務係長"),
    ("記録簿の様式を見直し、毎月末に確認する", "事務局次長"),
]
PAPER = ["総務係 キャビネット2段目「情報セキュリティ 令和8年度」綴り", "事務局長室 書庫 委託契約書綴り"]
# answer mix for this year / last year (items not in NOT_APPLICABLE): mostly implemented, some gaps
MIX_NOW = ["implemented"] * 12 + ["partial"] * 4 + ["not_implemented"] * 2 + ["unanswered"] * 2
MIX_LAST = ["implemented"] * 10 + ["partial"] * 5 + ["not_implemented"] * 4


def _demo_files(ws: Workspace) -> list[Path]:
    folder = paths.ensure_private_dir(ws.home / "demo-files")  # everything under the data dir: 0700/0600
    files = {
        "体制表_令和8年4月1日.txt": "情報セキュリティ体制表\nCISO: 事務局長\n統括情報セキュリティ責任者: 総務課長\n",
        "研修受講記録_令和8年度.csv": "氏名,受講日,研修名\n山田 花子,2026-06-10,情報セキュリティ研修\n",
        "委託先点検チェックリスト.txt": "委託先: ○○システム株式会社\n点検日: 2026-09-30\n結果: 指摘なし\n",
        "バックアップ復元テスト記録.txt": "実施日: 2026-10-15\n対象: 共有フォルダ\n結果: 復元成功\n",
    }
    out = []
    for name, text in files.items():
        p = folder / name
        p.write_text(text, encoding="utf-8")
        if os.name == "posix":
            p.chmod(0o600)
        out.append(p)
    return out


def _fill(ws: Workspace, insp_id: int, mix: list[str], rng: random.Random, *, files: list[Path]) -> None:
    items = inspection.detail(ws, insp_id).items
    for n, it in enumerate(items):
        if it.item_id in NOT_APPLICABLE:
            inspection.record_answer(
                ws,
                inspection_id=insp_id,
                item_id=it.item_id,
                value="not_applicable",
                comment="",
                na_reason=NOT_APPLICABLE[it.item_id],
            )
            continue
        value = mix[n % len(mix)] if n < len(mix) else rng.choice(mix)
        if value == "unanswered":
            continue
        inspection.record_answer(
            ws, inspection_id=insp_id, item_id=it.item_id, value=value, comment=rng.choice(COMMENTS[value])
        )
        if value in ("partial", "not_implemented"):
            action, owner = rng.choice(IMPROVEMENTS)
            inspection.set_improvement(
                ws,
                inspection_id=insp_id,
                item_id=it.item_id,
                action=action,
                owner=owner,
                due_date=date(2027, 3, 31) if n % 2 else date(2026, 12, 28),
            )
        if value == "implemented" and n % 5 == 0:
            evidence.attach_file(ws, files[n % len(files)], inspection_id=insp_id, item_id=it.item_id)
        elif value == "implemented" and n % 7 == 0:
            evidence.attach_paper(ws, PAPER[n % len(PAPER)], inspection_id=insp_id, item_id=it.item_id)


def create_demo(ws: Workspace, org_id: str = "shunan-eisei", *, with_incident: bool = True) -> int:
    """Create the demo data for `org_id`; return this year's inspection id."""
    rng = random.Random(20261123)
    orgs.choose_org(ws, org_id)
    files = _demo_files(ws)
    base_actor = ws.actor
    ws.actor = base_actor or "佐藤 一郎"
    last = inspection.start(ws, org_id=org_id, fiscal_year=2025)
    _fill(ws, last, MIX_LAST, rng, files=files)
    inspection.finalize(ws, last)  # last year's inspection was signed off; this year's starts from it
    ws.actor = base_actor or "山田 花子"
    now = inspection.start(ws, org_id=org_id, fiscal_year=2026, from_previous=last)
    # this year: half of the carried-over answers are confirmed or re-answered, the rest stay 要再確認
    items = inspection.detail(ws, now).items
    for n, it in enumerate(items):
        if n % 2:
            continue
        value = "not_applicable" if it.item_id in NOT_APPLICABLE else MIX_NOW[n % len(MIX_NOW)]
        if value == "unanswered":
            continue
        if it.value == value:
            inspection.confirm(ws, inspection_id=now, item_id=it.item_id)
        else:
            inspection.record_answer(
                ws,
                inspection_id=now,
                item_id=it.item_id,
                value=value,
                comment=rng.choice(COMMENTS[value]) if value in COMMENTS else "",
                na_reason=NOT_APPLICABLE.get(it.item_id),
            )
            if it.improvement is not None and value == "implemented":
                # last year's 改善策 was carried out: keep it on record as done, not as an open action
                inspection.set_improvement(
                    ws,
                    inspection_id=now,
                    item_id=it.item_id,
                    action=it.improvement.action,
                    owner=it.improvement.owner,
                    due_date=it.improvement.due_date,
                    status="done",
                )
        if value in ("partial", "not_implemented"):
            action, owner = rng.choice(IMPROVEMENTS)
            inspection.set_improvement(
                ws,
                inspection_id=now,
                item_id=it.item_id,
                action=action,
                owner=owner,
                due_date=date(2027, 3, 31),
            )
        if value == "implemented" and n % 4 == 0:
            evidence.attach_file(ws, files[n % len(files)], inspection_id=now, item_id=it.item_id)
    if with_incident:
        create_demo_incident(ws, org_id)
    ws.actor = base_actor
    return now


# --- running `selfcheck demo` twice ------------------------------------------------------------------

DEMO_YEARS = (2025, 2026)


@dataclass(frozen=True)
class DemoResult:
    """What `ensure_demo` did: `created` is False when the demo data was already there (nothing changed)."""

    org_id: str
    org_name: str
    inspection_id: int
    previous_id: int | None
    incident_id: int | None
    created: bool


def _marker(org_id: str) -> str:
    return f"demo.{org_id}"


def ensure_demo(ws: Workspace, org_id: str = "shunan-eisei", *, with_incident: bool = True) -> DemoResult:
    """Create the demo data once. Running it again leaves everything as it is and says where the demo
    is (what a user who typed the command twice expects: one demo, not two 令和8年度). A body that already
    has its own 令和7/8年度 inspections gets no demo mixed into them: that is refused with the way to try
    the demo in a separate data folder."""
    name = orgs.ensure_org(ws, org_id).name
    mark = settings.get(ws, _marker(org_id))
    if isinstance(mark, dict) and _still_there(ws, mark):
        return DemoResult(
            org_id,
            name,
            int(mark["inspection"]),
            mark.get("previous"),
            mark.get("incident"),
            created=False,
        )
    taken = [r for r in inspection.list_inspections(ws, org_id=org_id) if r.fiscal_year in DEMO_YEARS]
    if taken:
        r = taken[0]
        raise SelfcheckError(
            f"{name}にはすでに{r.fiscal_year_label}の点検があります（点検 {r.id}）。"
            "実際のデータにデモデータを混ぜないよう、別のデータフォルダで作成してください"
            "（例: selfcheck demo --data-dir デモ用フォルダ）",
            f"{org_id} already has an inspection of fiscal year {r.fiscal_year} ({r.id}); to keep the "
            "demo out of real data, make it in another data folder (`selfcheck demo --data-dir DIR`)",
        )
    now = create_demo(ws, org_id, with_incident=with_incident)
    previous = inspection.info(ws, now).previous_id
    incident = None
    if with_incident:
        incident = queries.list_incidents(ws, org_id=org_id)[0].id  # newest first
    settings.set_(ws, _marker(org_id), {"inspection": now, "previous": previous, "incident": incident})
    return DemoResult(org_id, name, now, previous, incident, created=True)


def _still_there(ws: Workspace, mark: dict[str, object]) -> bool:
    try:
        inspection.info(ws, int(str(mark.get("inspection"))))
    except (SelfcheckError, ValueError):
        return False
    return True
