"""What the app says in more than one window: a typed error (`TaceLogError`) at its edge, in one critical message
box, and how to add users."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

ADD_USERS_HINT = "add users with `tace-log user add NAME --role radiologist`"


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)
