"""An unexpected exception in the app is logged with its traceback and shown with the log's path; the window and
what was typed in it stay."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from tace_log import logs
from ui.safety.unexpected_error import ExceptionHook


@pytest.mark.qt_no_exception_capture  # the app's hook, not pytest-qt's, must receive it
def test_an_exception_in_a_slot_shows_a_dialog_with_the_log_path_and_the_window_stays(qtbot):
    log_path = logs.configure_logging()
    window = QWidget()
    qtbot.addWidget(window)
    typed = QLineEdit(objectName="findings")
    typed.setText("Nodular stain 11 mm in VI")
    button = QPushButton("Save")
    button.clicked.connect(lambda: 1 / 0)  # a bug in a slot
    layout = QVBoxLayout(window)
    layout.addWidget(typed)
    layout.addWidget(button)
    window.show()
    hook = ExceptionHook(log_path, window).install()
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        hook.uninstall()
    assert sys.excepthook is not hook
    box = hook.dialogs[-1]
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Critical
    assert "ZeroDivisionError" in box.text() and str(log_path) in box.text()
    assert "ZeroDivisionError" in box.detailedText()
    assert window.isVisible() and typed.text() == "Nodular stain 11 mm in VI"
    text = log_path.read_text(encoding="utf-8")
    assert "unexpected error" in text and "Traceback" in text and "ZeroDivisionError" in text
