"""File > Export…: a format, the de-identification choice and a destination; at the end what was written.

The export runs on the UI thread with a busy progress bar: the logbook's one SQLite connection is never used from
two threads, and the window cannot change the records while they are being written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from tace_log import exports, interchange, package
from tace_log.errors import TaceLogError
from tace_log.files import atomic_file
from ui.shell.file_dialog import file_dialog
from ui.shell.messages import error_text
from ui.shell.widgets import named

FOLDER_FORMATS = ("csv", "redcap")  # written as a folder of files; the others as one file
SUFFIX = {"json": ".json", "odm": ".xml", "package": ".zip"}


class ExportDialog(QDialog):
    """`ExportDialog(logbook)`: exports the whole logbook; `dialog.written` is the list of files written."""

    def __init__(self, logbook, parent=None):
        super().__init__(parent)
        self.logbook = logbook
        self.written: list[Path] = []
        self.setWindowTitle(self.tr("Export"))
        self.setObjectName("export_dialog")
        self.format = named(QComboBox(), "export_format", self.tr("Format"))
        for key, name in (("json", self.tr("TACE Log JSON (tace-log/2)")), ("csv", self.tr("CSV tables (folder)")),
                          ("redcap", self.tr("REDCap import (folder)")), ("odm", self.tr("CDISC ODM (XML file)")),
                          ("package", self.tr("Trial-office package (zip)"))):
            self.format.addItem(name, key)
        self.deidentify = named(QCheckBox(self.tr("De-identify (pseudonyms, no names or MRNs)")),
                                "export_deidentify", self.tr("De-identify"))
        self.destination = named(QLineEdit(), "export_destination", self.tr("Destination"))
        self.browse = named(QPushButton(self.tr("&Browse…")), "export_browse", self.tr("Browse for the destination"))
        self.browse.clicked.connect(self.choose_destination)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("&Format:"), self.format)
        form.addRow("", self.deidentify)
        where_label = QLabel(self.tr("&Destination:"))
        where_label.setBuddy(self.destination)  # a row holding a layout gets no buddy of its own
        form.addRow(where_label, where)
        self.progress = named(QProgressBar(), "export_progress", self.tr("Export progress"))
        self.progress.setRange(0, 0)  # busy: the core does not report steps
        self.progress.hide()
        self.message = QLabel(objectName="export_message", wordWrap=True)
        self.result = named(QPlainTextEdit(readOnly=True), "export_result", self.tr("What was written"))
        self.result.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))  # the manifest's columns
        self.result.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # one file a line, digest included
        self.result.hide()
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(self.tr("&Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("export_button")
        self.export_button.clicked.connect(self.export)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("export_close")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        self.resize(900, 520)

    def fmt(self) -> str:
        return self.format.currentData()

    def default_destination(self) -> Path:
        stem = f"tace-log-{self.fmt()}-{dt.date.today().isoformat()}"
        return self.logbook.path.parent / (stem + SUFFIX.get(self.fmt(), ""))

    def _format_changed(self) -> None:
        json_chosen = self.fmt() == "json"
        self.deidentify.setEnabled(not json_chosen)  # tace-log/2 JSON is the full record, for restoring it
        if json_chosen:
            self.deidentify.setChecked(False)
        current = self.destination.text().strip()
        if not current or Path(current).parent == self.logbook.path.parent and Path(current).name.startswith(
                "tace-log-"):
            self.destination.setText(str(self.default_destination()))

    def choose_destination(self) -> bool:
        start = self.destination.text().strip() or str(self.default_destination())
        dialog = file_dialog(self, self.tr("Export to"), start, self.tr("All files (*)"))
        dialog.setObjectName("export_file_dialog")
        if self.fmt() in FOLDER_FORMATS:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        else:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        if not dialog.exec() or not dialog.selectedFiles():
            return False
        self.destination.setText(dialog.selectedFiles()[0])
        return True

    def export(self) -> bool:
        text = self.destination.text().strip()
        if not text:
            self.message.setText(self.tr("Choose a destination first: a folder for CSV and REDCap, a file for the "
                                         "others."))
            return False
        target = Path(text).expanduser()
        self.progress.show()
        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Exporting…"))
        QCoreApplication.processEvents()  # the busy bar painted before the work starts
        try:
            summary = self._write(target)
        except (TaceLogError, OSError) as exc:
            self.message.setText(self.tr("Nothing was exported: %1").replace("%1", error_text(exc)))
            return False
        finally:
            self.progress.hide()
            self.export_button.setEnabled(True)
        self.message.setText(self.tr("Exported to %1").replace("%1", str(target)))
        self.result.setPlainText(summary)
        self.result.show()
        return True

    def _write(self, target: Path) -> str:
        fmt = self.fmt()
        plan = (exports.Deidentification.with_secret_file(None) if self.deidentify.isChecked() and fmt != "json"
                else None)
        if fmt == "package":
            formats = tuple(f for f in package.FORMATS if plan is None or f != "json")
            manifest = package.write_package(self.logbook, target, formats, plan)
            self.written = [target]
            return self.manifest_text(target, manifest)
        if fmt == "json":
            doc = interchange.export_document(self.logbook)
            with atomic_file(target) as handle:  # a half-written export never takes the real name
                interchange.write_json(doc, handle)
        else:
            exports.write(self.logbook, fmt, target, plan)
        self.written = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        return "\n".join(self.tr("%1 (%2 bytes)").replace("%1", str(p)).replace("%2", str(p.stat().st_size))
                         for p in self.written)

    def manifest_text(self, target: Path, manifest: dict) -> str:
        """The package's manifest as a reader checks it: when it is as of, what is in it, each file's rows and
        SHA-256 (the same digests as manifest.json inside the zip)."""
        lines = [self.tr("Package: %1").replace("%1", str(target)),
                 self.tr("As of: %1").replace("%1", manifest["as_of"] or "-"),
                 self.tr("Formats: %1").replace("%1", ", ".join(manifest["formats"])),
                 self.tr("De-identified: %1").replace("%1", self.tr("yes") if manifest["deidentified"]
                                                       else self.tr("no")),
                 ""]
        width = max(map(len, manifest["files"]), default=0) + 2
        lines.append(self.tr("File").ljust(width) + self.tr("Rows").rjust(6) + "  SHA-256")
        for name, digest in manifest["files"].items():
            rows = manifest["rows"].get(name)
            lines.append(name.ljust(width) + ("" if rows is None else str(rows)).rjust(6) + "  " + digest)
        return "\n".join(lines)
