"""One realistic incident in progress, for `selfcheck demo` and for trying the screens: a USB stick with
150 residents' data lost two days ago, the first steps of both tracks done (remote lock skipped: a USB
stick cannot be locked), a note, an evidence file, and a contact list for the body (only filled in when the
body has none yet). Triage is answered except whether it was taken for an improper purpose (it may have
been stolen), so the dashboard shows the 確報 legal deadline and internal target with the 60-day case as
要判断, and the next step of each track (調べる / 判断する) side by side.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from selfcheck.incident import attachments, cases, contacts
from selfcheck.workspace import Workspace

# Fictitious people and numbers (555 / example.jp), so the demo can never call a real person.
DEMO_CONTACTS = [
    ("manager", "総務係長 田中 誠", "総務課", "0000-55-0101", "tanaka@example.jp", "内線101"),
    ("deputy", "総務主査 鈴木 美和", "総務課", "0000-55-0102", "suzuki@example.jp", "管理者不在時の代行者"),
    ("chief", "事務局次長 高橋 修", "事務局", "0000-55-0100", "", ""),
    ("sysadmin", "情報担当 伊藤 健", "総務課", "0000-55-0103", "ito@example.jp", ""),
    ("csirt", "事務局次長 高橋 修", "CSIRT", "0000-55-0100", "", "統括責任者が兼務"),
    ("ciso", "事務局長 渡辺 聡", "事務局", "090-0000-5501", "", "夜間は携帯へ"),
    (
        "vendor",
        "サポート窓口",
        "例示システム株式会社",
        "0120-000-555",
        "support@example.jp",
        "受付 平日9-17時",
    ),
    ("police", "サイバー犯罪相談窓口", "県警察本部", "000-555-0110", "", "デモ用の架空の番号"),
    ("ppc", "漏えい等報告窓口", "個人情報保護委員会", "", "", "報告は委員会のWebフォームから"),
    ("members", "情報政策担当", "構成市町村（代表）", "0000-55-0200", "", ""),
    ("pr", "総務係 広報担当", "総務課", "0000-55-0104", "", "問合せ窓口"),
]


def ensure_demo_contacts(ws: Workspace, org_id: str) -> int:
    if contacts.list_contacts(ws, org_id):
        return 0
    for role, name, org, phone, email, note in DEMO_CONTACTS:
        contacts.add_contact(
            ws, org_id, role=role, name=name, organization=org, phone=phone, email=email, note=note
        )
    return len(DEMO_CONTACTS)


def create_demo_incident(ws: Workspace, org_id: str) -> int:
    """Create the demo incident and return its id."""
    now = ws.clock().replace(microsecond=0)
    detected = (now - timedelta(days=2)).replace(hour=16, minute=40, second=0)
    ensure_demo_contacts(ws, org_id)
    iid = cases.open_incident(
        ws,
        org_id=org_id,
        playbook_id="lost-stolen",
        detected_at=detected,
        title="住民150名分の名簿を保存したUSBメモリの紛失",
        summary="施設見学会の受付名簿（住民150名分の氏名・住所・電話番号）を保存したUSBメモリを、"
        "会場から庁舎へ戻る途中で紛失した。暗号化はされていない。",
    )
    cases.set_field(ws, iid, "occurred_at", (detected - timedelta(hours=3)).isoformat())
    cases.set_triage(
        ws,
        iid,
        {
            "personal_info": "yes",
            "sensitive": "no",
            "financial_harm": "no",
            "over_100": "yes",
            "ordinance_sensitive": "no",
            "mynumber": "no",
            "encrypted": "no",
        },
    )
    cases.mark_step(ws, iid, "report-manager", "done")
    cases.mark_step(ws, iid, "remote-lock", "skip", "USBメモリのため遠隔ロック・消去の手段がない")
    cases.mark_step(ws, iid, "search", "done")
    cases.add_note(
        ws,
        iid,
        "会場（第2会議室）と公用車の車内を探したが見つからない。会場の管理者にも確認を依頼済み。",
        step_id="search",
    )
    cases.mark_step(ws, iid, "escalate", "done")
    cases.mark_step(ws, iid, "judge", "done")
    cases.mark_step(ws, iid, "report-ciso", "done")
    cases.add_note(
        ws,
        iid,
        "盗まれた可能性も否定できないため、不正の目的によるおそれは会場の確認結果を待って判断する。",
        step_id="judge",
    )
    with tempfile.TemporaryDirectory() as tmp:
        memo = Path(tmp) / "紛失時の状況メモ.txt"
        memo.write_text(
            "紛失時の状況メモ\n"
            f"覚知: {detected:%Y-%m-%d %H:%M}\n"
            "物品: USBメモリ（黒、8GB、管理番号 USB-07）\n"
            "内容: 施設見学会 受付名簿.xlsx（150名分: 氏名・住所・電話番号）\n"
            "経路: 第2会議室 → 公用車 → 庁舎2階 総務課\n",
            encoding="utf-8",
        )
        attachments.add_evidence_file(ws, iid, memo, description="発見者の状況メモ", step_id="report-manager")
    cases.set_ppc(ws, iid, "overview", "施設見学会の受付名簿を保存したUSBメモリを紛失した。")
    cases.set_ppc(ws, iid, "items", "氏名、住所、電話番号")
    cases.set_ppc(ws, iid, "count", "150人")
    return iid
