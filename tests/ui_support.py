"""Helpers shared by the pytest-qt tests (on the test path, as safety_samples is)."""

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from ui.main_window import MainWindow


def shown_window(qtbot, logbook, settings) -> MainWindow:
    """A main window on the logbook, shown and exposed, closed with the test."""
    w = MainWindow(logbook, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def answer_modal(handle, attempts: int = 500) -> list:
    """Hand the next modal dialog to `handle` once it shows: a slot that exec()s one (a file or print dialog, a
    question) blocks the click that started it until it is answered. Returns the dialogs answered (one at most);
    gives up after `attempts` looks 20 ms apart, so it never answers a later test's dialog."""
    answered = []

    def look(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if left:
                QTimer.singleShot(20, lambda: look(left - 1))
            return
        answered.append(dialog)
        handle(dialog)

    QTimer.singleShot(0, lambda: look(attempts))
    return answered


def save_as(path):
    """An answer for `answer_modal`: type `path` into Qt's file dialog, as its file name, and accept."""
    def answer(dialog: QFileDialog) -> None:
        assert isinstance(dialog, QFileDialog), dialog
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
        dialog.accept()
    return answer


def print_to_file(path):
    """An answer for `answer_modal`: Qt's print dialog (here, without printers, "Print to File (PDF)") told to
    write `path`, and accepted."""
    def answer(dialog: QPrintDialog) -> None:
        assert isinstance(dialog, QPrintDialog), dialog
        dialog.findChild(QLineEdit, "filename").setText(str(path))
        dialog.accept()
    return answer
