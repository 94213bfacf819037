"""File > Back up now and File > Restore from backup…, and the backup made when the window closes.

Everything goes through the Logbook: a backup is verified before it is reported done; a restore verifies the file
first, asks, and keeps the current logbook as a safety copy; one that does not verify is restored only when told
why (the reason goes into the audit trail). Messages are opened, not exec()'d, so the window (and whatever is typed
in it) stays usable; `messages` keeps them for the window's tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QWidget,
)

from tace_log.errors import TaceLogError, UnverifiedBackupError
from tace_log.storage import Logbook
from ui.shell.file_dialog import file_dialog
from ui.shell.language import language
from ui.shell.messages import error_text

if TYPE_CHECKING:
    from ui.safety.restore_anyway import RestoreAnyway

log = logging.getLogger(__name__)


class BackupActions(QObject):
    """The two File-menu actions for the window that holds `logbook()` (a callable: the window may reopen it)."""

    def __init__(self, logbook: Callable[[], Logbook], parent: QWidget):
        super().__init__(parent)
        self._logbook = logbook
        self._window = parent
        self.messages: list[QMessageBox] = []
        self.back_up_action = QAction(self.tr("&Back up now"), parent, objectName="back_up_now")
        self.back_up_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.back_up_action.setStatusTip(self.tr("Make a verified copy of the logbook in the backups folder beside it"))
        self.back_up_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(self.tr("&Restore from backup…"), parent, objectName="restore_backup")
        self.restore_action.setStatusTip(self.tr("Replace the logbook with a backup; the current one is kept as a "
                                                 "copy"))
        self.restore_action.triggered.connect(self.choose_backup)

    def actions(self) -> list[QAction]:
        return [self.back_up_action, self.restore_action]

    def _say(self, icon: QMessageBox.Icon, text: str, buttons=QMessageBox.StandardButton.Ok) -> QMessageBox:
        box = QMessageBox(icon, self.tr("TACE Log"), text, buttons, self._window)
        box.setObjectName("backup_message")
        self.messages.append(box)
        box.open()
        return box

    def back_up_now(self) -> None:
        try:
            report = self._logbook().backups.back_up()
        except TaceLogError as exc:
            log.warning("backup failed: %s", exc)
            self._say(QMessageBox.Icon.Critical, self.tr("No backup was made.\n\n%1").replace("%1", error_text(exc)))
            return
        log.info("backup made: %s in %.2f s", report, report.seconds)
        made = self.tr("%1 (%2 KB, %n procedure(s); verified)", "", report.counts.get("procedures", 0))
        self._say(QMessageBox.Icon.Information, self.tr("Backed up:\n%1").replace(
            "%1", made.replace("%1", str(report.path)).replace("%2", f"{report.size / 1024:.0f}")))

    def choose_backup(self) -> QFileDialog | QMessageBox:
        """A file dialog in the backups folder; choosing a file asks before restoring it. Someone who may not
        restore (a nurse) is told so instead, before choosing anything (the Logbook would refuse it too)."""
        refusal = self._logbook().backups.restore_refusal()
        if refusal:
            return self._say(QMessageBox.Icon.Warning,
                             self.tr("Nothing was restored: %1.\n\nOne of them can sign in (File > Switch user) "
                                     "and restore the backup.").replace("%1", refusal.text(language())))
        folder = self._logbook().path.parent / "backups"
        dialog = file_dialog(self._window, self.tr("Restore the logbook from a backup"),
                             str(folder if folder.is_dir() else self._logbook().path.parent),
                             self.tr("TACE Log logbooks (*.sqlite)"))
        dialog.setObjectName("restore_file_dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.confirm_restore(Path(name)))
        dialog.open()
        return dialog

    def confirm_restore(self, backup_file: Path) -> QMessageBox:
        box = self._say(QMessageBox.Icon.Question,
                        self.tr("Replace the logbook with the backup %1?\n\nEverything recorded after that backup "
                                "leaves the logbook; the current logbook is kept as a safety copy in the backups "
                                "folder.").replace("%1", backup_file.name),
                        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter never replaces a logbook by accident
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(lambda: self.restore(backup_file))
        return box

    def restore(self, backup_file: Path, despite: str | None = None) -> None:
        try:
            report = self._logbook().backups.restore(backup_file, despite)
        except UnverifiedBackupError as exc:
            log.warning("restore from %s: the backup does not verify: %s", backup_file, exc)
            self.ask_why(backup_file, exc)
            return
        except TaceLogError as exc:
            log.warning("restore from %s refused: %s", backup_file, exc)
            self._say(QMessageBox.Icon.Critical,
                      self.tr("The logbook was not changed.\n\n%1").replace("%1", error_text(exc)))
            return
        log.info("restored %s from %s; safety copy %s", report.path, report.source, report.safety_copy)
        self._say(QMessageBox.Icon.Information,
                  self.tr("Restored from %1 (%n procedure(s)).\n\nThe logbook as it was before is kept as:\n%2", "",
                          report.counts.get("procedures", 0))
                  .replace("%1", report.source.name).replace("%2", str(report.safety_copy)))

    def ask_why(self, backup_file: Path, refused: UnverifiedBackupError) -> RestoreAnyway:
        """Restore it all the same, with a reason, or leave the logbook as it is (the CLI's `restore --despite`);
        who may restore is the same as for any restore."""
        from ui.safety.restore_anyway import RestoreAnyway  # loaded when a backup does not verify, not at start

        dialog = RestoreAnyway(error_text(refused), self._window)
        dialog.accepted.connect(lambda: self.restore(backup_file, dialog.reason.text().strip()))
        dialog.open()
        return dialog

    def back_up_on_exit(self) -> str | None:
        """The daily automatic backup, for the window's closeEvent; returns a warning to show if it failed."""
        try:
            report = self._logbook().backups.back_up_if_due()
        except TaceLogError as exc:
            log.warning("backup on exit failed: %s", exc)
            return self.tr("The daily backup could not be made: %1").replace("%1", error_text(exc))
        if report:
            log.info("backup on exit: %s", report)
        return None
