"""The procedure form's record buttons: Preview, Export PDF, Print, Sign…, Addendum…, Entered in Error…, History,
Delete….

They act on the saved record (the report and the signature cover what is stored, not what is typed), so they
wait for a first save; Sign waits for unsaved changes to be saved. The report modules (reportlab, QtPdf) and the
dialogs are imported on first use, keeping them out of start-up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QPushButton, QVBoxLayout

from tace_log.errors import RecordNotFoundError, TaceLogError
from tace_log.findings import WARNING
from ui.shell.messages import error_text
from ui.shell.widgets import command_button


def stored_and_signed(logbook, procedure_id: str) -> tuple[bool, bool]:
    """Whether the procedure is stored, and whether it is signed (a new form's, or a draft's, is not stored yet)."""
    try:
        return True, logbook.signing.is_signed(procedure_id)
    except RecordNotFoundError:
        return False, False


class RecordButtons(QObject):
    """Added to `form.button_row` by the main window; `update()` after a save, a sign-in or held writes."""

    def __init__(self, form, window):
        super().__init__(form)
        self.form, self.window = form, window
        self.dialog: QDialog | None = None  # the last dialog opened, for tests and to keep it alive
        self.preview = self._button("preview_report", self.tr("P&review"), self.show_preview)
        self.export = self._button("export_report", self.tr("E&xport PDF..."), self.export_pdf)
        self.print = self._button("print_report", self.tr("&Print..."), self.print_pdf)
        self.sign = self._button("sign_procedure", self.tr("Si&gn..."), self.open_sign_dialog)
        self.addendum = self._button("add_addendum", self.tr("&Addendum..."), self.open_addendum_dialog)
        self.entered_in_error = self._button("mark_entered_in_error", self.tr("Entered in Error..."),
                                             self.open_entered_in_error_dialog)
        self.history = self._button("show_history", self.tr("His&tory"), self.open_history)
        self.delete = self._button("delete_procedure", self.tr("&Delete..."), self.delete_procedure)
        at = form.button_row.indexOf(form.save_button) + 1
        for offset, button in enumerate((self.preview, self.export, self.print, self.sign, self.addendum,
                                         self.entered_in_error, self.history, self.delete)):
            form.button_row.insertWidget(at + offset, button)
        form.saved.connect(lambda _id: self.update())
        form.fix_tab_order()
        self.update()

    def _button(self, name: str, text: str, slot) -> QPushButton:
        return command_button(QPushButton(text, self.form), name, slot)

    def update(self) -> None:
        stored, signed = stored_and_signed(self.form.logbook, self.form.procedure_id)
        held = self.form.writes_held
        for button in (self.preview, self.export, self.print, self.history):
            button.setEnabled(stored)
            button.setToolTip(self.tr("Of the saved record") if stored else self.tr("Save the procedure first"))
        self.sign.setVisible(not signed)
        self.sign.setEnabled(stored and not held)
        self.addendum.setVisible(signed)
        self.addendum.setEnabled(signed and not held)
        marked = signed and self.form.logbook.signing.entered_in_error_of(self.form.procedure_id) is not None
        self.entered_in_error.setVisible(signed and not marked)  # a record is marked once
        self.entered_in_error.setEnabled(signed and not held)
        self.entered_in_error.setToolTip(held or self.tr("Mark this signed record entered in error (the wrong "
                                                         "patient, a procedure that did not take place): it is "
                                                         "kept, and its report says so on every page"))
        self.delete.setVisible(not signed)  # a signed record is never deleted
        self.delete.setEnabled(stored and not held)
        self.delete.setToolTip(held or (self.tr("Delete this unsigned procedure, with a reason kept in the audit "
                                                "trail; its patient stays") if stored
                                        else self.tr("Save the procedure first")))
        self.sign.setToolTip(held or (self.tr("Sign as the radiologist: the record is then locked") if stored
                                      else self.tr("Save the procedure first")))

    # -- the report ------------------------------------------------------------------------------------------
    def show_preview(self):
        from ui.record.report_actions import show_report_preview

        self.dialog = show_report_preview(self.form.logbook, self.form.procedure_id, self.window,
                                          self.window.settings)
        return self.dialog

    def export_pdf(self, path=None):
        from ui.record.report_actions import export_report

        return export_report(self.form.logbook, self.form.procedure_id, self.window, path, self.window.settings)

    def print_pdf(self, printer=None) -> bool:
        from ui.record.report_actions import print_report

        return print_report(self.form.logbook, self.form.procedure_id, self.window, printer)

    # -- signing ---------------------------------------------------------------------------------------------
    def open_sign_dialog(self):
        from ui.record.sign_dialog import SignDialog

        if self.form.dirty:
            self.form.say(self.tr("Save your changes first: a signature covers the saved record."), WARNING)
            return None
        self.dialog = SignDialog(self.form.logbook, self.form.procedure_id, self.window)
        self.dialog.setObjectName("sign_dialog")
        self.dialog.accepted.connect(self.window.reopen_form)  # now read-only, with its signature
        self.dialog.open()
        return self.dialog

    def open_addendum_dialog(self):
        from ui.record.addendum_dialog import AddendumDialog

        return self._open_signed_record_dialog(AddendumDialog, "addendum_dialog")

    def open_entered_in_error_dialog(self):
        from ui.record.entered_in_error_dialog import EnteredInErrorDialog

        return self._open_signed_record_dialog(EnteredInErrorDialog, "entered_in_error_dialog")

    def _open_signed_record_dialog(self, kind, name: str):
        """A dialog that adds a signed record to the signed procedure; the form reopens with it once added."""
        self.dialog = kind(self.form.logbook, self.form.procedure_id, self.window)
        self.dialog.setObjectName(name)
        self.dialog.accepted.connect(self.window.reopen_form)
        self.dialog.open()
        return self.dialog

    # -- deleting --------------------------------------------------------------------------------------------
    def delete_procedure(self) -> bool:
        """Delete the stored, unsigned procedure after a confirmation that asks the reason (kept in the audit
        trail; an empty one is refused, and the core refuses a signed record); the form closes and the worklist
        refreshes by the logbook's notice. Unsaved typing in the form goes with it."""
        title = self.tr("Delete procedure")
        reason, ok = QInputDialog.getText(
            self.window, title, self.tr("Delete %1? Its patient stays. Why is it deleted? (kept in the audit trail)")
            .replace("%1", self.form.display_title()))
        if not ok:
            return False
        if not reason.strip():  # the core refuses it too; said here in the app's words, as the chart's remove does
            QMessageBox.warning(self.window, title, self.tr("A reason is needed to delete a procedure."))
            return False
        try:
            self.form.logbook.delete_procedure(self.form.procedure_id, reason)
        except TaceLogError as exc:
            QMessageBox.warning(self.window, title, error_text(exc))
            return False
        self.form.discard()  # its draft on disk too: the record it was a draft of is gone
        self.window.close_form()
        self.window.statusBar().showMessage(self.tr("Procedure deleted; the reason is in the audit trail."), 5000)
        return True

    def open_history(self) -> QDialog:
        from ui.record.history_view import HistoryView

        dialog = QDialog(self.window)
        dialog.setObjectName("history_dialog")
        dialog.setWindowTitle(self.tr("History - %1").replace("%1", self.form.display_title()))
        dialog.resize(900, 420)
        QVBoxLayout(dialog).addWidget(HistoryView(self.form.logbook, self.form.procedure_id, dialog))
        dialog.open()
        self.dialog = dialog
        return dialog
