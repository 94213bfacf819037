"""Shared pieces of the sign-in, sign and addendum dialogs (a user picker with a password, a message line) and
of every button row (a command button, named and with an accessible name)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialogButtonBox, QLabel, QLineEdit, QPushButton

from tace_log.users import User
from ui.shell.messages import core_word


def named(widget, key: str, accessible: str):
    """Every input's objectName is its field key and it has an accessible name (house rule)."""
    widget.setObjectName(key)
    widget.setAccessibleName(accessible)
    return widget


def date_edit(parent, key: str, accessible: str, day: dt.date) -> QDateEdit:
    """A day as the app writes dates (YYYY-MM-DD), with a calendar; `.date().toPython()` is its date."""
    edit = named(QDateEdit(parent), key, accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def command_button(button: QPushButton, key: str, slot) -> QPushButton:
    """A button named by its command key, its accessible name its text without the & and the '...'."""
    named(button, key, button.text().replace("&", "").removesuffix("..."))
    # `clicked` carries the checked flag, and PySide passes it to a slot that takes an argument: a slot's
    # optional first parameter (Export's path, Print's printer) would receive False. A command takes none.
    button.clicked.connect(lambda: slot())
    return button


def user_picker(users: list[User], current: str | None) -> QComboBox:
    combo = named(QComboBox(), "username", QCoreApplication.translate("SigningWidgets", "User"))
    for user in users:
        combo.addItem(f"{user.full_name} ({user.username}, {core_word('role', user.role)})", user.username)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


def password_field() -> QLineEdit:
    field = named(QLineEdit(), "password", QCoreApplication.translate("SigningWidgets", "Password"))
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def message_line() -> QLabel:
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    return label


def add_credentials(dialog, layout, form, logbook, user_label: str, ok_text: str, password_label: str | None = None,
                    signers_only: bool = False):
    """The user picker and password rows, the message line and OK/Cancel: the end of every signing dialog.
    With `signers_only` the picker offers only who may sign (active radiologists): signing and addenda.
    Sets `dialog.username`, `dialog.password`, `dialog.message`; returns the OK button."""
    users = [user for user in logbook.users.active() if user.may_sign] if signers_only else logbook.users.active()
    dialog.username = user_picker(users, logbook.users.current)
    dialog.password = password_field()
    form.addRow(user_label, dialog.username)
    form.addRow(password_label or QCoreApplication.translate("SigningWidgets", "&Password"), dialog.password)
    layout.addLayout(form)
    dialog.message = message_line()
    layout.addWidget(dialog.message)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return ok
