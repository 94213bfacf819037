"""A logbook's backups (`Logbook.backups`): making one now or when due, restoring one, finding them. The work is
in `backup.py`, loaded on first use, not at start-up (tests/ui/test_startup_imports.py); what needs no open
logbook (a damaged one's restore) is static here."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import NotPermittedError, RecordNotFoundError
from ..messages import Message
from ..users import may_restore
from .accounts import Accounts, deactivated, role_named
from .changes import Change, Changed
from .connection import logbook_location, open_database
from .session import Session

if TYPE_CHECKING:
    from .backup import BackupPolicy, BackupReport, RestoreReport


def _backup() -> ModuleType:
    from . import backup

    return backup


class Backups:
    """The backups of one logbook (`Logbook.backups`), made from its connection and restored under its user."""

    def __init__(self, session: Session, users: Accounts):
        self._session = session
        self._users = users

    def back_up(self, target: str | Path | None = None, policy: BackupPolicy | None = None) -> BackupReport:
        """A verified backup now (File > Back up now): to `target`, or into `backups/` beside the logbook, which
        is then rotated as `policy` says (by default `BackupPolicy()`)."""
        return _backup().back_up(self._session.db, self._session.path, Path(target) if target else None, policy)

    def back_up_if_due(self, policy: BackupPolicy | None = None) -> BackupReport | None:
        """The automatic backup (on exit): made only if none was made today."""
        return self.back_up(policy=policy) if _backup().backup_due(self._session.path) else None

    def files(self) -> list[Path]:
        """This logbook's backups in `backups/`, newest first."""
        return self.of(self._session.path)

    def restore_refusal(self) -> Message | None:
        """Why the person working may not replace the logbook with a backup, or None. Once the logbook has users
        only a signed-in administrator or radiologist may (`users.may_restore`); before, the operating-system
        login may, as it may make every other write."""
        if not self._users.active():
            return None
        current = self._users.current
        try:
            user = self._users.get(current)
        except RecordNotFoundError:
            return Message("error.restore_not_a_user", username=current)
        if not user.active:
            return deactivated(user.username)
        if not may_restore(user.role):
            return Message("error.restore_role", username=user.username, role=role_named(user.role))
        return None

    def restore(self, backup_file: str | Path, despite: str | None = None) -> RestoreReport:
        """Replace this logbook's content with a verified backup (File > Restore); the old content is kept aside
        and the restore is in the audit trail under the current user. The restore needs the file to itself, so
        this connection is closed for it and opened again on what is then there; anyone else holding the file
        makes it refuse (`LogbookInUseError`) with nothing changed. A backup whose schema, audit trail or
        signatures do not verify is refused (`BackupError`) unless `despite` says why. `NotPermittedError`, and
        nothing restored, unless the person working may restore (`restore_refusal`)."""
        refusal = self.restore_refusal()
        if refusal:
            raise NotPermittedError(refusal)
        session = self._session
        session.db.close()
        try:
            report = _backup().restore(session.path, Path(backup_file), session.user, despite)
        finally:
            session.reconnect(open_database(session.path, create=False, quick_check=False))
        session.announce(Change(Changed.RESTORED))
        return report

    # -- by path: also for a logbook that cannot be opened ---------------------------------------------
    @staticmethod
    def of(path: str | Path) -> list[Path]:
        """The backups in `backups/` beside the logbook at `path`, newest first."""
        return [p for _, p in _backup().list_backups(logbook_location(path))]

    @staticmethod
    def newest_good(path: str | Path) -> Path | None:
        """The newest backup of the logbook at `path` that verifies (offered for a damaged logbook)."""
        return _backup().newest_good_backup(logbook_location(path))

    @staticmethod
    def restore_file(path: str | Path, backup_file: str | Path, despite: str | None = None) -> RestoreReport:
        """Restore a logbook by its path (`tace-log restore`), also one that cannot be opened (damaged): the file
        before is kept aside, a damaged one byte for byte. Refused while anyone has the logbook open, and for a
        backup that does not verify unless `despite` says why."""
        return _backup().restore(logbook_location(path), Path(backup_file), despite=despite)
