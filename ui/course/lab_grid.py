"""Labs entered as a grid, as they come off a lab sheet: one row per date, one column per test of the lab catalogue.
A cell holds the value, in the test's first unit unless another of its units follows the number ("8.5 g/dL"), with
"<" or ">" before it for a result below detection or above the assay's range. Each cell is checked as it is typed
by the same rules as every save (a unit slip is named at once), and the whole grid is saved in one transaction.
The grid's text is kept on disk as a draft while it is typed (`tace_log.drafts`), as a course record dialog's is.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tace_log.dictionary import LAB
from tace_log.drafts import DRAFT_INTERVAL_MS, Draft, DraftStore, course_draft_id
from tace_log.errors import TaceLogError
from tace_log.findings import Finding, errors
from tace_log.model import record_class
from ui.entry.field_editors import normalise_date
from ui.shell import messages
from ui.shell.language import language
from ui.shell.messages import error_text

GRID = "lab_grid"  # a draft's `entity` for the grid's text (rows of cells), not one lab record
_CELL = re.compile(r"^\s*([<>])?\s*([-+]?\d+(?:[.,]\d+)?)\s*(\S.*?)?\s*$")
ERROR_BACKGROUND, WARNING_BACKGROUND = QColor("#ffcdd2"), QColor("#ffe0b2")


def read_cell(text: str, default_unit: str) -> dict | str | None:
    """A cell's lab result as a document ({value, unit, qualifier}); the text itself when it is no number; None
    for an empty cell."""
    if not text.strip():
        return None
    match = _CELL.match(text)
    if not match:
        return text
    qualifier, number, unit = match.groups()
    return {"value": float(number.replace(",", ".")), "unit": unit or default_unit, "qualifier": qualifier}


class LabGrid(QDialog):
    """`LabGrid(logbook, patient_id)`: enter the results of one or more dates; on accept they are added to the
    patient's labs. With `draft`, the grid shows that unsaved draft's text."""

    def __init__(self, logbook, patient_id: str, parent=None, today: dt.date | None = None,
                 draft: Draft | None = None):
        super().__init__(parent)
        self.logbook, self.patient_id = logbook, patient_id
        self.drafts = DraftStore(logbook.path)
        self.draft_id = course_draft_id(patient_id, GRID, None)
        self.setObjectName("lab_grid")
        self.catalogue = logbook.validator.choices.labs
        self.tests = list(self.catalogue.tests)
        self.setWindowTitle(self.tr("Enter labs — %1").replace("%1", logbook.get_patient(patient_id).name))
        self.table = QTableWidget(1, len(self.tests) + 1, self)
        self.table.setObjectName("lab_table")
        self.table.setAccessibleName(self.tr("Lab results: a row per date, a column per test"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Date")] + [f"{t.label(language())}\n{t.unit if t.unit != '1' else ''}".rstrip()
                                 for t in self.tests])
        self.table.setItem(0, 0, QTableWidgetItem((today or dt.date.today()).isoformat()))
        if draft is not None:
            self._fill((draft.record or {}).get("grid") or [])
        self.table.resizeColumnsToContents()  # each test's name and unit in full
        self.table.itemChanged.connect(self._cell_changed)
        self.dirty = draft is not None  # a restored draft is unsaved work
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_INTERVAL_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.add_row = QPushButton(self.tr("Add a &date"), self)
        self.add_row.setObjectName("lab_grid-add_date")
        self.add_row.clicked.connect(self._add_date)
        self.message = QLabel(self)
        self.message.setObjectName("lab_grid-message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_labs")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        line = QHBoxLayout()
        line.addWidget(self.add_row)
        line.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(line)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(1200, 360)
        self.table.setCurrentCell(0, 1)
        self.findings: dict[tuple[int, int], Finding] = {}
        if draft is not None:
            self._check()  # its cells coloured as when they were typed
            self.message.setText(self.tr("Your unsaved draft of these labs is shown: Save keeps it, Cancel "
                                         "discards it."))

    def _add_date(self) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setCurrentCell(row, 0)

    # -- the grid as text, for its draft ----------------------------------------------------------------------
    def grid(self) -> list[list[str]]:
        return [[item.text() if (item := self.table.item(row, column)) else "" for column in
                 range(self.table.columnCount())] for row in range(self.table.rowCount())]

    def _fill(self, rows: list[list[str]]) -> None:
        self.table.setRowCount(max(len(rows), 1))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells[:self.table.columnCount()]):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def save_draft(self) -> bool:
        try:
            self.drafts.save(self.draft_id, self.windowTitle(), {"id": self.patient_id}, {},
                             self.logbook.users.current, entity=GRID, record={"grid": self.grid()})
        except OSError as exc:
            self.message.setText(self.tr("The draft could not be kept on disk: ") + str(exc))
            return False
        return True

    # -- the grid as documents -----------------------------------------------------------------------------------
    def documents(self) -> list[tuple[tuple[int, int], dict]]:
        """((row, column), lab document) of every filled cell, values as typed (invalid ones included)."""
        out = []
        for row in range(self.table.rowCount()):
            date_item = self.table.item(row, 0)
            date = normalise_date(date_item.text()) if date_item else ""
            for column, test in enumerate(self.tests, start=1):
                item = self.table.item(row, column)
                cell = read_cell(item.text(), test.units[0]) if item else None
                if cell is None:
                    continue
                doc = {"date": date or None, "test": test.key, "value": cell, "unit": test.units[0]} \
                    if isinstance(cell, str) else {"date": date or None, "test": test.key, **cell}
                out.append(((row, column), doc))
        return out

    def _check(self) -> list[Finding]:
        """Every finding of the grid's results, as the patient would be saved with them; each shown on its cell."""
        patient = self.logbook.get_patient(self.patient_id).to_document()
        first = len(patient["labs"])
        cells = self.documents()
        patient["labs"] = patient["labs"] + [doc for _, doc in cells]
        found = self.logbook.validator.patient(patient)
        self.findings = {}
        for i, (where, _doc) in enumerate(cells):
            prefix = f"labs[{first + i}]"
            mine = [f for f in found if f.path == prefix or f.path.startswith(prefix + ".")]
            if mine:
                self.findings[where] = errors(mine)[0] if errors(mine) else mine[0]
        self._paint()
        return [f for f in found if f.path.startswith("labs[") and int(f.path[5:].split("]")[0]) >= first]

    def _paint(self) -> None:
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            for column in range(1, self.table.columnCount()):
                item = self.table.item(row, column)
                if item is None:
                    continue
                finding = self.findings.get((row, column))
                colour = None if finding is None else ERROR_BACKGROUND if finding.severity == "error" \
                    else WARNING_BACKGROUND
                item.setBackground(QBrush(colour) if colour else QBrush())
                item.setToolTip(finding.text(language()) if finding else "")
        self.table.blockSignals(False)

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        self.dirty = True
        if not self._draft_timer.isActive():
            self._draft_timer.start()
        if item.column() == 0:
            tidy = normalise_date(item.text())
            if tidy != item.text():
                self.table.blockSignals(True)
                item.setText(tidy)
                self.table.blockSignals(False)
        self._check()
        finding = self.findings.get((item.row(), item.column()))
        self.message.setText(finding.text(language()) if finding else "")

    def save(self) -> None:
        found = self._check()
        bad = errors(found)
        if bad:
            self.message.setText(self.tr("Not saved: %n error(s).", "", len(bad)) + " " + bad[0].text(language()))
            return
        cells = self.documents()
        if not cells:
            self.message.setText(self.tr("Nothing to save: type a result under its test."))
            return
        patient = self.logbook.get_patient(self.patient_id)  # as stored now: the grid's results are added to it
        patient.labs = patient.labs + [record_class(LAB).from_document(doc) for _, doc in cells]
        try:
            self.logbook.save_patient(patient)
        except TaceLogError as exc:
            self.message.setText(self.tr("Not saved: ") + error_text(exc))
            return
        self.dirty = False
        self.drafts.discard(self.draft_id, self.logbook.users.current)
        self.accept()

    def reject(self) -> None:
        """Cancel, Esc or the window's close: typed results are saved, discarded or kept open, as the person says."""
        if self.dirty:
            answer = messages.ask_unsaved(self, self.windowTitle())
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.drafts.discard(self.draft_id, self.logbook.users.current)
        super().reject()

    def done(self, result: int) -> None:
        self._draft_timer.stop()
        super().done(result)

    def keyPressEvent(self, event) -> None:
        # Enter moves on to the next cell, as on a lab sheet; it does not close the dialog half typed
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            row, column = self.table.currentRow(), self.table.currentColumn()
            self.table.setCurrentCell(row, min(column + 1, self.table.columnCount() - 1))
            return
        super().keyPressEvent(event)
