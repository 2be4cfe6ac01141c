"""Blocks every selfcheck document ends with or starts with: the 押印欄 for paper sign-off, the electronic
signer's facts, and the 「下書き」 banner of a report that is not signed. Layout only (see `layout`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from selfcheck import dates
from selfcheck.report import fonts
from selfcheck.report.layout import (
    DRAFT_MARK,
    SignerInfo,
    content_width,
    fingerprint_text,
    kv_table,
    markup,
    mm,
    para,
    para_markup,
)
from selfcheck.roles import DEFAULT_STAMP_ROLES


def approval_block(roles: Sequence[str], *, stamp_mm: float = 24.0) -> Any:
    """押印欄: one column per role (name above, an empty square box to stamp, a date line below)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    roles = list(roles) or list(DEFAULT_STAMP_ROLES)
    col = min(mm(45), content_width() / len(roles))
    # break a long title before its bracket, never after it: 最高情報セキュリティ責任者 / （CISO）
    heads = [r.replace("（", "\n（") if len(r) > 12 and not r.startswith("（") else r for r in roles]
    blank = "\u00a0" * 4  # no-break spaces: a Paragraph collapses ordinary runs of spaces
    data = [
        [para(r, "cell_head") for r in heads],
        ["" for _ in roles],
        [para(f"令和{blank}年{blank}月{blank}日", "cell_center") for _ in roles],
    ]
    t = Table(data, colWidths=[col] * len(roles), rowHeights=[None, mm(stamp_mm), mm(8)], hAlign="RIGHT")
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.register()),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E9F0")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return t


def signer_block(signer: SignerInfo) -> Any:
    """The electronic signature's facts, drawn as text (the PAdES signature itself is invisible)."""
    return kv_table(
        [
            ("電子署名者", f"{signer.name}（{signer.role}）" if signer.role else signer.name),
            ("団体", signer.organization),
            ("署名日時", when_text(signer.signed_at)),
            ("証明書 SHA-256", fingerprint_text(signer.fingerprint)),
            *([("監査記録（末尾）", _head_text(signer.audit_head))] if signer.audit_head else []),
        ]
    )


def _head_text(head: str) -> str:
    rid, _, digest = head.partition(":")
    return f"No.{rid} SHA-256 {digest}"


def when_text(iso: str) -> str:
    """ISO timestamp (any offset) -> 「令和8年11月23日 10:00:00（日本時間、2026-11-23T10:00:00+09:00）」."""
    try:
        datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{dates.time_text(iso, seconds=True)}（日本時間、{dates.jst_iso(iso)}）"


def draft_banner(lines: Sequence[str]) -> Any:
    """The cover's 「下書き」 box: what is missing before this report is final, in a red frame."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    head = para_markup(f'<font color="#B01818" size="16">{DRAFT_MARK}</font>')
    body = para_markup("<br/>".join(markup(t) for t in lines))
    t = Table([[head, body]], colWidths=[mm(30), content_width() - mm(30)])
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.register()),  # else the table references Helvetica
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#B01818")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FDF1F1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return t
