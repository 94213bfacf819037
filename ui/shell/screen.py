"""Windows fitted to the screen they open on: a 1366x768 hospital monitor shows every window whole, its buttons
and status bar included, and a geometry saved on a larger screen is brought back within this one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What a window manager adds around a window (title bar, borders), when the window has no frame yet to measure.
FRAME_ALLOWANCE = QSize(16, 40)


def available(widget: QWidget) -> QRect:
    """The screen area windows may use (without panels and docks) where the widget is, else the primary's."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame(widget: QWidget) -> QSize:
    """The frame around the widget's content: measured once it is shown, else the allowance."""
    if widget.isVisible() and widget.frameGeometry().size() != widget.geometry().size():
        return widget.frameGeometry().size() - widget.geometry().size()
    return FRAME_ALLOWANCE


def fit_size(widget: QWidget, wanted: QSize) -> QSize:
    """`wanted`, made no larger than what fits on the widget's screen, frame included."""
    room = available(widget).size() - _frame(widget)
    return wanted.boundedTo(room)


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """Resize to width x height, or as much of it as the screen holds."""
    widget.resize(fit_size(widget, QSize(width, height)))


def keep_on_screen(widget: QWidget) -> None:
    """Shrink and move a top-level widget so that all of it, frame included, is within its screen's available
    area (a geometry restored from a larger screen, or a dialog taller than this one)."""
    room = available(widget)
    frame = _frame(widget)
    size = widget.size().boundedTo(room.size() - frame)
    if size != widget.size():
        widget.resize(size)
    outer = QRect(widget.frameGeometry().topLeft(), size + frame)
    x = min(max(outer.left(), room.left()), room.right() + 1 - outer.width())
    y = min(max(outer.top(), room.top()), room.bottom() + 1 - outer.height())
    if (x, y) != (outer.left(), outer.top()):
        widget.move(x, y)


class OnScreen(QObject):
    """Installed on the application: every window (the main window, each dialog and message box) is kept on
    its screen as it shows, so no dialog's buttons are ever below the bottom of a small monitor."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            keep_on_screen(watched)
        return False


def keep_windows_on_screen(app: QCoreApplication) -> OnScreen:
    keeper = OnScreen(app)
    app.installEventFilter(keeper)
    return keeper
