"""Helpers shared by the pytest-qt tests (on the test path, as safety_samples is)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QWidget,
)

from ui.shell.main_window import MainWindow

SCREEN = "TACE_LOG_TEST_SCREEN"  # set for a test run at one screen (`run_at_screen`): its size, and what else it says


def run_at_screen(test: str, size: str, folder: Path, also: str = "", timeout: int = 600) -> None:
    """Runs one test (`file::name`) in a pytest of its own on Qt's offscreen platform configured to one screen of
    `size` ("1366x768"): a screen's size is fixed for a process. The test finds `SCREEN` set to the size and `also`
    ("1366x768 zh"); fails with its output unless it passed."""
    width, height = map(int, size.split("x"))
    config = folder / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "monitor", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", SCREEN: f"{size} {also}".strip()}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                           f"--basetemp={folder / 'run'}", test], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stdout[-4000:]
    assert "1 passed" in done.stdout, done.stdout[-4000:]


def shown_window(qtbot, logbook, settings) -> MainWindow:
    """A main window on the logbook, shown and exposed, closed with the test."""
    w = MainWindow(logbook, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def mnemonic(text: str) -> str | None:
    """The Alt key of a text ('&Save', '保存(&S)'): the letter after a single '&'."""
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).upper() if found else None


def duplicates(letters: list[str | None]) -> list[str]:
    named = [letter for letter in letters if letter]
    return sorted({letter for letter in named if named.count(letter) > 1})


def window_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """The Alt keys pressable in the window itself (a main window's menus, its buttons and labelled fields), by
    letter."""
    found: dict[str, list[str]] = {}
    if isinstance(window, QMainWindow):
        for menu in window.menuBar().actions():
            if menu.menu() is not None and menu.isVisible() and (letter := mnemonic(menu.text())):
                found.setdefault(letter, []).append(f"menu {menu.text()}")
    for widget in [*window.findChildren(QAbstractButton), *window.findChildren(QLabel)]:
        if widget.isVisibleTo(window) and widget.window() is window and (letter := mnemonic(widget.text())):
            found.setdefault(letter, []).append(widget.objectName() or widget.text())
    return found


def mnemonic_clashes(window: QWidget) -> dict[str, list[str]]:
    """The Alt keys the window gives to more than one thing (Qt then only moves the focus between them)."""
    return {letter: named for letter, named in window_mnemonics(window).items() if len(named) > 1}


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
