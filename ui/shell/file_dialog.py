"""The app's file dialogs: Qt's own widgets, with icons and types told from file names alone.

Qt's icon provider reads the first bytes of every file a dialog lists to guess its type. Reading the logbook's
-wal or -shm (or the logbook) that way in the app's process, and closing that descriptor, drops every SQLite lock
the app holds on it: the next `tace-log` beside the app then deletes the -wal under it and the app's saves are
lost (sqlite.org/howtocorrupt.html 2.2). A native dialog reads files in this process too, so none is used.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QFileInfo
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


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


def file_dialog(parent: QWidget | None, title: str, start: str, name_filter: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, start, name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog._icons = NameOnlyIcons()  # the dialog does not own its provider: kept alive with it
    dialog.setIconProvider(dialog._icons)
    return dialog
