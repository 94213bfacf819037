"""Add a signed addendum to a signed procedure: the text, the reason, and the radiologist's password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from tace_log.errors import TaceLogError
from tace_log.model import Addendum
from tace_log.signing import ADDENDUM_MEANING
from ui.shell.messages import error_text
from ui.shell.widgets import add_credentials, named


class AddendumDialog(QDialog):
    """`AddendumDialog(logbook, procedure_id)`: on accept `dialog.addendum` is the stored `model.Addendum`."""

    def __init__(self, logbook, procedure_id: str, parent=None):
        super().__init__(parent)
        self.logbook, self.procedure_id = logbook, procedure_id
        self.addendum: Addendum | None = None
        self.setWindowTitle(self.tr("Add addendum"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The signed record stays as it is; the addendum is printed after it, "
                                        "marked as an addendum (%1 you).").replace("%1", ADDENDUM_MEANING)))
        form = QFormLayout()
        self.reason = named(QLineEdit(), "reason", self.tr("Reason for the addendum"))
        self.text = named(QPlainTextEdit(), "text", self.tr("Addendum text"))
        form.addRow(self.tr("Rea&son"), self.reason)
        form.addRow(self.tr("&Addendum"), self.text)
        add_credentials(self, layout, form, logbook, self.tr("&Radiologist"), self.tr("Sign and add"),
                        signers_only=True).setObjectName("sign_and_add")
        self.reason.setFocus()

    def accept(self) -> None:
        try:
            self.addendum = self.logbook.signing.add_addendum(self.procedure_id, self.username.currentData() or "",
                                                      self.password.text(), self.reason.text(),
                                                      self.text.toPlainText())
        except TaceLogError as exc:
            self.message.setText(error_text(exc))
            return
        super().accept()
