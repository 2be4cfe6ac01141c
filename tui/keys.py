"""The one keymap of the whole app: a letter means the same thing on every screen.

Why: the screens used to choose their keys one by one, so `s` meant 集計 on the inspection screen,
署名して作成（確定） on the report screen and 省略 on the incident screen, and a clerk who learned one screen
signed or skipped on another. Now every screen builds its bindings with `bind(name)` from this table, the
key list (`?`) and the README's 主な操作 table show it, and `tests/tui/test_keymap.py` refuses a binding
whose letter is not here or whose word differs.

Digits are not verbs: on every screen they choose the numbered option shown there (the home menu, the
answers 1〜4 on an item, the answers of the triage questions).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Verb:
    keys: str
    """Textual key names, comma separated (the first is shown)."""
    label: str
    """The word in the footer."""
    help: str
    """What it does, for the key list and the README."""
    display: str | None = None
    """How the key is written for people (None: the key itself)."""
    labels: tuple[str, ...] = ()
    """Other footer words allowed for the same verb on a particular screen (メモ for コメント)."""

    @property
    def words(self) -> tuple[str, ...]:
        return (self.label, *self.labels)


KEYMAP: dict[str, Verb] = {
    # -- everywhere ---------------------------------------------------------------------------
    "help": Verb("question_mark", "キー一覧", "キー一覧（この画面のキーと、この表）", "?"),
    "back": Verb("escape", "戻る", "前の画面に戻る・閉じる（入力中は取消）", "Esc", ("閉じる", "取消")),
    "quit": Verb("ctrl+q", "終了", "終了する（入力はその都度保存済み。入力欄の外では q も）"),
    # -- moving ---------------------------------------------------------------------------------
    "next_open": Verb(
        "n,space", "次の未処理", "次の未回答・要再確認の項目へ／今やる手順へ", "n / Space", ("今やる手順",)
    ),
    "section": Verb("rightsquarebracket", "次の節", "次の節へ（[ で前の節）", "]"),
    "section_back": Verb("leftsquarebracket", "前の節", "前の節へ", "["),
    "filter": Verb("slash", "絞込", "絞込（全項目／未回答／要改善／要再確認）", "/"),
    # -- writing --------------------------------------------------------------------------------
    "add": Verb("a", "追加", "追加する（新しいインシデント・連絡先）"),
    "comment": Verb("c", "コメント", "コメント（点検）・メモ（インシデント）を書く", labels=("メモ",)),
    "evidence": Verb("e", "証拠", "証拠を添付する（ファイルまたは紙の保管場所）"),
    "fields": Verb("f", "記入事項", "件名・概要・発生日時などを書く（インシデント）"),
    "improvement": Verb("i", "改善策", "改善策（何を・誰が・いつまでに）を書く"),
    "reason": Verb("r", "理由", "該当しない理由を書く"),
    "confirm_previous": Verb(
        "y",
        "前回のまま",
        "前回の回答のまま確認する（要再確認を外す）／確認の画面では「はい」",
        labels=("はい",),
    ),
    # -- incident steps ---------------------------------------------------------------------------
    "done": Verb("d", "完了", "手順を完了にする"),
    "skip": Verb("v", "省略", "手順を省略する（理由を書き、確認してから）"),
    "undo": Verb("u", "元に戻す", "手順の完了・省略を取り消す"),
    "triage": Verb("g", "判定", "判定の質問に答える（報告が必要かを決める）"),
    "reports": Verb("b", "外部報告", "外部への報告を「報告済み」にする／取り消す"),
    "close": Verb("z", "終結・再開", "インシデントを終結する・再開する（確認してから）"),
    "contacts": Verb("t", "連絡先", "緊急連絡先の一覧"),
    "delete": Verb("x", "削除", "削除する（確認してから）"),
    # -- going to other screens -------------------------------------------------------------------
    "summary": Verb("s", "集計", "集計（実施率・要改善の一覧）"),
    "history": Verb("h", "履歴", "変更履歴（点検の項目）・時系列（インシデント）", labels=("時系列",)),
    "report": Verb("p", "報告書", "報告書（PDF）の画面へ"),
    "keys": Verb("k", "署名用の鍵", "署名用の鍵を作る・確かめる"),
    # -- on a report screen ---------------------------------------------------------------------
    "make": Verb("m", "下書きを作成", "報告書を作成する（署名なしの下書き）"),
    "sign": Verb("w", "署名して確定", "電子署名して作成する（確認してから。点検は確定）"),
    "open_pdf": Verb("o", "PDFを開く", "作成したPDFを開く"),
    "print": Verb("l", "印刷", "作成したPDFを印刷する"),
}
"""Every verb of the app. The order is the order of the key list and the README table."""

GLOBAL_NOTES: tuple[tuple[str, str], ...] = (
    ("1〜4", "回答（1 実施している／2 一部実施している／3 実施していない／4 該当しない）"),
    ("数字", "ホームのメニューや判定の質問では、画面に示した番号の選択肢"),
    ("Enter", "選ぶ・開く（入力欄では次の欄へ、最後の欄で保存）"),
    ("上下キー", "一覧の移動（PgUp / PgDn でまとめて）"),
    ("Tab", "次の欄・次の一覧へ"),
    ("Ctrl+S", "入力画面で保存"),
)
"""Keys that are not letters of KEYMAP but belong in the key list and the README."""


def key_of(name: str) -> str:
    """How the key of verb `name` is written for people (「s」, 「Esc」)."""
    verb = KEYMAP[name]
    first = verb.keys.split(",")[0]
    return verb.display or {"ctrl+q": "Ctrl+Q"}.get(first, first)


def bind(
    name: str,
    action: str | None = None,
    *,
    label: str | None = None,
    show: bool = True,
    priority: bool = False,
) -> Binding:
    """The binding of verb `name` (action defaults to the verb's name; `label` must be one of its words)."""
    verb = KEYMAP[name]
    if label is not None and label not in verb.words:
        raise ValueError(f"{label!r} is not a word of verb {name!r} ({verb.words})")
    return Binding(
        verb.keys,
        action or name,
        label or verb.label,
        show=show,
        key_display=verb.display,
        priority=priority,
    )
