"""Preview, export and print of the procedure report, with real Qt widgets (offscreen) and real PDFs."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPageSize
from PySide6.QtPrintSupport import QPrinter

from tace_log.reports import procedure_report
from ui.record.report_actions import CHART_FOLDER_KEY, chart_folder, export_report, print_report, show_report_preview


@pytest.fixture
def workstation_settings(tmp_path):
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


def pages_of(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_preview_shows_the_report_page_by_page(qtbot, report_logbook, typical_procedure_id,
                                                   workstation_settings):
    expected = pages_of(procedure_report(report_logbook, typical_procedure_id))
    dialog = show_report_preview(report_logbook, typical_procedure_id, settings=workstation_settings)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    assert dialog.document.pageCount() == expected
    assert dialog.findChild(type(dialog.page_count), "report_page_count").text().startswith(str(expected))
    assert dialog.data == procedure_report(report_logbook, typical_procedure_id)  # what is filed is what is shown

    def page_is_drawn():  # QPdfView renders asynchronously: wait until text (dark pixels) shows in the view
        image = dialog.view.viewport().grab().toImage()
        dark = sum(QColor(image.pixel(x, y)).lightness() < 100
                   for x in range(0, image.width(), 4) for y in range(0, image.height(), 4))
        assert dark > 50
    qtbot.waitUntil(page_is_drawn, timeout=5000)


def test_export_writes_the_report_and_remembers_the_chart_folder(qtbot, report_logbook, typical_procedure_id,
                                                                 tmp_path, workstation_settings):
    chart = tmp_path / "chart"
    chart.mkdir()
    written = export_report(report_logbook, typical_procedure_id, path=chart / "r.pdf", settings=workstation_settings)
    assert written == chart / "r.pdf"
    assert written.read_bytes() == procedure_report(report_logbook, typical_procedure_id)
    assert workstation_settings.value(CHART_FOLDER_KEY) == str(chart)
    assert chart_folder(workstation_settings) == chart  # the next export dialog opens there
    written.unlink()
    chart.rmdir()
    assert chart_folder(workstation_settings) == Path.home()  # a folder since removed is not offered


def test_print_paints_every_page_at_the_printer_resolution(qtbot, report_logbook, typical_procedure_id, tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(150)
    assert print_report(report_logbook, typical_procedure_id, printer=printer)
    printed = pypdf.PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == pages_of(procedure_report(report_logbook, typical_procedure_id))
    for page in printed.pages:
        images = page.images
        assert images, "a printed page carries the rendered report"
        strip = images[0].image
        assert strip.width == round(595.28 / 72 * 150)  # a page is rendered at the printer's 150 dpi
        colours = strip.convert("L").getextrema()
        assert colours[1] == 255 and colours[0] < 100  # white paper with dark text, not a transparent black


def test_print_honours_the_page_range_chosen(qtbot, report_logbook, typical_procedure_id, tmp_path):
    procedure = report_logbook.get_procedure(typical_procedure_id)
    procedure.findings = "\n\n".join(f"Finding {n}: a stain in segment VI, 14 mm; 肝右叶结节状染色。" * 8
                                     for n in range(60))
    report_logbook.save_procedure(procedure)
    total = pages_of(procedure_report(report_logbook, typical_procedure_id))
    assert total >= 3
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    printer.setFromTo(2, 3)
    assert print_report(report_logbook, typical_procedure_id, printer=printer)
    assert len(pypdf.PdfReader(tmp_path / "printed.pdf").pages) == 2
