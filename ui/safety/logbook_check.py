"""The open-time damage check, run off the UI thread so the window shows at once.

The app opens the logbook with `quick_check=False` (the core still checks first when an upgrade is pending) and
runs `PRAGMA quick_check` here, on its own read-only connection, while the window holds every write.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Signal

from tace_log.storage import Logbook
from ui.shell.signals import emit


class LogbookCheck(QThread):
    """`LogbookCheck(path).start()`; `checked` arrives on the UI thread with None (sound) or the error raised."""

    checked = Signal(object)

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)

    def run(self) -> None:
        try:
            Logbook.check_file(self.path)
        except Exception as exc:  # whatever it is, the window must hear of it and keep writes held
            emit(self.checked, exc)
            return
        emit(self.checked, None)
