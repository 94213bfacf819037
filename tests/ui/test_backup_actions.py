"""File > Back up now and File > Restore from backup…, driven as a user would, offscreen."""

from __future__ import annotations

import datetime as dt

import pytest
from core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from core.tampering_support import edit_audit_row
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTreeView,
)
from safety_samples import fill, logbook_state
from ui_support import shown_window, sign_in_by_clicking

from tace_log.storage import Backups, Logbook
from ui.safety.backup_actions import BackupActions


@pytest.fixture
def window(qtbot, tmp_path):
    book = Logbook.open(tmp_path / "logbook.sqlite")
    fill(book, seed=11, patients=4, procedures_each=2)
    main = QMainWindow()
    qtbot.addWidget(main)
    main.actions_for_backup = BackupActions(lambda: book, main)
    main.menuBar().addMenu("&File").addActions(main.actions_for_backup.actions())
    main.book = book
    yield main
    book.close()


def test_back_up_now_makes_a_verified_backup_and_says_where(window):
    actions = window.actions_for_backup
    window.findChild(type(actions.back_up_action), "back_up_now").trigger()
    message = actions.messages[-1]
    assert message.icon() == QMessageBox.Icon.Information
    assert "Backed up" in message.text() and "verified" in message.text() and "8 procedures" in message.text()
    assert len(Backups.of(window.book.path)) == 1


def back_up(window):
    """File > Back up now: the backup it made."""
    window.findChild(QAction, "back_up_now").trigger()
    return Backups.of(window.book.path)[0]


def choose_in_the_restore_dialog(window, path) -> QFileDialog:
    """File > Restore from backup..., the file's name typed into the dialog and accepted."""
    window.findChild(QAction, "restore_backup").trigger()
    [dialog] = [d for d in window.findChildren(QFileDialog, "restore_file_dialog") if d.isVisible()]
    dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
    dialog.accept()
    return dialog


def test_restore_asks_first_then_brings_the_backup_back(window, qtbot):
    actions = window.actions_for_backup
    backup = back_up(window)
    before = logbook_state(window.book)
    fill(window.book, seed=12, patients=1, procedures_each=1)
    dialog = choose_in_the_restore_dialog(window, backup)
    assert dialog.directory().absolutePath() == str(backup.parent)
    question = actions.messages[-1]
    assert "Replace the logbook" in question.text() and logbook_state(window.book) != before
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert logbook_state(window.book) == before
    done = actions.messages[-1]
    assert "Restored from" in done.text() and "kept as" in done.text()


def test_cancelling_the_question_changes_nothing(window, qtbot):
    actions = window.actions_for_backup
    backup = back_up(window)
    fill(window.book, seed=13, patients=1, procedures_each=1)
    after = logbook_state(window.book)
    choose_in_the_restore_dialog(window, backup)
    qtbot.mouseClick(actions.messages[-1].button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert logbook_state(window.book) == after


def test_a_bad_file_chosen_for_restore_is_refused_and_the_logbook_is_unchanged(window, qtbot, tmp_path):
    actions = window.actions_for_backup
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a logbook at all" * 50)
    before = logbook_state(window.book)
    choose_in_the_restore_dialog(window, junk)
    qtbot.mouseClick(actions.messages[-1].button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    message = actions.messages[-1]
    assert message.icon() == QMessageBox.Icon.Critical and "The logbook was not changed" in message.text()
    assert "not a good backup" in message.text() and logbook_state(window.book) == before


def test_the_restore_dialog_shows_when_each_backup_was_made_in_local_time_with_its_zone(window, qtbot, time_zone):
    time_zone("Asia/Shanghai")
    backup = back_up(window)
    window.findChild(QAction, "restore_backup").trigger()
    [dialog] = [d for d in window.findChildren(QFileDialog, "restore_file_dialog") if d.isVisible()]
    files = dialog.findChild(QTreeView, "treeView")
    model = files.model()

    def listed() -> str:
        root = files.rootIndex()
        names = [model.index(row, 0, root) for row in range(model.rowCount(root))]
        return next((model.index(i.row(), 3, root).data() for i in names if i.data() == backup.name), "")

    qtbot.waitUntil(lambda: bool(listed()))
    made = dt.datetime.fromtimestamp(backup.stat().st_mtime, dt.UTC) + dt.timedelta(hours=8)
    assert listed() == f"{made:%Y-%m-%d %H:%M:%S} +08:00"
    dialog.reject()


def _restore_an_edited_backup(window, qtbot):
    """File > Restore of a backup whose audit trail was edited, Yes to the question: the question asked then."""
    backup = back_up(window)
    edit_audit_row(backup, 3, "someone else", reseal=False)
    fill(window.book, seed=16, patients=1, procedures_each=1)
    choose_in_the_restore_dialog(window, backup)
    qtbot.mouseClick(window.actions_for_backup.messages[-1].button(QMessageBox.StandardButton.Yes),
                     Qt.MouseButton.LeftButton)
    [asked] = [d for d in window.findChildren(QDialog, "restore_anyway") if d.isVisible()]
    return backup, asked


def test_a_backup_that_does_not_verify_is_restored_only_with_a_reason_the_audit_trail_keeps(window, qtbot):
    backup, asked = _restore_an_edited_backup(window, qtbot)
    said = asked.findChild(QLabel).text()
    assert f"{backup} was not restored: audit trail broken at row 4" in said and "tace-log" not in said
    assert not [row for row in window.book.audit.rows() if row.action == "restore"]  # not until told why
    restore, reason = asked.findChild(QPushButton, "restore_anyway_button"), asked.findChild(QLineEdit,
                                                                                             "restore_reason")
    assert not restore.isEnabled()
    qtbot.keyClicks(reason, "   ")
    assert not restore.isEnabled()  # spaces are no reason
    qtbot.keyClicks(reason, "the vendor repaired row 4 by hand")
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    done = window.actions_for_backup.messages[-1]
    assert "Restored from" in done.text() and "kept as" in done.text()
    restored = [row for row in window.book.audit.rows() if row.action == "restore"]
    assert [row.reason for row in restored] == ["the vendor repaired row 4 by hand"]
    assert "restored although it did not verify: audit trail broken at row 4" in restored[0].new_value


def test_cancelling_the_reason_restores_nothing(window, qtbot):
    _backup, asked = _restore_an_edited_backup(window, qtbot)
    after = logbook_state(window.book)
    qtbot.keyClicks(asked.findChild(QLineEdit, "restore_reason"), "a reason, then second thoughts")
    qtbot.keyClick(asked.findChild(QLineEdit, "restore_reason"), Qt.Key.Key_Return)  # Enter is Cancel here
    assert not asked.isVisible() and logbook_state(window.book) == after
    assert not [row for row in window.book.audit.rows() if row.action == "restore"]


def test_the_backup_on_exit_is_made_once_a_day(window):  # what closing the window calls (test_file_menu_wiring)
    actions = window.actions_for_backup
    assert actions.back_up_on_exit() is None and len(Backups.of(window.book.path)) == 1
    assert actions.back_up_on_exit() is None and len(Backups.of(window.book.path)) == 1


@pytest.fixture
def users_window(qtbot, tmp_path, settings):
    """The app's window on a logbook with the radiologist chen and the nurse li, and a backup of it."""
    book, _patient, _procedure = signable_logbook(tmp_path / "users.sqlite")
    book.backups.back_up()
    fill(book, seed=14, patients=1, procedures_each=1)
    window = shown_window(qtbot, book, settings)
    window.allow_writes()  # as once the background check has passed
    yield window
    window.close()
    book.close()


def test_a_nurse_is_told_restoring_needs_an_administrator_or_a_radiologist_and_nothing_is_restored(
        qtbot, users_window):
    sign_in_by_clicking(qtbot, users_window.who.sign_in(), "li", NURSE_PASSWORD)
    before = logbook_state(users_window.logbook)
    restore = users_window.findChild(QAction, "restore_backup")
    assert restore in users_window.file_menu.actions() and restore.isEnabled()
    restore.trigger()
    message = users_window.backup_actions.messages[-1]
    assert message.isVisible() and message.icon() == QMessageBox.Icon.Warning
    assert message.text().startswith("Nothing was restored: li is a nurse: only an administrator or a radiologist "
                                     "may restore a backup.")
    assert users_window.findChild(QFileDialog, "restore_file_dialog") is None  # no file is even offered
    assert logbook_state(users_window.logbook) == before


def test_a_radiologist_chooses_the_backup_to_restore(qtbot, users_window):
    sign_in_by_clicking(qtbot, users_window.who.sign_in(), "chen", PASSWORD)
    users_window.findChild(QAction, "restore_backup").trigger()
    assert users_window.findChild(QFileDialog, "restore_file_dialog").isVisible()


def _our_locks(path) -> set[str]:
    """Which of the logbook's files this process holds POSIX locks on (what SQLite's connection holds)."""
    import os

    mine = set()
    for name in (str(path), f"{path}-shm"):
        inode = os.stat(name).st_ino
        with open("/proc/locks", encoding="ascii") as locks:  # /proc/locks: never a logbook
            if any(f" {os.getpid()} " in line and line.split()[5].endswith(f":{inode}") for line in locks):
                mine.add(name.rsplit(".", 1)[-1])
    return mine


def test_the_restore_file_dialog_in_the_logbooks_folder_keeps_the_apps_sqlite_locks(window, qtbot):
    """Qt's file dialog reads every listed file to guess its type; in the logbook's folder (no backups/ yet) that
    read of the -wal and -shm dropped the app's locks, and a CLI beside it then deleted the -wal under it."""
    book = window.book
    book.counts()
    held = _our_locks(book.path)
    assert held == {"sqlite", "sqlite-shm"}
    window.findChild(QAction, "restore_backup").trigger()
    [dialog] = [d for d in window.findChildren(QFileDialog, "restore_file_dialog") if d.isVisible()]
    model = dialog.findChild(QFileSystemModel)
    qtbot.waitUntil(lambda: model.rowCount(model.index(str(book.path.parent))) >= 1)  # the logbook is listed
    for row in range(model.rowCount(model.index(str(book.path.parent)))):  # every type and icon asked for
        index = model.index(row, 2, model.index(str(book.path.parent)))
        model.data(index)
        model.fileIcon(index)
    qtbot.wait(300)  # the dialog's gatherer thread looks the files up in the background
    dialog.reject()
    assert _our_locks(book.path) == held
