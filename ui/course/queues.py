"""The coordinator's queues: who is due for the one-month TACE, whose scan is due or overdue, who has not been heard
from, whose lenvatinib needs attention, which screenings wait for a decision. The same rules and answers as
`tace-log due` (`course.due.DueRules`), as of today or a chosen day; each queue sorted by urgency (the most overdue
first), with the date it is about and the days left; Enter on a row opens the patient's chart.

The courses are read once per day chosen; switching queues only shows what was worked out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tace_log.course.due import DueRules
from ui.shell.rows_table import RowsTable
from ui.shell.signals import emit
from ui.shell.widgets import date_edit

# Each queue: its key, its title, and the flags it shows (`course.due.FLAGS`).
QUEUES = (
    ("tace", lambda: QCoreApplication.translate("Queues", "TACE due"),
     ("tace1_overdue", "tace1_due", "tace2_due", "tace1_upcoming")),
    ("imaging", lambda: QCoreApplication.translate("Queues", "Imaging"), ("imaging_overdue", "imaging_due")),
    ("contact", lambda: QCoreApplication.translate("Queues", "Not heard from"), ("ltfu_candidate",)),
    ("lenvatinib", lambda: QCoreApplication.translate("Queues", "Dose alerts"),
     ("dose_alert:LEN-ATE-DISCONTINUE", "dose_alert:LEN-AE-NOACTION")),
    ("screening", lambda: QCoreApplication.translate("Queues", "Screening pending"), ("not_enrolled",)),
)

QUEUED = frozenset(flag for _key, _title, flags in QUEUES for flag in flags)


def flag_name(flag: str) -> str:
    translate = QCoreApplication.translate
    names = {
        "tace1_upcoming": translate("Queues", "TACE 1 upcoming"),
        "tace1_due": translate("Queues", "TACE 1 due"),
        "tace1_overdue": translate("Queues", "TACE 1 overdue"),
        "tace2_due": translate("Queues", "TACE 2 due"),
        "imaging_due": translate("Queues", "imaging due"),
        "imaging_overdue": translate("Queues", "imaging overdue"),
        "ltfu_candidate": translate("Queues", "no contact: lost to follow-up?"),
        "dose_alert:LEN-ATE-DISCONTINUE": translate("Queues", "arterial thromboembolism: discontinue lenvatinib"),
        "dose_alert:LEN-AE-NOACTION": translate("Queues", "grade 3+ adverse event without an action on lenvatinib"),
        "not_enrolled": translate("Queues", "screened, no decision yet"),
    }
    return names.get(flag, flag)


@dataclass(frozen=True)
class Entry:
    """One patient in a queue: what is due, about which date, and how many days are left (negative: past it)."""

    patient_id: str
    mrn: str
    name: str
    flag: str
    date: dt.date | None
    days_left: int | None


def queues(courses, protocol, day: dt.date) -> dict[str, list[Entry]]:
    """Each queue's entries as of the day, the most urgent first."""
    rules = DueRules(protocol)
    out: dict[str, list[Entry]] = {key: [] for key, _, _ in QUEUES}
    for course in courses:
        raised = rules.dated(course, day)
        for key, _title, flags in QUEUES:
            for flag in flags:
                if flag in raised:
                    date = raised[flag]
                    out[key].append(Entry(course.patient_id, course.mrn, course.name, flag, date,
                                          None if date is None else (date - day).days))
                    break  # one row per patient and queue: its most pressing flag
    for entries in out.values():
        entries.sort(key=lambda e: (e.days_left is None, e.days_left if e.days_left is not None else 0, e.mrn))
    return out


class QueuesWindow(QWidget):
    """`QueuesWindow(logbook)`: a window of its own; `patient_requested` asks for a patient's chart."""

    patient_requested = Signal(str)

    def __init__(self, logbook, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.logbook = logbook
        self.setObjectName("queues")
        self.setWindowTitle(self.tr("Queues"))
        self.day = date_edit(self, "as_of", self.tr("As of"), today or dt.date.today())
        self.day.dateChanged.connect(lambda *_: self.reload())
        label = QLabel(self.tr("&As of"), self)
        label.setBuddy(self.day)
        self.summary = QLabel(self)
        self.summary.setObjectName("queues_summary")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("queue_tabs")
        self.tables: dict[str, RowsTable] = {}
        for key, title, _flags in QUEUES:
            table = RowsTable([self.tr("MRN"), self.tr("Name"), self.tr("Due"), self.tr("Date"), self.tr("Days left")],
                              self)
            table.setObjectName(f"queue-{key}")
            table.setAccessibleName(title())
            # Enter, or a double click (the platform's activation), opens the row's patient
            table.activated.connect(lambda *_, key=key: self.open_selected(key))
            self.tables[key] = table
            self.tabs.addTab(table, title())
        line = QHBoxLayout()
        line.addWidget(label)
        line.addWidget(self.day)
        line.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.tabs, 1)
        self.entries: dict[str, list[Entry]] = {}
        unsubscribe = logbook.subscribe(lambda _change: self.reload())
        self.destroyed.connect(lambda *_: unsubscribe())
        self.resize(900, 560)
        self.reload()

    @property
    def as_of(self) -> dt.date:
        return self.day.date().toPython()

    def reload(self) -> None:
        if not self.logbook.is_open:
            return
        self.entries = queues(self.logbook.courses.read(), self.logbook.protocol, self.as_of)
        for i, (key, title, _flags) in enumerate(QUEUES):
            rows = self.entries[key]
            self.tabs.setTabText(i, f"{title()} ({len(rows)})")
            self._show(self.tables[key], rows)
        self.summary.setText(self.tr("The protocol in force decides: %1").replace(
            "%1", self.logbook.protocol.describe()))

    @staticmethod
    def _show(table: RowsTable, rows: list[Entry]) -> None:
        table.set_rows([[e.mrn, e.name, flag_name(e.flag), e.date.isoformat() if e.date else "",
                         "" if e.days_left is None else str(e.days_left)] for e in rows],
                       ["#c62828" if e.days_left is not None and e.days_left < 0 else None for e in rows])  # past due

    def open_selected(self, key: str) -> None:
        row = self.tables[key].currentRow()
        if 0 <= row < len(self.entries.get(key, [])):
            emit(self.patient_requested, self.entries[key][row].patient_id)
