"""Japanese line breaking (禁則処理) for text drawn by Textual.

Rich wraps at spaces; a Japanese sentence has none, so Rich folds it at any character: 「。」 or 「）」
started lines and 「「」 was left at the end of a line, split from its word. `Wrapped` is a Rich renderable
that breaks lines where a reader expects:

- between phrases (文節), found by BudouX (Google's maintained phrase segmenter). It is imported on first
  use and takes ~8 ms to import and load its model (measured with `python -X importtime`; the parser is
  then cached), and a sentence is parsed in ~0.1 ms, so it stays off the start-up path;
- never with a closing mark (。、）」』… small kana, ー) at the start of a line, nor an opening mark
  (（「『…) at the end of one: the character moves with its neighbour (追い出し);
- a phrase longer than the line is folded by characters, with the same rules.

Styles (Rich spans) are kept: the text is only divided at the chosen offsets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

NO_START = set(
    "、。，．,.）)］]｝}〕〉》」』】〙〗〟’”｠»ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～？！?!‼⁇⁈⁉・:;：；/／…‥"
)
"""Characters that must not start a line (行頭禁則)."""
NO_END = set("（(［[｛{〔〈《「『【〘〖〝‘“｟«")
"""Characters that must not end a line (行末禁則)."""


@functools.cache
def _parser() -> Callable[[str], list[str]]:
    import budoux  # ~8 ms with its model; only when the first text is drawn

    return budoux.load_default_japanese_parser().parse


def phrases(text: str) -> list[str]:
    """`text` cut into phrases (文節); spaces stay attached to the phrase before them."""
    if not text:
        return []
    if text.isascii():  # no Japanese: words are separated by spaces already
        out: list[str] = []
        for word in text.split(" "):
            out.append(word + " ")
        out[-1] = out[-1][:-1]
        return [p for p in out if p]
    out = []
    for phrase in _joined(_parser()(text)):
        # a phrase with spaces (「田中 誠  0834-55-0101」) may break at them, never inside a number
        words = phrase.split(" ")
        out += [w + " " for w in words[:-1]] + [words[-1]]
    return [p for p in out if p]


ERAS = ("令和", "平成", "昭和")


def _joined(parts: list[str]) -> list[str]:
    """BudouX's phrases, with the breaks it puts inside a date undone: never between two digits
    (「202|7年」) nor after an era name (「令和|9年1月19日」)."""
    out: list[str] = []
    for part in parts:
        if out and part and ((out[-1][-1:].isdigit() and part[0].isdigit()) or out[-1].endswith(ERAS)):
            out[-1] += part
        else:
            out.append(part)
    return out


def _fix_kinsoku(lines: list[str]) -> list[str]:
    """Move characters across a break so no line starts with NO_START or ends with NO_END."""
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        # a line may not start with a closing mark: take the previous character along (追い出し)
        while cur and cur[0] in NO_START and len(prev) > 1:
            prev, cur = prev[:-1], prev[-1] + cur
        # a line may not end with an opening mark: push it to the next line
        while len(prev) > 1 and prev[-1] in NO_END:
            prev, cur = prev[:-1], prev[-1] + cur
        lines[i - 1], lines[i] = prev, cur
    return lines


def _fold(chunk: str, width: int, line: str = "", used: int = 0) -> list[str]:
    """A phrase wider than the line, cut by characters, continuing `line` (which is `used` cells)."""
    lines: list[str] = []
    for ch in chunk:
        w = cell_len(ch)
        if line and used + w > width:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def break_lines(text: str, width: int) -> list[str]:
    """One paragraph (no newline) broken into lines of at most `width` cells (a line may run one
    character over when 禁則 leaves no other choice, as in print)."""
    if width <= 2 or cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for phrase in phrases(text):
        w = cell_len(phrase)
        if used + cell_len(phrase.rstrip(" ")) <= width:
            line, used = line + phrase, used + w
            continue
        if cell_len(phrase) > width:  # longer than a whole line: fill this line, then fold
            *full, last = _fold(phrase, width, line, used)
            lines.extend(full)
            line, used = last, cell_len(last)
            continue
        if line:
            lines.append(line)
        phrase = phrase.lstrip(" ")
        line, used = phrase, cell_len(phrase)
    if line:
        lines.append(line)
    lines = _fix_kinsoku(lines)
    return [ln.rstrip(" ") for ln in lines if ln.strip() or not lines]


def wrap_text(text: Text, width: int) -> list[Text]:
    """`text` (with styles) as lines of at most `width` cells, broken by the rules above."""
    out: list[Text] = []
    for para in text.split("\n", allow_blank=True):
        plain = para.plain
        lines = break_lines(plain, width)
        offsets, pos = [], 0
        for ln in lines[:-1]:
            # lines are the paragraph's characters in order, minus spaces stripped at the breaks
            start = plain.index(ln, pos) if ln else pos
            pos = start + len(ln)
            offsets.append(pos)
        parts = para.divide(offsets) if offsets else [para]
        for part in parts:
            stripped = part.copy()
            stripped.rstrip()
            if stripped.plain.startswith(" "):
                stripped = stripped[len(stripped.plain) - len(stripped.plain.lstrip(" ")) :]
            out.append(stripped)
    return out


class Wrapped:
    """A Rich renderable: `text` broken into lines with 禁則 at the width it is drawn at."""

    def __init__(self, text: Text | str, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)

    def __str__(self) -> str:
        return self.text.plain

    def __repr__(self) -> str:  # what a widget's render() shows in tests and logs: the words
        return f"Wrapped({self.text.plain!r})"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = wrap_text(self.text, options.max_width)
        yield Text("\n").join(lines)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(p) for p in self.text.plain.split("\n")), default=0)
        return Measurement(min(4, widest), min(widest, options.max_width))


def join(parts: Iterable[Text | str]) -> Text:
    """Parts one per line (a Text, for `Wrapped`)."""
    return Text("\n").join(p if isinstance(p, Text) else Text(p) for p in parts)
