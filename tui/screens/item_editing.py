"""What the inspection screen lets a clerk do to the item under the cursor: comment, 該当しない reason,
改善策, evidence, and confirming last year's answer. Each is one core call, then the screen re-reads.

A mixin so the inspection screen itself stays about moving through the checklist; the screen provides
`ws`, `inspection_id`, `current_item` and `reload()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from selfcheck import evidence, inspection, settings
from selfcheck.tui.dialogs.error import attempt
from selfcheck.tui.dialogs.evidence import EvidenceDialog
from selfcheck.tui.dialogs.improvement import ImprovementDialog, ImprovementInput
from selfcheck.tui.dialogs.text_input import TextInputDialog
from selfcheck.tui.keys import key_of

if TYPE_CHECKING:
    from selfcheck.inspection import ItemView
    from selfcheck.workspace import Workspace


class ItemEditing(Screen[None]):
    inspection_id: int

    @property
    def ws(self) -> Workspace:
        raise NotImplementedError

    @property
    def current_item(self) -> ItemView | None:
        raise NotImplementedError

    def reload(self, *, rebuild: bool = False) -> None:
        raise NotImplementedError

    def action_comment(self) -> None:
        item = self.current_item
        if item is not None:
            self._edit_text(
                item,
                "comment",
                f"コメント「{item.clause} {item.clause_title}」",
                item.comment,
                "例: 体制表（令和8年4月1日改定）で確認した",
            )

    def action_reason(self) -> None:
        item = self.current_item
        if item is not None and item.value != "not_applicable":
            self.notify(
                "該当しない理由は、4（該当しない）と回答した項目に書きます。"
                f"コメントは {key_of('comment')} で書けます。",
                severity="warning",
            )
            return
        if item is not None:
            self._edit_text(
                item,
                "na_reason",
                "該当しない理由を入力してください",
                item.na_reason,
                "例: 当組合ではソーシャルメディアを利用していない",
            )

    def _edit_text(self, item: ItemView, field: str, title: str, value: str, placeholder: str) -> None:
        """Ask for a comment or a 該当しない reason and record it at once (one field of the answer)."""

        def save(text: str | None) -> None:
            if text is not None:
                attempt(
                    self.app,
                    inspection.record_answer,
                    self.ws,
                    inspection_id=self.inspection_id,
                    item_id=item.item_id,
                    **{field: text},
                )
                self.reload()

        self.app.push_screen(TextInputDialog(title, value=value, placeholder=placeholder), save)

    def action_improvement(self) -> None:

        item = self.current_item
        if item is None:
            return
        imp = item.improvement
        initial = ImprovementInput(
            imp.action if imp else "",
            imp.owner if imp else "",
            (imp.due_date or "") if imp else "",
            bool(imp and imp.status == "done"),
        )

        def save(v: ImprovementInput) -> None:
            inspection.set_improvement(
                self.ws,
                inspection_id=self.inspection_id,
                item_id=item.item_id,
                action=v.action,
                owner=v.owner,
                due_date=v.due_date or None,
                status="done" if v.done else "planned",
            )

        self.app.push_screen(
            ImprovementDialog(question=f"「{item.clause}」{item.question}", initial=initial, save=save),
            lambda _saved: self.reload(),
        )

    def action_evidence(self) -> None:

        item = self.current_item
        if item is None:
            return
        ws, iid, item_id = self.ws, self.inspection_id, item.item_id
        max_bytes = attempt(self.app, settings.get, ws, "evidence.max_bytes")
        if max_bytes is None:
            return

        def attach_file(path: Path, progress: evidence.Progress) -> object:
            return evidence.attach_file(ws, path, inspection_id=iid, item_id=item_id, on_progress=progress)

        def attach_paper(text: str) -> object:
            return evidence.attach_paper(ws, text, inspection_id=iid, item_id=item_id)

        def done(added: bool | None) -> None:
            self.reload()
            if added:
                self.notify("証拠を追加しました")

        self.app.push_screen(
            EvidenceDialog(
                check=lambda p: evidence.check_source(p, int(max_bytes)),
                attach_file=attach_file,
                attach_paper=attach_paper,
            ),
            done,
        )

    def action_confirm(self) -> None:

        item = self.current_item
        if item is None:
            return
        if not item.needs_review and not (item.improvement and item.improvement.needs_review):
            self.notify("この項目は確認済みです（要再確認ではありません）")
            return
        attempt(self.app, inspection.confirm, self.ws, inspection_id=self.inspection_id, item_id=item.item_id)
        self.reload()
