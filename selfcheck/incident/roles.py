"""The roles an incident step names (管理者, CISO, 統括責任者, 警察, ...) with their default Japanese titles,
from `data/contacts_default.yaml`. A body may rename a role (`contacts.set_role_title`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from selfcheck import paths


def known_roles() -> dict[str, str]:
    """Default role keys -> Japanese titles (data/contacts_default.yaml)."""
    return {r["key"]: r["title"] for r in defaults_data()["roles"]}


@lru_cache(maxsize=1)
def defaults_data() -> dict[str, Any]:
    from selfcheck.yaml_lines import load_data  # the one safe YAML loader (no aliases, bounded)

    data: dict[str, Any] = load_data(paths.builtin_data() / "contacts_default.yaml")
    return data


def outside_roles() -> set[str]:
    """Roles that are outside the body (police, the prefecture, ...)."""
    return {r["key"] for r in defaults_data()["roles"] if r.get("outside")}
