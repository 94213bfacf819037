"""Survival by arm in the app: the endpoint, the cutoff, the Kaplan-Meier figure (the same drawing the PDF and the
command line make, shown in the PDF view) and its table: each arm's patients, events, median with its 95% CI and
survival at 12, 24 and 36 months, the log-rank test and each arm's hazard ratio against the first."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tace_log.analysis.by_arm import survival_by_arm
from tace_log.analysis.survival import DAYS_PER_MONTH, LANDMARK_MONTHS
from tace_log.course.endpoints import ENDPOINTS
from tace_log.messages import render
from tace_log.reports.survival_figure import figure_pdf, survival_figure
from ui.record.report_actions import export_pdf, load_pdf, print_pdf
from ui.shell.language import language
from ui.shell.rows_table import RowsTable
from ui.shell.widgets import date_edit


def _number(value, digits: int = 1) -> str:
    return "NR" if value is None else f"{value:.{digits}f}"


def _percent(value) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _months(days) -> str:
    return _number(None if days is None else days / DAYS_PER_MONTH)


class SurvivalView(QWidget):
    """`SurvivalView(logbook)`: a window of its own, recomputed when the endpoint or the cutoff changes."""

    def __init__(self, logbook, parent: QWidget | None = None, cutoff: dt.date | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.logbook = logbook
        self.setObjectName("survival_view")
        self.setWindowTitle(self.tr("Survival by arm"))
        self.endpoint = QComboBox(self)
        self.endpoint.setObjectName("endpoint")
        self.endpoint.setAccessibleName(self.tr("Endpoint"))
        for key in ENDPOINTS:
            self.endpoint.addItem(render(f"survival.endpoint.{key}", language()), key)
        self.cutoff = date_edit(self, "cutoff", self.tr("Cutoff"), cutoff or dt.date.today())
        endpoint_label, cutoff_label = QLabel(self.tr("&Endpoint"), self), QLabel(self.tr("&Cutoff"), self)
        endpoint_label.setBuddy(self.endpoint)
        cutoff_label.setBuddy(self.cutoff)
        self.view = QPdfView(self)
        self.view.setObjectName("survival_figure")
        self.view.setAccessibleName(self.tr("Kaplan-Meier curves by arm"))
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.table = RowsTable([
            self.tr("Arm"), self.tr("Patients"), self.tr("Events"), self.tr("Median (months)"), self.tr("95% CI"),
            self.tr("At 12 / 24 / 36 months"), self.tr("HR (95% CI), p")], self)
        self.table.setObjectName("survival_table")
        self.logrank = QLabel(self)
        self.logrank.setObjectName("logrank")
        export = QPushButton(self.tr("E&xport PDF..."), self)
        export.setObjectName("export_survival")
        export.clicked.connect(self.export)
        print_button = QPushButton(self.tr("&Print..."), self)
        print_button.setObjectName("print_survival")
        print_button.clicked.connect(lambda: print_pdf(self.data, self))
        controls = QHBoxLayout()
        for widget in (endpoint_label, self.endpoint, cutoff_label, self.cutoff):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(export)
        controls.addWidget(print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.logrank)
        layout.addWidget(self.table, 1)
        self.data = b""
        self.document = None
        self.endpoint.currentIndexChanged.connect(lambda *_: self.reload())
        self.cutoff.dateChanged.connect(lambda *_: self.reload())
        self.resize(1000, 720)
        self.reload()

    @property
    def as_of(self) -> dt.date:
        return self.cutoff.date().toPython()

    def reload(self) -> None:
        endpoint = self.endpoint.currentData()
        analysis, names = survival_by_arm(self.logbook, endpoint, self.as_of, language())
        self.analysis = analysis
        self.data = figure_pdf(survival_figure(analysis, endpoint, names, language()))
        self.document = load_pdf(self.data, self)
        self.view.setDocument(self.document)
        data = analysis.as_json()
        hazard = {h["group"]: h for h in data["hazard_ratios"]}
        rows = []
        for group in data["groups"]:
            median, (low, high) = group["median"], group["median_ci"]
            landmarks = " / ".join(_percent(group["survival_at"][str(m)]["survival"]) for m in LANDMARK_MONTHS)
            hr = hazard.get(group["group"])
            hr_text = "" if hr is None else (
                f"{_number(hr['hr'], 2)} ({_number(hr['ci'][0], 2)}-{_number(hr['ci'][1], 2)}), p "
                f"{_number(hr['p'], 3)}")
            cells = [names.get(group["group"], group["group"]), str(group["n"]), str(group["events"]),
                     _months(median), f"{_months(low)}-{_months(high)}",
                     landmarks, hr_text or self.tr("reference")]
            rows.append(cells)
        self.table.set_rows(rows)
        self.table.resizeColumnsToContents()
        rank = data["logrank"]
        self.logrank.setText(self.tr("Log-rank chi-square %1 on %2 df, p %3").replace(
            "%1", _number(rank["chi2"], 2)).replace("%2", str(rank["df"])).replace("%3", _number(rank["p"], 4)))

    def export(self):
        return export_pdf(self.data, f"survival-{self.endpoint.currentData()}-{self.as_of.isoformat()}.pdf", self)
