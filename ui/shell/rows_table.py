"""A read-only table of text rows (a queue, a kind of course record, a survival table) as a view over a model.

A model rather than a QTableWidget of items: PySide6 6.12 aborts at interpreter exit once a few hundred
QTableWidgetItems have lived (seen here: 1,000 items; the coordinator's queues hold thousands), and a model also
scales to a queue of 100,000 patients without an object per cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[str]] = []
        self.colours: list[str | None] = []

    def set_rows(self, rows: Sequence[Sequence[str]], colours: Sequence[str | None] | None = None) -> None:
        """Show these rows; `colours`, one a row, the colour of its text (None: the palette's)."""
        self.beginResetModel()
        self.rows = [list(map(str, row)) for row in rows]
        self.colours = list(colours) if colours is not None else [None] * len(self.rows)
        self.endResetModel()

    def set_headers(self, headers: Sequence[str]) -> None:
        self.beginResetModel()
        self.headers = list(headers)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            row = self.rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.ForegroundRole and self.colours[index.row()]:
            return QBrush(QColor(self.colours[index.row()]))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and section < len(self.headers):
            return self.headers[section]
        return None


class RowsTable(QTableView):
    """The view: whole rows chosen, nothing edited; `text(row, column)` reads a cell back (tests, screen readers)."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.rows_model = RowsModel(headers, self)
        self.setModel(self.rows_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()

    def set_rows(self, rows: Sequence[Sequence[str]], colours: Sequence[str | None] | None = None) -> None:
        self.rows_model.set_rows(rows, colours)

    def rowCount(self) -> int:
        return self.rows_model.rowCount()

    def currentRow(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def text(self, row: int, column: int) -> str:
        return self.rows_model.rows[row][column]
