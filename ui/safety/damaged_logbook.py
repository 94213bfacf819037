"""The dialog for a logbook that fails the check on open: it says so plainly, writes nothing, and offers the
newest backup that passes every check. Restoring keeps the damaged file, byte for byte, beside the backups."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from tace_log.errors import LogbookError, TaceLogError
from tace_log.storage import Backups
from tace_log.times import shown
from tace_log.users import User, may_restore
from ui.shell.messages import core_word, error_text
from ui.shell.signals import emit

log = logging.getLogger(__name__)


class DamagedLogbookDialog(QDialog):
    """Built from the error `Logbook.open` raised. `restored` carries the RestoreReport once the backup is back."""

    restored = Signal(object)

    def __init__(self, error: LogbookError, parent: QWidget | None = None, user: User | None = None):
        """`user`: who was signed in at the window that found the damage (None at start-up, before anyone could
        sign in to the logbook that does not open): restoring is theirs only if `may_restore` says so."""
        super().__init__(parent)
        self.setObjectName("damaged_logbook_dialog")
        self.setWindowTitle(self.tr("TACE Log: the logbook cannot be opened"))
        self.setMinimumWidth(560)
        self.error = error
        self.report = None
        self.backup = Backups.newest_good(error.path) if error.path else None

        self.message = QLabel(self.tr("%1\n\nNothing has been written to it.").replace("%1", error_text(error)),
                              objectName="damage_message")
        self.message.setWordWrap(True)
        if self.backup:
            made = shown(dt.datetime.fromtimestamp(self.backup.stat().st_mtime, dt.UTC))
            offer = (self.tr("The newest good backup is %1 (made %2). Restoring it brings back the logbook as it "
                             "was then; the damaged file is kept beside the backups.")
                     .replace("%1", self.backup.name).replace("%2", made))
        else:
            offer = self.tr("No good backup of this logbook was found in its backups folder. Keep the file as it "
                            "is and ask for help: the log has the details.")
        refusal = None
        if self.backup and user is not None and not may_restore(user.role):
            refusal = (self.tr("Restoring a backup needs an administrator or a radiologist, and %1 is a %2: ask one "
                               "of them to restore it. Until then the file stays as it is.")
                       .replace("%1", user.full_name).replace("%2", core_word("role", user.role)))
            offer += "\n\n" + refusal
        self.offer = QLabel(offer, objectName="backup_offer")
        self.offer.setWordWrap(True)
        self.outcome = QLabel("", objectName="restore_outcome")
        self.outcome.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(self.tr("&Restore this backup"), objectName="restore_newest_backup")
        self.restore_button.setAccessibleName(self.tr("Restore the newest good backup"))
        self.restore_button.clicked.connect(self.restore)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(self.backup is not None and refusal is None)
        self.restore_button.setToolTip(refusal or "")
        self.restore_button.setVisible(self.backup is not None)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("close_damaged_dialog")
        self.close_button.clicked.connect(self.reject)
        if not self.restore_button.isEnabled():
            self.close_button.setDefault(True)

        layout = QVBoxLayout(self)
        for widget in (self.message, self.offer, self.outcome, buttons):
            layout.addWidget(widget)

    def restore(self) -> None:
        try:
            self.report = Backups.restore_file(self.error.path, self.backup)
        except TaceLogError as exc:
            log.warning("restoring %s from %s failed: %s", self.error.path, self.backup, exc)
            self.outcome.setText(self.tr("The backup was not restored: %1").replace("%1", error_text(exc)))
            return
        log.info("restored damaged %s from %s; damaged file kept as %s", self.report.path, self.backup,
                 self.report.safety_copy)
        self.outcome.setText(self.tr("Restored. The damaged file is kept as %1.")
                             .replace("%1", str(self.report.safety_copy)))
        emit(self.restored, self.report)
        self.accept()
