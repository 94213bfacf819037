"""Mark a signed procedure entered in error: the reason and the radiologist's password. The record stays as it was
signed; its report then says on every page that it is not valid."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from tace_log.errors import TaceLogError
from tace_log.model import EnteredInError
from ui.shell.messages import error_text
from ui.shell.widgets import add_credentials, named


class EnteredInErrorDialog(QDialog):
    """`EnteredInErrorDialog(logbook, procedure_id)`: on accept `dialog.mark` is the stored mark."""

    def __init__(self, logbook, procedure_id: str, parent=None):
        super().__init__(parent)
        self.logbook, self.procedure_id = logbook, procedure_id
        self.mark: EnteredInError | None = None
        self.setWindowTitle(self.tr("Mark entered in error"))
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("For a record that should not exist: the wrong patient, a procedure that did not take "
                              "place. The signed record is kept as it is, and every page of its report will say "
                              "ENTERED IN ERROR. This cannot be undone. To correct or add to a valid record, use "
                              "an addendum instead."))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.reason = named(QLineEdit(), "reason", self.tr("Why the record is not valid"))
        form.addRow(self.tr("Rea&son"), self.reason)
        add_credentials(self, layout, form, logbook, self.tr("&Radiologist"), self.tr("Sign and mark"),
                        signers_only=True).setObjectName("sign_and_mark")
        self.reason.setFocus()

    def accept(self) -> None:
        try:
            self.mark = self.logbook.signing.mark_entered_in_error(
                self.procedure_id, self.username.currentData() or "", self.password.text(), self.reason.text())
        except TaceLogError as exc:
            self.message.setText(error_text(exc))
            return
        super().accept()
