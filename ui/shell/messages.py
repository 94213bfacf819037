"""What the app says in more than one window: a typed error (`TaceLogError`) at its edge, in one critical message
box, and how to add users."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def add_users_hint() -> str:
    return QCoreApplication.translate("Messages", "add users with `tace-log user add NAME --role radiologist`")


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)
