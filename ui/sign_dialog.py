"""Sign a draft procedure: the validation findings, each warning acknowledged, user and password again."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QListWidget, QVBoxLayout

from tace_log.errors import TaceLogError
from tace_log.findings import ERROR, errors, warnings
from tace_log.model import Signature
from tace_log.signing import MEANING

from .signing_widgets import add_credentials, named


class SignDialog(QDialog):
    """`SignDialog(logbook, procedure_id)`: on accept the procedure is signed and `dialog.signature` holds the
    `model.Signature`. Errors disable signing; warnings must be acknowledged with the checkbox."""

    def __init__(self, logbook, procedure_id: str, parent=None):
        super().__init__(parent)
        self.logbook, self.procedure_id = logbook, procedure_id
        self.signature: Signature | None = None
        procedure = logbook.get_procedure(procedure_id)
        patient = logbook.get_patient(procedure.patient_id)
        self.findings = logbook.findings_to_sign(procedure_id)
        self.setWindowTitle("Sign procedure")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{patient.name} (MRN {patient.mrn}), procedure of {procedure.date.isoformat()}.\n"
                                f"Signing means: {MEANING} you. The record is then locked; later changes are "
                                "addenda."))
        self.finding_list = QListWidget()
        self.finding_list.setObjectName("findings")
        self.finding_list.setAccessibleName("Validation findings")
        for f in self.findings:
            self.finding_list.addItem(f"{'ERROR' if f.severity == ERROR else 'Warning'}: {f}")
        self.finding_list.setVisible(bool(self.findings))
        layout.addWidget(self.finding_list)
        self.acknowledge = named(QCheckBox(f"I have read the {len(warnings(self.findings))} warning(s) above and "
                                           "sign anyway"), "acknowledge_warnings", "Acknowledge warnings")
        self.acknowledge.setVisible(bool(warnings(self.findings)))
        layout.addWidget(self.acknowledge)
        self.sign_button = add_credentials(self, layout, QFormLayout(), logbook, "&Radiologist", "Sign")
        self.sign_button.setObjectName("sign")
        self.acknowledge.toggled.connect(self._update)
        self._update()
        self.password.setFocus()

    def _update(self) -> None:
        blocked = bool(errors(self.findings)) or (bool(warnings(self.findings)) and not self.acknowledge.isChecked())
        self.sign_button.setEnabled(not blocked)
        if errors(self.findings):
            self.message.setText("Correct the errors before signing.")

    def accept(self) -> None:
        try:
            self.signature = self.logbook.sign_procedure(self.procedure_id, self.username.currentData() or "",
                                                         self.password.text(),
                                                         acknowledge_warnings=self.acknowledge.isChecked())
        except TaceLogError as exc:
            self.message.setText(str(exc))
            self.password.selectAll()
            return
        super().accept()
