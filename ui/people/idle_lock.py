"""Lock the shared workstation after a configurable time without keyboard or mouse activity."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui.shell.signals import emit

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}


class IdleLock(QObject):
    """`IdleLock(minutes)`: emits `locked` once after `minutes` with no input anywhere in the application;
    any key, click, mouse move or wheel restarts the count. The window answers `locked` by covering its
    content and showing `LoginDialog(logbook, locked=True)`, then calls `unlock()`."""

    locked = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None):
        super().__init__(parent)
        self.is_locked = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._lock)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    @property
    def minutes(self) -> float:
        return self._timer.interval() / 60000

    def set_minutes(self, minutes: float) -> None:
        if minutes <= 0:
            raise ValueError("the idle lock needs a positive number of minutes")
        self._timer.setInterval(max(1, round(minutes * 60000)))
        self._timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if not self.is_locked and event.type() in _ACTIVITY:
            self._timer.start()
        return False

    def _lock(self) -> None:
        self.is_locked = True
        emit(self.locked)

    def unlock(self) -> None:
        self.is_locked = False
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)
