"""File > Export…: a format, the de-identification choice (with the site secret, shifted dates and free text, as
`tace-log export` has them), only what changed since a moment, and a destination; at the end what was written.

The export runs off the UI thread on a read-only connection of its own (a connection is never shared between
threads), reporting each batch of patients it reads; Cancel stops it at the next batch and, as every export file is
written under a temporary name, leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDateTime, QThread, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
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
from tace_log.storage import Logbook
from ui.shell.file_dialog import file_dialog
from ui.shell.messages import error_text
from ui.shell.signals import emit
from ui.shell.widgets import named

FOLDER_FORMATS = ("csv", "redcap")  # written as a folder of files; the others as one file
SUFFIX = {"json": ".json", "odm": ".xml", "package": ".zip"}


class Cancelled(Exception):
    """Raised from the progress hook when the user pressed Cancel: the export unwinds, removing its partial files."""


class ExportWork(QThread):
    """One export on its own read-only connection: `read` (patients read, to read, the pass, the passes: a package
    reads the logbook once per part) per batch, then `done` with (the files written, the package's manifest or
    None) or `failed` with the error (None when cancelled)."""

    read = Signal(int, int, int, int)
    done = Signal(list, object)
    failed = Signal(object)

    def __init__(self, path: Path, fmt: str, target: Path, deidentify: bool, parent=None, *,
                 secret_file: Path | None = None, shift_dates: bool = False, free_text: bool = False,
                 changed_since: dt.datetime | None = None):
        super().__init__(parent)
        self.path, self.fmt, self.target, self.deidentify = path, fmt, target, deidentify
        self.secret_file, self.shift_dates, self.free_text = secret_file, shift_dates, free_text
        self.changed_since = changed_since
        self.cancelled = False
        self.passes, self._pass = 1, 0

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Cancelled
        if done == 0:  # each pass starts by saying how many patients it will read
            self._pass = min(self._pass + 1, self.passes)
        emit(self.read, done, total, self._pass, self.passes)

    def run(self) -> None:
        try:
            with Logbook.read_only(self.path) as logbook:
                logbook.reading_progress = self._progress
                written, manifest = self._write(logbook)
        except Cancelled:
            emit(self.failed, None)
            return
        except (TaceLogError, OSError) as exc:
            emit(self.failed, exc)
            return
        emit(self.done, written, manifest)

    def _write(self, logbook: Logbook) -> tuple[list[Path], dict | None]:
        fmt, target, since = self.fmt, self.target, self.changed_since
        plan = exports.Deidentification.with_secret_file(
            self.secret_file, shift_dates=self.shift_dates, free_text=self.free_text) \
            if self.deidentify and fmt != "json" else None
        if fmt == "package":
            formats = tuple(f for f in package.FORMATS if plan is None or f != "json")
            self.passes = package.reading_passes(formats, plan)
            return [target], package.write_package(logbook, target, formats, plan, since)
        only = logbook.patients_changed_since(since) if since is not None else None
        if fmt == "json":
            doc = interchange.export_document(logbook, only=only)
            with atomic_file(target) as handle:  # a half-written export never takes the real name
                interchange.write_json(doc, handle)
        else:
            exports.write(logbook, fmt, target, plan, only=only)
        return (sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]), None


class ExportDialog(QDialog):
    """`ExportDialog(logbook)`: exports the whole logbook; `dialog.written` is the list of files written."""

    started_export = Signal()  # its `work` made, not yet running
    finished_export = Signal()

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
        self.secret_file = named(QLineEdit(), "export_secret_file", self.tr("Site secret file"))
        self.secret_file.setPlaceholderText(self.tr("None: the study ID stands for each patient"))
        self.secret_file.setToolTip(self.tr("A file of at least 16 characters kept at the site: it keys each "
                                            "patient's pseudonym and date shift, and is never exported"))
        self.choose_secret = named(QPushButton(self.tr("C&hoose…")), "export_choose_secret",
                                   self.tr("Choose the site secret file"))
        self.choose_secret.clicked.connect(self.choose_secret_file)
        self.shift_dates = named(QCheckBox(self.tr("Keep dates, shifted by a per-patient offset (needs the secret)")),
                                 "export_shift_dates", self.tr("Shift dates"))
        self.free_text = named(QCheckBox(self.tr("Keep free text (notes, narrative): read it for names first")),
                               "export_free_text", self.tr("Keep free text"))
        self.changed_only = named(QCheckBox(self.tr("Only patients with a change after:")), "export_changed_only",
                                  self.tr("Only what changed"))
        self.changed_since = named(QDateTimeEdit(QDateTime.currentDateTime().addDays(-30)), "export_changed_since",
                                   self.tr("Changed since (local time)"))
        self.changed_since.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.changed_since.setCalendarPopup(True)
        for box in (self.deidentify, self.changed_only):
            box.toggled.connect(self._options_changed)
        self.secret_file.textChanged.connect(self._options_changed)
        self.destination = named(QLineEdit(), "export_destination", self.tr("Destination"))
        self.browse = named(QPushButton(self.tr("&Browse…")), "export_browse", self.tr("Browse for the destination"))
        self.browse.clicked.connect(self.choose_destination)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("&Format:"), self.format)
        form.addRow("", self.deidentify)
        secret = QHBoxLayout()
        secret.addWidget(self.secret_file, 1)
        secret.addWidget(self.choose_secret)
        secret_label = QLabel(self.tr("Site &secret:"))
        secret_label.setBuddy(self.secret_file)
        form.addRow(secret_label, secret)
        form.addRow("", self.shift_dates)
        form.addRow("", self.free_text)
        since = QHBoxLayout()
        since.addWidget(self.changed_only)
        since.addWidget(self.changed_since)
        since.addStretch(1)
        form.addRow("", since)
        where_label = QLabel(self.tr("&Destination:"))
        where_label.setBuddy(self.destination)  # a row holding a layout gets no buddy of its own
        form.addRow(where_label, where)
        self.progress = named(QProgressBar(), "export_progress", self.tr("Export progress"))
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
        self.cancel_button = named(QPushButton(self.tr("&Cancel export")), "export_cancel", self.tr("Cancel export"))
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.hide()  # after it is added: adding a button shows it
        self.work: ExportWork | None = None
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

    def _options_changed(self) -> None:
        """The de-identification options apply only to a de-identified export; a date shift needs the secret."""
        chosen = self.deidentify.isChecked()
        for widget in (self.secret_file, self.choose_secret, self.free_text):
            widget.setEnabled(chosen)
        self.shift_dates.setEnabled(chosen and bool(self.secret_file.text().strip()))
        if not self.shift_dates.isEnabled():
            self.shift_dates.setChecked(False)
        self.changed_since.setEnabled(self.changed_only.isChecked())

    def choose_secret_file(self) -> bool:
        start = self.secret_file.text().strip() or str(self.logbook.path.parent)
        dialog = file_dialog(self, self.tr("The site secret file"), start, self.tr("All files (*)"))
        if not dialog.exec() or not dialog.selectedFiles():
            return False
        self.secret_file.setText(dialog.selectedFiles()[0])
        return True

    def _format_changed(self) -> None:
        json_chosen = self.fmt() == "json"
        self.deidentify.setEnabled(not json_chosen)  # tace-log/2 JSON is the full record, for restoring it
        if json_chosen:
            self.deidentify.setChecked(False)
        self._options_changed()
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
        """Start the export (False, with the reason said, when it cannot start); `finished_export` says when it
        has ended, whichever way."""
        text = self.destination.text().strip()
        if not text:
            self.message.setText(self.tr("Choose a destination first: a folder for CSV and REDCap, a file for the "
                                         "others."))
            return False
        target = Path(text).expanduser()
        deidentify, secret = self.deidentify.isChecked(), self.secret_file.text().strip()
        since = self.changed_since.dateTime().toPython().astimezone(dt.UTC) if self.changed_only.isChecked() else None
        self.work = ExportWork(self.logbook.path, self.fmt(), target, deidentify, self,
                               secret_file=Path(secret).expanduser() if deidentify and secret else None,
                               shift_dates=deidentify and self.shift_dates.isChecked(),
                               free_text=deidentify and self.free_text.isChecked(), changed_since=since)
        self.work.read.connect(self._read)
        self.work.done.connect(self._done)
        self.work.failed.connect(self._failed)
        self.work.finished.connect(self._ended)
        self.progress.setRange(0, 0)  # busy until the first batch says how many patients there are
        self.progress.show()
        self.result.hide()
        self.export_button.setEnabled(False)
        self.cancel_button.show()
        self.message.setText(self.tr("Exporting…"))
        emit(self.started_export)
        self.work.start()
        return True

    def running(self) -> bool:
        return self.work is not None and self.work.isRunning()

    def cancel(self) -> None:
        if self.running():
            self.work.cancelled = True
            self.message.setText(self.tr("Cancelling…"))

    def _read(self, done: int, total: int, step: int, steps: int) -> None:
        """The bar over every pass (a package reads the logbook once per part), never going back."""
        said = self.tr("%1 of %2 patients").replace("%1", str(done)).replace("%2", str(total))
        self.progress.setFormat(said if steps == 1 else self.tr("Part %1 of %2: ").replace("%1", str(step))
                                .replace("%2", str(steps)) + said)
        self.progress.setRange(0, max(total, 1) * steps)
        self.progress.setValue((step - 1) * total + done)

    def _done(self, written: list, manifest: dict | None) -> None:
        self.written = written
        target = self.work.target
        self.message.setText(self.tr("Exported to %1").replace("%1", str(target)))
        self.result.setPlainText(self.manifest_text(target, manifest) if manifest is not None else "\n".join(
            self.tr("%1 (%2 bytes)").replace("%1", str(p)).replace("%2", str(p.stat().st_size)) for p in written))
        self.result.show()

    def _failed(self, error) -> None:
        self.message.setText(self.tr("Export cancelled: nothing was written.") if error is None else
                             self.tr("Nothing was exported: %1").replace("%1", error_text(error)))

    def _ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(True)
        emit(self.finished_export)

    def done(self, result: int) -> None:
        """Closing while it runs cancels it and waits for it to unwind: a thread must not outlive its dialog."""
        if self.running():
            self.cancel()
            self.work.wait()
        super().done(result)

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
