"""Users without a command line: the first radiologist added at the first run, and Tools > Users listing,
adding, deactivating and activating users and setting a forgotten password, each allowed as the CLI allows it
(an administrator, or a radiologist while there is none, with their own password). Driven by clicks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from ui_support import shown_window

from tace_log.resources import resource
from tace_log.storage import Logbook
from ui.people.users_dialog import UserChangeDialog, UsersDialog

NEW_PASSWORD = "a new long password"


def click(qtbot, dialog, name: str) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def fill(type_text, dialog, **fields) -> None:
    for name, text in fields.items():
        widget = getattr(dialog, name)
        widget.clear()
        type_text(widget, text)


@pytest.fixture
def users_window(qtbot, tmp_path, settings):
    logbook, _patient, _procedure = signable_logbook(tmp_path / "logbook.sqlite")
    with logbook:
        logbook.users.act_as("chen")
        yield shown_window(qtbot, logbook, settings)


def open_users(window) -> UsersDialog:
    window.users_action.trigger()  # Tools > Users...
    dialog = window.findChild(UsersDialog, "users_dialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_first_run_adds_the_first_radiologist_and_signs_them_in(qtbot, tmp_path, type_text):
    from ui.app import AppWindows
    from ui.safety.unexpected_error import ExceptionHook

    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    windows = AppWindows(QApplication.instance(), path, ExceptionHook(None))
    assert windows.open()
    window = windows.window
    qtbot.addWidget(window)
    dialog = window.findChild(UserChangeDialog, "first_user_dialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.allowed_by is None  # the first user needs nobody's permission
    assert [dialog.role.itemData(i) for i in range(dialog.role.count())] == ["radiologist", "admin"]
    dialog.role.setCurrentIndex(dialog.role.findData("radiologist"))
    fill(type_text, dialog, new_username="wang", full_name="王建国 Wang Jianguo", new_password=NEW_PASSWORD,
         new_password_again=NEW_PASSWORD)
    click(qtbot, dialog, "make_change")
    assert not dialog.isVisible()
    user = windows.logbook.users.get("wang")
    assert (user.full_name, user.role, user.active) == ("王建国 Wang Jianguo", "radiologist", True)
    assert windows.logbook.users.current == "wang" and window.who.signed_in.username == "wang"
    assert "wang" in window.who_label.text() and window.who.idle is not None
    qtbot.waitUntil(lambda: window.writes_held is None, timeout=10_000)
    window.close()
    windows.logbook.close()


def test_tools_users_lists_the_users_and_adds_a_nurse_allowed_by_a_radiologist(qtbot, users_window, type_text):
    dialog = open_users(users_window)
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert ["chen", "陈伟 Chen Wei", "radiologist", "active"] in rows and len(rows) == 2
    click(qtbot, dialog, "add_user")
    add = dialog.dialog
    assert [add.allowed_by.itemData(i) for i in range(add.allowed_by.count())] == ["chen"]  # not the nurse
    fill(type_text, add, new_username="zhao", full_name="赵敏 Zhao Min", new_password=NEW_PASSWORD,
         new_password_again=NEW_PASSWORD, password="not chen's password")
    add.role.setCurrentIndex(add.role.findData("nurse"))
    click(qtbot, add, "make_change")
    assert add.isVisible() and add.message.text()  # refused, saying why
    assert "zhao" not in [u.username for u in users_window.logbook.users.everyone()]
    fill(type_text, add, password=PASSWORD)
    click(qtbot, add, "make_change")
    assert not add.isVisible()
    assert users_window.logbook.users.get("zhao").role == "nurse"
    assert dialog.selected_username() == "zhao" and dialog.table.rowCount() == 3


def test_a_nurse_may_not_add_users(qtbot, users_window, type_text):
    users_window.logbook.users.act_as("li")
    dialog = open_users(users_window)
    click(qtbot, dialog, "add_user")
    add = dialog.dialog
    fill(type_text, add, new_username="zhao", new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD,
         password=NURSE_PASSWORD)
    add.allowed_by.setCurrentIndex(0)  # only chen is offered: with the nurse's password it is refused
    click(qtbot, add, "make_change")
    assert add.isVisible() and "zhao" not in [u.username for u in users_window.logbook.users.everyone()]


def test_deactivate_and_activate_again(qtbot, users_window, type_text):
    dialog = open_users(users_window)
    dialog.refresh("li")
    assert dialog.active_button.text().replace("&", "") == "Deactivate..."
    click(qtbot, dialog, "toggle_active")
    fill(type_text, dialog.dialog, password=PASSWORD)
    click(qtbot, dialog.dialog, "make_change")
    assert not users_window.logbook.users.get("li").active
    assert dialog.active_button.text().replace("&", "") == "Activate..."
    assert [dialog.table.item(r, 3).text() for r in range(2)
            if dialog.table.item(r, 0).text() == "li"] == ["deactivated"]
    click(qtbot, dialog, "toggle_active")
    fill(type_text, dialog.dialog, password=PASSWORD)
    click(qtbot, dialog.dialog, "make_change")
    assert users_window.logbook.users.get("li").active


def test_a_forgotten_password_is_set_and_must_be_changed_by_its_owner(qtbot, users_window, type_text):
    dialog = open_users(users_window)
    dialog.refresh("li")
    click(qtbot, dialog, "set_password")
    change = dialog.dialog
    fill(type_text, change, new_password=NEW_PASSWORD, new_password_again="another", password=PASSWORD)
    click(qtbot, change, "make_change")
    assert change.isVisible() and "differ" in change.message.text()
    fill(type_text, change, new_password_again=NEW_PASSWORD, password=PASSWORD)
    click(qtbot, change, "make_change")
    assert not change.isVisible()
    li = users_window.logbook.users.sign_in("li", NEW_PASSWORD)
    assert li.must_change_password
    assert "must change password" in dialog.table.item(
        [dialog.table.item(r, 0).text() for r in range(2)].index("li"), 3).text()


def test_no_text_of_the_app_names_a_command_line_command():
    sources = [m.findtext("source") for m in ET.parse(resource("translations", "tace_log_zh_CN.ts")).iter("message")]
    assert [s for s in sources if "tace-log " in s] == []
