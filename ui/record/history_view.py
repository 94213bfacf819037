"""A record's history: who changed what, when, and why, from the audit trail (read-only)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QVBoxLayout, QWidget

from tace_log.dictionary import AGENT
from tace_log.model import ENTERED_IN_ERROR
from tace_log.signing import ENTERED_IN_ERROR_MEANING
from tace_log.storage import Logbook
from tace_log.times import readable, stamp_column
from ui.shell.language import language
from ui.shell.messages import core_word
from ui.shell.rows_table import RowsTable

# Marked for extraction here, translated where shown (the translator is installed after import).
COLUMNS = [QT_TRANSLATE_NOOP("HistoryView", "When"), QT_TRANSLATE_NOOP("HistoryView", "Who"),
           QT_TRANSLATE_NOOP("HistoryView", "Action"), QT_TRANSLATE_NOOP("HistoryView", "What"),
           QT_TRANSLATE_NOOP("HistoryView", "Before"), QT_TRANSLATE_NOOP("HistoryView", "After"),
           QT_TRANSLATE_NOOP("HistoryView", "Reason")]
_PARTS = {"agent_doses": QT_TRANSLATE_NOOP("HistoryView", "Agent"),
          "complications": QT_TRANSLATE_NOOP("HistoryView", "Complication"),
          "key_images": QT_TRANSLATE_NOOP("HistoryView", "Key image"),
          "signatures": QT_TRANSLATE_NOOP("HistoryView", "Signature"),
          "addenda": QT_TRANSLATE_NOOP("HistoryView", "Addendum"),
          # a row of the addenda table that marks the record entered in error (told apart by its meaning)
          ENTERED_IN_ERROR: QT_TRANSLATE_NOOP("HistoryView", "Entered in error")}
# The audited columns that are not clinical fields, by name as the trail stores it (shown readable: "signed at").
_COLUMN_WORDS = {c: w for c, w in (
    ("status", QT_TRANSLATE_NOOP("HistoryView", "status")), ("username", QT_TRANSLATE_NOOP("HistoryView", "username")),
    ("signer", QT_TRANSLATE_NOOP("HistoryView", "signer")), ("meaning", QT_TRANSLATE_NOOP("HistoryView", "meaning")),
    ("signed_at", QT_TRANSLATE_NOOP("HistoryView", "signed at")),
    ("content_sha256", QT_TRANSLATE_NOOP("HistoryView", "content sha256")),
    ("content_version", QT_TRANSLATE_NOOP("HistoryView", "content version")),
    ("signer_role", QT_TRANSLATE_NOOP("HistoryView", "signer role")),
    ("signed_elsewhere", QT_TRANSLATE_NOOP("HistoryView", "signed elsewhere")),
    ("text", QT_TRANSLATE_NOOP("HistoryView", "text")), ("reason", QT_TRANSLATE_NOOP("HistoryView", "reason")),
    ("author", QT_TRANSLATE_NOOP("HistoryView", "author")),
    ("created_at", QT_TRANSLATE_NOOP("HistoryView", "created at")),
    ("updated_at", QT_TRANSLATE_NOOP("HistoryView", "updated at")))}
_STATUS = {"draft": QT_TRANSLATE_NOOP("HistoryView", "draft"), "signed": QT_TRANSLATE_NOOP("HistoryView", "signed")}
# A change's action as the trail stores it; an event (a restore) is shown as stored.
_ACTIONS = {"insert": QT_TRANSLATE_NOOP("HistoryView", "added"), "update": QT_TRANSLATE_NOOP("HistoryView", "changed"),
            "delete": QT_TRANSLATE_NOOP("HistoryView", "removed")}


def field_label(table: str, column: str) -> str:
    """The dictionary's label for an audited column, else the column name."""
    field = Logbook.audited_field(table, column)
    if field is not None:
        label = field.label(language())
    else:  # not a clinical field (status, signature columns): the column name, readable ("Addendum: text")
        label = (QCoreApplication.translate("HistoryView", _COLUMN_WORDS[column]) if column in _COLUMN_WORDS
                 else column.replace("_", " "))
        label = label if table in _PARTS else label.capitalize()
    return f"{QCoreApplication.translate('HistoryView', _PARTS[table])}: {label}" if table in _PARTS else label


class HistoryView(QWidget):
    """`HistoryView(logbook, record_id)`: one row per changed value of a procedure (with its agents,
    complications, segments, signature, addenda) or a patient; `refresh()` re-reads it."""

    def __init__(self, logbook, record_id: str, parent=None):
        super().__init__(parent)
        self.logbook, self.record_id = logbook, record_id
        # a view over a model: a patient's history holds thousands of values (shell/rows_table.py says why)
        self.table = RowsTable([self.tr(column) for column in COLUMNS], self)
        self.table.setObjectName("history")
        self.table.setAccessibleName(self.tr("Record history"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        rows, choices = [], self.logbook.validator.choices
        for e in self.logbook.audit.history(self.record_id):
            changes = list(e.changes())
            part = ENTERED_IN_ERROR if e.table_name == "addenda" and any(
                f == "meaning" and new == ENTERED_IN_ERROR_MEANING for f, _, new in changes) else e.table_name
            rows += [(readable(e.at), e.username or "", _action(e.action), field_label(part, field),
                      _text(choices, e.table_name, field, old), _text(choices, e.table_name, field, new),
                      e.reason or "")
                     for field, old, new in changes
                     if field not in ("id", "procedure_id", "patient_id", "position", "content")]  # content: its hash
        self.table.set_rows(rows)
        self.table.resizeColumnsToContents()

    def row_texts(self) -> list[list[str]]:
        return [list(row) for row in self.table.rows_model.rows]


def _action(action: str) -> str:
    return QCoreApplication.translate("HistoryView", _ACTIONS[action]) if action in _ACTIONS else action


def _text(choices, table: str, field: str, value) -> str:
    if value is None:
        return ""
    clinical = Logbook.audited_field(table, field)
    if clinical is not None:  # as the form and the report word it: "右股动脉", an agent by its formulary name
        if clinical is AGENT["unit"]:  # a formulary unit: "瓶" for a vial, as the form offers it
            return core_word("unit", str(value))
        if clinical.choices and value not in clinical.choice_keys:  # a choice the dictionary no longer lists
            return str(value)
        return choices.display(clinical, Logbook.audited_value(clinical, value), language())
    if stamp_column(field):
        return readable(str(value))
    if field == "signed_elsewhere":  # a signature or addendum imported with its record
        return QCoreApplication.translate("HistoryView", "yes") if value else QCoreApplication.translate(
            "HistoryView", "no")
    if field == "status" and value in _STATUS:
        return QCoreApplication.translate("HistoryView", _STATUS[value])
    if field in ("meaning", "signer_role"):
        return core_word("meaning" if field == "meaning" else "role", str(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
