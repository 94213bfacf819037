"""The app by keyboard alone: keys pressed as a person would (pytest-qt key clicks), each doing what it says:
mnemonics that open what they name (not a menu), Tab out of the worklist and back, Ctrl+S that shows the first
error, F5 for what another process saved, and the title and banner that say whether the form is saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from test_procedure_form import add_agent, choose, fill_patient
from ui_support import answer_modal, choose_file, duplicates, mnemonic, mnemonic_clashes, window_mnemonics

from tace_log.storage import Logbook


def saved_procedure(window, logbook, type_text) -> str:
    form = window.new_procedure()
    fill_patient(form, type_text, name="赵敏", mrn="H5005")
    choose(form, "tumor_staining", "absent")
    assert form.save(), form.banner.text()
    return form.procedure_id


def activated(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.mark.parametrize("language", ["en", "zh"])
def test_mnemonics_are_unique_in_each_menu_and_none_is_a_menus(request, qtbot, window, logbook, type_text, language):
    if language == "zh":
        request.getfixturevalue("chinese")
        window.deleteLater()
        from ui_support import shown_window
        window = shown_window(qtbot, logbook, request.getfixturevalue("settings"))
    menus = [a for a in window.menuBar().actions() if a.menu() is not None]
    assert duplicates([mnemonic(m.text()) for m in menus]) == []
    for menu in menus:
        texts = [a.text() for a in menu.menu().actions() if not a.isSeparator()]
        assert duplicates([mnemonic(t) for t in texts]) == [], (menu.text(), texts)
    window.open_procedure(saved_procedure(window, logbook, type_text))  # the record buttons: Export, History...
    in_window = window_mnemonics(window)
    assert len(in_window) > len(menus), "no button with an Alt key: the scan is not real"
    assert mnemonic_clashes(window) == {}  # and none is a menu's: Alt+E exports, it does not open Edit


def test_alt_x_exports_and_alt_t_shows_the_history(qtbot, window, logbook, type_text, tmp_path):
    window.open_procedure(saved_procedure(window, logbook, type_text))
    activated(qtbot, window)
    buttons = window.form.record_buttons
    assert mnemonic(buttons.export.text()) == "X" and mnemonic(buttons.history.text()) == "T"
    exported = tmp_path / "by-keyboard.pdf"
    answered = answer_modal(choose_file(exported))  # Qt's save dialog, answered as a person would
    qtbot.keyClick(window.form.findChild(QLineEdit, "date"), Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(answered) and exported.exists())
    assert [dialog.windowTitle() for dialog in answered] == ["Export report"]
    assert exported.read_bytes().startswith(b"%PDF")
    activated(qtbot, window)  # the window again, as the save dialog closed
    qtbot.keyClick(window.form.findChild(QLineEdit, "date"), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: buttons.dialog is not None and buttons.dialog.objectName() == "history_dialog")
    buttons.dialog.reject()


def test_tab_leaves_the_worklist_for_the_form_and_shift_tab_comes_back(qtbot, window, logbook, type_text):
    window.open_procedure(saved_procedure(window, logbook, type_text))
    activated(qtbot, window)
    table = window.worklist.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not table and window.form.isAncestorOf(focused), focused
    first = window.form.findChild(QLineEdit, "mrn")
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.worklist.isAncestorOf(QApplication.focusWidget()), QApplication.focusWidget()


def test_ctrl_s_with_errors_scrolls_the_first_error_into_view(qtbot, window, type_text):
    form = window.new_procedure()
    activated(qtbot, window)
    bar = form.scroll.verticalScrollBar()
    findings = form.findChild(QLineEdit, "date")
    bar.setValue(bar.maximum())  # down at the narrative: the MRN, blank, is out of sight above
    qtbot.waitUntil(lambda: form.editors["patient.mrn"].row.visibleRegion().isEmpty())
    qtbot.keyClick(findings, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.banner.isVisible() and "MRN" in form.banner.text()
    assert bar.value() < bar.maximum()
    assert not form.editors["patient.mrn"].row.visibleRegion().isEmpty()
    assert form.findChild(QLineEdit, "mrn").hasFocus()


def test_f5_shows_what_another_process_saved(qtbot, window, logbook, typical_document, tmp_path):
    assert window.worklist.model.rowCount() == 0
    with Logbook.open(logbook.path) as elsewhere:  # another connection to the file: no notice reaches this window
        elsewhere.import_document(typical_document)
    assert window.worklist.model.rowCount() == 0
    qtbot.keyClick(activated(qtbot, window).worklist.table, Qt.Key.Key_F5)
    assert window.worklist.model.rowCount() == 1


def test_the_title_marks_unsaved_changes_and_saved_clears_on_the_next_edit(qtbot, window, logbook, type_text):
    assert window.windowTitle().endswith("[*]")  # where Qt puts the "*" of a modified window
    form = window.new_procedure()
    assert not window.isWindowModified()
    fill_patient(form, type_text, name="赵敏", mrn="H5005")
    choose(form, "tumor_staining", "absent")
    assert window.isWindowModified()
    qtbot.keyClick(form.findChild(QLineEdit, "date"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.dirty and not window.isWindowModified()
    assert form.banner.isVisible() and form.banner.text() == "Saved."
    type_text(form.findChild(QLineEdit, "operator"), "王")
    assert window.isWindowModified()
    assert not form.banner.isVisible()  # "Saved." no longer holds
    window.close_form()
    assert not window.isWindowModified()


def test_the_worklist_shows_what_another_process_saved_by_itself(qtbot, window, logbook, typical_document):
    """F5 is not needed: the logbook's files changing on disk re-read the list."""
    assert window.worklist.model.rowCount() == 0
    with Logbook.open(logbook.path) as elsewhere:
        elsewhere.import_document(typical_document)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 1)


def test_ctrl_z_brings_back_a_removed_agent_row_until_save(qtbot, window, logbook, type_text):
    form = window.new_procedure()
    activated(qtbot, window)
    fill_patient(form, type_text, name="赵敏", mrn="H5005")
    choose(form, "tumor_staining", "absent")
    add_agent(qtbot, form, "lipiodol", 5)
    add_agent(qtbot, form, "epirubicin", 30)
    agents = form.row_editors["agents"]
    qtbot.mouseClick(agents.rows[0].remove, Qt.MouseButton.LeftButton)  # the lipiodol row's ✕
    assert [d["agent"] for d in agents.documents()] == ["epirubicin"]
    assert "Ctrl+Z" in form.banner.text()
    assert agents.add_button.hasFocus()
    qtbot.keyClick(agents.add_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [(d["agent"], d["dose"]) for d in agents.documents()] == [("lipiodol", 5), ("epirubicin", 30)]
    qtbot.mouseClick(agents.rows[1].remove, Qt.MouseButton.LeftButton)
    assert form.save(), form.banner.text()
    qtbot.keyClick(agents.add_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # saved: nothing back
    assert [d["agent"] for d in agents.documents()] == ["lipiodol"]
    assert [a.agent for a in logbook.get_procedure(form.procedure_id).agents] == ["lipiodol"]
