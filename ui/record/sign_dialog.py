"""Sign a draft procedure: the validation findings, each warning acknowledged, a radiologist's password again."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QListWidget, QVBoxLayout

from tace_log.dictionary import path_label
from tace_log.errors import TaceLogError
from tace_log.findings import ERROR, Finding, errors, warnings
from tace_log.model import Signature
from tace_log.signing import MEANING
from ui.shell.language import language
from ui.shell.messages import add_users_hint, error_text
from ui.shell.widgets import add_credentials, named


def finding_text(finding: Finding) -> str:
    """A finding as the dialog lists it: the field's label, never its key ('Agent 1 · Dose: ...')."""
    where = f"{path_label(finding.path, language())}: " if finding.path else ""
    severity = (QCoreApplication.translate("SignDialog", "ERROR") if finding.severity == ERROR
                else QCoreApplication.translate("SignDialog", "Warning"))
    return f"{severity}: {where}{finding.text(language())}"


class SignDialog(QDialog):
    """`SignDialog(logbook, procedure_id)`: on accept the procedure is signed and `dialog.signature` holds the
    `model.Signature`. Errors disable signing; warnings must be acknowledged with the checkbox. Only the users
    who may sign (active radiologists) are offered."""

    def __init__(self, logbook, procedure_id: str, parent=None):
        super().__init__(parent)
        self.logbook, self.procedure_id = logbook, procedure_id
        self.signature: Signature | None = None
        procedure = logbook.get_procedure(procedure_id)
        patient = logbook.get_patient(procedure.patient_id)
        self.findings = logbook.signing.findings_to_sign(procedure_id)
        self.setWindowTitle(self.tr("Sign procedure"))
        layout = QVBoxLayout(self)
        about = (self.tr("%1 (MRN %2), procedure of %3, performed by %4.") if procedure.operator
                 else self.tr("%1 (MRN %2), procedure of %3."))
        layout.addWidget(QLabel(about.replace("%1", patient.name).replace("%2", patient.mrn)
                                .replace("%3", procedure.date.isoformat()).replace("%4", procedure.operator or "")
                                + "\n" + self.tr("Signing means: %1 you. The record is then locked; later changes are "
                                                 "addenda.").replace("%1", MEANING)))
        self.finding_list = QListWidget()
        self.finding_list.setObjectName("findings")
        self.finding_list.setAccessibleName(self.tr("Validation findings"))
        self.finding_list.addItems([finding_text(f) for f in self.findings])
        self.finding_list.setVisible(bool(self.findings))
        layout.addWidget(self.finding_list)
        self.acknowledge = named(QCheckBox(self.tr("I have read the %n warning(s) above and sign anyway", "",
                                                   len(warnings(self.findings)))),
                                 "acknowledge_warnings", self.tr("Acknowledge warnings"))
        self.acknowledge.setVisible(bool(warnings(self.findings)))
        layout.addWidget(self.acknowledge)
        self.sign_button = add_credentials(self, layout, QFormLayout(), logbook, self.tr("&Radiologist"),
                                           self.tr("Sign"), signers_only=True)
        self.sign_button.setObjectName("sign")
        self.acknowledge.toggled.connect(self._update)
        self._update()
        self.password.setFocus()

    def _update(self) -> None:
        blocked = bool(errors(self.findings)) or (bool(warnings(self.findings)) and not self.acknowledge.isChecked())
        self.sign_button.setEnabled(not blocked and self.username.count() > 0)
        if errors(self.findings):
            self.message.setText(self.tr("Correct the errors before signing."))
        elif self.username.count() == 0:
            self.message.setText(self.tr("No active radiologist in this logbook: %1.").replace("%1", add_users_hint()))

    def accept(self) -> None:
        try:
            self.signature = self.logbook.signing.sign(self.procedure_id, self.username.currentData() or "",
                                                         self.password.text(),
                                                         acknowledge_warnings=self.acknowledge.isChecked())
        except TaceLogError as exc:
            self.message.setText(error_text(exc))
            self.password.selectAll()
            return
        super().accept()
