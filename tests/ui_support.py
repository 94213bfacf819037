"""Helpers shared by the pytest-qt tests (on the test path, as safety_samples is)."""

from ui.main_window import MainWindow


def shown_window(qtbot, logbook, settings) -> MainWindow:
    """A main window on the logbook, shown and exposed, closed with the test."""
    w = MainWindow(logbook, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w
