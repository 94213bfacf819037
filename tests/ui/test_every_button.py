"""Every button and menu action of every window and dialog the app has is pressed at least once, as a person would
(a mouse click; a menu action triggered), each from a fresh window, with nothing raised in a slot and no
unexpected-error dialog. The walker (tests/ui_walker.py) finds the buttons and actions itself: a new one is pressed
without a new test, and one it can never press (disabled or hidden in every state walked) fails here.

pytest-qt's capture of exceptions in slots must be on for this to mean anything: no `qt_no_exception_capture`.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout
from walked_windows import damaged_logbook_dialogs, unexpected_error_dialogs, walk_the_app


def test_every_button_and_menu_action_of_the_main_window_and_its_dialogs(qtbot, tmp_path, walker, type_text,
                                                                          monkeypatch):
    walk_the_app(walker, qtbot, tmp_path, type_text, monkeypatch)
    walker.assert_all_pressed(skip={"export_dialog: Export/export_cancel": "shown only while an export runs, pressed "
                                    "then in tests/ui/test_export_dialog.py"})


def test_every_button_of_the_damaged_logbook_dialog(qtbot, tmp_path, walker):
    walker.walk(damaged_logbook_dialogs(qtbot, tmp_path))
    walker.assert_all_pressed(skip={})


def test_every_button_of_the_unexpected_error_dialog(qtbot, tmp_path, walker):
    walker.walk(unexpected_error_dialogs(tmp_path))
    walker.assert_all_pressed(skip={})


# -- the walker can fail --------------------------------------------------------------------------------------
def a_dialog(*buttons):
    def fresh():
        dialog = QDialog()
        dialog.setObjectName("walked")
        layout = QVBoxLayout(dialog)
        for button in buttons:
            layout.addWidget(button)
            button.setParent(dialog)
        dialog.show()
        return dialog, dialog.deleteLater
    return fresh


def test_the_walker_reports_an_exception_in_a_slot(qtbot, walker):
    broken = QPushButton("Broken", objectName="broken")
    broken.clicked.connect(lambda: 1 / 0)
    with pytest.raises(AssertionError, match=r"(?s)walked: /broken.*ZeroDivisionError"):
        walker.walk(a_dialog(broken))


def test_the_walker_reports_a_button_it_could_never_press(qtbot, walker):
    never = QPushButton("Never", objectName="never")
    never.setEnabled(False)
    walker.walk(a_dialog(never, QPushButton("Fine", objectName="fine")))
    with pytest.raises(AssertionError, match="walked: /never"):
        walker.assert_all_pressed(skip={})
    walker.assert_all_pressed(skip={"walked: /never": "tested elsewhere"})
