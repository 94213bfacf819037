"""A list of child records (agent doses, complications) edited as rows of field editors, with add and remove.

Each row is a widget named `<key>[<i>]` (e.g. `agents[0]`) holding one editor per field of the entity, so a test
or a finding path (`procedure.agents[0].dose`) reaches the same widget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tace_log.dictionary import Entity, Field, FieldType
from ui.entry.field_editors import FieldEditor
from ui.shell.language import language
from ui.shell.signals import emit

# Makes a row's editors (one per entity field); lets the agents table offer the formulary's agents and only the
# chosen agent's units.
EditorFactory = Callable[["Row"], dict[str, FieldEditor]]


class Row:
    def __init__(self, widget: QWidget, editors: dict[str, FieldEditor], remove: QPushButton,
                 kept: dict | None = None):
        self.widget = widget
        self.editors = editors
        self.remove = remove
        self.kept = kept or {}  # values the row holds but offers no editor for (a key image's hash)

    def document(self) -> dict:
        return {**self.kept, **{key: editor.value() for key, editor in self.editors.items()}}


def _column_width(f: Field) -> int:
    # Fixed widths keep each row's editors under their header (every row is its own widget, so no shared grid).
    if f.key in ("unit", "lot"):
        return 80 if f.key == "unit" else 110
    if f.type in (FieldType.INT, FieldType.NUMBER):
        return 125 if f.unit else 95
    return 200 if f.type is FieldType.CHOICE else 150


class RowsEditor(QWidget):
    changed = Signal()
    rows_changed = Signal()  # a row was added or removed (the form re-threads its Tab order)
    removed = Signal(list)  # a row was removed: the rows' documents before, to bring it back (Ctrl+Z)

    def __init__(self, key: str, entity: Entity, make_editors: EditorFactory, add_text: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.entity = entity
        self._make_editors = make_editors
        self.setObjectName(key)
        self.rows: list[Row] = []
        self._header = QWidget(self)
        line = QHBoxLayout(self._header)
        line.setContentsMargins(0, 0, 0, 0)
        for f in self.columns():
            header = QLabel(f.label(language()), self._header)
            header.setFixedWidth(self.column_width(f))
            line.addWidget(header)
        line.addStretch(1)
        self._header.hide()
        self._rows_box = QVBoxLayout()
        self._rows_box.setContentsMargins(0, 0, 0, 0)
        self._rows_box.setSpacing(2)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setObjectName(f"{key}-add")
        self.add_button.clicked.connect(self.add_clicked)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._header)
        box.addLayout(self._rows_box)
        box.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    headed = True  # the columns' labels above the first row

    def column_width(self, f: Field) -> int:
        return _column_width(f)

    def columns(self) -> tuple[Field, ...]:
        """The fields a row edits, under their headers."""
        return self.entity.fields

    def add_clicked(self) -> None:
        self.add_row()

    def leading(self, row: Row) -> QWidget | None:
        """A widget before the row's editors (a key image's thumbnail), or None."""
        return None

    def add_row(self, document: dict | None = None) -> Row:
        widget = QWidget(self)  # named `agents[0]`: a test or a finding path reaches the row's editors
        widget.setObjectName(f"{self.key}[{len(self.rows)}]")
        row = Row(widget, {}, QPushButton("✕", widget))
        row.editors = self._make_editors(row)
        row.kept = {k: v for k, v in (document or {}).items() if k not in row.editors}
        line = QHBoxLayout(widget)
        line.setContentsMargins(0, 0, 0, 0)
        leading = self.leading(row)
        if leading is not None:
            line.addWidget(leading, 0, Qt.AlignmentFlag.AlignTop)
        for f in self.columns():
            editor = row.editors[f.key]
            editor.row.setParent(widget)
            editor.row.setFixedWidth(self.column_width(f))
            line.addWidget(editor.row, 0, Qt.AlignmentFlag.AlignTop)
            editor.on_change(lambda: emit(self.changed))
        row.remove.setObjectName(f"{self.key}-remove")
        row.remove.setAccessibleName(self.tr("Remove row"))
        row.remove.setToolTip(self.tr("Remove this row"))
        row.remove.setFixedWidth(32)
        row.remove.clicked.connect(lambda: self.remove_row(self.rows.index(row)))
        line.addWidget(row.remove, 0, Qt.AlignmentFlag.AlignTop)
        line.addStretch(1)
        self._rows_box.addWidget(widget)
        self.rows.append(row)
        for key, value in (document or {}).items():
            if key in row.editors:
                row.editors[key].set_value(value)
        self._header.setVisible(self.headed)
        emit(self.changed)
        emit(self.rows_changed)
        if document is None:
            next(iter(row.editors.values())).input.setFocus()
        return row

    def remove_row(self, index: int) -> None:
        before = self.documents()
        self.set_documents(before[:index] + before[index + 1:])
        self.add_button.setFocus()  # the row's button is gone: the keyboard goes on from here
        emit(self.changed)
        emit(self.removed, before)

    def set_documents(self, documents: list[dict]) -> None:
        for row in self.rows:
            self._rows_box.removeWidget(row.widget)
            row.widget.setParent(None)
            row.widget.deleteLater()
        self.rows = []
        for document in documents:
            self.add_row(document)
        self._header.setVisible(self.headed and bool(self.rows))
        emit(self.rows_changed)

    def focus_widgets(self) -> list[QWidget]:
        out = []
        for row in self.rows:
            out += [w for editor in row.editors.values() for w in editor.focus_widgets()]
            out.append(row.remove)
        return [*out, self.add_button]

    def documents(self) -> list[dict]:
        return [row.document() for row in self.rows]

    def editor(self, index: int, key: str) -> FieldEditor | None:
        return self.rows[index].editors.get(key) if 0 <= index < len(self.rows) else None

    def set_enabled(self, enabled: bool) -> None:
        self.add_button.setEnabled(enabled)
        for row in self.rows:
            row.remove.setEnabled(enabled)
            for editor in row.editors.values():
                editor.set_enabled(enabled)
