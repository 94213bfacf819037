"""One record of a patient's course (a lab, a dose period, an adverse event, a follow-up, the screening, a
recurrence...) in a dialog made from its entity's declaration: one editor per field, checked as it is typed by the
same rules as every save, warnings confirmed by a second Save, and saved in one transaction with the patient.

The dialog edits one record and nothing else of the patient: on Save it takes the patient's record as stored at
that moment and puts this one record into it, so what someone else recorded meanwhile is kept. What is typed is
kept on disk as a draft (`tace_log.drafts`, as the procedure form's), offered back by the main window after a
crash; Save or a confirmed Cancel removes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tace_log.dictionary import Entity
from tace_log.drafts import DRAFT_INTERVAL_MS, Draft, DraftStore, course_draft_id
from tace_log.errors import TaceLogError
from tace_log.findings import Finding, errors, warnings
from tace_log.lenvatinib import DISCONTINUING_KINDS, next_step_down
from tace_log.model import Patient, Record, record_class
from ui.entry.field_editors import FieldEditor
from ui.shell import messages
from ui.shell.language import language
from ui.shell.messages import error_text

WARNING_COLOUR, ERROR_COLOUR = "#b26a00", "#c62828"


class CourseRecordDialog(QDialog):
    """`CourseRecordDialog(logbook, patient_id, entity, record_id=None)`: a new record of `entity` when
    `record_id` is None (or the patient's one record of an optional entity, such as the recurrence), else that
    record. On accept the patient is saved and `dialog.saved` is the record as stored. With `draft`, the dialog
    shows that unsaved draft of the record instead of what is stored."""

    def __init__(self, logbook, patient_id: str, entity: Entity, record_id: str | None = None, parent=None,
                 draft: Draft | None = None):
        super().__init__(parent)
        self.logbook, self.patient_id, self.entity = logbook, patient_id, entity
        self.saved: Record | None = None
        self.findings: list[Finding] = []
        self._confirmed: tuple | None = None  # the warnings a first Save showed
        self.drafts = DraftStore(logbook.path)
        patient = logbook.get_patient(patient_id)
        if draft is not None and entity.own_id:
            record_id = (draft.record or {}).get("id") or record_id
        self.record = self._record_of(patient, record_id)
        self.draft_id = course_draft_id(patient_id, entity.key, self.record.id if entity.own_id else None)
        self.setObjectName(f"{entity.key}-dialog")
        title = self.tr("%1 — %2").replace("%1", entity.label(language())).replace("%2", patient.name)
        self.setWindowTitle(title)
        self.editors: dict[str, FieldEditor] = {}
        body = QWidget(self)
        form = QFormLayout(body)
        choices = logbook.validator.choices
        for f in entity.fields:
            offered = [(o.key, o.label(language())) for o in choices.options(f)] if f.choices_from else None
            if f.values:
                offered = [(v, f"{v} {f.unit}" if f.unit else str(v)) for v in f.values]
            editor = FieldEditor(f, offered, body)
            if entity.key == "adverse_event" and f.key == "term":  # free text, offered from the AE catalogue
                terms = [t.term for t in choices.adverse_events.terms] + [t.zh for t in choices.adverse_events.terms]
                completer = QCompleter(terms, editor.input)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                editor.input.setCompleter(completer)
                # a term chosen by its Chinese name is stored as CTCAE writes it, in English
                english = {t.zh: t.term for t in choices.adverse_events.terms}
                line = editor.input
                line.editingFinished.connect(lambda line=line, english=english:
                                             line.setText(english.get(line.text().strip(), line.text())))
            editor.set_value(getattr(self.record, f.key))
            if draft is not None and draft.record is not None and f.key in draft.record:
                editor.set_value(draft.record[f.key])
            editor.on_change(self._changed)
            self.editors[f.key] = editor
            label = QLabel(f.label(language()) + ("*" if f.required else ""), body)
            label.setBuddy(editor.input)
            form.addRow(label, editor.row)
        self.proposal = QLabel(self)  # the lenvatinib helper: the dose the label proposes for this period
        self.proposal.setObjectName("dose_proposal")
        self.use_proposal = QPushButton(self.tr("&Use it"), self)
        self.use_proposal.setObjectName("use_proposal")
        proposal = self._proposed_dose(patient) if entity.key == "dose_period" and not self._stored else None
        if proposal is not None:
            text, level = proposal
            self.proposal.setText(text)
            self.use_proposal.setVisible(level is not None)
            self.use_proposal.clicked.connect(lambda: self._use(level))
        else:
            self.proposal.hide()
            self.use_proposal.hide()
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        self.banner = QLabel(self)
        self.banner.setObjectName("course_banner")
        self.banner.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setAccessibleName(self.tr("Reason for the change"))
        self.reason.setPlaceholderText(self.tr("Reason for the change (kept in the audit trail)"))
        self.reason.setVisible(self._stored)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_course_record")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        proposal_line = QHBoxLayout()
        proposal_line.addWidget(self.proposal, 1)
        proposal_line.addWidget(self.use_proposal)
        layout.addLayout(proposal_line)
        layout.addWidget(self.banner)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)  # checked a moment after typing stops, not on every key
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.validate)
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_INTERVAL_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.dirty = draft is not None  # a restored draft is unsaved work
        if draft is not None:
            self._say(self.tr("Your unsaved draft of this record is shown: Save keeps it, Cancel discards it."),
                      WARNING_COLOUR)
        self.resize(560, min(120 + 46 * len(entity.fields), 640))
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.input.setFocus()

    # -- the record --------------------------------------------------------------------------------------------
    def _record_of(self, patient: Patient, record_id: str | None) -> Record:
        value = getattr(patient, self.entity.document_key)
        cls = record_class(self.entity)
        if not self.entity.many:
            self._stored = value is not None
            return value if value is not None else cls()
        for record in value:
            if record.id == record_id:
                self._stored = True
                return record
        self._stored = False
        # a draft of a record no longer stored keeps its id: saving it records it again, under the same id
        return cls(id=record_id) if record_id else cls()

    def _proposed_dose(self, patient: Patient) -> tuple[str, tuple[int, str] | None] | None:
        """What the label proposes for a new period: the starting dose by weight for the first adjuvant one; after
        a hold for an adverse event, the next step down (or discontinuation); else the dose it was at."""
        periods = sorted((p for p in patient.lenvatinib if p.intent in (None, "adjuvant")), key=lambda p: p.start)
        dosing = self.logbook.protocol.lenvatinib
        if not periods:
            if patient.weight_kg is None:
                return self.tr("Starting dose: record the patient's weight first (12 mg at %1 kg and above, "
                               "8 mg below).").replace("%1", f"{dosing.threshold_kg:g}"), None
            level = (int(dosing.dose_mg(patient.weight_kg)), "qd")
            return self.tr("Starting dose for %1 kg: %2.").replace("%1", f"{patient.weight_kg:g}") \
                .replace("%2", f"{level[0]} mg qd"), level
        last = periods[-1]
        level = (last.dose_mg, last.frequency)
        if last.end_reason != "held_for_ae":
            return self.tr("Last period: %1.").replace("%1", f"{level[0]} mg {level[1]}"), level
        event = next((e for e in patient.adverse_events if e.id == last.adverse_event_id), None)
        kind = self.logbook.validator.choices.adverse_events.kind(event.term) if event else None
        step = next_step_down(level)
        if kind in DISCONTINUING_KINDS or step is None:
            return self.tr("After this adverse event the label discontinues lenvatinib: no lower dose."), None
        return self.tr("Held for an adverse event at %1: the next step down is %2.") \
            .replace("%1", f"{level[0]} mg {level[1]}").replace("%2", f"{step[0]} mg {step[1]}"), step

    def _use(self, level: tuple[int, str] | None) -> None:
        if level is not None:
            self.editors["dose_mg"].set_value(level[0])
            self.editors["frequency"].set_value(level[1])

    def document(self) -> dict:
        """The record as the dialog holds it now, in document form (invalid values included)."""
        doc = {key: editor.value() for key, editor in self.editors.items()}
        if self.entity.own_id:
            doc["id"] = self.record.id
        return doc

    def _patient_with_it(self, patient: Patient) -> tuple[dict, str]:
        """The patient's document with this record put in, and the record's path in it."""
        doc = patient.to_document()
        key = self.entity.document_key
        if not self.entity.many:
            doc[key] = self.document()
            return doc, key
        rows = list(doc.get(key) or [])
        index = next((i for i, row in enumerate(rows) if row.get("id") == self.record.id), len(rows))
        rows[index:index + 1] = [self.document()]
        doc[key] = rows
        return doc, f"{key}[{index}]"

    def _patient_document(self) -> tuple[dict, str]:
        doc, path = self._patient_with_it(self.logbook.get_patient(self.patient_id))
        doc["procedures"] = [p.to_document() for p in self.logbook.procedures_of(self.patient_id)]
        return doc, path

    # -- checking and saving -----------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.dirty = True
        self._timer.start()
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def save_draft(self) -> bool:
        """Keep what is typed on disk as the person working's draft of this record; False (said) if it cannot be."""
        title = self.windowTitle()
        try:
            self.drafts.save(self.draft_id, title, {"id": self.patient_id}, {}, self.logbook.users.current,
                             entity=self.entity.key, record=self.document())
        except OSError as exc:
            self._say(self.tr("The draft could not be kept on disk: ") + str(exc), ERROR_COLOUR)
            return False
        return True

    def reject(self) -> None:
        """Cancel, Esc or the window's close: unsaved typing is saved, discarded or kept open, as the person says."""
        if self.dirty:
            answer = messages.ask_unsaved(self, self.windowTitle())
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.drafts.discard(self.draft_id, self.logbook.users.current)
        super().reject()

    def done(self, result: int) -> None:
        self._timer.stop()  # closed: nothing left to check
        self._draft_timer.stop()
        super().done(result)

    def validate(self) -> list[Finding]:
        """The findings of the whole patient with this record in: this record's beside its fields, an error
        elsewhere in the patient (a period this one now overlaps) in the banner, since it stops the save too."""
        doc, path = self._patient_document()
        found = self.logbook.validator.patient(doc)
        mine = [f for f in found if f.path == path or f.path.startswith(path + ".")]
        self.findings = mine + [f for f in errors(found) if f not in mine]
        for key, editor in self.editors.items():
            editor.show_finding(next((f for f in mine if f.path == f"{path}.{key}"), None))
        loose = [f for f in self.findings if not any(f.path == f"{path}.{key}" for key in self.editors)]
        self._say("; ".join(f.text(language()) for f in loose), ERROR_COLOUR if errors(loose) else WARNING_COLOUR)
        return self.findings

    def _say(self, text: str, colour: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(f"color: {colour};")

    def save(self) -> None:
        found = self.validate()
        bad = errors(found)
        if bad:
            self._say(self.tr("Not saved: %n error(s).", "", len(bad)) + " " + bad[0].text(language()), ERROR_COLOUR)
            return
        shown = tuple(f.text("en") for f in warnings(found))
        if shown and self._confirmed != shown:
            self._confirmed = shown
            self._say(self.tr("%n warning(s): check them, then press Save again to save with them.", "",
                              len(shown)) + " " + "; ".join(f.text(language()) for f in warnings(found)),
                      WARNING_COLOUR)
            return
        patient = self.logbook.get_patient(self.patient_id)  # as stored now: only this record changes
        doc, _ = self._patient_with_it(patient)
        updated = Patient.from_document(doc)
        try:
            with self.logbook.users.reason(self.reason.text().strip() or None):
                self.logbook.save_patient(updated)
        except TaceLogError as exc:
            self._say(self.tr("Not saved: ") + error_text(exc), ERROR_COLOUR)
            return
        stored = getattr(self.logbook.get_patient(self.patient_id), self.entity.document_key)
        self.saved = stored if not self.entity.many else next(r for r in stored if r.id == self.record.id)
        self.dirty = False
        self.drafts.discard(self.draft_id, self.logbook.users.current)
        super().accept()

