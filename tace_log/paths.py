"""Where TACE Log keeps things on a workstation: the default logbook, its backups, logs. `TACE_LOG_DB` overrides
the logbook."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tace-log"
LOGBOOK_FILENAME = "tace-log.sqlite"
BACKUP_FOLDER = "backups"
# Marks of the temporary files (files.temporary_name) a process builds before they take their name: a backup being
# written and verified (in backups/), a new logbook being made, a restored logbook being prepared (beside it).
PARTIAL_BACKUP, CREATING, RESTORING = "partial", "creating", "restoring"


def backup_folder(logbook_path: Path) -> Path:
    """Where a logbook's backups and safety copies live: `backups/` beside it."""
    return Path(logbook_path).parent / BACKUP_FOLDER


def default_logbook_path() -> Path:
    override = os.environ.get("TACE_LOG_DB")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when no logbook is named: it costs the app's start-up a few ms

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / LOGBOOK_FILENAME


def log_dir() -> Path:
    import platformdirs

    return platformdirs.user_log_path(APP_NAME, appauthor=False)
