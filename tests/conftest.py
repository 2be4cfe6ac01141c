"""Shared fixtures: a real workspace (SQLite file + evidence store) in a temp dir, a fixed clock, and an
in-memory keyring installed explicitly so no test can touch a real credential store.

Tests marked `engines` run on both engines: `[sqlite]`, and `[pg]` on a fresh database of a real
PostgreSQL server with a separate shared evidence folder (tests/engines.py)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import engines
import pytest

from selfcheck.clock import JST, fixed_clock
from selfcheck.dbconfig import Place
from selfcheck.workspace import Workspace, open_workspace

# Never let a test reach a real OS keyring (or a plaintext fallback): tests install MemoryKeyring.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
POLICIES = SHARED / "policies"
# .ci/run sets this, so the tests that read the shared corpus can never be skipped silently there
REQUIRE_SHARED = os.environ.get("SELFCHECK_REQUIRE_SHARED") == "1"


def need_shared(path: Path = POLICIES) -> Path:
    """`path` inside ../shared, or skip the test (with the reason) when this checkout has no ../shared
    beside it. Under SELFCHECK_REQUIRE_SHARED=1 a missing corpus is a failure instead."""
    if path.exists():
        return path
    reason = f"{path} is not available (no ../shared beside this checkout)"
    if REQUIRE_SHARED:
        pytest.fail(f"SELFCHECK_REQUIRE_SHARED=1 but {reason}")
    pytest.skip(reason)


def policy_file(body_id: str) -> Path:
    """One of the five published policies in ../shared/policies (skips without ../shared)."""
    return need_shared(POLICIES / f"{body_id}.txt")


@functools.cache
def _read_policy(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def policy_text(body_id: str) -> str:
    return _read_policy(policy_file(body_id))


def optional_policy_text(body_id: str) -> str | None:
    """The policy text, or None without ../shared (for a test whose other cases still run)."""
    path = POLICIES / f"{body_id}.txt"
    if path.exists() or REQUIRE_SHARED:
        return policy_text(body_id)
    return None


BODY_IDS = ("onojo-dazaifu-kankyo", "ogi-kansa-iin", "abira-cho", "gunma-sogo-jimu", "shunan-eisei")

FIXED_NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=JST)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `engines` (itself or its module) runs once per engine."""
    if metafunc.definition.get_closest_marker("engines") and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", engines.ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """sqlite, or pg for the PostgreSQL run of an `engines` test."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def place(home: Path, engine: str, tmp_path: Path) -> Iterator[Place | None]:
    """None for SQLite (the data directory's own file); for pg a fresh server database with its own
    shared evidence folder, chosen through the data directory's database.json."""
    if engine != "pg":
        yield None
        return
    target = engines.fresh_database()
    try:
        yield engines.use_server(home, target, tmp_path / "shared-evidence")
    finally:
        engines.drop_database(target)


@pytest.fixture
def ws(home: Path, place: Place | None) -> Iterator[Workspace]:
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
