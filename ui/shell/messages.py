"""What the app says in more than one window: a typed error (`TaceLogError`) at its edge, in the UI language and
in one critical message box, and how to add users."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from tace_log.errors import TaceLogError
from ui.shell.language import language


def error_text(exc: BaseException) -> str:
    """What an error says in the UI language: the core's through its message catalogue, any other as it is."""
    return exc.text(language()) if isinstance(exc, TaceLogError) else str(exc)


def add_users_hint() -> str:
    return QCoreApplication.translate("Messages", "add users with `tace-log user add NAME --role radiologist`")


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)
