"""Start-up as `launch` does it: the window shows at once, the damage check runs off the UI thread and holds
every write until it passes; a damaged logbook is closed and its newest good backup offered; a second app on the
same logbook is told who holds it."""

from __future__ import annotations

import pytest
from core.signing_support import NURSE_PASSWORD, signable_logbook
from core.tampering_support import drop_trigger
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from safety_samples import damage_agent_doses_root_page, file_digest, fill, logbook_state
from ui_support import sign_in_by_clicking

from tace_log.storage import Logbook
from ui.app import AppWindows, launch, open_main_window, show_main_window
from ui.safety.damaged_logbook import DamagedLogbookDialog
from ui.safety.logbook_lock import LogbookLock
from ui.safety.unexpected_error import ExceptionHook
from ui.shell.main_window import MainWindow


def filled_logbook(path, backup: bool = False):
    with Logbook.open(path) as book:
        fill(book, seed=5, patients=4, procedures_each=2)
        if backup:
            book.backups.back_up()
        return logbook_state(book)


@pytest.fixture
def start(qtbot, settings):
    """open_main_window, with the window closed (its backup on exit made) before its logbook at the end."""
    opened = []

    def open_(path):
        window, logbook = open_main_window(path, settings)
        qtbot.addWidget(window)
        opened.append((window, logbook))
        return window, logbook

    yield open_
    for window, logbook in opened:
        window.close()
        logbook.close()


def test_the_window_shows_with_its_worklist_filled_and_holds_writes_until_the_check_passes(tmp_path, start,
                                                                                         type_text):
    path = tmp_path / "logbook.sqlite"
    filled_logbook(path)
    window, logbook = start(path)
    assert window.isVisible() and window.worklist.model.rowCount() == 8  # shown means shown with rows
    window.check.blockSignals(True)  # hold the result back: this is the moment before the check reports
    window.check.wait()
    window.new_action.trigger()
    form = window.form
    type_text(form.editors["patient.mrn"].input, "HELD-1")
    assert window.writes_held and "Checking the logbook" in window.statusBar().currentMessage()
    assert not window.save_action.isEnabled() and not form.save_button.isEnabled()
    assert not window.backup_actions.restore_action.isEnabled()
    assert form.save() is False and "Checking the logbook" in form.banner.text()
    assert logbook.find_patient_by_mrn("HELD-1") is None
    window.check.blockSignals(False)
    window.check.checked.emit(None)  # what the finished check said (it passed: the file is sound)
    assert window.writes_held is None and window.save_action.isEnabled() and form.save_button.isEnabled()


def test_the_background_check_lets_writes_through_on_a_sound_logbook(qtbot, tmp_path, start):
    path = tmp_path / "logbook.sqlite"
    filled_logbook(path)
    window, logbook = start(path)
    qtbot.waitUntil(lambda: window.writes_held is None, timeout=10_000)
    assert window.save_action.isEnabled() and window.backup_actions.restore_action.isEnabled()


def test_damage_found_after_the_window_shows_closes_the_logbook_writes_nothing_and_offers_the_backup(
        qtbot, tmp_path, start):
    path = tmp_path / "logbook.sqlite"
    expected = filled_logbook(path, backup=True)
    damage_agent_doses_root_page(path)
    digest = file_digest(path)
    window, logbook = start(path)
    assert window.worklist.model.rowCount() == 8  # the damage is where the open does not look
    with qtbot.waitSignal(window.logbook_damaged, timeout=10_000) as damaged:
        pass
    assert window.logbook_closed and window.writes_held
    assert "is damaged" in window.notice.text() and "nothing was written" in window.notice.text()
    assert not window.new_action.isEnabled() and not window.save_action.isEnabled()
    window.close()
    assert file_digest(path) == digest  # not even the backup on exit touched it
    dialog = DamagedLogbookDialog(damaged.args[0])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    with Logbook.open(path) as book:
        assert logbook_state(book) == expected


def test_a_dropped_lock_trigger_holds_every_write_and_names_it(qtbot, tmp_path, start, type_text):
    path = tmp_path / "logbook.sqlite"
    expected = filled_logbook(path)
    drop_trigger(path, "lock_procedures_update")  # a plain SQLite client could now edit a signed procedure
    window, logbook = start(path)
    qtbot.waitUntil(lambda: "schema was changed" in (window.writes_held or ""), timeout=10_000)
    assert "trigger lock_procedures_update was dropped from the schema" in window.notice.text()
    assert "nothing will be saved" in window.notice.text() and window.notice.isVisible()
    assert not window.save_action.isEnabled() and not window.backup_actions.restore_action.isEnabled()
    window.new_action.trigger()  # reading and typing go on; saving does not
    type_text(window.form.editors["patient.mrn"].input, "HELD-2")
    assert not window.form.save_button.isEnabled() and window.form.save() is False
    assert logbook.find_patient_by_mrn("HELD-2") is None and logbook_state(logbook) == expected


def test_the_app_offers_the_backup_and_opens_a_fresh_window_once_it_is_restored(qtbot, tmp_path):
    path = tmp_path / "logbook.sqlite"
    expected = filled_logbook(path, backup=True)
    damage_agent_doses_root_page(path)
    windows = AppWindows(QApplication.instance(), path, ExceptionHook(None))
    assert windows.open()
    first = windows.window  # not given to qtbot: the app deletes it once the fresh window is open
    qtbot.waitUntil(lambda: first.findChild(DamagedLogbookDialog) is not None, timeout=10_000)
    dialog = first.findChild(DamagedLogbookDialog)
    assert "is damaged" in dialog.message.text() and dialog.restore_button.isVisible()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    second = windows.window
    qtbot.addWidget(second)
    assert second is not first and not second.logbook_closed and not first.isVisible()
    assert logbook_state(windows.logbook) == expected
    assert second.worklist.model.rowCount() == 8
    qtbot.waitUntil(lambda: second.writes_held is None, timeout=10_000)
    second.close()
    windows.logbook.close()


def close_the_message(seen: list[str]) -> None:
    """Answer the modal message box launch shows (it runs its own event loop), keeping its text."""
    box = QApplication.activeModalWidget()
    if box is None:
        QTimer.singleShot(50, lambda: close_the_message(seen))
        return
    seen.append(box.text())
    box.close()


def test_a_second_app_on_the_same_logbook_says_who_holds_it_and_exits(qtbot, tmp_path):
    path = tmp_path / "logbook.sqlite"
    filled_logbook(path)
    holder = LogbookLock(path)
    holder.acquire()
    seen: list[str] = []
    try:
        QTimer.singleShot(50, lambda: close_the_message(seen))
        assert launch(str(path)) == 1
    finally:
        holder.release()
    assert len(seen) == 1 and "already open in TACE Log" in seen[0] and "process" in seen[0]


def test_a_file_that_is_not_a_logbook_gets_a_clear_dialog(qtbot, tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list", encoding="utf-8")
    seen: list[str] = []
    QTimer.singleShot(50, lambda: close_the_message(seen))
    assert launch(str(path)) == 1
    assert len(seen) == 1 and "not a TACE Log logbook" in seen[0], seen
    assert path.read_text(encoding="utf-8") == "shopping list"
    assert not LogbookLock(path).is_locked()


def test_a_network_filesystem_warning_is_shown_in_a_banner(qtbot, logbook, settings):
    # The warning itself comes from the core (Logbook.open reads /proc/mounts); the app's part is to show it.
    logbook.warnings.append("the logbook is on a network filesystem (nfs): SQLite locking is unreliable there")
    window = MainWindow(logbook, settings)
    qtbot.addWidget(window)
    show_main_window(window)  # as open_main_window does at start-up
    assert window.notice.isVisible() and "network filesystem" in window.notice.text()
    qtbot.waitUntil(lambda: not window.writes_held)  # the check passes: the warning holds nothing back
    assert "network filesystem" in window.notice.text()


def test_the_unlock_button_is_there_for_the_lock_cover(window):
    assert window.lock_cover.findChild(QPushButton, "unlock") is not None


def test_a_nurse_signed_in_when_the_damage_is_found_is_told_to_ask_for_the_restore(qtbot, tmp_path):
    path = tmp_path / "logbook.sqlite"
    logbook, _patient, _procedure = signable_logbook(path)
    logbook.backups.back_up()
    logbook.close()
    windows = AppWindows(QApplication.instance(), path, ExceptionHook(None))
    assert windows.open()
    window = windows.window
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.writes_held is None, timeout=10_000)  # sound, so far
    sign_in_by_clicking(qtbot, window.who.dialog, "li", NURSE_PASSWORD)  # the sign-in the app asks at start
    damage_agent_doses_root_page(path)
    window.check_logbook_in_background()  # the check, as at the next start, finds the damage
    qtbot.waitUntil(lambda: window.findChild(DamagedLogbookDialog) is not None, timeout=10_000)
    dialog = window.findChild(DamagedLogbookDialog)
    assert "李娜 Li Na is a nurse" in dialog.offer.text() and not dialog.restore_button.isEnabled()
