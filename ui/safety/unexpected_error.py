"""Never a silent exit: an unexpected exception is logged with its traceback and shown in a dialog that gives the
log's path. The window stays open, so whatever was typed in a form is still there to be saved."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)


def unexpected_error_dialog(exc: BaseException, log_path: Path | None, parent: QWidget | None = None) -> QMessageBox:
    """The dialog for an unexpected error (not yet shown): what happened in one line, where the details are."""
    where = (QCoreApplication.translate("UnexpectedError", "The details are in the log:\n%1")
             .replace("%1", str(log_path)) if log_path
             else QCoreApplication.translate("UnexpectedError", "No log file could be written."))
    text = QCoreApplication.translate(
        "UnexpectedError", "Something unexpected went wrong: %1: %2\n\nThe action may not have finished. What you "
        "typed is still in the window: check it, save again, or copy it before closing.\n\n%3")
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("UnexpectedError",
                                                                            "TACE Log: unexpected problem"),
                      text.replace("%1", type(exc).__name__).replace("%2", str(exc)).replace("%3", where),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("unexpected_error_dialog")
    box.setDetailedText("".join(traceback.format_exception(exc)))
    return box


class ExceptionHook:
    """Installed as `sys.excepthook` (PySide6 hands it exceptions raised in slots). `dialogs` keeps what it showed."""

    def __init__(self, log_path: Path | None, parent: QWidget | None = None):
        self.log_path = log_path
        self.parent = parent
        self.dialogs: list[QMessageBox] = []
        self._previous = None

    def install(self) -> ExceptionHook:
        self._previous, sys.excepthook = sys.excepthook, self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous

    def __call__(self, kind, exc, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            (self._previous or sys.__excepthook__)(kind, exc, tb)
            return
        log.critical("unexpected error", exc_info=(kind, exc, tb))
        box = unexpected_error_dialog(exc, self.log_path, self.parent)
        self.dialogs.append(box)
        box.open()  # not exec(): the event loop, and the window with the user's input, go on
