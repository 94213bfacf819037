"""The procedure form's record buttons in the main window: report, sign, addendum, history; a signed procedure
opens read-only with its signature, and signing updates the worklist."""

from __future__ import annotations

import pypdf
import pytest
from core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
)
from ui_support import answer_modal, choose_file, print_to_file, shown_window

from ui.record.history_view import HistoryView
from ui.record.report_actions import CHART_FOLDER_KEY, ReportPreviewDialog
from ui.worklist.panel import COLUMNS

EDITORS = (QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractSpinBox)


@pytest.fixture
def signable(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "sign.sqlite")
    yield logbook, procedure
    logbook.close()


@pytest.fixture
def signing_window(qtbot, signable, settings):
    return shown_window(qtbot, signable[0], settings)


def sign_through_the_form(qtbot, window, procedure_id, username="chen", password=PASSWORD):
    form = window.open_procedure(procedure_id)
    qtbot.mouseClick(form.record_buttons.sign, Qt.MouseButton.LeftButton)
    dialog = form.record_buttons.dialog
    dialog.username.setCurrentIndex(dialog.username.findData(username))
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    return form, dialog


def test_signing_from_the_form_makes_it_read_only_with_the_signature_and_updates_the_worklist(
        qtbot, signing_window, signable):
    logbook, procedure = signable
    form, _dialog = sign_through_the_form(qtbot, signing_window, procedure.id)
    assert logbook.signing.is_signed(procedure.id)
    signed_form = signing_window.form
    assert signed_form is not form and signed_form.read_only
    assert "Signed by 陈伟 Chen Wei (chen)" in signed_form.signed_banner.text()
    assert not signed_form.save_button.isVisible()
    assert not signed_form.record_buttons.sign.isVisible() and signed_form.record_buttons.addendum.isEnabled()
    status_column = [key for key, _ in COLUMNS].index("status")
    assert signing_window.worklist.model.index(0, status_column).data() == "signed"


def test_a_signed_procedure_opens_with_every_editor_disabled(qtbot, signing_window, signable):
    logbook, procedure = signable
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    form = signing_window.open_procedure(procedure.id)
    editors = [w for kind in EDITORS for w in form.findChildren(kind)]
    assert editors and not [w.objectName() for w in editors if w.isEnabled()]
    enabled_buttons = {b.objectName() for b in form.findChildren(QAbstractButton) if b.isEnabled() and b.isVisible()}
    assert enabled_buttons == {"preview_report", "export_report", "print_report", "add_addendum",
                               "mark_entered_in_error", "show_history", "close"}
    audit_rows = len(list(logbook.audit.rows()))
    signing_window.save_action.trigger()  # Ctrl+S: nothing to save in a signed record
    assert len(list(logbook.audit.rows())) == audit_rows and logbook.signing.is_signed(procedure.id)


def test_a_nurse_is_not_offered_to_sign(qtbot, signing_window, signable):
    logbook, procedure = signable
    logbook.users.sign_in("li", NURSE_PASSWORD)  # the nurse is working; only the radiologist can sign
    form = signing_window.open_procedure(procedure.id)
    qtbot.mouseClick(form.record_buttons.sign, Qt.MouseButton.LeftButton)
    dialog = form.record_buttons.dialog
    assert dialog.username.findData("li") == -1 and dialog.username.currentData() == "chen"
    assert not logbook.signing.is_signed(procedure.id) and signing_window.form is form


def test_unsaved_changes_must_be_saved_before_signing(qtbot, signing_window, signable, type_text):
    _logbook, procedure = signable
    form = signing_window.open_procedure(procedure.id)
    type_text(form.editors["procedure.operator"].input, " Jr")
    qtbot.mouseClick(form.record_buttons.sign, Qt.MouseButton.LeftButton)
    assert form.record_buttons.dialog is None  # no sign dialog
    assert "Save your changes first" in form.banner.text()


def test_a_new_procedure_offers_the_record_buttons_only_once_saved(window):
    window.new_action.trigger()
    form = window.form
    buttons = form.record_buttons
    assert not any(b.isEnabled() for b in (buttons.preview, buttons.export, buttons.print, buttons.sign,
                                           buttons.history))
    assert "Save the procedure first" in buttons.sign.toolTip()


def test_preview_export_print_and_history_act_on_the_saved_record(qtbot, signing_window, signable, tmp_path):
    logbook, procedure = signable
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    form = signing_window.open_procedure(procedure.id)
    buttons = form.record_buttons
    qtbot.mouseClick(buttons.preview, Qt.MouseButton.LeftButton)
    preview = buttons.dialog
    qtbot.addWidget(preview)
    assert isinstance(preview, ReportPreviewDialog) and preview.document.pageCount() >= 1

    answered = answer_modal(choose_file(tmp_path / "report.pdf"))  # the button asks where, in Qt's file dialog
    qtbot.mouseClick(buttons.export, Qt.MouseButton.LeftButton)
    assert answered
    text = "".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "report.pdf").pages)
    assert "M0001" in text and "陈伟" in text
    assert signing_window.settings.value(CHART_FOLDER_KEY) == str(tmp_path)

    answered = answer_modal(print_to_file(tmp_path / "printed.pdf"))
    qtbot.mouseClick(buttons.print, Qt.MouseButton.LeftButton)
    assert answered
    printed = pypdf.PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == preview.document.pageCount() and printed.pages[0].images  # the report, painted

    qtbot.mouseClick(buttons.history, Qt.MouseButton.LeftButton)
    rows = buttons.dialog.findChild(HistoryView).row_texts()
    assert any("Signature" in row[3] for row in rows)


def test_an_addendum_through_the_form_is_stored_and_shown(qtbot, signing_window, signable):
    logbook, procedure = signable
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    form = signing_window.open_procedure(procedure.id)
    qtbot.mouseClick(form.record_buttons.addendum, Qt.MouseButton.LeftButton)
    dialog = form.record_buttons.dialog
    dialog.reason.setText("late finding")
    dialog.text.setPlainText("Lipiodol deposit confirmed on CT.")
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.findChild(QPushButton, "sign_and_add"), Qt.MouseButton.LeftButton)
    assert [a.reason for a in logbook.signing.addenda_of(procedure.id)] == ["late finding"]
    assert "1 addendum" in signing_window.form.signed_banner.text()


def test_a_signed_procedure_marked_entered_in_error_through_the_form_says_so_everywhere(qtbot, signing_window,
                                                                                         signable, pdf_pages_text):
    logbook, procedure = signable
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    form = signing_window.open_procedure(procedure.id)
    qtbot.mouseClick(form.record_buttons.entered_in_error, Qt.MouseButton.LeftButton)
    dialog = form.record_buttons.dialog
    dialog.password.setText(PASSWORD)
    mark = dialog.findChild(QPushButton, "sign_and_mark")
    qtbot.mouseClick(mark, Qt.MouseButton.LeftButton)  # no reason: said, nothing written
    assert dialog.isVisible() and "reason" in dialog.message.text()
    assert logbook.signing.entered_in_error_of(procedure.id) is None
    qtbot.keyClicks(dialog.reason, "wrong patient selected")
    qtbot.mouseClick(mark, Qt.MouseButton.LeftButton)
    assert logbook.signing.entered_in_error_of(procedure.id).reason == "wrong patient selected"
    reopened = signing_window.form
    assert reopened.signed_banner.text().startswith("ENTERED IN ERROR: not valid (wrong patient selected")
    assert not reopened.record_buttons.entered_in_error.isVisible()  # marked once
    status_column = [key for key, _ in COLUMNS].index("status")
    qtbot.waitUntil(lambda: signing_window.worklist.model.index(0, status_column).data() == "entered in error")
    preview = reopened.record_buttons.show_preview()
    assert all("ENTERED IN ERROR" in page for page in pdf_pages_text(preview.data))
    preview.close()
    qtbot.mouseClick(reopened.record_buttons.history, Qt.MouseButton.LeftButton)
    rows = reopened.record_buttons.dialog.findChild(HistoryView).row_texts()
    marked = [row for row in rows if row[3].startswith("Entered in error: ")]
    assert ["Entered in error: reason", "wrong patient selected"] in [[row[3], row[5]] for row in marked]
    assert not any(row[3].startswith("Addendum") for row in rows)  # the mark is not called an addendum


@pytest.fixture
def moved(tmp_path, signable):
    """The signed procedure exported and imported into another logbook, whose users do not include its signer;
    there the patient was weighed again (64 -> 71 kg) after signing."""
    from tace_log import interchange
    from tace_log.storage import Logbook

    logbook, procedure = signable
    patient = logbook.get_patient(procedure.patient_id)
    patient.weight_kg = 64
    logbook.save_patient(patient)
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    doc = interchange.export_document(logbook)
    doc["patients"][0]["weight_kg"] = 71
    other = Logbook.open(tmp_path / "there.sqlite")
    other.users.add("wang", "王明 Wang Ming", "radiologist", "wang's password")
    other.import_document(doc)
    yield other, procedure
    other.close()


def test_a_record_signed_elsewhere_opens_as_such_with_what_changed_since(qtbot, settings, moved):
    other, procedure = moved
    window = shown_window(qtbot, other, settings)
    form = window.open_procedure(procedure.id)
    banner = form.signed_banner.text()
    assert form.read_only and banner.startswith("Signed elsewhere by 陈伟 Chen Wei (chen), radiologist, at ")
    assert "not a user of this logbook" in banner and "Changed since signing: Weight 64 → 71 kg." in banner
    assert "DOES NOT VERIFY" not in banner
    buttons = form.record_buttons
    assert not buttons.sign.isVisible() and buttons.addendum.isVisible()  # a user here may still add an addendum
    qtbot.mouseClick(buttons.history, Qt.MouseButton.LeftButton)
    rows = buttons.dialog.findChild(HistoryView).row_texts()
    elsewhere = [row for row in rows if row[3] == "Signature: signed elsewhere"]
    assert elsewhere and elsewhere[0][5] == "yes" and elsewhere[0][6] == "imported with its record: signed in " \
                                                                          "another logbook"
    assert not [row for row in rows if row[3] == "Signature: content"]  # its SHA-256 stands for it


def test_a_signature_that_does_not_verify_is_never_shown_as_valid(qtbot, settings, moved):
    import sqlite3

    from tace_log.storage.audit import AuditSession

    other, procedure = moved
    with sqlite3.connect(other.path, isolation_level=None) as conn:  # an editor of the file
        AuditSession(conn, "forger")
        conn.execute("DROP TRIGGER lock_procedures_update")
        conn.execute("UPDATE procedures SET operator = 'Someone Else'")
    conn.close()
    window = shown_window(qtbot, other, settings)
    banner = window.open_procedure(procedure.id).signed_banner.text()
    assert "THIS SIGNATURE DOES NOT VERIFY: the procedure differs from what was signed (operator)" in banner
