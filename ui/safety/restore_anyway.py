"""The question File > Restore asks of a backup that does not verify: restore it anyway, and why."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.shell.widgets import named


class RestoreAnyway(QDialog):
    """A backup that does not verify (its audit trail, schema or signatures): what is wrong, and a reason to
    restore it anyway, without which it is not restored. Cancel is the default: Enter never restores it."""

    def __init__(self, problem: str, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("restore_anyway")
        self.setWindowTitle(self.tr("The backup does not verify"))
        said = QLabel(self.tr("%1.\n\nRestore it anyway only if you know why it does not verify. Say why: the "
                              "reason is kept in the audit trail.").replace("%1", problem))
        said.setWordWrap(True)
        self.reason = named(QLineEdit(), "restore_reason", self.tr("Why restore it anyway"))
        self.reason.setPlaceholderText(self.tr("Why restore it anyway"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(self.tr("&Restore anyway"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restore_anyway_button")
        self.restore_button.setAutoDefault(False)
        self.restore_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.reason.textChanged.connect(lambda text: self.restore_button.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
