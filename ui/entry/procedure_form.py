"""The procedure form: the patient, their pathology, the procedure, its agents and complications, on one page.

Generated from the data dictionary (an editor per field, by type) and checked as you type by the core's
validation, the same rules the CLI and the importer use. What is typed is kept as a draft every few seconds
until it is saved; Save writes patient and procedure in one transaction through `Logbook.save_entry`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tace_log.dictionary import (
    AGENT,
    PATHOLOGY,
    PATIENT,
    PROCEDURE,
    PROCEDURE_PAGE,
    Entity,
    Field,
    FieldType,
    Section,
    declared,
    path_label,
    recorded,
)
from tace_log.drafts import DRAFT_INTERVAL_MS, Draft, DraftStore
from tace_log.errors import TaceLogError
from tace_log.findings import ERROR, INFO, WARNING, Finding, errors, warnings
from tace_log.model import SIGNED, Patient, Procedure, days_after_resection, new_id
from tace_log.storage import Logbook
from tace_log.times import readable
from tace_log.validation import parse_date
from ui.entry.field_editors import SEVERITY_COLOUR, FieldEditor, severity_name
from ui.entry.key_images_editor import KeyImagesEditor
from ui.entry.liver_map import LiverMap
from ui.entry.rows_editor import Row, RowsEditor
from ui.shell import messages
from ui.shell.flow_layout import FlowLayout
from ui.shell.language import language
from ui.shell.messages import core_word, error_text
from ui.shell.signals import emit

_BANNER = ("#signed_banner { background: #e3f2fd; border: 1px solid #1565c0; color: #0d47a1; padding: 6px; "
           "font-weight: bold; }")
_BANNER_BROKEN = ("#signed_banner { background: #fdecea; border: 2px solid #b00020; color: #b00020; padding: 6px; "
                  "font-weight: bold; }")  # a signature that does not verify

VALIDATE_DELAY_MS = 150

# The fields recorded only for some value of another (segments and lesions for a stain), from the dictionary.
CONDITIONAL = {f.key: f.applies_when for f in PROCEDURE.fields if f.applies_when is not None}


def _described(editor: FieldEditor, value) -> str:
    """A value as the banner names it: 'Stained lesions 3'; text typed that is not a number, as typed."""
    shown = value if isinstance(value, str) and editor.field.type in (FieldType.INT, FieldType.NUMBER) \
        else editor.field.display(value, language())
    return f"{editor.field.label(language())} {shown}"


class ProcedureForm(QWidget):
    saved = Signal(str)  # the procedure id
    close_requested = Signal()
    dirty_changed = Signal(bool)  # whether it holds unsaved changes: the window's title marks them

    def __init__(self, logbook: Logbook, drafts: DraftStore, patient: Patient | None = None,
                 procedure: Procedure | None = None, draft: Draft | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("procedure_form")
        self.logbook = logbook
        self.drafts = drafts
        self.formulary = logbook.validator.formulary
        self.protocol = logbook.validator.protocol  # the protocol the logbook validates with
        self.choices = logbook.validator.choices  # and its choice lists (agents, arms)
        self.editors: dict[str, FieldEditor] = {}  # by finding path: "patient.mrn", "procedure.date", ...
        self.row_editors: dict[str, RowsEditor] = {}  # by the procedure's list: "agents", "complications"
        self.liver_map: LiverMap | None = None  # the stained segments drawn, beside their buttons
        self.findings: list[Finding] = []
        self._dirty = False
        self._saved_said = False  # the banner says "Saved.": the next edit takes it away
        self._loading = True
        self._confirmed_warnings: tuple[str, ...] | None = None
        self._proposed_embolization: str | None = None
        self._save_attempted = False
        self._applies: dict[str, bool] = {}  # whether each CONDITIONAL field applies, as last seen
        self._cleared: dict[str, object] = {}  # what a change of its condition cleared, to bring back if it returns
        self.writes_held: str | None = None  # why the window holds writes (the logbook is being checked), or None
        self.record_buttons = None  # Preview, Sign, History…: added by the main window (ui.record.record_buttons)
        self._removed_rows: list[tuple[RowsEditor, list[dict]]] = []  # what Ctrl+Z brings back, until Save

        if draft is not None:
            patient_doc, procedure_doc = draft.patient, draft.procedure
        else:
            patient = patient or Patient()
            procedure = procedure or Procedure(patient_id=patient.id)
            patient_doc, procedure_doc = patient.to_document(), procedure.to_document()
        self.patient_id = patient_doc.get("id") or new_id()
        self.procedure_id = procedure_doc.get("id") or new_id()
        self.patient_stored = self._stored_patient(self.patient_id) is not None
        self.read_only = procedure is not None and procedure.status == SIGNED

        self._build()
        self._fill(patient_doc, procedure_doc)
        self._loading = False
        self.dirty = draft is not None  # a restored draft is unsaved work
        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate)
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_INTERVAL_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.editors["procedure.tumor_staining"].on_change(self._staining_changed)
        for controlling in dict.fromkeys(c for c, _values in CONDITIONAL.values()):
            self.editors["procedure." + controlling].on_change(self._conditions_changed)
        self.editors["patient.mrn"].input.editingFinished.connect(self._mrn_entered)
        self._conditions_changed()
        self._staining_changed()
        self.validate()
        if self.read_only:
            self._set_read_only()

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not saved to the logbook."""
        return self._dirty

    @dirty.setter
    def dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            emit(self.dirty_changed, dirty)

    # -- building the page ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("form-title")
        self.title.setStyleSheet("font-size: 125%; font-weight: bold;")
        self.signed_banner = QLabel(self)  # "Signed by … at …" above a signed record, plain to see
        self.signed_banner.setObjectName("signed_banner")
        self.signed_banner.setWordWrap(True)
        self.signed_banner.setStyleSheet(_BANNER)
        self.signed_banner.hide()
        self.derived = QLabel(self)
        self.derived.setObjectName("derived")
        self.derived.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        page = QWidget()
        grid = QGridLayout(page)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._narrative = []
        row = column = 0
        for section in PROCEDURE_PAGE:  # the dictionary's page order: halves two by two, wide ones across
            if section.wide and column:
                row, column = row + 1, 0
            grid.addWidget(self._section_box(section), row, column, 1, 2 if section.wide else 1)
            if section.wide or column:
                row, column = row + 1, 0
            else:
                column = 1
            if not section.rows and section.wide:
                self._narrative += [section.path + key for key in section.fields]
        grid.setRowStretch(row + 1, 1)
        scroll = self.scroll = QScrollArea(self)
        scroll.setObjectName("form-scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field; the page follows the focus
        scroll.setWidget(page)

        self.summary = QListWidget(self)
        self.summary.setObjectName("findings_summary")
        self.summary.setAccessibleName(self.tr("Findings"))
        self.summary.itemActivated.connect(self._focus_finding)
        self.summary.itemClicked.connect(self._focus_finding)
        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        # The button row: Save and Close here; report, export, print and sign buttons are added by their modules.
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("save")
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("close")
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(lambda: emit(self.close_requested))
        # Wraps onto a second line rather than cut a button's text (a long translation, a narrow window).
        self.button_row = FlowLayout(last_at_the_end=True)
        self.button_row.addWidget(self.save_button)
        self.button_row.addWidget(self.close_button)

        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(self.title)
        box.addWidget(self.signed_banner)
        box.addWidget(self.derived)
        box.addWidget(scroll, 1)
        box.addWidget(self.banner)
        box.addWidget(self.summary)
        box.addLayout(self.button_row)
        for rows in self.row_editors.values():
            rows.rows_changed.connect(self.fix_tab_order)
        self.fix_tab_order()
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, lambda: emit(self.close_requested),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Outside a text field (where Ctrl+Z undoes the typing), Ctrl+Z brings back the last row removed.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo_remove,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def fix_tab_order(self) -> None:
        """Tab follows the page as it reads: the field boxes, the rows (agents, complications), the narrative,
        then the buttons (rows added later would otherwise come last in Qt's creation-order chain)."""
        before = [p for p in self.editors if p not in self._narrative]
        chain = [w for p in before for w in self.editors[p].focus_widgets()]
        chain += [w for rows in self.row_editors.values() for w in rows.focus_widgets()]
        chain += [w for p in self._narrative for w in self.editors[p].focus_widgets()]
        chain += [self.button_row.itemAt(i).widget() for i in range(self.button_row.count())
                  if self.button_row.itemAt(i).widget() is not None]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.first_field = chain[0]  # where Tab from the worklist lands (the main window chains them)

    def _choices_for(self, field: Field) -> list[tuple[str, str]] | None:
        """The choices of a field whose list is not the dictionary's (the formulary's agents, the protocol's
        arms), as the validator takes them; None for the rest (the editor offers the dictionary's)."""
        if field.choices_from is None:
            return None
        return [(o.key, o.label(language())) for o in self.choices.options(field)]

    def _add_editor(self, form: QFormLayout, path: str, editor: FieldEditor) -> None:
        label = QLabel(editor.field.label(language()), form.parentWidget())
        label.setBuddy(editor.input)
        if editor.field.required:
            label.setText(label.text() + " *")
        form.addRow(label, editor.row)
        self.editors[path] = editor
        editor.on_change(self._changed)

    def _section_box(self, section: Section) -> QGroupBox:
        box = QGroupBox(section.label(language()), self)
        box.setObjectName(f"section-{section.key}")
        entity = declared(section.entity)
        if section.rows:
            rows = KeyImagesEditor(self.logbook, entity, box) if section.rows == "key_images" else \
                RowsEditor(section.rows, entity, lambda row, entity=entity: self._row_editors(entity, row),
                           self.tr("Add %1").replace("%1", entity.label(language()).lower()), box)
            rows.changed.connect(self._changed)
            rows.removed.connect(lambda before, rows=rows: self._row_removed(rows, before))
            self.row_editors[section.rows] = rows
            QVBoxLayout(box).addWidget(rows)
            return box
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key in section.fields:
            field = entity[key]
            self._add_editor(form, section.path + key, FieldEditor(field, self._choices_for(field), box))
            if section.path + key == "procedure.stained_segments":  # the liver map picks them too
                self.liver_map = LiverMap(self.editors["procedure.stained_segments"], parent=box)
                form.addRow(self.liver_map)
        if "procedure.target_vessels" in self.editors and self.liver_map is not None:
            self.liver_map.watch(self.editors["procedure.target_vessels"])
        return box

    def _row_editors(self, entity: Entity, row: Row) -> dict[str, FieldEditor]:
        # An agent's units, particle sizes and typical dose are the chosen agent's (`_agent_chosen`).
        offered: dict[str, list] = {"unit": []} if entity is AGENT else {}
        editors = {f.key: FieldEditor(f, offered.get(f.key, self._choices_for(f)), row.widget) for f in entity.fields}
        if entity is AGENT:
            editors["agent"].on_change(lambda: self._agent_chosen(editors))
        return editors

    def _agent_chosen(self, editors: dict[str, FieldEditor]) -> None:
        key = editors["agent"].value()
        agent = self.formulary[key] if key in self.formulary else None
        editors["unit"].set_choices([(u, core_word("unit", u)) for u in agent.units] if agent else [])
        for end in ("particle_min_um", "particle_max_um"):
            editors[end].set_enabled(bool(agent and agent.is_particles) and not self.read_only)
        editors["dose"].input.setPlaceholderText(agent.typical if agent else "")


    # -- documents in and out ------------------------------------------------------------------------------
    def _fill(self, patient_doc: dict, procedure_doc: dict) -> None:
        self._procedure_base = procedure_doc  # what the form does not edit is saved back as it was loaded
        self._fill_patient(patient_doc)
        for f in PROCEDURE.fields:
            self.editors["procedure." + f.key].set_value(procedure_doc.get(f.key))
        for key, rows in self.row_editors.items():
            rows.set_documents(procedure_doc.get(key) or [])
        self._proposed_embolization = None

    def _fill_patient(self, patient_doc: dict) -> None:
        self._patient_base = patient_doc  # its parts the page does not show (the course), kept as loaded
        for f in PATIENT.fields:
            self.editors["patient." + f.key].set_value(patient_doc.get(f.key))
        pathology = patient_doc.get("pathology") or {}
        for f in PATHOLOGY.fields:
            self.editors["patient.pathology." + f.key].set_value(pathology.get(f.key))

    def documents(self) -> tuple[dict, dict]:
        """The patient and procedure documents as the form holds them now (values as typed, invalid included)."""
        patient = {**self._patient_base, "id": self.patient_id}
        patient.update({f.key: self.editors["patient." + f.key].value() for f in PATIENT.fields})
        patient["pathology"] = {f.key: self.editors["patient.pathology." + f.key].value() for f in PATHOLOGY.fields}
        procedure = {**self._procedure_base, "id": self.procedure_id}
        procedure.update({f.key: self.editors["procedure." + f.key].value() for f in PROCEDURE.fields})
        procedure.update({key: rows.documents() for key, rows in self.row_editors.items()})
        return patient, procedure

    @staticmethod
    def _not_on_the_page(patient_doc: dict) -> dict:
        """The parts of a patient's document the page does not show (the course)."""
        return {key: value for key, value in patient_doc.items()
                if key != "id" and key not in PATIENT.key_set and key != "pathology"}

    def display_title(self) -> str:
        patient, procedure = self.documents()
        parts = [str(patient.get("name") or ""), str(procedure.get("date") or "")]
        return " · ".join(p for p in parts if p) or self.tr("New procedure")

    def _stored_patient(self, patient_id: str) -> Patient | None:
        try:
            return self.logbook.get_patient(patient_id)
        except TaceLogError:
            return None

    # -- reacting to edits ---------------------------------------------------------------------------------
    def _changed(self) -> None:
        if self._loading:
            return
        self.dirty = True
        if self._saved_said:  # "Saved." no longer holds
            self._saved_said = False
            self.banner.hide()
        self._validate_timer.start()
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def _row_removed(self, rows: RowsEditor, before: list[dict]) -> None:
        self._removed_rows.append((rows, before))
        self.say(self.tr("Removed a row of %1: Ctrl+Z brings it back until you save.")
                 .replace("%1", rows.entity.label(language()).lower()), INFO)

    def undo_remove(self) -> bool:
        """Bring back the last row removed since the form was opened or saved; False if there is none."""
        if not self._removed_rows or self.read_only:
            return False
        rows, before = self._removed_rows.pop()
        rows.set_documents(before)
        self._changed()
        self.say(self.tr("Brought back the row of %1.").replace("%1", rows.entity.label(language()).lower()), INFO)
        return True

    def _conditions_changed(self) -> None:
        """A field that stops applying (lesions when staining turns absent) is cleared and disabled, and the
        banner says what was cleared; its values come back if the condition does. A value that never applied (a
        record stored before the rule) is left as it is, flagged by validation and editable, so it can be
        cleared. Opening a record changes nothing."""
        cleared: dict[tuple[str, tuple[str, ...]], list[str]] = {}  # by the condition that no longer holds
        restored = []
        for key, (controlling, values) in CONDITIONAL.items():
            editor = self.editors["procedure." + key]
            applies = self.editors["procedure." + controlling].value() in values
            applied, self._applies[key] = self._applies.get(key), applies
            if applied and not applies and recorded(editor.value()) and not self.read_only:
                self._cleared[key] = editor.value()
                cleared.setdefault((controlling, values), []).append(_described(editor, editor.value()))
                editor.set_value(None)
            elif applies and applied is False and key in self._cleared and not recorded(editor.value()):
                restored.append(_described(editor, self._cleared[key]))
                editor.set_value(self._cleared.pop(key))
            editor.set_enabled((applies or recorded(editor.value())) and not self.read_only)
        for (controlling, values), what in cleared.items():
            condition = self.editors["procedure." + controlling]
            wanted = " / ".join(condition.field.display(v, language()) for v in values)
            self.say(self.tr("%1 is now %2: cleared %3 (recorded only when it is %4). Choose %4 again to bring "
                             "them back.").replace("%1", condition.field.label(language()))
                     .replace("%2", condition.field.display(condition.value(), language()) or self.tr("blank"))
                     .replace("%3", "; ".join(what)).replace("%4", wanted), WARNING)
        if restored and not cleared:
            self.say(self.tr("Brought back %1.").replace("%1", "; ".join(restored)), INFO)

    def _staining_changed(self) -> None:
        """Present or absent staining proposes the embolization the protocol gives for it, unless the
        radiologist already chose another."""
        staining = self.editors["procedure.tumor_staining"].value()
        proposal = self.protocol.proposed_embolization(staining)
        embolization = self.editors["procedure.embolization"]
        if proposal and embolization.value() in (None, self._proposed_embolization):
            embolization.set_value(proposal)
            self._proposed_embolization = proposal

    def _mrn_entered(self) -> None:
        """A new patient whose MRN is already in the logbook is that patient: load what is stored."""
        if self.patient_stored or self.read_only:
            return
        mrn = self.editors["patient.mrn"].value()
        stored = self.logbook.find_patient_by_mrn(mrn) if mrn else None
        if stored is None:
            return
        self.patient_id = stored.id
        self.patient_stored = True
        self._fill_patient(stored.to_document())
        self.say(self.tr("Patient %1 (MRN %2) is in the logbook: their stored details are shown.")
                  .replace("%1", stored.name).replace("%2", stored.mrn), INFO)

    # -- validation ----------------------------------------------------------------------------------------
    def check(self) -> list[Finding]:
        """The core's findings for what the form holds: field rules first; with those clean, the full check
        against the logbook (the MRN's owner, the patient's other procedures)."""
        patient_doc, procedure_doc = self.documents()
        validator = self.logbook.validator
        findings = validator.patient(patient_doc, "patient", with_procedures=False)
        findings += validator.procedure(procedure_doc, patient_doc, "procedure")
        if errors(findings):
            return findings
        return self.logbook.check_entry(Patient.from_document(patient_doc),
                                        Procedure.from_document(procedure_doc, patient_id=self.patient_id))

    def validate(self) -> list[Finding]:
        self._validate_timer.stop()
        self.findings = self.check()
        self._show_findings()
        self._show_derived()
        self.title.setText(self.display_title())
        return self.findings

    def editor_for(self, path: str) -> FieldEditor | None:
        if path in self.editors:
            return self.editors[path]
        for rows in self.row_editors.values():
            prefix = f"procedure.{rows.key}["
            if path.startswith(prefix) and "]." in path:
                index, key = path[len(prefix):].split("].", 1)
                return rows.editor(int(index), key) if index.isdigit() else None
        return None

    def label_for(self, path: str) -> str:
        """A finding's path in the dictionary's labels ('Agent 1 · Dose'), in the form's language."""
        return path_label(path, language())

    def _all_editors(self) -> list[FieldEditor]:
        rows = [e for editors in self.row_editors.values() for r in editors.rows for e in r.editors.values()]
        return [*self.editors.values(), *rows]

    def visible_findings(self) -> list[Finding]:
        """What the form shows: a blank required field is not called an error before the first Save, so a new
        form does not open in red."""
        return [f for f in self.findings if f.code != "required" or self._save_attempted]

    def _show_findings(self) -> None:
        findings = sorted(self.visible_findings(), key=lambda f: f.severity != ERROR)
        shown: dict[int, Finding] = {}
        for finding in findings:
            editor = self.editor_for(finding.path)
            if editor is not None and id(editor) not in shown:
                shown[id(editor)] = finding
        for editor in self._all_editors():
            editor.show_finding(shown.get(id(editor)))
        self.summary.clear()
        for finding in findings:
            where = self.label_for(finding.path)
            item = QListWidgetItem(f"{severity_name(finding.severity)}: {where}: {finding.text(language())}")
            item.setForeground(QColor(SEVERITY_COLOUR.get(finding.severity, "#000")))
            item.setData(Qt.ItemDataRole.UserRole, finding.path)
            self.summary.addItem(item)
        lines = min(self.summary.count(), 4)  # as tall as the findings, up to four lines, then it scrolls
        self.summary.setFixedHeight(lines * (self.summary.sizeHintForRow(0) if lines else 0) + 6)
        self.summary.setVisible(bool(findings))
        if self._confirmed_warnings is not None and self._warning_key() != self._confirmed_warnings:
            self._confirmed_warnings = None  # the warnings changed: they need looking at again
        self.save_button.setText(self.tr("&Save"))

    def _show_derived(self) -> None:
        patient_doc, procedure_doc = self.documents()
        parts = []
        days = days_after_resection(parse_date(procedure_doc.get("date")),
                                    parse_date(patient_doc.get("resection_date")))
        if days is not None:
            window = self.protocol.tace_window
            parts.append(self.tr("Day %1 after resection (protocol window day %2-%3)")
                         .replace("%1", str(days)).replace("%2", str(window.first_day))
                         .replace("%3", str(window.last_day)))
        weight = patient_doc.get("weight_kg")
        if isinstance(weight, (int, float)) and weight > 0:
            dose = self.protocol.lenvatinib.describe(weight, language())
            parts.append(self.tr("Lenvatinib %1 for %2").replace("%1", dose)
                         .replace("%2", PATIENT["weight_kg"].display(weight)))
        self.derived.setText("   ·   ".join(parts))
        self.derived.setVisible(bool(parts))

    def _focus_finding(self, item: QListWidgetItem) -> None:
        self.show_field(item.data(Qt.ItemDataRole.UserRole))

    def show_field(self, path: str) -> None:
        """Scroll the field a finding is about into view, and put the cursor in it."""
        editor = self.editor_for(path)
        if editor is not None:
            self.scroll.ensureWidgetVisible(editor.row)
            editor.input.setFocus()

    def _warning_key(self) -> tuple[str, ...]:
        return tuple(str(f) for f in warnings(self.findings))

    def say(self, text: str, severity: str) -> None:
        self._saved_said = False
        colour = SEVERITY_COLOUR.get(severity, "#2e7d32")
        self.banner.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.banner.setText(text)
        self.banner.show()

    # -- saving, drafts, closing ---------------------------------------------------------------------------
    def set_writes_held(self, reason: str | None) -> None:
        """While the window holds writes, Save is disabled and says why; typing (and its draft) goes on."""
        self.writes_held = reason
        self.save_button.setEnabled(not reason and not self.read_only)
        self.save_button.setToolTip(reason or self.tr("Save (Ctrl+S)"))
        if self.record_buttons is not None:
            self.record_buttons.update()

    def save(self) -> bool:
        """Save if there is no error; warnings are shown first and need Save a second time to confirm."""
        if self.read_only:
            return False
        if self.writes_held:
            self.say(self.tr("Not saved yet: ") + self.writes_held, WARNING)
            return False
        self._save_attempted = True
        self.validate()
        bad = errors(self.findings)
        if bad:
            first = bad[0]
            self.say(self.tr("Not saved: %n error(s). ", "", len(bad))
                      + f"{self.label_for(first.path)}: {first.text(language())}", ERROR)
            self.show_field(first.path)
            return False
        if warnings(self.findings) and self._confirmed_warnings != self._warning_key():
            self._confirmed_warnings = self._warning_key()
            self.say(self.tr("%n warning(s) listed below. Check them, then press Save again to save with them.",
                              "", len(warnings(self.findings))), WARNING)
            self.save_button.setText(self.tr("&Save with warnings"))
            return False
        patient_doc, procedure_doc = self.documents()
        stored = self._stored_patient(self.patient_id)
        if stored is not None:  # the course is not this page's: saved as it is now, not as it was when loaded
            patient_doc.update(self._not_on_the_page(stored.to_document()))
        patient = Patient.from_document(patient_doc)
        procedure = Procedure.from_document(procedure_doc)
        try:
            self.logbook.save_entry(patient, procedure)
        except TaceLogError as exc:
            self.say(self.tr("Not saved: ") + error_text(exc), ERROR)
            return False
        self.patient_stored = True
        self.dirty = False
        self._removed_rows.clear()  # saved: what was removed is no longer in the record to bring back
        self._draft_timer.stop()
        self.drafts.discard(self.procedure_id, self.logbook.users.current)
        self._confirmed_warnings = None
        self.save_button.setText(self.tr("&Save"))
        self.say(self.tr("Saved."), "ok")
        self._saved_said = True
        emit(self.saved, self.procedure_id)
        return True

    def save_draft(self, owner: str | None = None) -> bool:
        """Keep the unsaved changes on disk as the draft of `owner` (by default the person working). False if
        they could not be kept (the form says so)."""
        if not self.dirty or self.read_only:
            return True
        patient_doc, procedure_doc = self.documents()
        try:
            self.drafts.save(self.procedure_id, self.display_title(), patient_doc, procedure_doc,
                             owner or self.logbook.users.current)
        except OSError as exc:
            self.say(self.tr("The draft could not be kept on disk: ") + str(exc), WARNING)
            return False
        return True

    def discard(self) -> None:
        """Forget the unsaved changes (the user said so)."""
        self._draft_timer.stop()
        self.drafts.discard(self.procedure_id, self.logbook.users.current)
        self.dirty = False

    def retire(self) -> None:
        """Stop the timers before the form goes, so none fires on a form (or a logbook) that is gone."""
        self._validate_timer.stop()
        self._draft_timer.stop()

    def may_close(self) -> bool:
        """True when the form can go: nothing unsaved, or the user saved or discarded it."""
        if not self.dirty:
            return True
        answer = messages.ask_unsaved(self, self.display_title())
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.discard()
            return True
        return False

    def _set_read_only(self) -> None:
        for editor in self._all_editors():
            editor.set_enabled(False)
        for rows in self.row_editors.values():
            rows.set_enabled(False)
        self.save_button.setEnabled(False)
        self.save_button.hide()
        check = self.logbook.signing.check(self.procedure_id)  # recomputed: never shown as valid if it is not
        mark = self.logbook.signing.entered_in_error_of(self.procedure_id)
        text = self.tr("This procedure is signed: it is shown read-only.")
        if check is not None:
            signature = check.signature
            role = core_word("role", signature.role) if signature.role else ""
            signer = f"{signature.signer} ({signature.username})" + (f", {role}," if role else "")
            text = (self.tr("Signed elsewhere by %1 at %2 (%3): not a user of this logbook. Read-only: later "
                            "changes are addenda.") if signature.signed_elsewhere else
                    self.tr("Signed by %1 at %2 (%3). Read-only: later changes are addenda."))
            text = (text.replace("%1", signer).replace("%2", readable(signature.signed_at))
                    .replace("%3", core_word("meaning", signature.meaning)))
            addenda = len(self.logbook.signing.addenda_of(self.procedure_id))
            if addenda:
                text += " " + self.tr("%n addendum(s).", "", addenda)
            if mark is not None:
                text = self.tr("ENTERED IN ERROR: not valid (%1, marked by %2 at %3).").replace(
                    "%1", mark.reason).replace("%2", mark.signature.signer).replace(
                    "%3", readable(mark.signature.signed_at)) + " " + text
            if not check.ok:
                text += " " + self.tr("THIS SIGNATURE DOES NOT VERIFY: %1.").replace("%1", check.describe(language()))
            elif check.covers_fewer_fields:
                text += " " + self.tr("Signed before TACE Log kept what was signed: the signature covers only the "
                                      "procedure and the patient's id, MRN, name, sex and birth date.")
            if check.changes:
                text += " " + self.tr("Changed since signing: %1.").replace(
                    "%1", "; ".join(c.describe(language()) for c in check.changes))
        self.signed_banner.setStyleSheet(_BANNER if check is None or (check.ok and mark is None) else _BANNER_BROKEN)
        self.signed_banner.setText(text)
        self.signed_banner.show()
