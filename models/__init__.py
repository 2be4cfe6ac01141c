"""Persistence: SQLModel tables, the engine with its pragmas, and alembic migrations.

This folder is the subpackage `selfcheck.models` (reached through the `selfcheck/models` link in a checkout and
installed there by pyproject's package-dir). It must never load under a second name such as `models`."""

if __name__ != "selfcheck.models":
    raise ImportError(f"import this folder as selfcheck.models, not {__name__}")
