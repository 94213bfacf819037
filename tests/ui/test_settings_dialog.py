"""Tools > Settings: the report header, its logo and language written to the settings file beside the logbook
(read back by the report as by the CLI), the chart folder for this workstation, the protocol in force shown."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from tace_log.reports import procedure_report
from tace_log.settings import SETTINGS_FILENAME, load_report_settings
from ui.record.report_actions import CHART_FOLDER_KEY
from ui.shell.settings_dialog import SettingsDialog


def open_settings(window) -> SettingsDialog:
    window.settings_action.trigger()  # Tools > Settings...
    dialog = window.findChild(SettingsDialog, "settings_dialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_report_header_logo_and_language_are_saved_beside_the_logbook(qtbot, window, logbook, tmp_path,
                                                                          type_text, pdf_pages_text,
                                                                          typical_document, settings):
    from PIL import Image

    logbook.import_document(typical_document)
    site = logbook.path.with_name(SETTINGS_FILENAME)
    site.write_text(json.dumps({"idle_lock_minutes": 5}), encoding="utf-8")
    Image.new("RGB", (120, 40), (31, 58, 95)).save(tmp_path / "logo.png")
    (tmp_path / "charts").mkdir()
    dialog = open_settings(window)
    assert "protocol.json" in dialog.findChild(QLabel, "protocol_in_force").text()
    type_text(dialog.institution, "复旦大学附属华山医院")
    type_text(dialog.department, "介入放射科")
    assert dialog.set_logo(tmp_path / "logo.png")
    assert not dialog.logo_preview.pixmap().isNull()
    dialog.language.setCurrentIndex(dialog.language.findData("zh"))
    type_text(dialog.chart_folder, str(tmp_path / "charts"))
    qtbot.mouseClick(dialog.findChild(QPushButton, "save_settings"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    written = json.loads(site.read_text(encoding="utf-8"))
    assert written == {"idle_lock_minutes": 5, "report": {"institution": "复旦大学附属华山医院",
                                                          "department": "介入放射科", "logo": "logo.png",
                                                          "language": "zh"}}
    read = load_report_settings(logbook.path)
    assert read.logo == (tmp_path / "logo.png").resolve() and read.language == "zh"
    assert settings.value(CHART_FOLDER_KEY) == str(tmp_path / "charts")
    text = "".join(pdf_pages_text(procedure_report(logbook, typical_document["patients"][0]["procedures"][0]["id"])))
    assert "复旦大学附属华山医院" in text and "手术记录" in text  # the site fixed Chinese, even from the CLI


def test_the_logbook_is_never_read_as_a_logo(qtbot, window, logbook):
    dialog = open_settings(window)
    assert not dialog.set_logo(logbook.path)  # refused before it is opened: its SQLite locks would go
    assert dialog.message.text() and dialog.logo is None
    dialog.reject()
    assert logbook.worklist.rows() == []  # the logbook works as before


def test_a_chart_folder_that_is_no_folder_is_refused(qtbot, window, type_text, tmp_path):
    dialog = open_settings(window)
    type_text(dialog.chart_folder, str(tmp_path / "nowhere"))
    qtbot.mouseClick(dialog.findChild(QPushButton, "save_settings"), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "nowhere" in dialog.message.text()
    assert not tmp_path.joinpath(SETTINGS_FILENAME).exists()
