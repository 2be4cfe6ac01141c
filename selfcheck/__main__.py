"""`python -m selfcheck` runs the same entry point as the console script."""

from __future__ import annotations

import sys

from selfcheck.cli import main

sys.exit(main())
