"""Injectable time source, so tests and snapshots can pin "now" (deadline maths, timestamps)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

Clock = Callable[[], datetime]

JST = timezone(timedelta(hours=9), "JST")


def system_clock() -> datetime:
    """Now, in Japan time, whatever zone the machine's clock is set to (a PC left on UTC must not
    record 09:00 JST as 00:00): every time selfcheck stores or shows is JST."""
    return datetime.now(UTC).astimezone(JST)


def fixed_clock(at: datetime) -> Clock:
    """A clock that always returns `at` (tests)."""
    return lambda: at


def to_iso(dt: datetime) -> str:
    """Seconds-precision ISO 8601 with offset: the one timestamp format stored in the database."""
    return dt.isoformat(timespec="seconds")
