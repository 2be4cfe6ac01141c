"""Injectable time source, so tests and snapshots can pin "now" (deadline maths, timestamps)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

Clock = Callable[[], datetime]

JST = timezone(timedelta(hours=9), "JST")


def system_clock() -> datetime:
    """Aware local time of this machine. Offices run in JST; we keep the machine's offset as given."""
    return datetime.now(UTC).astimezone()


def fixed_clock(at: datetime) -> Clock:
    """A clock that always returns `at` (tests)."""
    return lambda: at


def to_iso(dt: datetime) -> str:
    """Seconds-precision ISO 8601 with offset: the one timestamp format stored in the database."""
    return dt.isoformat(timespec="seconds")
