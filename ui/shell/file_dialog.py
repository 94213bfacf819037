"""The app's file dialogs: Qt's own widgets, with icons and types told from file names alone.

Qt's icon provider reads the first bytes of every file a dialog lists to guess its type. Reading the logbook's
-wal or -shm (or the logbook) that way in the app's process, and closing that descriptor, drops every SQLite lock
the app holds on it: the next `tace-log` beside the app then deletes the -wal under it and the app's saves are
lost (sqlite.org/howtocorrupt.html 2.2). A native dialog reads files in this process too, so none is used.
A file's time (its Date Modified: when a backup was made) is the workstation's local time with its zone, as every
time the app shows.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QFileInfo, QIdentityProxyModel, Qt
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QFileSystemModel, QWidget

from tace_log.times import shown_file_time

MODIFIED = 3  # QFileSystemModel's columns: name, size, type, date modified


class NameOnlyIcons(QFileIconProvider):
    """Icons and type names from a file's name and kind, never from its content."""

    def icon(self, what):
        if isinstance(what, QFileInfo):
            kind = QFileIconProvider.IconType.Folder if what.isDir() else QFileIconProvider.IconType.File
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return QCoreApplication.translate("FileDialog", "Folder")
        suffix = info.suffix()
        if not suffix:
            return QCoreApplication.translate("FileDialog", "File")
        return QCoreApplication.translate("FileDialog", "%1 file").replace("%1", suffix.upper())


class ZonedTimes(QIdentityProxyModel):
    """The dialog's files as Qt lists them, their time with its zone ('2026-03-14 19:00:05 +08:00')."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        source = self.sourceModel()
        if index.column() == MODIFIED and role == Qt.ItemDataRole.DisplayRole and isinstance(source,
                                                                                             QFileSystemModel):
            seconds = source.lastModified(self.mapToSource(index)).toSecsSinceEpoch()
            return shown_file_time(seconds)
        return super().data(index, role)


def file_dialog(parent: QWidget | None, title: str, start: str, name_filter: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, start, name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog._icons = NameOnlyIcons()  # the dialog does not own its provider: kept alive with it
    dialog.setIconProvider(dialog._icons)
    dialog.setProxyModel(ZonedTimes(dialog))
    return dialog
