"""The form's Delete… button (issue 19, item 6): an unsigned stored procedure is deleted after a confirmation that
asks the reason (kept in the audit trail); the form closes and the worklist drops the row; the patient stays. A new
form's is disabled, a signed one's hidden; Cancel or an empty reason deletes nothing."""

from __future__ import annotations

import pytest
from core.signing_support import PASSWORD, signable_logbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_support import shown_window


@pytest.fixture
def draft(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "delete.sqlite")
    yield logbook, patient, procedure
    logbook.close()


@pytest.fixture
def delete_window(qtbot, draft, settings):
    return shown_window(qtbot, draft[0], settings)


def answer_reason(monkeypatch, reason: str, ok: bool = True) -> list[tuple]:
    asked: list[tuple] = []

    def get_text(*args, **_kwargs):
        asked.append(args)
        return reason, ok
    monkeypatch.setattr("ui.record.record_buttons.QInputDialog.getText", get_text)
    return asked


def test_delete_asks_the_reason_then_closes_the_form_and_the_worklist_drops_the_row(
        qtbot, monkeypatch, delete_window, draft):
    logbook, patient, procedure = draft
    assert delete_window.worklist.model.rowCount() == 1
    form = delete_window.open_procedure(procedure.id)
    button = form.record_buttons.delete
    assert button.isVisible() and button.isEnabled() and button.accessibleName() == "Delete"
    asked = answer_reason(monkeypatch, "  entered for the wrong patient ")

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert len(asked) == 1 and "Why is it deleted?" in asked[0][2]
    assert delete_window.form is None
    assert delete_window.worklist.model.rowCount() == 0
    assert logbook.procedures_of(patient.id) == [] and logbook.get_patient(patient.id).name == "张伟"
    deleted = [row for row in logbook.audit.history(procedure.id) if row.action == "delete"]
    assert deleted and {row.reason for row in deleted} == {"entered for the wrong patient"}


@pytest.mark.parametrize(("reason", "ok"), [("a mistake", False), ("   ", True)])
def test_cancel_or_an_empty_reason_deletes_nothing(qtbot, monkeypatch, delete_window, draft, reason, ok):
    logbook, patient, procedure = draft
    form = delete_window.open_procedure(procedure.id)
    answer_reason(monkeypatch, reason, ok)
    warned: list[str] = []
    monkeypatch.setattr("ui.record.record_buttons.QMessageBox.warning",
                        lambda _parent, _title, text: warned.append(text) or QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(form.record_buttons.delete, Qt.MouseButton.LeftButton)
    assert delete_window.form is form
    assert [p.id for p in logbook.procedures_of(patient.id)] == [procedure.id]
    assert warned == ([] if not ok else [warned[0]]) and all("A reason is needed" in w for w in warned)


def test_delete_waits_for_a_first_save_and_a_signed_record_has_none(qtbot, delete_window, draft):
    logbook, patient, procedure = draft
    new = delete_window.new_procedure(patient.id)
    assert new.record_buttons.delete.isVisible() and not new.record_buttons.delete.isEnabled()
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    signed = delete_window.open_procedure(procedure.id)
    assert not signed.record_buttons.delete.isVisible()
