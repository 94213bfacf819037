"""The log file: a rotating log in the user log folder, set up once by the CLI and by the app.

Messages a user sees go to the screen; the log keeps the details (tracebacks, paths, timings) for whoever
supports the workstation. A log that cannot be written (a read-only home) never stops the program.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .paths import log_dir

LOG_FILENAME = "tace-log.log"
MAX_BYTES = 1_000_000
KEEP_FILES = 5
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def log_file() -> Path:
    return log_dir() / LOG_FILENAME


def configure_logging(level: int = logging.INFO, folder: Path | None = None) -> Path | None:
    """Send the root logger to the rotating log file; returns its path, or None if it cannot be written.

    Calling it again replaces the handler it installed before (tests, a second `main()` in one process).
    """
    root = logging.getLogger()
    for installed in list(root.handlers):
        if getattr(installed, "tace_log", False):
            root.removeHandler(installed)
            installed.close()
    path = (folder or log_dir()) / LOG_FILENAME
    handler: logging.Handler
    written: Path | None = path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP_FILES, encoding="utf-8")
        handler.setFormatter(logging.Formatter(FORMAT))
    except OSError:
        # No log file: a NullHandler still keeps Python's last-resort handler from printing log lines on stderr.
        handler, written = logging.NullHandler(), None
    handler.tace_log = True  # type: ignore[union-attr]  # ours: replaced on a second call
    root.addHandler(handler)
    root.setLevel(level)
    return written
