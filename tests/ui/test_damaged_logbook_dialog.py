"""A logbook that fails the open check: the dialog says so, writes nothing, and offers the newest good backup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from safety_samples import damage, file_digest, fill, logbook_state

from tace_log.errors import LogbookCorruptError
from tace_log.storage import Logbook
from tace_log.users import NURSE, RADIOLOGIST, User
from ui.safety.damaged_logbook import DamagedLogbookDialog


def damaged_logbook(qtbot, path, with_backup: bool, user: User | None = None):
    """A logbook damaged after (optionally) a backup, the dialog shown for its open error, and what it held."""
    with Logbook.open(path) as book:
        fill(book, seed=9, patients=5, procedures_each=2)
        backup = book.backups.back_up().path if with_backup else None
        expected = logbook_state(book)
    damage(path)
    with pytest.raises(LogbookCorruptError) as caught:
        Logbook.open(path)
    digest = file_digest(path)
    dialog = DamagedLogbookDialog(caught.value, user=user)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, digest, backup, expected


def test_the_dialog_offers_the_newest_good_backup_and_restores_it(qtbot, tmp_path):
    dialog, damaged_digest, backup, expected = damaged_logbook(qtbot, tmp_path / "logbook.sqlite", with_backup=True)
    error = dialog.error
    assert "is damaged" in dialog.message.text() and "Nothing has been written" in dialog.message.text()
    assert backup.name in dialog.offer.text()
    assert file_digest(error.path) == damaged_digest  # showing the dialog wrote nothing
    with qtbot.waitSignal(dialog.restored) as restored:
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    report = restored.args[0]
    assert file_digest(report.safety_copy) == damaged_digest
    with Logbook.open(error.path) as book:
        assert logbook_state(book) == expected


def test_without_a_good_backup_the_dialog_says_so_and_only_closes(qtbot, tmp_path):
    dialog, digest, _, _ = damaged_logbook(qtbot, tmp_path / "logbook.sqlite", with_backup=False)
    error = dialog.error
    assert not dialog.restore_button.isVisible() and "No good backup" in dialog.offer.text()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == DamagedLogbookDialog.DialogCode.Rejected
    assert file_digest(error.path) == digest


def test_a_nurse_signed_in_when_the_damage_was_found_is_told_to_ask_and_cannot_restore(qtbot, tmp_path):
    nurse = User("li", "李娜 Li Na", NURSE)
    dialog, digest, _, _ = damaged_logbook(qtbot, tmp_path / "logbook.sqlite", with_backup=True, user=nurse)
    assert "needs an administrator or a radiologist, and 李娜 Li Na is a nurse" in dialog.offer.text()
    assert dialog.restore_button.isVisible() and not dialog.restore_button.isEnabled()
    assert "ask one of them" in dialog.restore_button.toolTip()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.report is None and file_digest(dialog.error.path) == digest


def test_a_radiologist_signed_in_restores(qtbot, tmp_path):
    radiologist = User("chen", "陈伟 Chen Wei", RADIOLOGIST)
    dialog, _, _, expected = damaged_logbook(qtbot, tmp_path / "logbook.sqlite", with_backup=True, user=radiologist)
    with qtbot.waitSignal(dialog.restored):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    with Logbook.open(dialog.error.path) as book:
        assert logbook_state(book) == expected
