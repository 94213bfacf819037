"""The coordinator's queues, opened from the menu: the same answers as `tace-log due`, the most urgent first with
the date and days left, counts in the tab titles, a chosen day, and Enter opening the patient's chart."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QDate, Qt
from ui_support import shown_window

from tace_log.cli import main
from tests.core.course_support import RESECTION, day, logbook_of, patient, procedure, scan

AS_OF = RESECTION + dt.timedelta(days=40)


def test_the_queues_say_what_tace_log_due_says_most_urgent_first(qtbot, tmp_path, settings, capsys):
    book = logbook_of(tmp_path,
                      patient("Q-LATE", follow_ups=[]),  # resected on day 0 too: TACE 1 due by day 56
                      patient("Q-DONE", procedures=[procedure(30)]),
                      patient("Q-OTHER", arm="lenvatinib", screening={"screen_no": "S-9", "screen_date": day(30),
                                                                      "enrolled": False}))
    window = shown_window(qtbot, book, settings)
    window.queues_action.trigger()
    queues = window.queues
    qtbot.waitExposed(queues)
    queues.day.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
    tace = queues.tables["tace"]
    assert [tace.text(r, 0) for r in range(tace.rowCount())] == ["Q-LATE"]
    assert tace.text(0, 3) == day(56) and tace.text(0, 4) == "16"
    assert queues.tabs.tabText(0).endswith("(1)") and queues.tabs.tabText(4).endswith("(1)")
    shown = {(e.mrn, e.flag) for entries in queues.entries.values() for e in entries}
    book.close()
    assert main(["--db", str(book.path), "due", "--as-of", AS_OF.isoformat(), "--json"]) == 0
    said = {(row["mrn"], flag) for row in json.loads(capsys.readouterr().out) for flag in row["flags"]}
    assert shown <= said and {("Q-LATE", "tace1_due"), ("Q-OTHER", "not_enrolled")} <= shown


def test_enter_on_a_row_opens_the_patients_chart(qtbot, tmp_path, settings):
    book = logbook_of(tmp_path, patient("Q-LATE", follow_ups=[scan(10)]))
    window = shown_window(qtbot, book, settings)
    queues = window.open_queues()
    queues.day.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
    table = queues.tables["tace"]
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.chart is not None and window.chart.isVisible())
    assert "Q-LATE" in window.chart.heading.text()
    window.chart.close()
    queues.close()
    book.close()
