"""Every window and dialog of the app opens within the screen's available area, frame included, at 1366x768 (a
common hospital monitor) and 1920x1080, in English and Chinese: the walker (tests/ui_walker.py) opens each one
as tests/ui/test_every_button.py does. A screen's size is fixed for a process, so each size runs the walk in a
pytest of its own on Qt's offscreen platform configured to that screen (`offscreen:configfile=`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget
from ui_support import SCREEN, run_at_screen
from walked_windows import damaged_logbook_dialogs, unexpected_error_dialogs, walk_the_app

from ui.shell.language import install_translations
from ui.shell.main_window import MainWindow


class OffScreen:
    """The windows the walk saw that were not within their screen's available area, frame included."""

    def __init__(self):
        self.outside: dict[str, str] = {}
        self.windows = 0

    def __call__(self, window: QWidget) -> None:
        self.windows += 1
        room, frame = window.screen().availableGeometry(), window.frameGeometry()
        if not room.contains(frame):
            self.outside[f"{window.objectName() or type(window).__name__}: {window.windowTitle()}"] = (
                f"{frame.width()}x{frame.height()} at {frame.x()},{frame.y()}")


@pytest.mark.parametrize(("size", "language"), [("1366x768", "en"), ("1366x768", "zh"), ("1920x1080", "en"),
                                              ("1920x1080", "zh")])
def test_every_window_and_dialog_fits_the_screen(size, language, tmp_path):
    run_at_screen(f"{Path(__file__)}::test_the_walk_at_this_screen", size, tmp_path, also=language)


@pytest.mark.skipif(SCREEN not in os.environ, reason="run by test_every_window_and_dialog_fits_the_screen")
def test_the_walk_at_this_screen(qapp, qtbot, tmp_path, walker, type_text, monkeypatch):
    size, language = os.environ[SCREEN].split()
    screen = qapp.primaryScreen().geometry()
    assert f"{screen.width()}x{screen.height()}" == size  # the offscreen platform took the configured screen
    translators = install_translations(qapp, language)
    try:
        seen = OffScreen()
        walker.inspect = seen
        walk_the_app(walker, qtbot, tmp_path, type_text, monkeypatch)
        walker.walk(damaged_logbook_dialogs(qtbot, tmp_path / "damaged"))
        walker.walk(unexpected_error_dialogs(tmp_path))
        assert seen.windows > 20
        assert seen.outside == {}
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        install_translations(qapp, "en")


def test_a_geometry_saved_on_a_larger_screen_is_brought_within_this_one(qtbot, logbook, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    larger = MainWindow(logbook, settings)
    qtbot.addWidget(larger)
    room = larger.screen().availableGeometry()
    larger.setGeometry(room.width() // 2, room.height() // 2, room.width() * 2, room.height() * 2)
    larger.save_settings()  # as a window left on a 2560x1440 monitor saves itself
    assert isinstance(settings.value("main_window/geometry"), QByteArray)
    window = MainWindow(logbook, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert room.contains(window.frameGeometry()), window.frameGeometry()
    assert window.statusBar().isVisible()
    status = window.statusBar()
    assert room.contains(status.mapToGlobal(status.rect().bottomRight()))  # the status bar is on the screen
