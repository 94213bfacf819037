"""File > Change password: a user changes their own password with the current one. A forgotten password is set
for them in Tools > Users (or `tace-log user passwd NAME --by ADMIN`)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from tace_log.errors import AuthenticationError, InvalidInputError, TaceLogError
from ui.shell.language import language
from ui.shell.messages import error_text
from ui.shell.widgets import add_credentials, named, password_field


class PasswordDialog(QDialog):
    """`PasswordDialog(logbook)`: the user (the one working, preselected), their current password and the new one
    twice. A refusal (wrong password, a rule of the core the new one breaks, the two differ) keeps the dialog open
    with a message; however it closes, no password stays in its fields."""

    def __init__(self, logbook, parent=None):
        super().__init__(parent)
        self.logbook = logbook
        self.changed: str | None = None  # whose password changed, once accepted
        self.setWindowTitle(self.tr("TACE Log - change password"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Enter the current password, then the new one twice.")))
        form = QFormLayout()
        ok = add_credentials(self, layout, form, logbook, self.tr("&User"), self.tr("Change password"),
                             password_label=self.tr("&Current password"))
        ok.setObjectName("change_password")
        self.password.setAccessibleName(self.tr("Current password"))
        self.new_password = named(password_field(), "new_password", self.tr("New password"))
        self.new_password_again = named(password_field(), "new_password_again", self.tr("New password again"))
        form.addRow(self.tr("&New password"), self.new_password)
        form.addRow(self.tr("New password &again"), self.new_password_again)
        QWidget.setTabOrder(self.password, self.new_password)  # added after the buttons, typed before them
        QWidget.setTabOrder(self.new_password, self.new_password_again)
        QWidget.setTabOrder(self.new_password_again, ok)
        self.password.setFocus()

    def accept(self) -> None:
        username = self.username.currentData() or ""
        if self.new_password.text() != self.new_password_again.text():
            self._refused(self.tr("The two new passwords differ: password not changed."), self.new_password_again)
            return
        try:
            self.logbook.users.change_password(username, self.new_password.text(), old_password=self.password.text())
        except AuthenticationError as exc:  # the current password
            self._refused(error_text(exc), self.password)
            return
        except InvalidInputError as exc:  # the new one breaks a rule of the core (users.password_problems)
            refusals = (self.tr("The new password %1.").replace("%1", f.text(language())) for f in exc.findings)
            self._refused("; ".join(refusals), self.new_password)
            return
        except TaceLogError as exc:
            self._refused(error_text(exc), self.password)
            return
        self.changed = username
        super().accept()

    def done(self, result: int) -> None:
        for field in (self.password, self.new_password, self.new_password_again):
            field.clear()
        super().done(result)

    def _refused(self, text: str, field) -> None:
        self.message.setText(text)
        field.selectAll()
        field.setFocus()
