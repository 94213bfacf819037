"""Shared pieces of the sign-in, sign and addendum dialogs: a user picker with a password, a message line."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from tace_log.users import User


def named(widget, key: str, accessible: str):
    """Every input's objectName is its field key and it has an accessible name (house rule)."""
    widget.setObjectName(key)
    widget.setAccessibleName(accessible)
    return widget


def user_picker(users: list[User], current: str | None) -> QComboBox:
    combo = named(QComboBox(), "username", "User")
    for user in users:
        combo.addItem(f"{user.full_name} ({user.username}, {user.role})", user.username)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


def password_field() -> QLineEdit:
    field = named(QLineEdit(), "password", "Password")
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def message_line() -> QLabel:
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    return label
