"""Persistence: SQLModel tables, the engine with its pragmas, and alembic migrations."""
