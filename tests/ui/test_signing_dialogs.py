"""The sign-in, idle lock, sign, addendum and history widgets, driven offscreen on a real logbook."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QPushButton

from tace_log.model import AgentDose, Patient, Procedure
from tace_log.storage import Logbook
from ui.people.idle_lock import IdleLock
from ui.people.login_dialog import LoginDialog
from ui.people.password_dialog import PasswordDialog
from ui.record.addendum_dialog import AddendumDialog
from ui.record.history_view import HistoryView
from ui.record.sign_dialog import SignDialog

RADIOLOGIST_PASSWORD = "radiologist pw"
NURSE_PASSWORD = "nurse pw 123"


@pytest.fixture
def logbook(tmp_path):
    with Logbook.open(tmp_path / "ui.sqlite") as book:
        book.users.add("zhou", "周杰 Zhou Jie", "radiologist", RADIOLOGIST_PASSWORD)
        book.users.add("wu", "吴敏 Wu Min", "nurse", NURSE_PASSWORD, by=("zhou", RADIOLOGIST_PASSWORD))
        yield book


@pytest.fixture
def draft(logbook):
    """A draft with one warning (epirubicin 90 mg is above its 80 mg warning limit)."""
    patient = Patient(mrn="U-1", name="刘洋", resection_date=dt.date(2025, 4, 1))
    logbook.save_patient(patient)
    procedure = Procedure(patient_id=patient.id, date=dt.date(2025, 5, 2), operator="Zhou", tumor_staining="absent",
                          embolization="prophylactic_embolization", impression="No stain: prophylactic embolization.",
                          agents=[AgentDose(agent="epirubicin", dose=90, unit="mg")])
    logbook.save_procedure(procedure)
    return procedure


def cancel_button(dialog) -> QPushButton:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)


def _select(combo, username):
    combo.setCurrentIndex(combo.findData(username))


def test_login_refuses_a_wrong_password_then_switches_user(qtbot, logbook):
    dialog = LoginDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    _select(dialog.username, "wu")
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "wrong user name or password" in dialog.message.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, NURSE_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user.username == "wu" and logbook.users.current == "wu"
    assert dialog.password.text() == ""
    for key in ("username", "password"):
        assert dialog.findChild(type(getattr(dialog, key)), key).accessibleName()


def test_the_idle_lock_fires_without_input_and_unlocks(qtbot, logbook):
    lock = IdleLock(minutes=0.001)  # 60 ms
    try:
        with qtbot.waitSignal(lock.locked, timeout=5000):
            pass
        assert lock.is_locked
        dialog = LoginDialog(logbook, locked=True)
        qtbot.addWidget(dialog)
        assert "Locked" in dialog.windowTitle() or "locked" in dialog.windowTitle()
        lock.unlock()
        assert not lock.is_locked
        lock.set_minutes(15)
        assert lock.minutes == 15
        with pytest.raises(ValueError):
            lock.set_minutes(0)
    finally:
        lock.stop()


def _items(dialog) -> list[str]:
    return [dialog.finding_list.item(i).text() for i in range(dialog.finding_list.count())]


def test_sign_dialog_needs_the_warning_acknowledged_and_the_right_password(qtbot, logbook, draft):
    logbook.users.act_as("zhou")
    dialog = SignDialog(logbook, draft.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _items(dialog) == ["Warning: Agent 1 · Dose: 90 mg of epirubicin is above the usual 80 mg; confirm the dose"]
    assert not dialog.sign_button.isEnabled()
    qtbot.mouseClick(dialog.acknowledge, Qt.MouseButton.LeftButton)
    assert dialog.sign_button.isEnabled()
    qtbot.keyClicks(dialog.password, "not it")
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert "wrong user name or password" in dialog.message.text() and not logbook.signing.is_signed(draft.id)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, RADIOLOGIST_PASSWORD)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.signature == logbook.signing.signature_of(draft.id) and logbook.signing.is_signed(draft.id)


def test_sign_dialog_blocks_a_record_with_errors(qtbot, logbook, draft):
    draft.operator = None
    logbook.save_procedure(draft)
    dialog = SignDialog(logbook, draft.id)
    qtbot.addWidget(dialog)
    assert not dialog.sign_button.isEnabled()
    dialog.acknowledge.setChecked(True)
    assert not dialog.sign_button.isEnabled()
    assert "ERROR: Operator: is required before signing" in _items(dialog)


def test_sign_dialog_offers_only_radiologists_and_names_fields_by_their_labels(qtbot, logbook, draft):
    logbook.users.add("qian", "钱红 Qian Hong", "radiologist", "qian's password", by=("zhou", RADIOLOGIST_PASSWORD))
    logbook.users.sign_in("wu", NURSE_PASSWORD)  # the nurse at the workstation opens the dialog for a radiologist
    draft.fluoroscopy_min = 75  # a warning on a field whose key has "_" in it
    logbook.save_procedure(draft)
    dialog = SignDialog(logbook, draft.id)
    qtbot.addWidget(dialog)
    offered = [dialog.username.itemText(i) for i in range(dialog.username.count())]
    assert offered == ["钱红 Qian Hong (qian, radiologist)", "周杰 Zhou Jie (zhou, radiologist)"]
    items = _items(dialog)
    assert ("Warning: Fluoroscopy time: 75 min is above the SIR/NCRP threshold for radiation follow-up (60 min): "
            "arrange a skin check (Minutes, not seconds)") in items
    assert "Warning: Agent 1 · Dose: 90 mg of epirubicin is above the usual 80 mg; confirm the dose" in items
    assert not [item for item in items if re.search(r"\w_\w|\[\d+\]|procedure\.", item)]  # no key shown


def test_sign_dialog_without_an_active_radiologist_says_so(qtbot, tmp_path):
    with Logbook.open(tmp_path / "no-radiologist.sqlite") as logbook:
        logbook.users.add("admin", "Admin", "admin", "admin password")
        logbook.users.add("zhou", "周杰 Zhou Jie", "radiologist", RADIOLOGIST_PASSWORD, by=("admin", "admin password"))
        logbook.users.set_active("zhou", False, by=("admin", "admin password"))
        patient = Patient(mrn="U-2", name="刘洋")
        logbook.save_patient(patient)
        procedure = Procedure(patient_id=patient.id, date=dt.date(2025, 5, 2), operator="Zhou",
                              tumor_staining="absent", embolization="prophylactic_embolization",
                              impression="No stain.")
        logbook.save_procedure(procedure)
        dialog = SignDialog(logbook, procedure.id)
        qtbot.addWidget(dialog)
        assert dialog.username.count() == 0 and not dialog.sign_button.isEnabled()
        assert dialog.message.text() == "No active radiologist in this logbook: add them in Tools > Users."


def test_addendum_dialog_adds_a_signed_addendum_and_history_shows_everything(qtbot, logbook, draft):
    logbook.signing.sign(draft.id, "zhou", RADIOLOGIST_PASSWORD, acknowledge_warnings=True)
    dialog = AddendumDialog(logbook, draft.id)
    qtbot.addWidget(dialog)
    offered = {dialog.username.itemData(i) for i in range(dialog.username.count())}
    assert offered == {u.username for u in logbook.users.active() if u.may_sign} and "wu" not in offered  # no nurse
    dialog.reason.setText("迟发并发症 late complication")
    dialog.text.setPlainText("Day 2: pain, grade 2. 术后疼痛")
    _select(dialog.username, "zhou")
    dialog.password.setText(RADIOLOGIST_PASSWORD)
    qtbot.mouseClick(dialog.findChild(QPushButton, "sign_and_add"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert logbook.signing.addenda_of(draft.id) == [dialog.addendum]
    view = HistoryView(logbook, draft.id)
    qtbot.addWidget(view)
    rows = view.row_texts()
    assert ["changed", "Status", "draft", "signed"] in [r[2:6] for r in rows]
    assert any(r[3] == "Agent: Dose" and r[5] == "90" for r in rows)
    assert any(r[3] == "Addendum: text" and "术后疼痛" in r[5] and r[6].startswith("迟发") for r in rows)
    assert all(r[1] for r in rows)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(logbook.path.with_name("history.png")))


def test_a_user_changes_their_password_and_a_refusal_keeps_the_old_one(qtbot, logbook):
    logbook.users.sign_in("wu", NURSE_PASSWORD)
    dialog = PasswordDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.username.currentData() == "wu"  # the person working
    for name, text in (("password", NURSE_PASSWORD), ("new_password", "wu's new password"),
                       ("new_password_again", "wu's new passwort")):
        qtbot.keyClicks(dialog.findChild(QLineEdit, name), text)
    qtbot.keyClick(dialog.new_password_again, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.text() == "The two new passwords differ: password not changed."
    dialog.new_password_again.clear()
    qtbot.keyClicks(dialog.new_password_again, "wu's new password")
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "not wu's password")
    qtbot.keyClick(dialog.new_password_again, Qt.Key.Key_Return)
    assert "wrong user name or password" in dialog.message.text()
    assert logbook.users.authenticate("wu", NURSE_PASSWORD)  # unchanged so far
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, NURSE_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.changed == "wu"
    assert logbook.users.authenticate("wu", "wu's new password")
    assert not dialog.password.text() and not dialog.new_password.text()  # no password left in the widgets


def test_the_password_dialog_tabs_in_typing_order_says_what_is_wrong_and_keeps_no_password(qtbot, logbook):
    dialog = PasswordDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.password.nextInFocusChain() is dialog.new_password  # Tab: current, new, again, then OK
    assert dialog.new_password.nextInFocusChain() is dialog.new_password_again
    assert dialog.password.accessibleName() == "Current password"
    _select(dialog.username, "zhou")
    dialog.password.setText(RADIOLOGIST_PASSWORD)
    dialog.new_password.setText("short")
    dialog.new_password_again.setText("short")
    qtbot.mouseClick(dialog.findChild(QPushButton, "change_password"), Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "The new password must be at least 8 characters."
    assert logbook.users.authenticate("zhou", RADIOLOGIST_PASSWORD)
    qtbot.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not any(f.text() for f in (dialog.password, dialog.new_password, dialog.new_password_again))


@pytest.mark.parametrize("typed, message", [
    (" " * 10, "The new password must not be only spaces."),
    ("x" * 1025, "The new password must be at most 1024 characters."),
])
def test_the_password_dialog_says_the_cores_rule_for_a_blank_or_overlong_password(qtbot, logbook, typed, message):
    dialog = PasswordDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    _select(dialog.username, "wu")
    qtbot.keyClicks(dialog.password, NURSE_PASSWORD)
    for field in (dialog.new_password, dialog.new_password_again):
        field.setText(typed)  # as pasted
    qtbot.keyClick(dialog.new_password_again, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.message.text() == message
    assert logbook.users.authenticate("wu", NURSE_PASSWORD)
