"""The one YAML loader for every data file: it remembers the line of every mapping key and sequence
entry, so a schema error can be reported as `file:line: field: message` (pydantic alone only knows the
path inside the data), and it refuses what a data file never needs and an attacker loves.

Why not `yaml.safe_load`: safe_load still expands aliases, so a nine-level "billion laughs" file of a
few hundred bytes becomes gigabytes, and a self-referencing alias or 50,000 nested brackets crash the
recursive composer. Here the parser's *events* are read one by one and the data is built with an
explicit stack: an anchor or alias is refused at the first one, nesting deeper than `MAX_DEPTH` or more
than `MAX_NODES` values are refused as soon as they are reached, and the file is refused unread above
`MAX_BYTES` (and if it is not a regular file). Every YAML read in selfcheck goes through here (a house
test checks there is no other `yaml.safe_load`/`yaml.load`/`yaml.compose`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from selfcheck import inputs
from selfcheck.errors import ChecklistFormatError, SelfcheckError

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

Loc = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound="BaseModel")

MAX_BYTES = 4 * 1024 * 1024  # the largest shipped data file is about 60 KB
MAX_DEPTH = 64
MAX_NODES = 200_000


def load_with_lines(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse `path`; return the data and a map from location path to 1-based line number."""
    try:
        text = inputs.read_text(path, MAX_BYTES)
    except UnicodeDecodeError as exc:
        raise ChecklistFormatError(
            [f"{path}:1: (file): UTF-8 ではありません / not UTF-8 ({exc.reason})"]
        ) from exc
    except SelfcheckError as exc:
        raise ChecklistFormatError([f"{path}:1: (file): {exc.message_ja} / {exc.message_en}"]) from exc
    lines: dict[Loc, int] = {}
    try:
        data = _build(text, lines)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        context, cmark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and cmark is not None and mark is not None and cmark.line != mark.line:
            # the parser notices an unclosed bracket lines later; name where it was opened too
            problem += f" ({context} at line {cmark.line + 1})"
        raise ChecklistFormatError(
            [f"{path}:{line}: (syntax): YAML の構文エラー / YAML syntax error: {problem}"]
        ) from exc
    except _DuplicateKey as dup:
        # PyYAML silently keeps the last of two equal keys; in a checklist that hides an edit
        raise ChecklistFormatError(
            [f"{path}:{dup.line}: {format_loc(dup.loc)}: キーが重複しています / duplicate key"]
        ) from None
    except _BadValue as bad:  # e.g. `<<` alone, `!!int abc`, an unknown tag, an alias, too deep
        raise ChecklistFormatError(
            [f"{path}:{bad.line}: (value): 値を解釈できません / cannot interpret the value: {bad.problem}"]
        ) from None
    return data, lines


def load_data(path: Path) -> Any:
    """Just the data of a YAML file (for packaged tables that have no pydantic model)."""
    return load_with_lines(path)[0]


class _BadValue(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


class _DuplicateKey(Exception):
    def __init__(self, loc: Loc, line: int) -> None:
        super().__init__(loc)
        self.loc, self.line = loc, line


_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Frame:
    """One open mapping or sequence while the events are read."""

    __slots__ = ("is_map", "key", "key_line", "loc", "value")

    def __init__(self, is_map: bool, loc: Loc) -> None:
        self.is_map = is_map
        self.loc = loc
        self.value: Any = {} if is_map else []
        self.key: Any = _NO_KEY
        self.key_line = 0


_NO_KEY = object()


def _build(text: str, lines: dict[Loc, int]) -> Any:
    """Data from the parser's events, without recursion, refusing anchors, aliases, depth and size."""
    loader = yaml.SafeLoader("")
    stack: list[_Frame] = []
    result: Any = None
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise _BadValue(
                    line, "アンカー・エイリアス（& *）は使えません / anchors and aliases are not allowed"
                )
            if isinstance(event, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise _BadValue(line, f"値が多すぎます（上限 {MAX_NODES:,}） / too many values")
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if event.tag not in _COLLECTION_TAGS:
                    raise _BadValue(line, f"タグ {event.tag} は使えません / tag not allowed")
                if len(stack) >= MAX_DEPTH:
                    raise _BadValue(line, f"入れ子が深すぎます（上限 {MAX_DEPTH}） / nested too deeply")
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    raise _BadValue(line, "キーに表や一覧は使えません / a key cannot be a mapping or list")
                loc = _child_loc(stack, line, lines)
                stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), loc))
            elif isinstance(event, yaml.ScalarEvent):
                value = _scalar(loader, event)
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    top = stack[-1]
                    if isinstance(value, list | dict):
                        raise _BadValue(line, "キーが不正です / bad key")
                    if value in top.value:
                        raise _DuplicateKey((*top.loc, value), line)
                    top.key, top.key_line = value, line
                else:
                    _child_loc(stack, line, lines)
                    result = _attach(stack, value, result)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                done = stack.pop()
                result = _attach(stack, done.value, result)
    finally:
        loader.dispose()
    return result


def _child_loc(stack: list[_Frame], line: int, lines: dict[Loc, int]) -> Loc:
    """Location of the value about to start, with its line recorded (a key's line wins for mappings)."""
    if not stack:
        lines[()] = line
        return ()
    top = stack[-1]
    if top.is_map:
        loc = (*top.loc, top.key)
        lines[loc] = top.key_line
    else:
        loc = (*top.loc, len(top.value))
        lines[loc] = line
    return loc


def _attach(stack: list[_Frame], value: Any, result: Any) -> Any:
    if not stack:
        return value
    top = stack[-1]
    if top.is_map:
        top.value[top.key] = value
        top.key = _NO_KEY
    else:
        top.value.append(value)
    return result


def _scalar(loader: yaml.SafeLoader, event: yaml.ScalarEvent) -> Any:
    """Resolve a scalar the way SafeLoader would (int, bool, date, str, ...)."""
    tag = event.tag
    if tag is None or tag == "!":
        resolve: Callable[..., str] = loader.resolve
        tag = resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    try:
        return loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        raise _BadValue(line, " ".join(str(getattr(exc, "problem", None) or exc).split())) from exc


def line_for(lines: dict[Loc, int], loc: tuple[Any, ...]) -> int:
    """Line of the deepest known prefix of `loc` (a missing field is reported at its parent)."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


def format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def validation_problems(path: Path, lines: dict[Loc, int], errors: Sequence[ErrorDetails]) -> list[str]:
    """pydantic errors -> `file:line: field: message` lines."""
    out = []
    for err in errors:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        out.append(f"{path}:{line_for(lines, loc)}: {format_loc(loc)}: {err['msg']}")
    return out


def load_model(path: Path, model: type[ModelT]) -> tuple[ModelT, dict[Loc, int]]:
    """Load a YAML data file and validate it with a pydantic `model`; every schema error becomes a
    `file:line: field: message` line in one ChecklistFormatError. The line map is returned for callers
    that run cross-checks of their own."""
    from pydantic import ValidationError

    data, lines = load_with_lines(path)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        raise ChecklistFormatError(validation_problems(path, lines, exc.errors())) from exc
