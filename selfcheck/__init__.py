"""selfcheck: offline self-inspection and incident response for small Japanese local-government bodies."""

from __future__ import annotations

__version__ = "0.1.0"
