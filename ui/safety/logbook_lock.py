"""One window per logbook: a QLockFile beside the logbook, and a second app that says who holds it.

The CLI does not take this lock: it may write beside the app (SQLite's own locks and the busy timeout keep that
safe). The lock only keeps two windows from editing the same logbook, where one would overwrite the other's form.
A lock left by a process that died is stale and taken over; age alone never makes it stale (the app may run for
days).
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile

from tace_log import errors
from tace_log.errors import TaceLogError
from tace_log.storage.holders import app_lock_path


class LogbookInUseError(errors.LogbookInUseError):
    """The logbook is open in another TACE Log window; `holder` says where."""

    def __init__(self, message: str, holder: LockHolder | None, path: Path | None = None):
        super().__init__(message, path)
        self.holder = holder

    def text(self, language: str = "en") -> str:
        return str(self)  # worded by the app (`tr`), in its language already


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    user: str | None
    app: str

    def __str__(self) -> str:
        text = (QCoreApplication.translate("LogbookLock", "process %1 by %2 on %3") if self.user
                else QCoreApplication.translate("LogbookLock", "process %1 on %3"))
        return text.replace("%1", str(self.pid)).replace("%2", self.user or "").replace("%3", self.host)


class LogbookLock:
    """`acquire()` before opening the logbook in a window, `release()` when the window closes."""

    def __init__(self, logbook_path: Path):
        self.logbook_path = Path(logbook_path)
        self.path = app_lock_path(self.logbook_path)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age

    def acquire(self) -> None:
        if self._lock.tryLock(0):
            return
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            raise TaceLogError(QCoreApplication.translate("LogbookLock", "cannot lock %1: the lock file %2 cannot be "
                                                          "written (is the folder read-only?)")
                               .replace("%1", str(self.logbook_path)).replace("%2", str(self.path)))
        holder = self.holder()
        text = (QCoreApplication.translate("LogbookLock", "%1 is already open in TACE Log (%2). Close it there first; "
                                           "only one window may edit a logbook at a time.") if holder
                else QCoreApplication.translate("LogbookLock", "%1 is already open in TACE Log. Close it there first; "
                                                "only one window may edit a logbook at a time."))
        raise LogbookInUseError(text.replace("%1", str(self.logbook_path)).replace("%2", str(holder)), holder,
                                self.logbook_path)

    def release(self) -> None:
        self._lock.unlock()

    def is_locked(self) -> bool:
        return self._lock.isLocked()

    def holder(self) -> LockHolder | None:
        """Who holds the lock, from the lock file: pid, host and app from its content, the user from its owner."""
        info = self._lock.getLockInfo()
        if not info or not info[0]:
            return None
        pid, host, app = info
        try:
            user = pwd.getpwuid(os.stat(self.path).st_uid).pw_name
        except (OSError, KeyError):
            user = None
        return LockHolder(int(pid), host, user, app)
