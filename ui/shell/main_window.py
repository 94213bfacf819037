"""The main window: the worklist on the left, the open procedure form on the right, drafts offered back on top.

Places other modules plug into: `file_menu` (before `quit_action`), `help_menu`, the form's `button_row`,
and `who_label` in the status bar for the person working.

Two states hold the window back: `hold_writes(reason)` (until the background damage check passes, or for good
once it fails) disables every action that writes; `set_locked(True)` (the idle lock, sign-in at start) covers the
content and leaves only Quit.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tace_log import __version__
from tace_log.drafts import Draft, DraftStore
from tace_log.errors import LogbookCorruptError, TaceLogError
from tace_log.findings import ERROR, INFO, WARNING
from tace_log.storage import Change, Changed, Logbook
from tace_log.times import parse_date, readable
from tace_log.users import User
from ui.people.who_is_working import WhoIsWorking
from ui.safety.backup_actions import BackupActions
from ui.safety.logbook_check import LogbookCheck
from ui.shell.file_dialog import file_dialog
from ui.shell.language import LANGUAGE_KEY, SYSTEM, install_translations, language, resolved
from ui.shell.messages import error_text, show_error
from ui.shell.screen import keep_on_screen, resize_to_fit
from ui.shell.signals import emit
from ui.worklist.panel import WorklistPanel

if TYPE_CHECKING:
    from ui.course.chart import PatientChart
    from ui.course.lab_grid import LabGrid
    from ui.course.queues import QueuesWindow
    from ui.course.record_dialog import CourseRecordDialog
    from ui.course.survival_view import SurvivalView
    from ui.entry.procedure_form import ProcedureForm

log = logging.getLogger(__name__)
# Marked for extraction; app.py translates it as the window's text when it holds the writes at start.
CHECKING = QT_TRANSLATE_NOOP("MainWindow", "Checking the logbook for damage... Saving is held until the check passes.")
# The worklist's column widths and sort, as the user left them. Renamed when Status moved before the findings: a
# header saved before would put widths and the sort on the wrong columns.
WORKLIST_HEADER = "worklist_header"


class MainWindow(QMainWindow):
    logbook_damaged = Signal(object)  # the LogbookError the background check found; the logbook is closed by then
    replaced = Signal(object)  # the window, in another language, that took this one's place (`show_in`)

    def __init__(self, logbook: Logbook, settings: QSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.logbook = logbook
        self.drafts = DraftStore(logbook.path)
        self.settings = settings if settings is not None else QSettings()
        self.form: ProcedureForm | None = None
        self.chart: PatientChart | None = None  # the patient chart opened last
        self.queues: QueuesWindow | None = None
        self.survival: SurvivalView | None = None
        self._splitter_restored = False
        self.writes_held: str | None = None  # why writes are held, or None
        self.locked = False
        self.closed = False
        self.handed_over = False  # replaced by a window in another language: it carries on with the logbook
        self.check: LogbookCheck | None = None
        # [*]: Qt shows a "*" there while the open form holds unsaved changes (setWindowModified).
        self.setWindowTitle(self.tr("TACE Log — %1").replace("%1", logbook.path.name) + "[*]")

        self.worklist = WorklistPanel(logbook, self)
        self.worklist.open_requested.connect(self.open_procedure)
        self.placeholder = QLabel(self.tr("Open a procedure from the worklist (Enter), or start a new one "
                                          "(Ctrl+N)."), self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.form_host = QStackedWidget(self)
        self.form_host.addWidget(self.placeholder)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.worklist)
        self.splitter.addWidget(self.form_host)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)

        self.drafts_bar = QFrame(self)
        self.drafts_bar.setObjectName("drafts_bar")
        self.drafts_bar.setStyleSheet("#drafts_bar { background: #fff4d6; border: 1px solid #e0c060; }")
        self.drafts_box = QVBoxLayout(self.drafts_bar)
        self.drafts_box.setContentsMargins(6, 4, 6, 4)
        self.notice = QLabel(self)  # what the user must know about this logbook: network drive, damage, settings
        self.notice.setObjectName("logbook_notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.lock_cover = QWidget(self)
        self.lock_cover.setObjectName("lock_cover")
        self.lock_cover.hide()
        central = QWidget(self)
        box = QVBoxLayout(central)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.notice)
        box.addWidget(self.drafts_bar)
        box.addWidget(self.splitter, 1)
        box.addWidget(self.lock_cover, 1)
        self.setCentralWidget(central)

        self._window_actions: list[QAction] = []
        self._build_actions()
        self.who_label = QLabel(self)  # who is working: kept up to date by `who`
        self.who_label.setObjectName("who_is_working")
        self.statusBar().addPermanentWidget(self.who_label)
        path_label = QLabel(str(logbook.path), self)
        path_label.setObjectName("logbook_path")
        self.statusBar().addPermanentWidget(path_label)
        self.protocol_label = QLabel(self)  # the protocol file in force: `show_protocol`, once the window shows
        self.protocol_label.setObjectName("protocol_in_force")
        self.statusBar().addPermanentWidget(self.protocol_label)
        self.who = WhoIsWorking(self)

        unsubscribe = logbook.subscribe(self._logbook_changed)
        self.destroyed.connect(lambda *_: unsubscribe())  # a dead window must not hear of later saves
        self.show_drafts()
        self._restore_settings()
        self.update_actions()

    @property
    def logbook_closed(self) -> bool:
        return not self.logbook.is_open

    # -- menus and shortcuts -------------------------------------------------------------------------------
    def _action(self, text: str, shortcut, slot, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is in the window
        self._window_actions.append(action)
        return action

    def add_file_actions(self, actions: list[QAction]) -> None:
        """Put actions in the File menu above Quit (and under the lock: disabled while the window is locked)."""
        self.file_menu.insertActions(self._before_quit, actions)
        self._window_actions.extend(actions)

    def _build_actions(self) -> None:
        self.new_action = self._action(self.tr("&New procedure"), QKeySequence.StandardKey.New,
                                       lambda: self.new_procedure(), "new_procedure")
        self.new_for_patient_action = self._action(self.tr("New procedure for the selected &patient"),
                                                   "Ctrl+Shift+N", self.new_procedure_for_selected,
                                                   "new_procedure_for_patient")
        self.save_action = self._action(self.tr("&Save"), QKeySequence.StandardKey.Save, self.save_form, "save")
        self.search_action = self._action(self.tr("&Find"), QKeySequence.StandardKey.Find, self.focus_search,
                                          "find")
        self.close_form_action = self._action(self.tr("&Close procedure"), None, self.close_form, "close_form")
        self.import_dose_action = self._action(self.tr("Import &dose..."), None, lambda: self.import_dose(),
                                               "import_dose")
        self.export_action = self._action(self.tr("E&xport…"), "Ctrl+Shift+E", lambda: self.open_export(),
                                          "export")
        self.quit_action = self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, "quit")
        self.about_action = self._action(self.tr("&About TACE Log"), None, self.show_about, "about")
        self.chart_action = self._action(self.tr("Patient &chart"), "Ctrl+Shift+C", self.open_chart_for_selected,
                                         "patient_chart")
        self.queues_action = self._action(self.tr("&Queues: who is due"), "Ctrl+Shift+Q", self.open_queues,
                                          "queues")
        self.survival_action = self._action(self.tr("&Survival by arm"), None, self.open_survival, "survival")
        self.study_report_action = self._action(self.tr("Study &report..."), None, lambda: self.open_study_report(),
                                                "study_report")
        self.refresh_action = self._action(self.tr("&Refresh worklist"), "F5", self.worklist.refresh,
                                           "refresh_worklist")
        self.users_action = self._action(self.tr("&Users..."), None, self.show_users, "users")
        self.settings_action = self._action(self.tr("&Settings..."), None, self.show_settings, "settings")

        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.file_menu.setObjectName("file_menu")
        for action in (self.new_action, self.new_for_patient_action, self.save_action, self.close_form_action,
                       self.import_dose_action, self.export_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.backup_actions = BackupActions(lambda: self.logbook, self)
        self._before_quit = self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.add_file_actions(self.backup_actions.actions())
        self.edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.edit_menu.addAction(self.search_action)
        self.patient_menu = self.menuBar().addMenu(self.tr("Pat&ient"))
        self.patient_menu.setObjectName("patient_menu")
        self.patient_menu.addAction(self.chart_action)
        self.patient_menu.addAction(self.queues_action)
        self.patient_menu.addSeparator()
        self.patient_menu.addAction(self.survival_action)
        self.patient_menu.addAction(self.study_report_action)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.view_menu.setObjectName("view_menu")
        self.view_menu.addAction(self.refresh_action)
        self._build_language_menu()
        self.tools_menu = self.menuBar().addMenu(self.tr("T&ools"))  # not &T: Alt+T is the form's History
        self.tools_menu.setObjectName("tools_menu")
        self.tools_menu.addAction(self.users_action)
        self.tools_menu.addAction(self.settings_action)
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.help_menu.setObjectName("help_menu")
        self.help_menu.addAction(self.about_action)

    def _build_language_menu(self) -> None:
        """View > Language: the system's, or one chosen for this workstation; each named in its own language."""
        self.language_menu = self.view_menu.addMenu(self.tr("&Language"))
        self.language_menu.setObjectName("language_menu")
        group = QActionGroup(self)
        chosen = str(self.settings.value(LANGUAGE_KEY, SYSTEM))
        self.language_actions: dict[str, QAction] = {}
        for key, text in ((SYSTEM, self.tr("&System language")), ("en", "&English"), ("zh", "中文(&Z)")):
            action = QAction(text, group, objectName=f"language_{key}", checkable=True)
            action.setChecked(key == chosen)
            action.triggered.connect(lambda _=False, key=key: self.choose_language(key))
            self.language_menu.addAction(action)
            self._window_actions.append(action)
            self.language_actions[key] = action

    def choose_language(self, choice: str) -> MainWindow | None:
        """Remember the choice for this workstation; if it is another language than the window's, the window is
        shown afresh in it (returned). None: the same language, or the open form's changes kept it open."""
        self.settings.setValue(LANGUAGE_KEY, choice)
        self.settings.sync()
        wanted = resolved(choice)
        return self.show_in(wanted) if wanted != language() else None

    def show_in(self, lang: str) -> MainWindow | None:
        """A new window in `lang` in this one's place, on the same logbook, with the same person signed in and
        the open procedure open again (its unsaved changes saved or discarded first, as the user says)."""
        reopen = self.form.procedure_id if self.form is not None else None
        if not self.close_form():
            return None
        from PySide6.QtWidgets import QApplication

        from ui.app import show_main_window
        from ui.record.record_buttons import stored_and_signed

        self.save_settings()
        install_translations(QApplication.instance(), lang)
        window = MainWindow(self.logbook, self.settings)
        window.who.carry_on_from(self.who)
        show_main_window(window)  # its own start: the notices, writes held until the check passes
        if reopen is not None and stored_and_signed(self.logbook, reopen)[0]:
            window.open_procedure(reopen)
        self.handed_over = True
        self.close()
        emit(self.replaced, window)  # whoever holds this window (AppWindows) takes the new one, and lets this go
        return window

    def show_users(self):
        """Tools > Users: the users listed, added, deactivated and activated, a forgotten password set."""
        from ui.people.users_dialog import users_dialog

        return users_dialog(self.logbook, self)

    def show_settings(self):
        """Tools > Settings: the report header and language, the chart folder, the protocol in force."""
        from ui.shell.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.logbook, self.settings, self)
        dialog.setObjectName("settings_dialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def focus_search(self) -> None:
        self.worklist.search.setFocus()
        self.worklist.search.selectAll()

    def about_text(self) -> str:
        return (self.tr("TACE Log %1").replace("%1", __version__) + "\n"
                + self.tr("Logbook: %1").replace("%1", str(self.logbook.path)) + "\n"
                + self.tr("Schema version: %1").replace("%1", str(self.logbook.schema_version)) + "\n"
                + self.protocol_text()[0])

    def protocol_text(self) -> tuple[str, TaceLogError | None]:
        """Which protocol file is in force, as the status bar and About say it; or why it cannot be used."""
        try:
            return self.tr("Protocol: %1").replace("%1", self.logbook.protocol.describe()), None
        except TaceLogError as exc:
            return self.tr("Protocol: %1").replace("%1", error_text(exc)), exc

    def show_protocol(self) -> None:
        """The protocol in force in the status bar (read once the logbook is checked, not at start-up); a
        protocol file that cannot be used is also said in the notice line, as the form will refuse to open."""
        if self.logbook_closed:
            return
        text, error = self.protocol_text()
        self.protocol_label.setText(text)
        if error is not None:
            self.show_notice(text, ERROR)

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About TACE Log"), self.about_text())

    # -- forms ---------------------------------------------------------------------------------------------
    def _new_form(self, **record) -> ProcedureForm | None:
        """A form on the logbook, or None, said in an error box, when its rules cannot be read (a malformed
        protocol file beside the logbook names its key: never checked against another protocol instead)."""
        try:
            _ = self.logbook.validator  # built here, so its error is said, not raised from a slot
        except TaceLogError as exc:
            show_error(self, self.tr("Cannot open the procedure form"), error_text(exc))
            return None
        from ui.entry.procedure_form import ProcedureForm  # loaded with the first form, so the window shows sooner

        return ProcedureForm(self.logbook, self.drafts, parent=self.form_host, **record)

    def _drop_form(self) -> None:
        """The open form goes: its timers stopped first, so none fires on a form (or a logbook) that is gone."""
        self.form.retire()
        self.setWindowModified(False)
        self.form_host.removeWidget(self.form)
        self.form.deleteLater()
        self.form = None

    def _show_form(self, form: ProcedureForm) -> None:
        if self.form is not None:
            self._drop_form()
        self.form = form
        form.saved.connect(self.worklist.select_procedure)
        form.close_requested.connect(self.close_form)
        form.dirty_changed.connect(self.setWindowModified)
        self.setWindowModified(form.dirty)
        from ui.record.record_buttons import RecordButtons  # the form's modules load with the first form

        form.record_buttons = RecordButtons(form, self)
        form.set_writes_held(self.writes_held)
        self.form_host.addWidget(form)
        self.form_host.setCurrentWidget(form)
        QWidget.setTabOrder(self.worklist.table, form.first_field)  # Tab from the list into the form, Shift+Tab back
        form.editors["patient.mrn" if not form.patient_stored else "procedure.date"].input.setFocus()

    def _may_replace_form(self) -> bool:
        return self.form is None or self.form.may_close()

    def new_procedure(self, patient_id: str | None = None) -> ProcedureForm | None:
        if not self._may_replace_form():
            return None
        patient = self.logbook.get_patient(patient_id) if patient_id else None
        form = self._new_form(patient=patient)
        if form is None:
            return None
        self._show_form(form)
        return form

    def new_procedure_for_selected(self) -> None:
        procedure_id = self.worklist.current_procedure_id()
        if procedure_id:
            self.new_procedure(self.logbook.get_procedure(procedure_id).patient_id)

    def open_export(self) -> None:
        from ui.exchange.export_dialog import ExportDialog

        ExportDialog(self.logbook, self).exec()

    def import_dose(self, path: str | None = None) -> bool:
        """The dose of the X-ray system's radiation dose report (RDSR) into the open form, unsaved: the form's
        checks and the radiologist's Save apply as to anything typed. A file whose patient ID or study date is not
        the form's MRN or date is asked about first."""
        form = self.form
        if form is None or form.read_only:
            self.statusBar().showMessage(self.tr("Open a procedure that is not signed first: the dose goes into "
                                                 "its form."), 5000)
            return False
        if path is None:
            # every file shown first: an X-ray system's RDSR often has no extension at all
            start = self.settings.value("import_dose/folder", str(self.logbook.path.parent))
            dialog = file_dialog(self, self.tr("Import dose"), str(start), self.tr("All files (*);;"
                                                                            "DICOM files (*.dcm *.DCM)"))
            if not dialog.exec() or not dialog.selectedFiles():
                return False
            path = dialog.selectedFiles()[0]
            self.settings.setValue("import_dose/folder", str(Path(path).parent))  # the next one is likely there
        from tace_log.rdsr import read_dose_report  # loaded when first asked for (pydicom)

        try:
            summary = read_dose_report(path)
        except TaceLogError as exc:
            form.say(error_text(exc), ERROR)
            return False
        other = summary.other_procedure(path, form.editors["patient.mrn"].value(),
                                        parse_date(form.editors["procedure.date"].value()))
        if other is not None:  # the wrong patient's dose is worse than none: asked, No unless chosen
            answer = QMessageBox.question(
                self, self.tr("Import dose"), self.tr("%1.\n\nFill this procedure's form with its dose anyway?")
                .replace("%1", other.text(language())), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        values = summary.form_values()
        for key, value in values.items():
            form.editors["procedure." + key].set_value(value)
        form.say(self.tr("Dose read from %1 (%2, %n irradiation event(s)): check it, then Save.", "",
                         summary.irradiation_events).replace("%1", path).replace("%2", summary.device or "RDSR"),
                 INFO)
        return True

    def open_chart_for_selected(self) -> PatientChart | None:
        """The chart of the patient of the procedure chosen in the worklist, or of the one in the form."""
        procedure_id = self.worklist.current_procedure_id()
        patient_id = self.logbook.get_procedure(procedure_id).patient_id if procedure_id else \
            (self.form.patient_id if self.form is not None and self.form.patient_stored else None)
        if patient_id is None:
            self.statusBar().showMessage(self.tr("Choose a procedure in the worklist first: its patient's chart "
                                                 "opens."), 5000)
            return None
        return self.open_chart(patient_id)

    def open_chart(self, patient_id: str) -> PatientChart:
        from ui.course.chart import PatientChart  # loaded when first asked for, not at start-up

        chart = PatientChart(self.logbook, patient_id, self)
        chart.procedure_requested.connect(self.open_procedure)
        chart.show()
        self.chart = chart
        return chart

    def open_survival(self) -> SurvivalView:
        from ui.course.survival_view import SurvivalView  # loaded when first asked for: it imports reportlab

        view = SurvivalView(self.logbook, self)
        view.show()
        self.survival = view
        return view

    def open_study_report(self, cutoff: dt.date | None = None):
        """The study report at a data cutoff (asked for, today by default), in the report preview."""
        from PySide6.QtWidgets import QInputDialog

        from tace_log.reports.study import study_report  # loaded when first asked for
        from ui.record.report_actions import ReportPreviewDialog

        if cutoff is None:
            text, ok = QInputDialog.getText(self, self.tr("Study report"), self.tr("Data cutoff (YYYY-MM-DD):"),
                                            text=dt.date.today().isoformat())
            cutoff = parse_date(text.strip()) if ok else None
            if cutoff is None:
                if ok:
                    show_error(self, self.tr("Study report"), self.tr("Not a date: %1").replace("%1", text))
                return None
        data = study_report(self.logbook, cutoff, language())
        dialog = ReportPreviewDialog(data, f"study-report-{cutoff.isoformat()}.pdf", self, self.settings)
        dialog.open()
        return dialog

    def open_queues(self) -> QueuesWindow:
        from ui.course.queues import QueuesWindow  # loaded when first asked for, not at start-up

        if self.queues is None or not self.queues.isVisible():
            self.queues = QueuesWindow(self.logbook, self)
            self.queues.patient_requested.connect(self.open_chart)
        self.queues.show()
        self.queues.raise_()
        return self.queues

    def open_procedure(self, procedure_id: str) -> ProcedureForm | None:
        if self.form is not None and self.form.procedure_id == procedure_id:
            self.form_host.setCurrentWidget(self.form)
            return self.form
        # Your own draft of it first; else another's, to say whose unsaved work it is.
        mine = sorted((d for d in self.drafts.drafts() if d.id == procedure_id),
                      key=lambda d: self._other_owner(d) is not None)
        draft = mine[0] if mine else None
        stale = draft is not None and self._signed_since(draft)
        owner = self._other_owner(draft) if draft is not None else None
        if draft is not None and not stale and owner is None:  # your unsaved work on it: shown, never overwritten
            form = self.restore_draft(draft)
            if form is not None:
                form.say(self.tr("Your unsaved draft of this procedure is shown. Close and discard it to see the "
                                 "stored record."), INFO)
            return form
        if not self._may_replace_form():
            return None
        try:
            procedure = self.logbook.get_procedure(procedure_id)
            patient = self.logbook.get_patient(procedure.patient_id)
        except TaceLogError as exc:
            QMessageBox.warning(self, self.tr("Cannot open the procedure"), error_text(exc))
            return None
        form = self._new_form(patient=patient, procedure=procedure)
        if form is None:
            return None
        self._show_form(form)
        if stale:
            form.say(self.tr("This procedure was signed after your unsaved draft of it was written: the signed "
                             "record is shown. The draft can no longer change it and is kept in the drafts list; "
                             "use Addendum for anything to add."), WARNING)
        elif owner is not None:
            form.say(self.tr("%1 has an unsaved draft of this procedure, kept for them in the drafts list: the "
                             "stored record is shown.").replace("%1", owner.full_name), INFO)
        return form

    def _signed_since(self, draft: Draft) -> bool:
        """Whether the procedure a draft edits has been signed (by then the draft can never be saved)."""
        from ui.record.record_buttons import stored_and_signed

        return stored_and_signed(self.logbook, draft.id)[1]

    def _other_owner(self, draft: Draft) -> User | None:
        """The user whose work a draft is, when that is not the person working: theirs to restore, so it is never
        saved under another name. A draft without an owner, or typed under the operating-system login before the
        logbook had users, is anyone's."""
        if draft.owner in (None, self.logbook.users.current) or self.logbook_closed:
            return None
        return next((u for u in self.logbook.users.everyone() if u.username == draft.owner), None)

    def hand_over(self, previous: str) -> None:
        """Someone other than `previous` signed in at the covered window. The open form's unsaved changes are
        `previous`'s work: kept as their draft and the form closed, so the new user starts clean and never saves
        them under their own name. Should the draft fail to write, the form stays (saying so): typing is never
        dropped."""
        if self.form is None or not self.form.dirty:
            return
        if not self.form.save_draft(owner=previous):
            return
        self._drop_form()
        self.form_host.setCurrentWidget(self.placeholder)

    def save_form(self) -> None:
        if self.form is not None:
            self.form.save()

    def reopen_form(self) -> ProcedureForm | None:
        """Show the open procedure afresh from the logbook (after signing: now read-only, with its signature)."""
        if self.form is None or self.form.dirty:
            return self.form
        procedure_id = self.form.procedure_id
        self._drop_form()
        return self.open_procedure(procedure_id)

    def close_form(self) -> bool:
        if self.form is None:
            return True
        if not self.form.may_close():
            return False
        self._drop_form()
        self.form_host.setCurrentWidget(self.placeholder)
        self.worklist.table.setFocus()
        return True

    # -- drafts left by a crash ----------------------------------------------------------------------------
    def show_drafts(self) -> None:
        while self.drafts_box.count():
            item = self.drafts_box.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone from sight now, deleted once its click (Restore) has returned
                item.widget().deleteLater()
        # the drafts being typed now: the open form's, and those of course records' dialogs open in a chart
        open_ids = {self.form.procedure_id if self.form is not None else None}
        open_ids |= {getattr(d, "draft_id", None) for d in self.findChildren(QDialog) if d.isVisible()}
        waiting = [d for d in self.drafts.drafts() if d.id not in open_ids]
        for draft in waiting:
            line = QWidget(self.drafts_bar)
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            owner = self._other_owner(draft)
            text = (self.tr("Unsaved draft of %3 (%4): %1 (kept %2) - only %4 can restore it") if owner
                    else self.tr("Unsaved draft: %1 (kept %2)"))
            row.addWidget(QLabel(text.replace("%1", draft.title).replace("%2", readable(draft.saved_at))
                                 .replace("%3", owner.full_name if owner else "")
                                 .replace("%4", owner.username if owner else ""), line), 1)
            restore = QPushButton(self.tr("Restore"), line)
            restore.setObjectName("restore_draft")
            restore.clicked.connect(lambda _=False, d=draft: self.restore_draft(d))
            if owner is not None:  # their work: restored and saved by them, under their name
                restore.setEnabled(False)
                restore.setToolTip(self.tr("Only %1 can restore it: sign in as %1 (File > Switch user).")
                                   .replace("%1", owner.username))
            discard = QPushButton(self.tr("Discard"), line)
            discard.setObjectName("discard_draft")
            discard.clicked.connect(lambda _=False, d=draft: self.discard_draft(d))
            row.addWidget(restore)
            row.addWidget(discard)
            self.drafts_box.addWidget(line)
        self.drafts_bar.setVisible(bool(waiting))

    def restore_draft(self, draft: Draft) -> ProcedureForm | CourseRecordDialog | LabGrid | None:
        if draft.entity is not None:
            return self._restore_course_draft(draft)
        if self._signed_since(draft):
            return self.open_procedure(draft.id)  # the signed record, with word of the stale draft
        if not self._may_replace_form():
            return None
        form = self._new_form(draft=draft)
        if form is None:
            return None
        self._show_form(form)
        self.show_drafts()
        return form

    def _restore_course_draft(self, draft: Draft) -> CourseRecordDialog | LabGrid | None:
        """A course record's draft (or the lab grid's), in its dialog over the patient's chart."""
        try:
            chart = self.open_chart(draft.patient["id"])
        except TaceLogError as exc:  # the patient is no longer in the logbook
            QMessageBox.warning(self, self.tr("Cannot restore the draft"), error_text(exc))
            return None
        dialog = chart.open_lab_grid(draft) if draft.entity == "lab_grid" else \
            chart.open_record(draft.entity, (draft.record or {}).get("id"), draft)
        if dialog is not None:
            dialog.finished.connect(self.show_drafts)
        self.show_drafts()
        return dialog

    def discard_draft(self, draft: Draft) -> None:
        owner = self._other_owner(draft)
        question = (self.tr("Discard %2's unsaved draft %1? It is their work, and cannot be brought back.") if owner
                    else self.tr("Discard the unsaved draft %1? It cannot be brought back."))
        answer = QMessageBox.question(self, self.tr("Discard draft"), question.replace("%1", draft.title)
                                      .replace("%2", owner.full_name if owner else ""))
        if answer == QMessageBox.StandardButton.Yes:
            self.drafts.discard(draft.id, draft.owner)
            self.show_drafts()

    # -- logbook changes and window state ------------------------------------------------------------------
    def _logbook_changed(self, change: Change) -> None:
        """Refresh what the change made stale: the worklist after a record changed; who is working, whose the
        drafts are and what may be done after the users changed; all of it after a restore, and the open form
        (unless it holds unsaved typing), which showed the logbook as it was before."""
        if change.records_changed:
            self.worklist.refresh()
        if change.what in (Changed.USERS, Changed.RESTORED):
            self.who.show_user()
            if not self.locked:  # the cover hides the drafts bar; unlocking shows it afresh
                self.show_drafts()
            self.update_actions()
        if change.what is Changed.RESTORED and self.form is not None and not self.form.dirty:
            self.close_form()

    # -- notices, held writes, the lock --------------------------------------------------------------------
    def show_notice(self, text: str, severity: str = WARNING) -> None:
        """A line above the worklist for what holds for the whole logbook (network drive, damage, settings)."""
        lines = [line for line in (self.notice.text(), text) if line] if self.notice.isVisible() else [text]
        from ui.entry.field_editors import SEVERITY_COLOUR  # with the form's modules, not at start-up

        colour = SEVERITY_COLOUR.get(severity, "#333")
        self.notice.setStyleSheet(f"#logbook_notice {{ color: {colour}; background: #fff4d6; "
                                  "border: 1px solid #e0c060; padding: 4px; font-weight: bold; }")
        self.notice.setText("\n".join(lines))
        self.notice.show()

    def hold_writes(self, reason: str) -> None:
        self.writes_held = reason
        self.statusBar().showMessage(reason)
        self.update_actions()

    def allow_writes(self) -> None:
        self.writes_held = None
        self.statusBar().clearMessage()
        self.update_actions()

    def set_locked(self, locked: bool) -> None:
        """Cover the worklist and the form (kept as they are, unsaved typing included) and leave only Quit."""
        self.locked = locked
        if locked and self.form is not None:
            self.form.save_draft()  # what was typed is on disk while nobody is signed in
        self.splitter.setVisible(not locked)
        self.lock_cover.setVisible(locked)
        if locked:
            self.drafts_bar.hide()
        else:
            self.show_drafts()
        self.update_actions()

    def update_actions(self) -> None:
        for action in self._window_actions:
            action.setEnabled(not self.locked and not self.logbook_closed)
        self.quit_action.setEnabled(True)
        for action in (self.save_action, self.backup_actions.restore_action, self.users_action):
            action.setEnabled(not self.locked and not self.writes_held)
        self.who.update_actions()
        if self.form is not None:
            self.form.set_writes_held(self.writes_held)

    def check_logbook_in_background(self) -> LogbookCheck:
        """Run the damage check off the UI thread and let writes through once it passes. Writes are held for it
        by the caller (`open_main_window`), from before the window shows."""
        self.check = LogbookCheck(self.logbook.path, self)
        self.check.checked.connect(self._logbook_checked)
        self.check.start()
        return self.check

    def _logbook_checked(self, error: Exception | None) -> None:
        if self.logbook_closed:
            return
        self.show_protocol()  # read now, not at start-up: the first screen loads only what it shows
        if error is None:
            # The schema is compared here, not on the check's thread: it loads hashlib, which start-up must not
            # have loaded when the window shows (tests/ui/test_startup_imports.py).
            tampered = self.logbook.audit.schema_problems()
            if not tampered:
                self.allow_writes()
                self.statusBar().showMessage(self.tr("Logbook checked: no damage found."), 5000)
                return
            log.error("the schema of %s was changed outside TACE Log: %s", self.logbook.path, "; ".join(tampered))
            self.hold_writes(self.tr("The logbook's schema was changed outside TACE Log (%1), so nothing will be "
                                     "saved to it. Ask your administrator: the log file names every change.")
                             .replace("%1", "; ".join(tampered)))
            self.show_notice(self.writes_held, ERROR)
            return
        log.error("background check of %s failed: %s", self.logbook.path, error)
        if isinstance(error, LogbookCorruptError):
            self.close_damaged_logbook(error)
            return
        self.hold_writes(self.tr("The logbook could not be checked, so nothing will be saved to it: %1")
                         .replace("%1", error_text(error)))
        self.show_notice(self.writes_held, ERROR)

    def close_damaged_logbook(self, error: LogbookCorruptError) -> None:
        """Say so plainly, write nothing more, close the logbook; the app then offers the newest good backup.
        An open form is left on screen read-only in effect (its draft file keeps what was typed)."""
        self.hold_writes(self.tr("The logbook is damaged: nothing was written to it, and it is closed."))
        self.show_notice(error_text(error) + "\n" + self.writes_held, ERROR)
        if self.form is not None:
            self.form.save_draft()
            self.form.retire()
        self.who.stop()
        self.logbook.close()
        self.update_actions()
        emit(self.logbook_damaged, error)

    def _restore_settings(self) -> None:
        for key, restore in (("geometry", self.restoreGeometry), ("window_state", self.restoreState),
                             (WORKLIST_HEADER, self._restore_worklist_header)):
            value = self.settings.value(f"main_window/{key}")
            if isinstance(value, QByteArray):
                restore(value)
        if not isinstance(self.settings.value("main_window/geometry"), QByteArray):
            resize_to_fit(self, 1480, 900)
        keep_on_screen(self)  # a geometry saved on a larger monitor, or on one no longer there
        header = self.worklist.table.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (0, Qt.SortOrder.DescendingOrder):
            self.worklist.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())  # else loaded

    def _restore_worklist_header(self, state: QByteArray) -> None:
        if self.worklist.table.horizontalHeader().restoreState(state):
            self.worklist.keep_column_widths()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The splitter is restored once the window has its size: restored earlier, the first resize would
        # share the window's growth out by stretch factors and move the divider.
        state = self.settings.value("main_window/splitter")
        if isinstance(state, QByteArray) and not self._splitter_restored:
            self.splitter.restoreState(state)
        elif not self._splitter_restored:  # first use: the worklist as wide as its columns, the form two thirds
            worklist = min(self.worklist.width_needed, self.splitter.width() // 3)
            self.splitter.setSizes([worklist, self.splitter.width() - worklist - self.splitter.handleWidth()])
        self._splitter_restored = True

    def save_settings(self) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/window_state", self.saveState())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        if self.worklist.column_widths_settled:  # widths fitted to headings alone are not worth keeping
            self.settings.setValue(f"main_window/{WORKLIST_HEADER}", self.worklist.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.closed:  # closed before (the app, then a test's teardown): the logbook may be gone by now
            event.accept()
            return
        if self.handed_over:  # the window in the new language carries on: no backup, the logbook stays open
            self.who.stop()
            if self.check is not None:
                self.check.wait()
            self.closed = True
            event.accept()
            return
        if self.locked and self.form is not None:
            self.form.save_draft()  # nobody is signed in to answer "save?": the draft is offered back next time
            self.form.dirty = False
        if not self.logbook_closed and not self.close_form():
            event.ignore()
            return
        self.save_settings()
        self.who.stop()
        if self.check is not None:
            self.check.wait()  # a QThread must not be destroyed while it runs
        if not self.logbook_closed:
            warning = self.backup_actions.back_up_on_exit()
            if warning:
                QMessageBox.warning(self, self.tr("Backup"), warning)
        self.closed = True
        event.accept()
