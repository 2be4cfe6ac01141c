"""The house rules, checked on every test run (ARCHITECTURE.md explains them)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.house import import_rules

REPO = import_rules.REPO
MAX_MODULE_LINES = 400


def test_no_import_cycles() -> None:
    assert import_rules.cycles() == []


def test_only_heavy_modules_are_imported_inside_functions() -> None:
    """A deferred import must buy start-up time; anything cheap is imported at the top of the module."""
    assert import_rules.deferred_light_imports() == []


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install '.[test]')")
    proc = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_the_core_contract_lists_every_core_module() -> None:
    """A new top-level module must be covered by the 'core never imports the TUI' contract."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    core = next(c for c in contracts if c["name"].startswith("The UI-free core"))
    listed = set(core["source_modules"])
    children = {
        f"selfcheck.{p.stem if p.is_file() else p.name}"
        for p in (REPO / "selfcheck").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").exists())
    }
    assert children - listed - {"selfcheck.cli", "selfcheck.tui", "selfcheck.__main__"} == set()


def test_modules_stay_small() -> None:
    """A module over 400 lines has more than one job: split it along its seams."""
    files = import_rules.source_files()
    long = {
        str(p.relative_to(REPO)): n
        for p in files.values()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_every_error_class_lives_in_errors_py() -> None:
    found = []
    for name, path in import_rules.source_files().items():
        if name == "selfcheck.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and (b.id.endswith("Error") or b.id in ("ImportRejected",))
                for b in node.bases
            ):
                found.append(f"{name}.{node.name}")
    assert found == []


def test_no_module_is_importable_under_two_names() -> None:
    """The card's folders are reached only as selfcheck.models, selfcheck.tui, ... and the repository
    root is not part of the package."""
    for name in ("models", "tui", "checklists", "data"):
        code = f"import sys; sys.path.insert(0, {str(REPO)!r}); import {name}"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert proc.returncode != 0 and "import this folder as selfcheck." in proc.stderr
    for name in ("selfcheck.selfcheck", "selfcheck.tests", "selfcheck.benchmarks"):
        proc = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True)
        assert proc.returncode != 0, name


def test_every_form_dialog_is_a_form_dialog() -> None:
    """A modal with an input field is a FormDialog (Enter/Ctrl+S save, Esc cancels, errors stay inside),
    and no FormDialog defines its own on_input_submitted/on_button_pressed (Textual would run both)."""
    problems = []
    for name, path in import_rules.source_files().items():
        if not name.startswith("selfcheck.tui"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(b).split("[")[0] for b in node.bases}
            source = ast.unparse(node)
            if "ModalScreen" in bases and "Input(" in source:
                problems.append(f"{name}.{node.name} is a modal form but not a FormDialog")
            if "FormDialog" in bases:
                own = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
                problems += [
                    f"{name}.{node.name}.{h}" for h in ("on_input_submitted", "on_button_pressed") if h in own
                ]
    assert problems == []


def test_every_package_ships_in_the_wheel() -> None:
    """pyproject lists the packages explicitly (the card's folders are mapped with package-dir): a new
    subpackage missing there installs a program that cannot import it (selfcheck.inspection once was)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {name for name, path in import_rules.source_files().items() if path.name == "__init__.py"}
    versions = "selfcheck.models.migrations.versions"  # alembic scripts: a folder, not an imported package
    assert packages - listed == set()
    assert listed - packages - {versions} == set()
