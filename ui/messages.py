"""A typed error (`TaceLogError`) at the edge of the app: one critical message box says what went wrong."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)
