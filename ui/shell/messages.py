"""What the app says in more than one window: a typed error (`TaceLogError`) at its edge, in the UI language and
in one critical message box, the question asked before unsaved typing is closed, and how to add users."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from tace_log.errors import TaceLogError
from tace_log.messages import ZH, worded
from ui.shell.language import language


def error_text(exc: BaseException) -> str:
    """What an error says in the UI language: the core's through its message catalogue, any other as it is."""
    return exc.text(language()) if isinstance(exc, TaceLogError) else str(exc)


def core_word(kind: str, stored: str) -> str:
    """A word the core stores in English (`role`, a signature's `meaning`, a `unit`) as the UI shows it: in
    Chinese the catalogue's word for it, in English as stored (lower case, to sit mid-sentence)."""
    return worded(f"{kind}.{stored}", ZH, stored) if language() == ZH else stored


def add_users_hint() -> str:
    return QCoreApplication.translate("Messages", "add them in Tools > Users")


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def ask_unsaved(parent: QWidget, title: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel for a form or a dialog with unsaved changes (one place words the question; tests
    answer it by replacing this function)."""
    return QMessageBox.question(
        parent, QCoreApplication.translate("Messages", "Unsaved changes"),
        QCoreApplication.translate("Messages", "%1 has unsaved changes. Save them?").replace("%1", title),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save)
