"""Tools > Users, and the first run: the logbook's users listed, added with a role, deactivated and activated
again, and a forgotten password set (its owner must change it before signing), with the permission rules of the
core (`Logbook.users`), the same as the CLI's: each change is allowed by an administrator, or a radiologist while
there is none, with their own password; the first user of a logbook needs nobody's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tace_log.errors import TaceLogError
from tace_log.users import ADMIN, AUTHORISING_ROLES, RADIOLOGIST, ROLES, User
from ui.shell.messages import core_word, error_text
from ui.shell.widgets import command_button, message_line, named, password_field

Change = Callable[[tuple[str, str] | None], object]  # makes the change, allowed by (user name, password) or None


class UserChangeDialog(QDialog):
    """One change to the users: its own fields (a new user's name, full name and role; a new password twice),
    and who allows it with their password (not asked while the logbook has no users). On OK the change is
    made through the core; a refusal (no permission, a wrong password, a rule) keeps the dialog open, saying
    why. No password stays in its fields however it closes."""

    def __init__(self, logbook, title: str, intro: str, ok_text: str, change: Change, parent=None,
                 new_user: bool = False, new_password: bool = False, roles=ROLES):
        super().__init__(parent)
        self.logbook, self.change = logbook, change
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        form = QFormLayout()
        self.secrets: list[QLineEdit] = []
        self.new_password: QLineEdit | None = None
        if new_user:
            self.new_username = named(QLineEdit(), "new_username", self.tr("User name"))
            self.full_name = named(QLineEdit(), "full_name", self.tr("Full name"))
            self.role = named(QComboBox(), "role", self.tr("Role"))
            for role in roles:
                self.role.addItem(core_word("role", role), role)
            form.addRow(self.tr("&User name"), self.new_username)
            form.addRow(self.tr("&Full name"), self.full_name)
            form.addRow(self.tr("&Role"), self.role)
        if new_password:
            self.new_password = named(password_field(), "new_password", self.tr("New password"))
            self.new_password_again = named(password_field(), "new_password_again", self.tr("New password again"))
            form.addRow(self.tr("&New password"), self.new_password)
            form.addRow(self.tr("New password &again"), self.new_password_again)
            self.secrets += [self.new_password, self.new_password_again]
        self.authorisers = [u for u in logbook.users.active() if u.role in AUTHORISING_ROLES]
        self.allowed_by: QComboBox | None = None
        if logbook.users.everyone():
            self.allowed_by = named(QComboBox(), "allowed_by", self.tr("Allowed by"))
            for user in self.authorisers:
                self.allowed_by.addItem(f"{user.full_name} ({user.username}, {core_word('role', user.role)})",
                                        user.username)
            index = self.allowed_by.findData(logbook.users.current)
            self.allowed_by.setCurrentIndex(max(index, 0))
            self.password = named(password_field(), "password", self.tr("Password of who allows it"))
            form.addRow(self.tr("Allowed &by"), self.allowed_by)
            form.addRow(self.tr("Their &password"), self.password)
            self.secrets.append(self.password)
        layout.addLayout(form)
        self.message = message_line()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.ok.setObjectName("make_change")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.new_password is not None and self.new_password.text() != self.new_password_again.text():
            self.message.setText(self.tr("The two new passwords differ: nothing was changed."))
            return
        by = (self.allowed_by.currentData() or "", self.password.text()) if self.allowed_by is not None else None
        try:
            self.change(by)
        except TaceLogError as exc:
            self.message.setText(error_text(exc))
            return
        super().accept()

    def done(self, result: int) -> None:
        for field in self.secrets:
            field.clear()
        super().done(result)


def first_user_dialog(logbook, parent=None) -> UserChangeDialog:
    """On a logbook with no users: the first radiologist (or administrator), who then allows the others, signed
    in once added."""
    def add(_by) -> None:
        username, password = dialog.new_username.text(), dialog.new_password.text()
        logbook.users.add(username, dialog.full_name.text(), dialog.role.currentData(), password)
        logbook.users.sign_in(username.strip(), password)
        dialog.added = username.strip()

    dialog = UserChangeDialog(
        logbook, QCoreApplication.translate("UsersDialog", "TACE Log - first user"),
        QCoreApplication.translate("UsersDialog", "This logbook has no users yet. Add the first radiologist (or an "
                                                  "administrator): they sign procedures, and allow adding the "
                                                  "others in Tools > Users."),
        QCoreApplication.translate("UsersDialog", "Add and sign in"), add, parent, new_user=True, new_password=True,
        roles=(RADIOLOGIST, ADMIN))  # a radiologist first: the usual first user
    dialog.setObjectName("first_user_dialog")
    dialog.added = None
    return dialog


class UsersDialog(QDialog):
    """Tools > Users: every user of the logbook, and the changes to them, each in a `UserChangeDialog`."""

    def __init__(self, logbook, parent=None):
        super().__init__(parent)
        self.logbook = logbook
        self.dialog: UserChangeDialog | None = None  # the change asked last, for tests and to keep it alive
        self.setWindowTitle(self.tr("Users"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("users")
        self.table.setAccessibleName(self.tr("Users"))
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Full name"), self.tr("Role"),
                                              self.tr("State")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = command_button(QPushButton(self.tr("&Add user...")), "add_user", self.add_user)
        self.active_button = command_button(QPushButton(self.tr("&Deactivate...")), "toggle_active",
                                            self.toggle_active)
        self.password_button = command_button(QPushButton(self.tr("Set &password...")), "set_password",
                                              self.set_password)
        for button in (self.add_button, self.active_button, self.password_button):
            row.addWidget(button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        users = self.logbook.users.everyone()
        chosen = select or self.selected_username()
        self.table.setRowCount(len(users))
        for r, user in enumerate(users):
            state = (self.tr("active") if user.active else self.tr("deactivated")) + (
                self.tr(", must change password") if user.must_change_password else "")
            for c, text in enumerate((user.username, user.full_name, core_word("role", user.role), state)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, user.username)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        names = [u.username for u in users]
        self.table.selectRow(names.index(chosen) if chosen in names else 0)
        self._update()

    def selected_username(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def selected(self) -> User | None:
        username = self.selected_username()
        return next((u for u in self.logbook.users.everyone() if u.username == username), None)

    def _update(self) -> None:
        user = self.selected()
        self.active_button.setText(self.tr("&Activate...") if user is not None and not user.active
                                   else self.tr("&Deactivate..."))
        self.active_button.setEnabled(user is not None)
        self.password_button.setEnabled(user is not None)

    def _ask(self, dialog: UserChangeDialog, name: str, then_select: Callable[[], str | None]) -> UserChangeDialog:
        dialog.setObjectName(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # no typed password lingers in a hidden dialog
        dialog.accepted.connect(lambda: self.refresh(then_select()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_user(self) -> UserChangeDialog:
        def add(by) -> None:
            self.logbook.users.add(dialog.new_username.text(), dialog.full_name.text(), dialog.role.currentData(),
                                   dialog.new_password.text(), by=by)

        dialog = UserChangeDialog(self.logbook, self.tr("Add user"),
                                  self.tr("A new user, with the role they work in: radiologists sign procedures, "
                                          "nurses record them."), self.tr("Add"), add, self, new_user=True,
                                  new_password=True)
        return self._ask(dialog, "add_user_dialog", lambda: dialog.new_username.text().strip())

    def toggle_active(self) -> UserChangeDialog | None:
        user = self.selected()
        if user is None:
            return None
        intro = (self.tr("Deactivate %1? They can no longer sign in or sign; their signatures stay as they are.")
                 if user.active else self.tr("Activate %1 again?")).replace("%1", f"{user.full_name} "
                                                                                 f"({user.username})")
        dialog = UserChangeDialog(self.logbook, self.tr("Deactivate user") if user.active else
                                  self.tr("Activate user"), intro,
                                  self.tr("Deactivate") if user.active else self.tr("Activate"),
                                  lambda by: self.logbook.users.set_active(user.username, not user.active, by), self)
        return self._ask(dialog, "active_dialog", lambda: user.username)

    def set_password(self) -> UserChangeDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = UserChangeDialog(
            self.logbook, self.tr("Set password"),
            self.tr("A new password for %1, who forgot theirs. They must choose their own before they sign or "
                    "allow changes.").replace("%1", f"{user.full_name} ({user.username})"), self.tr("Set password"),
            lambda by: self.logbook.users.change_password(user.username, dialog.new_password.text(), by=by), self,
            new_password=True)
        return self._ask(dialog, "set_password_dialog", lambda: user.username)


def users_dialog(logbook, parent: QWidget) -> UsersDialog:
    dialog = UsersDialog(logbook, parent)
    dialog.setObjectName("users_dialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
