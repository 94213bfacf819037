"""The main window refreshes from the Logbook's change notices what each makes stale, and only that: the worklist
after a record changed, who is working and what the File menu offers after the users changed, all of it after a
restore."""

from __future__ import annotations

from core.signing_support import PASSWORD
from safety_samples import fill

from tace_log.storage import Backups


def test_a_saved_record_refreshes_the_worklist_and_a_users_change_does_not(window, logbook, monkeypatch):
    fill(logbook, seed=21, patients=2, procedures_each=1)
    assert window.worklist.model.rowCount() == 2  # the import's notice
    refreshed = []
    real = window.worklist.refresh
    monkeypatch.setattr(window.worklist, "refresh", lambda: (refreshed.append(True), real()))
    logbook.users.add("chen", "Chen Wei", "radiologist", PASSWORD)
    assert refreshed == []
    fill(logbook, seed=22, patients=1, procedures_each=1)
    assert refreshed == [True] and window.worklist.model.rowCount() == 3


def test_the_first_user_shows_in_the_status_bar_and_the_file_menu_once_added(window, logbook):
    assert "no users yet" in window.who_label.text() and not window.who.switch_action.isEnabled()
    logbook.users.add("chen", "Chen Wei", "radiologist", PASSWORD)  # as `tace-log user add` would, in-process
    assert "no users yet" not in window.who_label.text()
    assert window.who.switch_action.isEnabled() and window.who.password_action.isEnabled()


def test_a_restore_shows_the_backup_in_the_worklist_the_status_bar_and_the_menu(window, logbook):
    fill(logbook, seed=23, patients=2, procedures_each=1)
    window.backup_actions.back_up_now()
    [backup] = Backups.of(logbook.path)
    logbook.users.add("chen", "Chen Wei", "radiologist", PASSWORD)
    logbook.users.sign_in("chen", PASSWORD)
    fill(logbook, seed=24, patients=1, procedures_each=1)
    opened = window.open_procedure(window.worklist.model.procedure_id(0))
    assert opened is not None and window.worklist.model.rowCount() == 3 and window.who.switch_action.isEnabled()
    window.backup_actions.restore(backup)  # what the confirmation's Yes does
    assert window.worklist.model.rowCount() == 2 and window.form is None  # it showed what the backup lacks
    assert "no users yet" in window.who_label.text() and not window.who.switch_action.isEnabled()
