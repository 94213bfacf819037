"""Helpers shared by the pytest-qt tests (on the test path, as safety_samples is)."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton

from ui.shell.main_window import MainWindow


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


def choose_file(path):
    """An answer for `answer_modal`: type `path` into Qt's file dialog as the file's name, and accept (to save a new
    file or to open one)."""
    return _typed_and_accepted(QFileDialog, "fileNameEdit", path)


def print_to_file(path):
    """An answer for `answer_modal`: Qt's print dialog (here, without printers, "Print to File (PDF)") told to
    write `path`, and accepted."""
    return _typed_and_accepted(QPrintDialog, "filename", path)


def _typed_and_accepted(kind, field: str, path):
    def answer(dialog) -> None:
        assert isinstance(dialog, kind), dialog
        dialog.findChild(QLineEdit, field).setText(str(path))
        dialog.accept()
    return answer


def sign_in_by_clicking(qtbot, dialog, username: str, password: str) -> None:
    """In the sign-in (or idle lock) dialog: pick the user, type the password, click Sign in."""
    dialog.username.setCurrentIndex(dialog.username.findData(username))
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.findChild(QPushButton, "sign_in"), Qt.MouseButton.LeftButton)
