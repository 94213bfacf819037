"""The File menu's backups and the backup on exit, and the worklist staying on the saved row."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from safety_samples import fill
from ui_support import shown_window

from tace_log.storage import Backups


def test_back_up_and_restore_are_in_the_file_menu_before_quit(window):
    names = [a.objectName() for a in window.file_menu.actions() if not a.isSeparator()]
    assert names.index("back_up_now") < names.index("quit") and names.index("restore_backup") < names.index("quit")


def test_closing_the_window_makes_the_daily_backup(qtbot, logbook, settings):
    fill(logbook, seed=3, patients=2, procedures_each=1)
    window = shown_window(qtbot, logbook, settings)
    assert Backups.of(logbook.path) == []
    assert window.close()
    assert len(Backups.of(logbook.path)) == 1


def test_a_failed_backup_on_exit_is_shown_and_the_window_still_closes(qtbot, logbook, settings):
    logbook.path.with_name("backups").write_text("not a folder")  # the backups folder cannot be made
    window = shown_window(qtbot, logbook, settings)
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.close()

    QTimer.singleShot(20, answer)
    assert window.close()
    assert len(seen) == 1 and "daily backup could not be made" in seen[0]


def test_the_worklist_stays_on_the_saved_row_instead_of_jumping_to_the_top(qtbot, logbook, settings):
    fill(logbook, seed=4, patients=150, procedures_each=2)  # more rows than a screen, and than a page
    window = shown_window(qtbot, logbook, settings)
    table = window.worklist.table
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() > 200)  # scrolled to the end: a second page
    row = window.worklist.model.rowCount() - 3
    table.selectRow(row)
    procedure_id = window.worklist.current_procedure_id()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    form = window.form
    assert form.procedure_id == procedure_id
    form.editors["procedure.operator"].input.setText("Dr Row")
    window.allow_writes()  # as once the background check has passed
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    if form.banner.text() != "Saved.":  # a second press confirms the warnings
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.banner.text() == "Saved."
    assert window.worklist.current_procedure_id() == procedure_id
    assert table.rowAt(table.visualRect(table.currentIndex()).center().y()) == table.currentIndex().row()
    assert table.verticalScrollBar().value() > 0
