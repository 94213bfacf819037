"""The report in the app: Preview, Export PDF to the chart folder, Print. Wire these to the procedure form.

    show_report_preview(logbook, procedure_id, parent)  -> ReportPreviewDialog (shown, not modal)
    export_report(logbook, procedure_id, parent)        -> Path written, or None (cancelled or failed)
    print_report(logbook, procedure_id, parent)         -> True if sent to the printer

The PDF is the core's (`tace_log.reports.procedure_report`), so what is previewed, exported and printed is the
same document, byte for byte. Errors become a message box here, at the edge.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRect, QRectF, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from tace_log.errors import TaceLogError
from tace_log.reports import procedure_report, report_file_name, write_pdf
from ui.shell.file_dialog import file_dialog
from ui.shell.language import language
from ui.shell.messages import error_text, show_error
from ui.shell.screen import resize_to_fit
from ui.shell.widgets import command_button

CHART_FOLDER_KEY = "reports/chart_folder"  # the last folder a report was exported to, per workstation
STRIP_ROWS = 512  # a page is rasterised in strips this tall, so 600 dpi printing never holds a whole page


class _ReportFile:
    """A built report and the file name it is offered under (date, MRN and record id)."""

    def __init__(self, logbook, procedure_id: str):
        procedure = logbook.get_procedure(procedure_id)
        patient = logbook.get_patient(procedure.patient_id)
        self.data = procedure_report(logbook, procedure_id, language=language())  # unless the site fixes one
        self.file_name = report_file_name(procedure.date.isoformat() if procedure.date else None, patient.mrn,
                                          procedure.id)


def load_pdf(data: bytes, parent=None) -> QPdfDocument:
    """A QPdfDocument over bytes in memory (the buffer is kept alive by the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_document(document: QPdfDocument, printer: QPrinter) -> None:
    """Paint the pages (the range chosen in the print dialog, else all) onto the printer at its own resolution,
    each rendered on white and fitted to the paper."""
    first, last = printer.fromPage(), printer.toPage()  # 0, 0 when no range was chosen
    pages = range(first - 1, min(last, document.pageCount())) if first else range(document.pageCount())
    printer.setFullPage(True)
    dpi = printer.resolution()
    painter = QPainter()
    if not painter.begin(printer):
        raise TaceLogError(QCoreApplication.translate("ReportActions", "the printer could not be started"))
    try:
        viewport = painter.viewport()
        for index in pages:
            if index != pages.start:
                printer.newPage()
            points = document.pagePointSize(index)
            full = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            scale = min(viewport.width() / full.width(), viewport.height() / full.height())
            for top in range(0, full.height(), STRIP_ROWS):
                rows = min(STRIP_ROWS, full.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(full)
                options.setScaledClipRect(QRect(0, top, full.width(), rows))
                strip = QImage(full.width(), rows, QImage.Format.Format_RGB32)
                strip.fill(QColor(Qt.GlobalColor.white))  # the rendered page is transparent where nothing is drawn
                with_white = QPainter(strip)
                with_white.drawImage(0, 0, document.render(index, QSize(full.width(), rows), options))
                with_white.end()
                painter.drawImage(QRectF(0, top * scale, full.width() * scale, rows * scale), strip)
    finally:
        painter.end()


def chart_folder(settings: QSettings) -> Path:
    """Where the export dialog opens: the last chart folder used on this workstation, while it exists."""
    folder = settings.value(CHART_FOLDER_KEY, "")
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def export_pdf(data: bytes, file_name: str, parent: QWidget | None = None, path: str | Path | None = None,
               settings: QSettings | None = None) -> Path | None:
    """Write the report to `path`, or to where the user chooses (starting in the remembered chart folder)."""
    settings = settings if settings is not None else QSettings()
    if path is None:
        dialog = file_dialog(parent, QCoreApplication.translate("ReportActions", "Export report"),
                             str(chart_folder(settings) / file_name),
                             QCoreApplication.translate("ReportActions", "PDF (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        chosen = dialog.selectedFiles()[0]
        path = chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"
    try:
        written = write_pdf(path, data)
    except TaceLogError as exc:
        show_error(parent, QCoreApplication.translate("ReportActions", "Export report"), error_text(exc))
        return None
    settings.setValue(CHART_FOLDER_KEY, str(written.parent))
    return written


def print_pdf(data: bytes, parent: QWidget | None = None, printer: QPrinter | None = None) -> bool:
    """Ask the Qt print dialog for a printer (unless one is given) and print the report."""
    document = load_pdf(data)
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        dialog = QPrintDialog(printer, parent)
        dialog.setMinMax(1, document.pageCount())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    try:
        print_document(document, printer)
    except TaceLogError as exc:
        show_error(parent, QCoreApplication.translate("ReportActions", "Print report"), error_text(exc))
        return False
    return True


class ReportPreviewDialog(QDialog):
    """The report as it will be filed, page after page, with Export PDF and Print beside it."""

    def __init__(self, data: bytes, file_name: str, parent: QWidget | None = None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self.data, self.file_name, self._settings = data, file_name, settings
        self.setWindowTitle(self.tr("Report preview - %1").replace("%1", file_name))
        resize_to_fit(self, 820, 960)  # an A4 page's width; as tall as the screen allows, the buttons in view
        self.document = load_pdf(data, self)
        self.view = QPdfView(self)
        self.view.setObjectName("report_preview")
        self.view.setAccessibleName(self.tr("Report preview"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.page_count = QLabel(self.tr("%n page(s)", "", self.document.pageCount()), self)
        self.page_count.setObjectName("report_page_count")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        command_button(buttons.addButton(self.tr("&Export PDF..."), QDialogButtonBox.ButtonRole.ActionRole),
                       "export_pdf", self.export)
        command_button(buttons.addButton(self.tr("&Print..."), QDialogButtonBox.ButtonRole.ActionRole),
                       "print_report", self.print_)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.page_count)
        layout.addWidget(buttons)

    def export(self) -> Path | None:
        return export_pdf(self.data, self.file_name, self, settings=self._settings)

    def print_(self) -> bool:
        return print_pdf(self.data, self)


def _report_file(logbook, procedure_id: str, parent: QWidget | None) -> _ReportFile | None:
    try:
        return _ReportFile(logbook, procedure_id)
    except TaceLogError as exc:
        show_error(parent, QCoreApplication.translate("ReportActions", "Report"), error_text(exc))
        return None


def show_report_preview(logbook, procedure_id: str, parent: QWidget | None = None,
                        settings: QSettings | None = None) -> ReportPreviewDialog | None:
    report = _report_file(logbook, procedure_id, parent)
    if report is None:
        return None
    dialog = ReportPreviewDialog(report.data, report.file_name, parent, settings)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def export_report(logbook, procedure_id: str, parent: QWidget | None = None, path: str | Path | None = None,
                  settings: QSettings | None = None) -> Path | None:
    report = _report_file(logbook, procedure_id, parent)
    return export_pdf(report.data, report.file_name, parent, path, settings) if report else None


def print_report(logbook, procedure_id: str, parent: QWidget | None = None, printer: QPrinter | None = None) -> bool:
    report = _report_file(logbook, procedure_id, parent)
    return print_pdf(report.data, parent, printer) if report else False
