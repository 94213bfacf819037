"""Who is working, in the main window: asked at start when the logbook has users, shown in the status bar,
switched from the File menu, asked again after the idle lock, with the unsaved form kept across it."""

from __future__ import annotations

import json

import pytest
from core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from ui_support import shown_window, sign_in_by_clicking

from tace_log.settings import DEFAULT_IDLE_LOCK_MINUTES, SETTINGS_FILENAME


@pytest.fixture
def users_logbook(tmp_path):
    logbook, _patient, _procedure = signable_logbook(tmp_path / "users.sqlite")
    yield logbook
    logbook.close()


@pytest.fixture
def users_window(qtbot, users_logbook, settings):
    return shown_window(qtbot, users_logbook, settings)


def sign_in(qtbot, dialog, username: str, password: str) -> None:
    dialog.username.setCurrentIndex(dialog.username.findData(username))
    dialog.password.setText(password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_with_users_the_window_is_covered_until_someone_signs_in(qtbot, users_window, users_logbook):
    dialog = users_window.who.sign_in()
    assert dialog.isVisible() and users_window.locked
    assert users_window.lock_cover.isVisible() and not users_window.splitter.isVisible()
    assert not users_window.new_action.isEnabled() and users_window.quit_action.isEnabled()
    sign_in(qtbot, dialog, "chen", "wrong")
    assert users_window.locked and "wrong user name or password" in dialog.message.text()
    sign_in(qtbot, dialog, "chen", PASSWORD)
    assert not users_window.locked and users_window.splitter.isVisible() and users_window.new_action.isEnabled()
    assert users_logbook.users.current == "chen" and "chen" in users_window.who_label.text()


def test_file_switch_user_changes_who_the_audit_rows_name(qtbot, users_window, users_logbook):
    sign_in(qtbot, users_window.who.sign_in(), "chen", PASSWORD)
    switch = users_window.who.switch_action
    assert switch in users_window.file_menu.actions() and switch.isEnabled()
    switch.trigger()
    sign_in(qtbot, users_window.who.dialog, "li", NURSE_PASSWORD)
    assert users_logbook.users.current == "li" and "li" in users_window.who_label.text()


def test_file_change_password_is_held_with_the_writes_then_changes_the_working_users(qtbot, users_window,
                                                                                      users_logbook):
    sign_in(qtbot, users_window.who.sign_in(), "li", NURSE_PASSWORD)
    change = users_window.findChild(QAction, "change_password")
    assert change in users_window.file_menu.actions()
    users_window.hold_writes("checking")
    assert not change.isEnabled()  # a new password is a write
    users_window.allow_writes()
    assert change.isEnabled()
    change.trigger()
    dialog = users_window.findChild(QDialog, "password_dialog")
    assert dialog.isVisible() and dialog.username.currentData() == "li"
    dialog.password.setText(NURSE_PASSWORD)
    dialog.new_password.setText("li's new password")
    dialog.new_password_again.setText("li's new password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert users_logbook.users.authenticate("li", "li's new password")
    assert users_window.statusBar().currentMessage() == "Password of li changed."


def test_the_idle_lock_covers_the_window_and_keeps_the_unsaved_form(qtbot, users_window, users_logbook, type_text):
    sign_in(qtbot, users_window.who.sign_in(), "chen", PASSWORD)
    users_window.new_action.trigger()
    form = users_window.form
    type_text(form.editors["patient.name"].input, "欧阳娜娜")
    users_window.who.idle.set_minutes(0.001)  # 60 ms, so the test need not wait ten minutes
    qtbot.waitUntil(lambda: users_window.locked, timeout=5000)
    dialog = users_window.who.dialog
    assert dialog.isVisible() and "Locked after" in users_window.who.cover_text.text()
    assert not users_window.splitter.isVisible() and not users_window.save_action.isEnabled()
    assert [d.title for d in users_window.drafts.drafts()] == ["欧阳娜娜"]  # on disk while nobody is signed in
    users_window.who.idle.set_minutes(10)
    sign_in(qtbot, dialog, "chen", PASSWORD)
    assert not users_window.locked and users_window.form is form
    assert form.editors["patient.name"].value() == "欧阳娜娜" and form.dirty


def shown(parent, kind, name):
    """The one child of that kind and name on screen (rows the drafts bar replaced wait hidden for deletion)."""
    [widget] = [w for w in parent.findChildren(kind, name) if w.isVisible()]
    return widget


def bar_text(bar) -> str:
    return " ".join(label.text() for label in bar.findChildren(QLabel) if label.isVisible())


def lock_after_typing(qtbot, window, type_text, name: str):
    """chen signs in, starts a procedure from File > New, types a name, and the idle lock comes down."""
    sign_in(qtbot, window.who.sign_in(), "chen", PASSWORD)
    window.new_action.trigger()
    type_text(window.form.editors["patient.name"].input, name)
    window.who.idle.set_minutes(0.001)  # 60 ms, so the test need not wait ten minutes
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    window.who.idle.set_minutes(10)
    return window.form


def test_unlocking_as_another_user_keeps_the_unsaved_form_as_the_previous_users_draft(qtbot, users_window,
                                                                                      users_logbook, type_text):
    patients_before = users_logbook.counts()["patients"]
    lock_after_typing(qtbot, users_window, type_text, "欧阳娜娜")
    sign_in_by_clicking(qtbot, users_window.who.dialog, "li", NURSE_PASSWORD)
    assert not users_window.locked and users_logbook.users.current == "li"
    assert users_window.form is None  # li starts clean: nothing of chen's to save under her name
    users_window.save_action.trigger()
    assert users_logbook.counts()["patients"] == patients_before
    assert [(d.title, d.owner) for d in users_window.drafts.drafts()] == [("欧阳娜娜", "chen")]
    bar = users_window.drafts_bar
    assert bar.isVisible()
    assert "Unsaved draft of 陈伟 Chen Wei (chen): 欧阳娜娜" in bar_text(bar)
    restore = shown(bar, QPushButton, "restore_draft")
    assert not restore.isEnabled() and "Only chen can restore it" in restore.toolTip()

    users_window.who.switch_action.trigger()  # chen is back: the draft is his again, to restore and save
    sign_in_by_clicking(qtbot, users_window.who.dialog, "chen", PASSWORD)
    assert "Unsaved draft: 欧阳娜娜" in bar_text(bar)
    qtbot.mouseClick(shown(bar, QPushButton, "restore_draft"), Qt.MouseButton.LeftButton)
    assert users_window.form.editors["patient.name"].value() == "欧阳娜娜" and users_window.form.dirty


def test_unlocking_as_the_same_user_goes_on_with_the_unsaved_form(qtbot, users_window, type_text):
    form = lock_after_typing(qtbot, users_window, type_text, "欧阳娜娜")
    dialog = users_window.who.dialog
    assert dialog.windowTitle() == "TACE Log - locked"
    sign_in_by_clicking(qtbot, dialog, "chen", PASSWORD)
    assert users_window.form is form and form.dirty and form.editors["patient.name"].value() == "欧阳娜娜"
    assert not users_window.drafts_bar.isVisible()


def test_another_users_draft_of_a_stored_procedure_is_not_shown_as_yours(qtbot, users_window, users_logbook,
                                                                         type_text):
    sign_in(qtbot, users_window.who.sign_in(), "chen", PASSWORD)
    table = users_window.worklist.table
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    form = users_window.form
    stored_operator = form.editors["procedure.operator"].value()
    type_text(form.editors["procedure.operator"].input, " (changed by chen)")
    users_window.who.lock()  # as the idle timer does
    sign_in_by_clicking(qtbot, users_window.who.dialog, "li", NURSE_PASSWORD)
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert users_window.form.editors["procedure.operator"].value() == stored_operator and not users_window.form.dirty
    assert "陈伟 Chen Wei has an unsaved draft of this procedure" in users_window.form.banner.text()
    assert [d.owner for d in users_window.drafts.drafts()] == ["chen"]


def test_a_form_whose_draft_cannot_be_written_stays_when_another_user_unlocks(qtbot, users_window, users_logbook,
                                                                             type_text):
    users_logbook.path.with_name("drafts").write_text("not a folder")  # no draft can be written
    form = lock_after_typing(qtbot, users_window, type_text, "欧阳娜娜")
    sign_in_by_clicking(qtbot, users_window.who.dialog, "li", NURSE_PASSWORD)
    assert users_window.form is form and form.editors["patient.name"].value() == "欧阳娜娜"  # never dropped
    assert "The draft could not be kept on disk" in form.banner.text()


def test_a_cancelled_sign_in_leaves_the_window_covered_with_a_sign_in_button(qtbot, users_window):
    dialog = users_window.who.sign_in()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert users_window.locked and users_window.who.unlock_button.isVisible()
    qtbot.mouseClick(users_window.who.unlock_button, Qt.MouseButton.LeftButton)
    assert users_window.who.dialog is not dialog and users_window.who.dialog.isVisible()
    sign_in(qtbot, users_window.who.dialog, "li", NURSE_PASSWORD)
    assert not users_window.locked


def test_the_sign_in_button_on_the_idle_lock_asks_as_the_lock_does(qtbot, users_window):
    sign_in(qtbot, users_window.who.sign_in(), "chen", PASSWORD)
    users_window.who.lock()
    qtbot.keyClick(users_window.who.dialog, Qt.Key.Key_Escape)
    qtbot.mouseClick(users_window.who.unlock_button, Qt.MouseButton.LeftButton)
    assert users_window.who.dialog.windowTitle() == "TACE Log - locked"  # not the start's "who is working?"


def test_closing_while_locked_keeps_the_typing_as_a_draft_without_asking(qtbot, users_window, type_text):
    sign_in(qtbot, users_window.who.sign_in(), "chen", PASSWORD)
    users_window.new_action.trigger()
    form = users_window.form
    type_text(form.editors["patient.mrn"].input, "LOCK-9")
    users_window.who.lock()
    assert users_window.close()
    assert [d.procedure["id"] for d in users_window.drafts.drafts()] == [form.procedure_id]


def test_without_users_the_os_login_works_and_the_status_bar_says_how_to_add_users(window, logbook):
    assert window.who.sign_in() is None and not window.locked
    assert logbook.users.current in window.who_label.text()
    assert "add them in Tools > Users" in window.who_label.text()
    assert not window.who.switch_action.isEnabled()
    assert window.who.lock() is None and not window.locked  # nobody could unlock it


def test_the_idle_time_comes_from_the_settings_file_beside_the_logbook(qtbot, users_logbook, settings):
    users_logbook.path.with_name(SETTINGS_FILENAME).write_text(json.dumps({"idle_lock_minutes": 3}))
    window = shown_window(qtbot, users_logbook, settings)
    sign_in(qtbot, window.who.sign_in(), "chen", PASSWORD)
    assert window.who.idle.minutes == 3


def test_a_bad_idle_time_is_said_in_the_banner_and_the_default_used(qtbot, users_logbook, settings):
    users_logbook.path.with_name(SETTINGS_FILENAME).write_text(json.dumps({"idle_lock_minutes": -1}))
    window = shown_window(qtbot, users_logbook, settings)
    assert "idle_lock_minutes must be a positive number" in window.notice.text()
    assert window.who.idle_minutes == 10
    assert window.who.idle is None  # no idle lock runs before someone signs in
    dialog = window.who.sign_in()
    assert dialog.isVisible() and window.locked
    sign_in(qtbot, dialog, "chen", PASSWORD)
    assert window.who.idle.minutes == DEFAULT_IDLE_LOCK_MINUTES  # the lock itself runs on the default


def test_the_idle_lock_closes_an_open_password_dialog(qtbot, users_window, users_logbook):
    sign_in(qtbot, users_window.who.sign_in(), "chen", PASSWORD)
    users_window.who.password_action.trigger()
    dialog = users_window.findChild(QDialog, "password_dialog")
    dialog.password.setText(PASSWORD)
    users_window.who.lock()
    assert users_window.locked and not dialog.isVisible() and not dialog.password.text()


def test_signing_in_with_a_password_someone_else_set_asks_for_a_new_one(qtbot, users_window, users_logbook):
    users_logbook.users.change_password("li", "set by chen", by=("chen", PASSWORD))
    sign_in(qtbot, users_window.who.sign_in(), "li", "set by chen")
    dialog = users_window.findChild(QDialog, "password_dialog")
    assert dialog.isVisible() and dialog.username.currentData() == "li"
    assert dialog.message.text() == "Your password was set by someone else: choose your own."
