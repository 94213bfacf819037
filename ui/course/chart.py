"""The patient's chart: the course on a timeline, and each kind of course record in a tab of its own, to add, open
and remove. Every kind comes from the dictionary's declarations (`COURSE`): a kind declared later gets its tab.

The chart reads the logbook again whenever it changes (a save here, in the form, or by another process), so what it
shows is what is stored.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tace_log.course.due import DueRules
from tace_log.dictionary import COURSE, Entity, FieldType, declared
from tace_log.drafts import Draft
from tace_log.errors import TaceLogError
from tace_log.model import Patient
from ui.course.eligibility_panel import EligibilityPanel
from ui.course.lab_grid import LabGrid
from ui.course.queues import QUEUED, flag_name
from ui.course.record_dialog import CourseRecordDialog
from ui.course.timeline import Timeline
from ui.shell.language import language
from ui.shell.messages import error_text
from ui.shell.rows_table import RowsTable
from ui.shell.signals import emit

SHOWN_FIELDS = 5  # the columns of a kind's table: its first fields (the rest are in the record's dialog)


class RecordsTab(QWidget):
    """The records of one kind: a table, newest last, and Add, Open (Enter) and Remove (Delete)."""

    def __init__(self, chart: PatientChart, entity: Entity):
        super().__init__(chart)
        self.chart, self.entity = chart, entity
        self.setObjectName(f"{entity.key}-tab")
        self.fields = [f for f in entity.fields if f.type is not FieldType.LONG_TEXT][:SHOWN_FIELDS]
        self.table = RowsTable([f.label(language()) for f in self.fields], self)
        self.table.setObjectName(f"{entity.key}-table")
        self.table.setAccessibleName(entity.label(language()))
        self.table.activated.connect(lambda *_: self.open_selected())  # Enter, or a double click
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.add_button = QPushButton(self.tr("&Add %1").replace("%1", entity.label(language()).lower()), self)
        self.add_button.setObjectName(f"{entity.key}-add")
        self.add_button.clicked.connect(self.add)
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setObjectName(f"{entity.key}-open")
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.remove_button.setObjectName(f"{entity.key}-remove")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        if entity.key == "lab":  # a lab sheet: several results of several dates at once
            self.grid_button = QPushButton(self.tr("Enter as a &grid"), self)
            self.grid_button.setObjectName("lab-grid")
            self.grid_button.clicked.connect(lambda: chart.open_lab_grid())
            buttons.addWidget(self.grid_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.ids: list[str | None] = []

    def show_records(self, patient: Patient) -> None:
        value = getattr(patient, self.entity.document_key)
        records = value if self.entity.many else [] if value is None else [value]
        self.ids = [getattr(r, "id", None) for r in records]
        choices = self.chart.logbook.validator.choices
        self.table.set_rows([[choices.display(f, getattr(record, f.key), language()) for f in self.fields]
                             for record in records])
        if not self.entity.many:  # one record at most: Add while none, then open it
            self.add_button.setEnabled(not records)
        self.remove_button.setEnabled(bool(records))
        self.open_button.setEnabled(bool(records))
        if records and self.table.currentRow() < 0:
            self.table.selectRow(len(records) - 1)

    def add(self) -> None:
        self.chart.open_record(self.entity.key, None)

    def open_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.ids):
            self.chart.open_record(self.entity.key, self.ids[row])

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.ids):
            self.chart.remove_record(self.entity, self.ids[row])


class PatientChart(QWidget):
    """`PatientChart(logbook, patient_id)`: a window of its own; `procedure_requested` asks the main window to
    open a TACE from the timeline."""

    procedure_requested = Signal(str)

    def __init__(self, logbook, patient_id: str, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.logbook, self.patient_id, self.today = logbook, patient_id, today
        self.setObjectName("patient_chart")
        self.heading = QLabel(self)
        self.heading.setObjectName("chart_heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.timeline = Timeline(self)
        self.timeline.opened.connect(self.open_record)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("course_tabs")
        self.record_tabs = {entity.key: RecordsTab(self, entity) for entity in COURSE}
        for entity in COURSE:
            self.tabs.addTab(self.record_tabs[entity.key], entity.label(language()))
        self.eligibility = EligibilityPanel(logbook, patient_id, self)
        self.tabs.addTab(self.eligibility, self.tr("Eligibility"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.timeline)
        layout.addWidget(self.tabs, 1)
        unsubscribe = logbook.subscribe(lambda _change: self.reload())
        self.destroyed.connect(lambda *_: unsubscribe())
        self.resize(1100, 680)
        self.reload()
        self.timeline.setFocus()

    def reload(self) -> None:
        if not self.logbook.is_open:
            return
        patient = self.logbook.get_patient(self.patient_id)
        procedures = self.logbook.procedures_of(self.patient_id)
        today = self.today or dt.date.today()
        self.setWindowTitle(self.tr("Patient chart — %1").replace("%1", patient.name))
        parts = [f"{patient.name}  {patient.mrn}"]
        if patient.arm:
            parts.append(self.logbook.validator.choices.display(declared("patient")["arm"], patient.arm, language()))
        if patient.resection_date:
            parts.append(self.tr("resection %1, day %2 today").replace("%1", patient.resection_date.isoformat())
                         .replace("%2", str((today - patient.resection_date).days)))
        else:
            parts.append(self.tr("no resection date: the timeline counts days from it"))
        self.heading.setText("   ·   ".join(parts))
        self.timeline.set_course(patient, procedures, today, self._next_due(patient, today))
        for tab in self.record_tabs.values():
            tab.show_records(patient)
        self.eligibility.show_patient(patient)
        for i, entity in enumerate(COURSE):
            count = self.record_tabs[entity.key].table.rowCount()
            self.tabs.setTabText(i, f"{entity.label(language())} ({count})" if entity.many else
                                 entity.label(language()) + (" ✓" if count else ""))

    def _next_due(self, patient: Patient, today: dt.date) -> tuple[dt.date, str] | None:
        """The nearest date something is due by from today on (the queues' rules), and what."""
        courses = self.logbook.courses.read([patient.mrn])
        if not courses:
            return None
        dated = DueRules(self.logbook.protocol).dated(courses[0], today)
        ahead = sorted((date, flag) for flag, date in dated.items() if date is not None and date >= today
                       and flag in QUEUED)
        return (ahead[0][0], flag_name(ahead[0][1])) if ahead else None

    def open_record(self, entity_key: str, record_id: str | None, draft: Draft | None = None) \
            -> CourseRecordDialog | None:
        if entity_key == "procedure":
            emit(self.procedure_requested, record_id)
            return None
        dialog = CourseRecordDialog(self.logbook, self.patient_id, declared(entity_key), record_id, self, draft)
        dialog.open()
        return dialog

    def open_lab_grid(self, draft: Draft | None = None) -> LabGrid:
        grid = LabGrid(self.logbook, self.patient_id, self, self.today, draft)
        grid.open()
        return grid

    def remove_record(self, entity: Entity, record_id: str | None) -> None:
        """Remove one record, after a confirmation and with a reason (kept in the audit trail)."""
        reason, ok = QInputDialog.getText(self, self.tr("Remove %1").replace("%1", entity.label(language())),
                                          self.tr("Why is this record removed? (kept in the audit trail)"))
        if not ok:
            return
        if not reason.strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("A reason is needed to remove a record."))
            return
        patient = self.logbook.get_patient(self.patient_id)
        if entity.many:
            setattr(patient, entity.document_key,
                    [r for r in getattr(patient, entity.document_key) if r.id != record_id])
        else:
            setattr(patient, entity.document_key, None)
        try:
            with self.logbook.users.reason(reason.strip()):
                self.logbook.save_patient(patient)
        except TaceLogError as exc:
            QMessageBox.warning(self, self.windowTitle(), error_text(exc))
