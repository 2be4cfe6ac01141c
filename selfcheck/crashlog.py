"""Where a bug's traceback goes: a log file under the data directory, never the user's screen.

Both front ends (the CLI's error funnel and the TUI's) call `write_crash_log` and show the user one line
naming the file. Names carry microseconds and the process id, so two crashes in the same second (or two
processes crashing together) never overwrite each other's log.
"""

from __future__ import annotations

import logging
import os
import traceback
from datetime import datetime
from pathlib import Path

from selfcheck import paths


def write_crash_log(home: Path, exc: BaseException) -> Path:
    try:
        folder = paths.ensure_private_dir(paths.log_dir(home))
    except OSError:
        folder = Path.cwd()
    path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}-{os.getpid()}.log"
    text = "".join(traceback.format_exception(exc))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError:
        logging.getLogger("selfcheck").error(text)
    return path
