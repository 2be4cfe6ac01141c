"""Shared fixtures: a real workspace (SQLite file + evidence store) in a temp dir, a fixed clock, and an
in-memory keyring installed explicitly so no test can touch a real credential store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from selfcheck.clock import JST, fixed_clock
from selfcheck.workspace import Workspace, open_workspace

# Never let a test reach a real OS keyring (or a plaintext fallback): tests install MemoryKeyring.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
POLICIES = SHARED / "policies"
BODY_IDS = ("onojo-dazaifu-kankyo", "ogi-kansa-iin", "abira-cho", "gunma-sogo-jimu", "shunan-eisei")

FIXED_NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=JST)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    w = open_workspace(home, actor="山田 花子", clock=fixed_clock(FIXED_NOW))
    yield w
    w.close()


@pytest.fixture
def mem_keyring() -> Iterator[object]:
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.store.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    prev = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(prev)
