"""pytest-qt offscreen: real widgets, a real logbook file per test, settings in the test's folder."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads: no display here

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from ui_support import shown_window  # noqa: E402

from tace_log.storage import Logbook  # noqa: E402
from ui.app import register_cjk_font  # noqa: E402
from ui.shell.language import install_translations  # noqa: E402
from ui.shell.screen import keep_windows_on_screen  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def app_setup(qapp):
    register_cjk_font(qapp)
    install_translations(qapp, "en")
    keep_windows_on_screen(qapp)  # as create_application does
    return qapp


@pytest.fixture(autouse=True)
def unsaved_forms_are_discarded_at_teardown(monkeypatch):
    """A window closed at a test's end must not wait on the "unsaved changes" question; tests of that question
    replace this answer with their own."""
    from ui.shell import messages

    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, title: QMessageBox.StandardButton.Discard)


@pytest.fixture(autouse=True)
def no_idle_lock_outlives_its_test(qapp):
    """A main window a test leaves open would still lock after its idle minutes and cover a later test's dialogs."""
    yield
    from ui.shell.main_window import MainWindow

    for widget in qapp.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.who.stop()


@pytest.fixture
def logbook(tmp_path):
    with Logbook.open(tmp_path / "logbook.sqlite") as lb:
        yield lb


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, logbook, settings):
    return shown_window(qtbot, logbook, settings)


@pytest.fixture
def chinese(qapp):
    """The app in Chinese (TACE_LOG_LANG=zh at start-up), English again after the test."""
    translators = install_translations(qapp, "zh")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    install_translations(qapp, "en")


@pytest.fixture
def walker(qtbot, tmp_path, request):
    """The walker of tests/ui_walker.py, writing what its file and print dialogs save in the test's folder."""
    from ui_walker import Walker

    assert not request.config.getini("qt_no_exception_capture")  # else a slot's exception would pass unseen
    assert request.node.get_closest_marker("qt_no_exception_capture") is None
    return Walker(qtbot, tmp_path / "walked")


@pytest.fixture
def type_text():
    return _type_text


def _type_text(widget, text: str) -> None:
    """Type like a keyboard or an input method would. Not qtbot.keyClicks: with non-ASCII text ("张伟") it aborts
    the whole test process in Qt 6.12 (platform-notes.md), so each character goes as a key event carrying it."""
    widget.setFocus()
    for char in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                 Qt.KeyboardModifier.NoModifier, char))
