"""Load YAML while remembering the line of every mapping key and sequence entry, so a schema error can
be reported as `file:line: field: message` (pydantic alone only knows the path inside the data)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from selfcheck.errors import ChecklistFormatError

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

Loc = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound="BaseModel")


def load_with_lines(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse `path`; return the data and a map from location path to 1-based line number."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChecklistFormatError(
            [f"{path}:1: (file): UTF-8 ではありません / not UTF-8 ({exc.reason})"]
        ) from exc
    except OSError as exc:
        raise ChecklistFormatError(
            [f"{path}:1: (file): 読み込めません / cannot read ({exc.strerror})"]
        ) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    try:
        data = _convert(node, (), lines)
    except _DuplicateKey as dup:
        # PyYAML silently keeps the last of two equal keys; in a checklist that hides an edit
        raise ChecklistFormatError(
            [f"{path}:{dup.line}: {format_loc(dup.loc)}: キーが重複しています / duplicate key"]
        ) from None
    except _BadValue as bad:  # e.g. `<<` alone, `!!int abc`, an unknown tag: found by the fuzz tests
        raise ChecklistFormatError(
            [f"{path}:{bad.line}: (value): 値を解釈できません / cannot interpret the value: {bad.problem}"]
        ) from None
    return data, lines


class _BadValue(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


class _DuplicateKey(Exception):
    def __init__(self, loc: Loc, line: int) -> None:
        super().__init__(loc)
        self.loc, self.line = loc, line


def _convert(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            sub = (*loc, key)
            if key in out:
                raise _DuplicateKey(sub, key_node.start_mark.line + 1)
            out[key] = _convert(value_node, sub, lines)
            lines[sub] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, (*loc, i), lines) for i, child in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    """Resolve a scalar the way SafeLoader would (int, bool, date, str, ...)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise _BadValue(
            node.start_mark.line + 1, " ".join(str(getattr(exc, "problem", None) or exc).split())
        ) from exc
    finally:
        loader.dispose()


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
