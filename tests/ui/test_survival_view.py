"""The Survival view, opened from the menu: the figure the PDF carries and the table beside it, recomputed when the
endpoint or the cutoff changes, the same analysis as `tace-log survival`."""

from __future__ import annotations

import json

from PySide6.QtCore import QDate
from ui_support import shown_window

from tace_log.cli import main
from tests.core.test_survival_cli import CUTOFF, _cohort


def test_the_survival_view_shows_the_commands_analysis(qtbot, tmp_path, settings, capsys):
    path = _cohort(tmp_path)
    from tace_log.storage import Logbook

    with Logbook.open(path) as book:
        window = shown_window(qtbot, book, settings)
        window.survival_action.trigger()
        view = window.survival
        qtbot.waitExposed(view)
        view.cutoff.setDate(QDate(CUTOFF.year, CUTOFF.month, CUTOFF.day))
        assert view.document.pageCount() == 1
        rows = [[view.table.text(r, c) for c in range(3)] for r in range(view.table.rowCount())]
        assert rows == [["lenvatinib", "3", "2"], ["lenvatinib + TACE", "3", "2"]]
        assert view.table.text(1, 6).count("(") == 1 and "p" in view.table.text(1, 6)
        assert view.logrank.text().startswith("Log-rank chi-square")
        view.endpoint.setCurrentIndex(view.endpoint.findData("os"))
        assert [view.table.text(r, 2) for r in range(view.table.rowCount())] == ["0", "1"]
        view.close()
    assert main(["--db", str(path), "survival", "--endpoint", "os", "--cutoff", CUTOFF.isoformat(), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert [g["events"] for g in said["groups"]] == [0, 1]


def test_the_study_report_opens_in_the_preview_from_the_menu(qtbot, tmp_path, settings, monkeypatch):
    path = _cohort(tmp_path)
    from tace_log.storage import Logbook
    from ui.record.report_actions import ReportPreviewDialog

    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: (CUTOFF.isoformat(), True))
    with Logbook.open(path) as book:
        window = shown_window(qtbot, book, settings)
        window.study_report_action.trigger()
        preview = window.findChild(ReportPreviewDialog)
        qtbot.waitUntil(lambda: preview is not None and preview.isVisible() or
                        window.findChild(ReportPreviewDialog) is not None)
        preview = window.findChild(ReportPreviewDialog)
        assert preview.document.pageCount() >= 2 and preview.file_name == f"study-report-{CUTOFF.isoformat()}.pdf"
        preview.reject()
