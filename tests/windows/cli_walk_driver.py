"""Run many `selfcheck` command lines in one Python process, for tests/windows/test_console_encoding.py.

Usage: python cli_walk_driver.py CASES.json. Each case is a list of arguments, passed to the same
`selfcheck.cli.main` that the console script runs; its output goes to this process's real stdout and
stderr, whose encoding the test chose through the environment (PYTHONIOENCODING=cp932, or a C locale with
UTF-8 mode off). After each case a marker line `@@@ END <index> <exit code> @@@` is written, so the test
can cut the merged output into one piece per command. One process instead of one per command keeps the
walk of every command under two environments to seconds instead of minutes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    from selfcheck.cli import main as selfcheck_main

    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for index, argv in enumerate(cases):
        try:
            code = selfcheck_main(argv)
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout.write(f"\n@@@ END {index} {code} @@@\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
