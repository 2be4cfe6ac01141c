"""The import rules of the house, computed from the source (no module is imported).

- A *heavy* module costs start-up time: a third-party library in HEAVY_LIBRARIES, or a selfcheck module
  whose module-level imports reach one. Only heavy modules may be imported inside a function (deferred);
  everything else is imported at the top of the module, where readers and tools see it. In the TUI a
  screen or dialog may also be imported where it is opened (loaded when first shown).
- Platform modules (Windows- or POSIX-only) may be imported inside the branch that needs them.
- No two selfcheck modules import each other, directly or through others (deferred imports included).
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "selfcheck"

# Measured with `python -X importtime` on the 2-core CI machine (2026-11-30): each costs 40–400 ms.
HEAVY_LIBRARIES = frozenset(
    {
        "sqlalchemy",  # 270 ms
        "sqlmodel",  # 420 ms (pydantic + sqlalchemy)
        "alembic",  # 390 ms
        "pydantic",  # 70 ms
        "pydantic_core",
        "yaml",  # 40 ms with libyaml
        "reportlab",  # 140 ms for platypus
        "pyhanko",  # 370 ms
        "pyhanko_certvalidator",
        "cryptography",  # x509/hazmat: 60 ms+
        "openpyxl",  # 160 ms
        "keyring",  # 90 ms, and it probes the OS credential store
        "textual",  # 220 ms: the CLI imports the TUI only to open it
        "rich",  # 40 ms (console + table): the CLI's tables import it only when they print
        "pypdf",
        "pypdfium2",  # 70 ms (ctypes bindings + the PDFium library)
        "pypdfium2_raw",
        "pdfminer",
        "docx",
        "lxml",
        "bs4",
        "selectolax",
        "psycopg",
        "charset_normalizer",
        "budoux",
        "holidays",
        "jpholiday",
    }
)
PLATFORM_MODULES = frozenset(
    {"msvcrt", "winreg", "_winapi", "winsound", "fcntl", "termios", "pwd", "grp", "resource", "ctypes"}
)


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # absolute module name (or module.name for `from x import name`)
    line: int
    deferred: bool  # inside a function
    type_checking: bool


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    out: dict[str, Path] = {}
    # os.walk, not Path.rglob: it must follow the selfcheck/{models,tui,checklists,data} links
    for folder, dirs, names in os.walk(PACKAGE, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        here = Path(folder)
        if here.name == "versions" and here.parent.name == "migrations":
            continue  # alembic migration scripts are loaded by alembic, not imported
        for n in sorted(names):
            if n.endswith(".py"):
                out[module_name(here / n)] = here / n
    return out


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, modules: set[str]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    out: list[Import] = []

    def visit(node: ast.AST, deferred: bool, tc: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, True, tc)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.body:
                    visit_stmt(sub, deferred, True)
                for sub in child.orelse:
                    visit_stmt(sub, deferred, tc)
            else:
                visit_stmt(child, deferred, tc)

    def visit_stmt(child: ast.AST, deferred: bool, tc: bool) -> None:
        if isinstance(child, ast.Import):
            for a in child.names:
                out.append(Import(name, a.name, child.lineno, deferred, tc))
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                pkg = name if is_pkg else name.rpartition(".")[0]
                for _ in range(child.level - 1):
                    pkg = pkg.rpartition(".")[0]
                base = f"{pkg}.{base}" if base else pkg
            for a in child.names:
                sub = f"{base}.{a.name}"
                out.append(Import(name, sub if sub in modules else base, child.lineno, deferred, tc))
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            visit(child, True, tc)
        else:
            visit(child, deferred, tc)

    visit(tree, False, False)
    return out


def parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def heavy_modules(
    files: dict[str, Path], imports: dict[str, list[Import]], *, loaded: frozenset[str] = frozenset()
) -> set[str]:
    """selfcheck modules whose import (module level, transitively, parents included) loads a heavy library
    other than those in `loaded` (already imported where the importer runs)."""
    libraries = HEAVY_LIBRARIES - loaded
    heavy: set[str] = set()
    changed = True
    while changed:
        changed = False
        for mod in files:
            if mod in heavy:
                continue
            for imp in imports[mod]:
                if imp.deferred or imp.type_checking:
                    continue
                targets = [imp.target, *parents(imp.target)]
                if any(t.split(".")[0] in libraries or t in heavy for t in targets):
                    heavy.add(mod)
                    changed = True
                    break
    return heavy


TUI = "selfcheck.tui"


def analyse() -> tuple[dict[str, Path], dict[str, list[Import]], set[str]]:
    files = source_files()
    modules = set(files)
    imports = {m: imports_of(m, p, modules) for m, p in files.items()}
    return files, imports, heavy_modules(files, imports)


ON_DEMAND = ("selfcheck.tui.screens.", "selfcheck.tui.dialogs.")


def is_heavy_for(importer: str, target: str, heavy: set[str], heavy_in_tui: set[str]) -> bool:
    """Inside the TUI, Textual is loaded already: only the other heavy libraries justify deferring, and a
    screen or dialog may be loaded when it is first shown (Textual's own lazy-screen practice), which keeps
    every other screen's modules off the path to the first paint."""
    if importer.startswith(TUI) and target.startswith(ON_DEMAND):
        return True
    top = target.split(".")[0]
    if top in HEAVY_LIBRARIES and not (top == "textual" and importer.startswith(TUI)):
        return True
    pool = heavy_in_tui if importer.startswith(TUI) else heavy
    return target in pool or any(p in pool for p in parents(target)[1:])


def deferred_light_imports() -> list[str]:
    """Imports inside functions of modules that are cheap to import: they belong at the top."""
    files, imports, heavy = analyse()
    heavy_in_tui = heavy_modules(files, imports, loaded=frozenset({"textual"}))
    bad = []
    for mod, imps in imports.items():
        for imp in imps:
            if not imp.deferred or imp.type_checking:
                continue
            if imp.target.split(".")[0] in PLATFORM_MODULES:
                continue
            if is_heavy_for(mod, imp.target, heavy, heavy_in_tui):
                continue
            bad.append(f"{files[mod].relative_to(REPO)}:{imp.line}: {imp.target}")
    return bad


def cycles() -> list[list[str]]:
    """Import cycles between selfcheck modules (deferred imports count: they only hide the cycle). Only
    written imports are edges: that importing `a.b` runs `a/__init__` first is not one."""
    files, imports, _heavy = analyse()
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, imps in imports.items():
        for imp in imps:
            if imp.type_checking:
                continue
            target = imp.target if imp.target in files else None
            if target is None:
                target = next((p for p in reversed(parents(imp.target)) if p in files), None)
            if target and target != mod:
                graph[mod].add(target)
    # Tarjan's strongly connected components
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    import sys

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


if __name__ == "__main__":
    for line in deferred_light_imports():
        print(line)
    for c in cycles():
        print("CYCLE:", " <-> ".join(c))
