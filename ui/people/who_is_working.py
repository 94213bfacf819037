"""Who is working at the shared workstation: asked at start, shown in the status bar, switched from the File
menu, and asked again after the idle lock. With no users in the logbook yet, the operating-system login works
(the core's default) and the status bar says how to add users."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout

from tace_log.errors import TaceLogError
from tace_log.findings import WARNING
from tace_log.settings import DEFAULT_IDLE_LOCK_MINUTES, load_idle_lock_minutes
from tace_log.users import User
from ui.people.idle_lock import IdleLock
from ui.shell.messages import add_users_hint, error_text


class WhoIsWorking(QObject):
    """Made by the main window. `sign_in()` asks who is working (at start); `lock()` is the idle lock."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dialog = None  # the LoginDialog while it is open
        self.signed_in: User | None = None  # who signed in last (None: nobody yet, or no users)
        # While the window is covered: who was working when it was (whose the unsaved form is), and whether the
        # idle lock covered it (the Sign in button then asks as the lock does).
        self.working_before: str | None = None
        self.idle_locked = False
        self.switch_action = QAction(self.tr("Switch &user..."), window, objectName="switch_user")
        self.switch_action.setShortcut("Ctrl+Shift+U")
        self.switch_action.triggered.connect(lambda: self.sign_in(switching=True))
        self.password_action = QAction(self.tr("Change pass&word..."), window, objectName="change_password")
        self.password_action.triggered.connect(self.change_password)
        window.add_file_actions([self.switch_action, self.password_action])
        try:
            self.idle_minutes = load_idle_lock_minutes(window.logbook.path)
        except TaceLogError as exc:
            window.show_notice(self.tr("%1; the idle lock uses %2 minutes.").replace("%1", error_text(exc))
                               .replace("%2", f"{DEFAULT_IDLE_LOCK_MINUTES:g}"), WARNING)
            self.idle_minutes = DEFAULT_IDLE_LOCK_MINUTES
        # Started at the first sign-in: without users nobody could unlock it, and its event filter (Python, on
        # every event of the app) stays out of start-up.
        self.idle: IdleLock | None = None
        self._build_cover()
        self.show_user()

    @property
    def has_users(self) -> bool:
        return not self.window.logbook_closed and bool(self.window.logbook.users.active())

    def _build_cover(self) -> None:
        cover = self.window.lock_cover
        self.cover_text = QLabel(cover, objectName="lock_message")
        self.cover_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover_text.setWordWrap(True)
        font = self.cover_text.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.cover_text.setFont(font)
        self.unlock_button = QPushButton(self.tr("&Sign in..."), cover, objectName="unlock")
        self.unlock_button.clicked.connect(lambda: self._ask(locked=self.idle_locked))
        box = QVBoxLayout(cover)
        box.addStretch(1)
        box.addWidget(self.cover_text)
        box.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(1)

    def show_user(self) -> None:
        logbook = self.window.logbook
        if self.window.logbook_closed:
            self.window.who_label.setText("")
        elif self.has_users:
            self.window.who_label.setText(self.tr("Working: %1").replace("%1", logbook.users.current))
        else:
            self.window.who_label.setText(self.tr("Working as %1 (no users yet: %2)")
                                          .replace("%1", logbook.users.current).replace("%2", add_users_hint()))

    def update_actions(self) -> None:
        for action in (self.switch_action, self.password_action):
            action.setEnabled(not self.window.locked and not self.window.logbook_closed and self.has_users)
            if not self.has_users:
                action.setToolTip(add_users_hint())
        if self.window.writes_held:  # a new password is a write, held like the others until the check passes
            self.password_action.setEnabled(False)

    # -- asking ------------------------------------------------------------------------------------------
    def sign_in(self, switching: bool = False):
        """Ask who is working (at start, or File > Switch user): the window is covered until someone signs in."""
        if not self.has_users:
            return None
        self._cover(self.tr("Who is working at this workstation? Sign in to continue."), idle=False)
        return self._ask(locked=False)

    def first_run(self):
        """A logbook with no users at all: ask for the first radiologist (or administrator), signed in once
        added. Cancelled, the workstation's login works as before, and Tools > Users adds them later."""
        from ui.people.users_dialog import first_user_dialog

        if self.window.logbook_closed or self.window.logbook.users.everyone():
            return None
        dialog = first_user_dialog(self.window.logbook, self.window)
        dialog.accepted.connect(lambda: self._first_user_added(dialog.added))
        dialog.open()
        return dialog

    def _first_user_added(self, username: str) -> None:
        self.signed_in = self.window.logbook.users.get(username)
        if self.idle is None:
            self.idle = IdleLock(self.idle_minutes, self)
            self.idle.locked.connect(self.lock)
        self.idle.unlock()
        self.show_user()
        self.window.update_actions()
        if self.window.form is not None:
            self.window.form.record_buttons.update()

    def lock(self):
        """The idle lock: the content is covered (the open form is kept, its draft on disk) until a sign-in."""
        if not self.has_users or self.window.locked:
            if self.idle is not None:
                self.idle.unlock()  # already covered, or nobody could unlock it
            return None
        self._close_password_dialog()  # the cover hides the window's content, and this is content
        self._cover(self.tr("Locked after %1 minutes without activity (%2 was working).")
                    .replace("%1", f"{self.idle_minutes:g}").replace("%2", self.window.logbook.users.current),
                    idle=True)
        return self._ask(locked=True)

    def _cover(self, text: str, idle: bool) -> None:
        self.cover_text.setText(text)
        self.working_before, self.idle_locked = self.window.logbook.users.current, idle
        self.window.set_locked(True)  # the open form's draft is written, as the work of whoever was working

    def change_password(self):
        """File > Change password: the person working changes their own (window-modal, like the sign-in)."""
        from ui.people.password_dialog import PasswordDialog

        dialog = PasswordDialog(self.window.logbook, parent=self.window)
        dialog.setObjectName("password_dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # no typed password lingers in a hidden dialog
        dialog.accepted.connect(lambda: self.window.statusBar().showMessage(
            self.tr("Password of %1 changed.").replace("%1", dialog.changed), 5000))
        dialog.open()
        return dialog

    def _ask(self, locked: bool = True):
        from ui.people.login_dialog import LoginDialog

        if self.dialog is not None:
            self.dialog.close()
        self.dialog = LoginDialog(self.window.logbook, locked=locked, parent=self.window)
        self.dialog.setObjectName("login_dialog")
        self.dialog.accepted.connect(self._signed_in)
        self.dialog.open()  # window-modal, not exec(): the event loop (and the background check) go on
        return self.dialog

    def _signed_in(self) -> None:
        self.signed_in = self.dialog.user
        if self.signed_in.username != self.working_before:
            self.window.hand_over(self.working_before)  # their unsaved form stays theirs, as their draft
        self.window.set_locked(False)
        if self.idle is None:
            self.idle = IdleLock(self.idle_minutes, self)
            self.idle.locked.connect(self.lock)
        self.idle.unlock()
        self.show_user()
        if self.window.form is not None:
            self.window.form.record_buttons.update()
        if self.signed_in.must_change_password:
            asked = self.change_password()  # signing and allowing user changes need a password of their own
            asked.message.setText(self.tr("Your password was set by someone else: choose your own."))

    def carry_on_from(self, before: WhoIsWorking) -> None:
        """This window replaces another on the same logbook (View > Language): whoever was signed in there is
        here, under the same idle lock."""
        self.signed_in = before.signed_in
        if before.idle is not None:
            self.idle = IdleLock(self.idle_minutes, self)
            self.idle.locked.connect(self.lock)
            self.idle.unlock()
        self.show_user()

    def stop(self) -> None:
        """No more locking or signing in (the window closes, or its logbook was found damaged and closed)."""
        if self.idle is not None:
            self.idle.stop()
        self.unlock_button.setEnabled(False)
        if self.dialog is not None:
            self.dialog.close()
        self._close_password_dialog()

    def _close_password_dialog(self) -> None:
        dialog = self.window.findChild(QDialog, "password_dialog")
        if dialog is not None:
            dialog.reject()
