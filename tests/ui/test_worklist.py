"""The worklist: searched and sorted in SQL, a page at a time; Enter opens the procedure."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QLineEdit
from ui_support import shown_window

from tace_log.model import Patient, Procedure
from tace_log.resources import CJK_FONT_FAMILY
from ui.worklist import panel as worklist
from ui.worklist.panel import WorklistModel

NAMES = ["张伟", "张伟明", "欧阳娜娜", "Wang Fang", "李明"]


def fill(logbook, procedures_per_patient=1, patients=len(NAMES)):
    patients_docs = []
    for i in range(patients):
        patient = Patient(mrn=f"M{i:05}", name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f"{i}"),
                          study_id=f"S-{i:03}", resection_date=dt.date(2025, 1, 1))
        procedures = [Procedure(date=dt.date(2025, 2, 1) + dt.timedelta(days=i * 3 + j), tumor_staining="absent",
                                embolization="prophylactic_embolization") for j in range(procedures_per_patient)]
        patients_docs.append({**patient.to_document(), "procedures": [p.to_document() for p in procedures]})
    logbook.import_document({"format": "tace-log/2", "patients": patients_docs})


def test_the_worklist_model_passes_qt_model_tester(qtmodeltester, logbook):
    fill(logbook, procedures_per_patient=3, patients=90)  # 270 rows: more than one page
    model = WorklistModel(logbook)
    qtmodeltester.check(model)
    model.set_search("张伟")
    qtmodeltester.check(model)
    model.fetchMore()
    model.sort(1, Qt.SortOrder.AscendingOrder)  # back to one page, in the new order
    qtmodeltester.check(model)


def test_rows_are_fetched_a_page_at_a_time_newest_first(logbook):
    fill(logbook, procedures_per_patient=3, patients=90)
    model = WorklistModel(logbook)
    assert (model.rowCount(), model.total) == (worklist.PAGE, 270)
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 270 and not model.canFetchMore()
    dates = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_typing_a_two_character_chinese_name_narrows_the_worklist(qtbot, window, logbook, type_text):
    fill(logbook)
    window.worklist.model.reload()
    assert window.worklist.model.rowCount() == 5
    type_text(window.findChild(QLineEdit, "search"), "张伟")
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 2)  # 张伟 and 张伟明
    names = {window.worklist.model.index(r, 1).data() for r in range(2)}
    assert names == {"张伟", "张伟明"}
    count = window.findChild(QLabel, "worklist-count")
    qtbot.waitUntil(lambda: count.text() == "2 procedures")  # the count follows the rows once typing pauses
    search = window.findChild(QLineEdit, "search")
    search.clear()
    type_text(search, "S-003")  # study ID
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 1)
    assert window.worklist.model.index(0, 1).data() == "Wang Fang"


@pytest.mark.parametrize("column, expected", [(1, ["Wang Fang", "张伟", "张伟明", "李明", "欧阳娜娜"]),
                                              (2, ["M00000", "M00001", "M00002", "M00003", "M00004"])])
def test_clicking_a_header_sorts_in_sql(qtbot, window, logbook, column, expected):
    fill(logbook)
    window.worklist.model.reload()
    header = window.worklist.table.horizontalHeader()
    header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
    model = window.worklist.model
    assert [model.index(r, column).data() for r in range(model.rowCount())] == expected


def test_enter_on_a_row_opens_its_procedure(qtbot, window, logbook):
    fill(logbook)
    window.worklist.model.reload()
    table = window.worklist.table
    table.setFocus()
    table.selectRow(2)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.form is not None
    assert window.form.procedure_id == window.worklist.model.procedure_id(2)
    assert window.form.findChild(QLineEdit, "name").text() == window.worklist.model.index(2, 1).data()


def test_the_bundled_cjk_font_is_registered_and_about_names_the_logbook(window, logbook):
    assert CJK_FONT_FAMILY in QFontDatabase.families()
    assert CJK_FONT_FAMILY in window.font().families()
    about = window.about_text()
    assert str(logbook.path) in about and f"Schema version: {logbook.schema_version}" in about


def add_realistic_procedure(logbook):
    logbook.import_document({"format": "tace-log/2", "patients": [{
        **Patient(mrn="HS20261124007", name="欧阳娜娜", study_id="LT-ADJ-2026-0042",
                  resection_date=dt.date(2026, 10, 20)).to_document(),
        "procedures": [Procedure(date=dt.date(2026, 11, 20), tumor_staining="absent",
                                 embolization="prophylactic_embolization").to_document()]}]})


def assert_every_cell_and_heading_shows_whole(table):
    header = table.horizontalHeader()
    for column in range(table.model().columnCount()):  # Qt's own measure of text, margins and sort arrow
        assert table.sizeHintForColumn(column) <= table.columnWidth(column), table.model().text(0, column)
        assert header.sectionSizeHint(column) <= table.columnWidth(column), column


def test_dates_mrns_and_study_ids_show_whole_and_the_form_keeps_two_thirds(qtbot, logbook, settings):
    add_realistic_procedure(logbook)
    window = shown_window(qtbot, logbook, settings)  # first use: no column widths or divider saved
    assert_every_cell_and_heading_shows_whole(window.worklist.table)
    worklist = window.splitter.sizes()[0]
    third = window.splitter.width() // 3
    assert worklist <= third and worklist >= min(window.worklist.width_needed, third)


def test_an_empty_logbook_fits_its_columns_when_the_first_rows_arrive_and_keeps_them(qtbot, logbook, settings):
    window = shown_window(qtbot, logbook, settings)  # a new install: nothing to fit to but the headings
    add_realistic_procedure(logbook)
    window.worklist.refresh()
    assert_every_cell_and_heading_shows_whole(window.worklist.table)
    window.save_settings()
    assert settings.value("main_window/worklist_header") is not None


def test_widths_saved_before_the_status_column_moved_are_not_applied(qtbot, logbook, settings):
    add_realistic_procedure(logbook)
    old = shown_window(qtbot, logbook, settings)
    header = old.worklist.table.horizontalHeader()
    header.resizeSection(2, 20)  # a width the old layout saved under the old key
    settings.setValue("main_window/worklist_columns", header.saveState())
    window = shown_window(qtbot, logbook, settings)
    assert_every_cell_and_heading_shows_whole(window.worklist.table)
