"""The coordinator's desk: opening a patient's chart with five years of course, and switching queues over a large
logbook, each against the bare work in the same run.

- chart: the real `PatientChart` built and drawn offscreen for a patient of `course_import`'s generator (60 labs,
  ~20 follow-ups, ~10 dose periods), against the bare SQL reads of that patient's rows (patients, procedures and
  every course table) on the same file. Target: under 150 ms.
- queues: the real `QueuesWindow` over the derived figures' 100,000-patient logbook; switching its tab (what a click
  does once the day's queues are worked out) p95 against a bare `QTabWidget` switch of the same tables. Target: p95
  under 100 ms. Working the queues out (reading every course) is reported beside it.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from pathlib import Path

from tace_log.storage import Logbook

from .course_import import course_document
from .derived import course_logbook
from .result import Result, median_seconds, percentile

COURSE_TABLES = ("procedures", "screenings", "labs", "lenvatinib_periods", "adverse_events", "follow_ups",
                 "recurrences", "deaths", "losses_to_follow_up", "withdrawals")


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def chart(work: Path, runs: int = 15) -> list[Result]:
    app = _app()
    from ui.course.chart import PatientChart

    path = work / "chart.sqlite"
    path.unlink(missing_ok=True)
    doc = course_document(20)
    with Logbook.open(path) as book:
        book.import_document(doc)
        patient = book.find_patient_by_mrn(doc["patients"][7]["mrn"])
        counts = (len(patient.labs), len(patient.follow_ups), len(patient.lenvatinib))

        def open_chart():
            view = PatientChart(book, patient.id)
            view.resize(1366, 768)
            view.timeline.grab()  # drawn, not only built
            view.deleteLater()
            app.processEvents()

        open_chart()  # the modules loaded, as after the first chart of the day
        ours = median_seconds(open_chart, runs)
    conn = sqlite3.connect(path)

    def bare():
        conn.execute("SELECT * FROM patients WHERE id = ?", [patient.id]).fetchall()
        for table in COURSE_TABLES:
            conn.execute(f"SELECT * FROM {table} WHERE patient_id = ?", [patient.id]).fetchall()

    baseline = median_seconds(bare, runs)
    conn.close()
    return [Result("open a patient's chart (5-year course), median", ours * 1000, baseline * 1000, "ms",
                   ratio=ours / baseline, target="< 150 ms", ok=ours < 0.150,
                   note=f"{counts[0]} labs, {counts[1]} follow-ups, {counts[2]} dose periods; "
                        "baseline: the bare SQL reads of its rows")]


def queues(patients: int = 100_000, rounds: int = 100) -> list[Result]:
    app = _app()
    from PySide6.QtWidgets import QTableWidget, QTabWidget

    from ui.course.queues import QueuesWindow

    with Logbook.open(course_logbook(patients)) as book:
        start = time.perf_counter()
        window = QueuesWindow(book)
        worked_out = time.perf_counter() - start
        window.resize(1366, 768)
        switches = []
        for i in range(rounds):
            start = time.perf_counter()
            window.tabs.setCurrentIndex(i % window.tabs.count())
            window.grab()  # laid out and painted, as on the screen
            switches.append(time.perf_counter() - start)
        sizes = [window.tables[key].rowCount() for key in window.tables]
        window.close()
        window.deleteLater()  # gone before the logbook closes and the application ends
        app.processEvents()
    bare = QTabWidget()
    for size in sizes:
        table = QTableWidget(size, 5)
        bare.addTab(table, str(size))
    bare.resize(1366, 768)
    baseline = []
    for i in range(rounds):
        start = time.perf_counter()
        bare.setCurrentIndex(i % bare.count())
        bare.grab()
        baseline.append(time.perf_counter() - start)
    bare.close()
    bare.deleteLater()
    app.processEvents()
    ours, theirs = percentile(switches, 95), percentile(baseline, 95)
    return [
        Result(f"switch queues over {patients:,} patients, p95", ours * 1000, theirs * 1000, "ms",
               ratio=ours / theirs if theirs else None, target="p95 < 100 ms", ok=ours < 0.100,
               note=f"rows per queue {sizes}; baseline: a bare tab widget of the same empty tables; "
                    f"median {statistics.median(switches) * 1000:.1f} ms"),
        Result(f"work out the day's queues over {patients:,} patients (once per day chosen)", worked_out, None, "s"),
    ]
