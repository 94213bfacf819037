"""Who is working: pick a user and enter the password; used at start, to switch user, and to unlock."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout

from tace_log.errors import TaceLogError
from tace_log.users import User
from ui.shell.messages import add_users_hint, error_text
from ui.shell.widgets import add_credentials


class LoginDialog(QDialog):
    """`LoginDialog(logbook, locked=False)`: on accept the logbook acts as `dialog.user` (audit rows carry it).

    With `locked=True` it is the idle-lock screen: the current user re-enters the password, or another user
    signs in (switching user). A wrong password keeps the dialog open with a message."""

    def __init__(self, logbook, locked: bool = False, parent=None):
        super().__init__(parent)
        self.logbook = logbook
        self.user: User | None = None
        self.setWindowTitle(self.tr("TACE Log - locked") if locked else self.tr("TACE Log - who is working?"))
        layout = QVBoxLayout(self)
        intro = (self.tr("Locked after a period without activity (%1). Enter the password to continue, or sign in as "
                         "someone else.").replace("%1", logbook.users.current or "") if locked
                 else self.tr("Who is working at this workstation?"))
        layout.addWidget(QLabel(intro))
        form = QFormLayout()
        add_credentials(self, layout, form, logbook, self.tr("&User"), self.tr("Sign in")).setObjectName("sign_in")
        if not logbook.users.active():
            self.message.setText(self.tr("No users yet: %1.").replace("%1", add_users_hint()))
        self.password.setFocus()

    def accept(self) -> None:
        try:
            self.user = self.logbook.users.sign_in(self.username.currentData() or "", self.password.text())
        except TaceLogError as exc:
            self.message.setText(error_text(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.password.clear()
        super().accept()
