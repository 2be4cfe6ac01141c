"""Entry point of the one-folder application (packaging/selfcheck.spec): the same `selfcheck.cli.main`
that the `selfcheck` console script runs, so the frozen program has the same commands, the same error
funnel and the same console-encoding safety."""

from __future__ import annotations

import sys

from selfcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
