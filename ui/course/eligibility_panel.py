"""The patient's eligibility in the chart: every rule of the registry record with what it asks (the protocol's
limits), pass / fail / unknown and the inputs still missing, the computed Child-Pugh and ALBI, and the verdict, the
same as `tace-log eligibility`; and a screen failure recorded in one step (not enrolled, with the reason the failed
rules give), audited like any save."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from tace_log.course.eligibility import HIGH_RISK_PARTS, RULES, rule_texts
from tace_log.dictionary import SCREENING
from tace_log.errors import TaceLogError
from tace_log.model import record_class
from ui.shell.language import language
from ui.shell.messages import error_text
from ui.shell.rows_table import RowsTable

PASS, FAIL, UNKNOWN = "#2e7d32", "#c62828", "#b26a00"


class EligibilityPanel(QWidget):
    """`EligibilityPanel(logbook, patient_id)`; `show_patient(patient)` evaluates it again."""

    def __init__(self, logbook, patient_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.logbook, self.patient_id = logbook, patient_id
        self.setObjectName("eligibility-tab")
        self.verdict = QLabel(self)
        self.verdict.setObjectName("eligibility_verdict")
        self.scores = QLabel(self)
        self.scores.setObjectName("eligibility_scores")
        self.table = RowsTable([self.tr("Rule"), self.tr("What it asks"), self.tr("Result"), self.tr("Missing")],
                               self)
        self.table.setObjectName("eligibility_rules")
        self.table.setAccessibleName(self.tr("Eligibility rules"))
        self.fail_button = QPushButton(self.tr("Record as a screen &failure"), self)
        self.fail_button.setObjectName("record_screen_failure")
        self.fail_button.clicked.connect(self.record_screen_failure)
        line = QHBoxLayout()
        line.addWidget(self.verdict, 1)
        line.addWidget(self.fail_button)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.scores)
        layout.addWidget(self.table, 1)
        self.result = None

    def show_patient(self, patient) -> None:
        results = self.logbook.eligibility.evaluate(patient.mrn)
        self.result = result = results[0] if results else None
        if result is None:
            return
        texts = rule_texts(self.logbook.protocol)
        words = {True: self.tr("pass"), False: self.tr("fail"), None: self.tr("unknown")}
        colours = {True: PASS, False: FAIL, None: UNKNOWN}
        rows, paint = [], []
        for rule in RULES:
            passed, missing = result.rules[rule]
            rows.append([rule, texts[rule].text(language()), words[passed], ", ".join(missing)])
            paint.append(colours[passed])
            if rule == "INC-HIGH-RISK":
                for part in HIGH_RISK_PARTS:
                    passed, missing = result.high_risk_parts[part]
                    rows.append([f"    {part}", texts[part].text(language()), words[passed], ", ".join(missing)])
                    paint.append(colours[passed])
        self.table.set_rows(rows, paint)
        self.table.resizeColumnToContents(0)
        verdict = {True: self.tr("Eligible"), False: self.tr("Not eligible: %1").replace(
            "%1", ", ".join(result.failed_rules)), None: self.tr("Not decided: %n input(s) missing", "",
                                                                  len(result.missing))}[result.eligible]
        self.verdict.setText(verdict)
        self.verdict.setStyleSheet(f"color: {colours[result.eligible]}; font-weight: bold;")
        cp, albi = result.child_pugh, result.albi
        self.scores.setText(self.tr("Child-Pugh %1 (class %2) · ALBI %3 (grade %4) · age at consent %5").replace(
            "%1", "—" if cp.score is None else str(cp.score)).replace("%2", cp.cls or "—").replace(
            "%3", "—" if albi.score is None else f"{albi.score:.2f}").replace(
            "%4", "—" if albi.grade is None else str(albi.grade)).replace(
            "%5", "—" if result.age_at_consent is None else str(result.age_at_consent)))
        screening = patient.screening
        self.fail_button.setEnabled(result.eligible is False and (screening is None or screening.enrolled is not True))

    def record_screen_failure(self) -> None:
        """Not enrolled, for the reason the failed rules give: an inclusion not met, else an exclusion met."""
        if self.result is None or self.result.eligible is not False:
            return
        reason = "not_meeting_inclusion" if any(r.startswith("INC-") for r in self.result.failed_rules) \
            else "meeting_exclusion"
        field = SCREENING["not_enrolled_reason"]
        answer = QMessageBox.question(self, self.tr("Screen failure"), self.tr(
            "Record this patient as not enrolled: %1 (%2)?").replace("%1", field.display(reason, language()))
            .replace("%2", ", ".join(self.result.failed_rules)))
        if answer != QMessageBox.StandardButton.Yes:
            return
        patient = self.logbook.get_patient(self.patient_id)
        screening = patient.screening or record_class(SCREENING)()
        patient.screening = screening.replace(enrolled=False, enrol_date=None, arm_basis=None,
                                              not_enrolled_reason=reason,
                                              not_enrolled_note=", ".join(self.result.failed_rules))
        try:
            with self.logbook.users.reason(self.tr("screen failure: %1").replace(
                    "%1", ", ".join(self.result.failed_rules))):
                self.logbook.save_patient(patient)
        except TaceLogError as exc:
            QMessageBox.warning(self, self.tr("Screen failure"), error_text(exc))

