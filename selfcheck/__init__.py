"""selfcheck: offline self-inspection and incident response for small Japanese local-government bodies."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def _map_card_folders_in_a_checkout() -> None:
    """In a source checkout, make `selfcheck.models`, `.tui`, `.checklists` and `.data` resolve to the
    top-level folders the design card asks for, exactly as the installed package maps them
    (pyproject `package-dir`). Without this, running from the repository root (`python -m pytest`,
    `python -m selfcheck`) imports this folder ahead of the installed package and cannot see them."""
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "models" / "tables.py").is_file():
        __path__.append(str(root))  # type: ignore[name-defined]


_map_card_folders_in_a_checkout()
