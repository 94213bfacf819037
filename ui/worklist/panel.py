"""The worklist: every procedure, newest first, searched and sorted in SQL a page at a time.

`WorklistModel` never holds the whole logbook: it asks `Logbook.worklist` for one page (`PAGE` rows) and lets the
view fetch more as it scrolls (canFetchMore/fetchMore), so 100,000 procedures open as fast as 100.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QEvent, QFileSystemWatcher, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from tace_log.dictionary import PATIENT, PROCEDURE
from tace_log.model import ENTERED_IN_ERROR, SIGNED
from tace_log.storage import Logbook, WorklistRow
from ui.shell.language import language
from ui.shell.signals import emit

PAGE = 200
SEARCH_DELAY_MS = 200  # search as you type, once the typing pauses
CHANGED_DELAY_MS = 300  # the list is re-read this long after the logbook's files last changed on disk
FIT_ROWS = 50  # the rows the columns are fitted to: more than a screenful, without measuring a whole page
CELL_PADDING, HEADER_PADDING = 14, 28  # the style's text margins; the header's also hold the sort arrow

# (WorklistRow attribute, which is also its Logbook.WORKLIST_SORT key; dictionary field giving the label and the
# value's display). Status comes before the findings: whether a record is signed is what a list is scanned for.
COLUMNS = (
    ("date", PROCEDURE["date"]),
    ("name", PATIENT["name"]),
    ("mrn", PATIENT["mrn"]),
    ("study_id", PATIENT["study_id"]),
    ("status", None),
    ("tumor_staining", PROCEDURE["tumor_staining"]),
    ("embolization", PROCEDURE["embolization"]),
)


class WorklistModel(QAbstractTableModel):
    def __init__(self, logbook: Logbook, parent: QObject | None = None):
        super().__init__(parent)
        self.logbook = logbook
        self._rows: list[WorklistRow] = []
        self._total: int | None = None  # counted only when asked: typing must not wait for a count
        self._more = False
        self._search = ""
        self._sort = "date"
        self._descending = True
        self._load()

    # -- what is shown -----------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        """How many procedures match the search (not how many are loaded); counted on first use."""
        if self._total is None:
            self._total = self.logbook.worklist.count(self._search)
        return self._total

    def _load(self, rows: int = PAGE) -> None:
        self._total = None
        self._rows = self.logbook.worklist.rows(self._search, self._sort, self._descending, rows, 0)
        self._more = len(self._rows) == rows

    def reload(self, keep_loaded: bool = False) -> None:
        """Read the rows again; with keep_loaded, as many as were loaded (so a scrolled-to row is still there)."""
        self.beginResetModel()
        self._load(max(PAGE, len(self._rows)) if keep_loaded else PAGE)
        self.endResetModel()

    def row_of(self, procedure_id: str | None) -> int | None:
        """The loaded row showing this procedure, if any."""
        return next((i for i, row in enumerate(self._rows) if row.procedure_id == procedure_id), None)

    def set_search(self, text: str) -> None:
        if text != self._search:
            self._search = text
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        # A reset, not a layout change: the new order starts again from its first page, so the row count changes.
        self._sort = COLUMNS[column][0]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def procedure_id(self, row: int) -> str | None:
        return self._rows[row].procedure_id if 0 <= row < len(self._rows) else None

    # -- lazy paging -------------------------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = self.logbook.worklist.rows(self._search, self._sort, self._descending, PAGE, len(self._rows))
        self._more = len(page) == PAGE
        if not page:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- Qt model ----------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def text(self, row: int, column: int) -> str:
        """What a cell shows (and its tooltip, for a cell too narrow for it)."""
        attribute, field = COLUMNS[column]
        value = getattr(self._rows[row], attribute)
        if attribute == "status":
            if value == ENTERED_IN_ERROR:
                return self.tr("entered in error")
            return self.tr("signed") if value == SIGNED else self.tr("draft")
        if field is not None and field.choices and value:
            return field.display(value, language())
        return value if value is not None else ""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None  # asked first: the view asks for several roles a cell, and these two are all it has
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.text(index.row(), index.column())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if not 0 <= section < len(COLUMNS):
            return None
        field = COLUMNS[section][1]
        return field.label(language()) if field is not None else self.tr("Status")


class WorklistPanel(QWidget):
    """The search box above the worklist table; Enter or a double-click asks to open the procedure."""

    open_requested = Signal(str)

    def __init__(self, logbook: Logbook, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = WorklistModel(logbook, self)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setAccessibleName(self.tr("Search procedures"))
        self.search.setPlaceholderText(self.tr("Search name, MRN or study ID (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("worklist-count")
        self.table = QTableView(self)
        self.table.setObjectName("worklist")
        self.table.setAccessibleName(self.tr("Procedures"))
        # The row header is set up before the model arrives: a visible one asks the model for every loaded
        # row's label and size (800 calls into Python for the first page).
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for the form (arrows move between rows)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.setSectionsClickable(True)
        header.setStretchLastSection(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        self._fitting = False
        self.width_needed = self.fit_columns()
        # Settled: fitted to rows, restored from the settings (keep_column_widths) or set by the user. An empty
        # logbook fits the headings only, so its columns are fitted again when its first rows arrive.
        self.column_widths_settled = self.model.rowCount() > 0
        self.model.modelReset.connect(self._fit_to_first_rows)
        self.model.rowsInserted.connect(self._fit_to_first_rows)
        header.sectionResized.connect(self._resized)
        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)
        self.search.installEventFilter(self)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._debounce.start)
        # The count follows the rows a moment later, once typing pauses: the rows are what the user waits for.
        self._count_later = QTimer(self)
        self._count_later.setSingleShot(True)
        self._count_later.setInterval(SEARCH_DELAY_MS)
        self._count_later.timeout.connect(self._show_count)
        self.model.modelReset.connect(self._count_later.start)

        # Another process's save (the CLI, an import, a second workstation on a shared folder) reaches no notice
        # of this one: the logbook's files changing on disk are watched instead, and the list re-read once they
        # settle. SQLite in WAL mode writes each commit to `<logbook>-wal` first, the logbook at checkpoints.
        self._watched = [str(logbook.path), f"{logbook.path}-wal"]
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed_on_disk)
        self._reread_later = QTimer(self, singleShot=True, interval=CHANGED_DELAY_MS)
        self._reread_later.timeout.connect(self._reread_after_change)
        self._watch()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.table, 1)
        self._count_later.start()  # the first count too: the window shows with its rows first

    def fit_columns(self) -> int:
        """Each column as wide as its header and the text of the first loaded rows, so that dates, MRNs and study
        IDs show whole (the last column stretches); returns the width that shows every column. Fitted when the
        worklist is built (and when an empty logbook gets its first rows), never as the user types: columns that
        moved while typing would be hard to read."""
        cells, headings = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        rows = range(min(FIT_ROWS, self.model.rowCount()))
        needed = self.table.verticalScrollBar().sizeHint().width() + 2 * self.table.frameWidth()
        self._fitting = True
        for column in range(self.model.columnCount()):
            heading = self.model.headerData(column, Qt.Orientation.Horizontal)
            width = max([headings.horizontalAdvance(heading) + HEADER_PADDING,
                         *(cells.horizontalAdvance(self.model.text(row, column)) + CELL_PADDING for row in rows)])
            self.table.setColumnWidth(column, width)
            needed += width
        self._fitting = False
        return needed

    def keep_column_widths(self) -> None:
        """The widths came from the settings: the user's, not to be fitted again."""
        self.column_widths_settled = True

    def _fit_to_first_rows(self, *_) -> None:
        if not self.column_widths_settled and self.model.rowCount():
            self.column_widths_settled = True
            self.width_needed = self.fit_columns()

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column < self.model.columnCount() - 1:  # the last one stretches with the window
            self.column_widths_settled = True

    def apply_search(self) -> None:
        self._debounce.stop()
        self.model.set_search(self.search.text())
        if self.model.rowCount():
            self.table.selectRow(0)

    def _watch(self) -> None:
        """Watch the logbook's files that exist now (a watch ends when its file is replaced or removed)."""
        missing = [f for f in self._watched if f not in self.watcher.files() and Path(f).exists()]
        if missing:
            self.watcher.addPaths(missing)

    def _changed_on_disk(self, _path: str) -> None:
        self._watch()
        self._reread_later.start()  # one re-read for the burst of writes a commit makes

    def _reread_after_change(self) -> None:
        if self.model.logbook.is_open:
            self.refresh()
            self._count_later.start()

    def refresh(self) -> None:
        """Re-read after a change to the logbook, staying on the selected procedure and where the list was
        scrolled to (a reset alone jumps back to the top)."""
        selected = self.current_procedure_id()
        scrolled = self.table.verticalScrollBar().value()
        self.model.reload(keep_loaded=True)
        self.table.verticalScrollBar().setValue(scrolled)
        if selected:
            self.select_procedure(selected)

    def select_procedure(self, procedure_id: str) -> None:
        """Select the procedure's row (if it is among the loaded rows) and bring it into view."""
        row = self.model.row_of(procedure_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _show_count(self, *_args) -> None:
        if self.model.logbook.is_open:
            self.count.setText(self.tr("%n procedure(s)", "", self.model.total))

    def current_procedure_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.procedure_id(index.row()) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        procedure_id = self.model.procedure_id(index.row())
        if procedure_id:
            emit(self.open_requested, procedure_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if watched is self.search:
                self.apply_search()  # Enter in the search box opens the top (or selected) match
            index = self.table.currentIndex()
            if not index.isValid() and self.model.rowCount():
                index = self.model.index(0, 0)
            if index.isValid():
                self._open_index(index)
            return True
        if watched is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self.table.setFocus()
            if not self.table.currentIndex().isValid() and self.model.rowCount():
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)
