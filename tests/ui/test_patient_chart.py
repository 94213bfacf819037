"""The patient's chart, driven as a coordinator would: opened from the menu, a course recorded by keyboard in the
dialogs its tabs open, the timeline read back and walked with the arrow keys."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPushButton, QTableWidgetItem

from tace_log.model import Patient, Procedure, record_class
from ui.course.lab_grid import LabGrid
from ui.course.record_dialog import CourseRecordDialog

TODAY = dt.date.today()
RESECTION = TODAY - dt.timedelta(days=120)


def a_patient_with_a_tace(logbook) -> tuple[Patient, Procedure]:
    patient = Patient(mrn="CH-1", name="陈静", sex="F", weight_kg=58, arm="lenvatinib_tace", resection_date=RESECTION)
    procedure = Procedure(patient_id=patient.id, date=RESECTION + dt.timedelta(days=30), cycle=1,
                          tumor_staining="present", stained_segments=["VI"], lesion_count=1,
                          embolization="superselective_chemoembolization")
    logbook.save_entry(patient, procedure)
    return patient, procedure


def open_chart(qtbot, window, procedure):
    window.worklist.model.reload()
    window.worklist.select_procedure(procedure.id)
    window.chart_action.trigger()
    chart = window.chart
    qtbot.waitExposed(chart)
    return chart


def the_dialog(qtbot) -> CourseRecordDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CourseRecordDialog)
                    or any(isinstance(w, CourseRecordDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, CourseRecordDialog) and w.isVisible())


def choose(dialog, key, value):
    box = dialog.findChild(QComboBox, key)
    box.setCurrentIndex(box.findData(value))


def test_a_course_recorded_in_the_chart_is_stored_and_drawn(qtbot, window, logbook, type_text):
    patient, procedure = a_patient_with_a_tace(logbook)
    chart = open_chart(qtbot, window, procedure)
    assert "陈静" in chart.heading.text() and "day 120" in chart.heading.text()
    assert [item.entity for item in chart.timeline.items] == ["procedure"]
    assert chart.timeline.items[0].filled  # a stain was seen

    qtbot.mouseClick(chart.findChild(QPushButton, "lab-add"), Qt.MouseButton.LeftButton)
    dialog = the_dialog(qtbot)
    type_text(dialog.findChild(QLineEdit, "date"), (RESECTION + dt.timedelta(days=7)).isoformat())
    choose(dialog, "test", "hb")
    type_text(dialog.findChild(QLineEdit, "value"), "8.5")
    type_text(dialog.findChild(QLineEdit, "unit"), "g/L")
    dialog.save_button.click()  # a unit slip: named beside the value, nothing saved
    assert "8.5 g/dL = 85 g/L?" in dialog.editors["value"].message.text()
    assert logbook.get_patient(patient.id).labs == []
    dialog.findChild(QLineEdit, "unit").clear()
    type_text(dialog.findChild(QLineEdit, "unit"), "g/dL")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [(lab.test, lab.value, lab.unit) for lab in logbook.get_patient(patient.id).labs] == [("hb", 8.5, "g/dL")]

    qtbot.mouseClick(chart.findChild(QPushButton, "dose_period-add"), Qt.MouseButton.LeftButton)
    dialog = the_dialog(qtbot)
    type_text(dialog.findChild(QLineEdit, "start"), (RESECTION + dt.timedelta(days=21)).isoformat())
    choose(dialog, "dose_mg", 12)
    choose(dialog, "frequency", "qd")
    dialog.save_button.click()  # 12 mg at 58 kg: a warning first (LEN-DOSE-WEIGHT), saved on the second Save
    assert "8 mg" in dialog.banner.text() + dialog.editors["dose_mg"].message.text()
    assert logbook.get_patient(patient.id).lenvatinib == []
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [p.dose_mg for p in logbook.get_patient(patient.id).lenvatinib] == [12]

    qtbot.waitUntil(lambda: len(chart.timeline.items) == 3)
    assert [item.entity for item in chart.timeline.items] == ["lab", "dose_period", "procedure"]
    bar = chart.timeline.items[1]
    assert bar.is_bar and bar.label == "12 mg qd" and bar.last_day == 120  # ongoing: drawn up to today
    assert chart.tabs.tabText(1).endswith("(1)")

    chart.timeline.setFocus()
    qtbot.keyClick(chart.timeline, Qt.Key.Key_Right)
    qtbot.keyClick(chart.timeline, Qt.Key.Key_Right)
    qtbot.keyClick(chart.timeline, Qt.Key.Key_Return)  # the dose period: its dialog, filled
    dialog = the_dialog(qtbot)
    assert dialog.entity.key == "dose_period" and dialog.editors["dose_mg"].value() == 12
    dialog.reject()


def test_the_timeline_opens_a_tace_in_the_form(qtbot, window, logbook):
    _, procedure = a_patient_with_a_tace(logbook)
    chart = open_chart(qtbot, window, procedure)
    chart.timeline.setFocus()
    qtbot.keyClick(chart.timeline, Qt.Key.Key_Right)
    qtbot.keyClick(chart.timeline, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.form is not None and window.form.procedure_id == procedure.id)


def test_a_record_is_removed_only_with_a_reason_kept_in_the_audit_trail(qtbot, window, logbook, monkeypatch):
    patient, procedure = a_patient_with_a_tace(logbook)
    from tace_log.dictionary import FOLLOW_UP
    from tace_log.model import record_class

    stored = logbook.get_patient(patient.id)
    stored.follow_ups = [record_class(FOLLOW_UP)(date=TODAY, type="phone")]
    logbook.save_patient(stored)
    chart = open_chart(qtbot, window, procedure)
    tab = chart.record_tabs["follow_up"]
    tab.table.selectRow(0)
    monkeypatch.setattr("ui.course.chart.QInputDialog.getText", lambda *a, **k: ("entered twice", True))
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert logbook.get_patient(patient.id).follow_ups == []
    removed = [r for r in logbook.audit.history(patient.id) if r.table_name == "follow_ups" and r.action == "delete"]
    assert [r.reason for r in removed] == ["entered twice"]


def test_labs_typed_into_the_grid_are_checked_cell_by_cell_and_saved_together(qtbot, window, logbook):
    patient, procedure = a_patient_with_a_tace(logbook)
    chart = open_chart(qtbot, window, procedure)
    chart.tabs.setCurrentWidget(chart.record_tabs["lab"])
    qtbot.mouseClick(chart.findChild(QPushButton, "lab-grid"), Qt.MouseButton.LeftButton)
    grid = chart.findChild(LabGrid)
    qtbot.waitExposed(grid)
    column = {t.key: i for i, t in enumerate(grid.tests, start=1)}
    table = grid.table
    table.item(0, 0).setText((RESECTION + dt.timedelta(days=7)).strftime("%Y%m%d"))  # a compact date is tidied
    for test, text in (("hb", "8.5"), ("plt", "150"), ("afp", "<5")):
        table.setItem(0, column[test], QTableWidgetItem(text))
    assert table.item(0, 0).text() == (RESECTION + dt.timedelta(days=7)).isoformat()
    slip = grid.findings[(0, column["hb"])]
    assert "8.5 g/dL = 85 g/L?" in slip.message and "8.5 g/dL = 85 g/L?" in table.item(0, column["hb"]).toolTip()
    grid.save_button.click()
    assert logbook.get_patient(patient.id).labs == []  # nothing saved while a cell is wrong
    table.item(0, column["hb"]).setText("8.5 g/dL")
    assert (0, column["hb"]) not in grid.findings
    grid.save_button.click()
    qtbot.waitUntil(lambda: not grid.isVisible())
    labs = {(lab.test, lab.value, lab.unit, lab.qualifier) for lab in logbook.get_patient(patient.id).labs}
    assert labs == {("hb", 8.5, "g/dL", None), ("plt", 150, "10^9/L", None), ("afp", 5, "ng/mL", "<")}


def test_the_lenvatinib_helper_proposes_the_dose_by_weight_then_the_ladders_next_step(qtbot, window, logbook):
    patient, procedure = a_patient_with_a_tace(logbook)  # 58 kg
    chart = open_chart(qtbot, window, procedure)
    qtbot.mouseClick(chart.findChild(QPushButton, "dose_period-add"), Qt.MouseButton.LeftButton)
    dialog = the_dialog(qtbot)
    assert "58 kg: 8 mg qd" in dialog.proposal.text()
    qtbot.mouseClick(dialog.use_proposal, Qt.MouseButton.LeftButton)
    assert (dialog.editors["dose_mg"].value(), dialog.editors["frequency"].value()) == (8, "qd")
    dialog.reject()
    from tace_log.dictionary import ADVERSE_EVENT, DOSE_PERIOD
    from tace_log.model import record_class

    stored = logbook.get_patient(patient.id)
    event = record_class(ADVERSE_EVENT)(term="Diarrhea", ctcae_grade=3, onset=RESECTION + dt.timedelta(days=50))
    stored.adverse_events = [event]
    stored.lenvatinib = [record_class(DOSE_PERIOD)(start=RESECTION + dt.timedelta(days=21), dose_mg=8, frequency="qd",
                                                   end=RESECTION + dt.timedelta(days=52), end_reason="held_for_ae",
                                                   adverse_event_id=event.id)]
    logbook.save_patient(stored)
    qtbot.mouseClick(chart.findChild(QPushButton, "dose_period-add"), Qt.MouseButton.LeftButton)
    dialog = the_dialog(qtbot)
    assert "the next step down is 4 mg qd" in dialog.proposal.text()
    dialog.reject()


def test_the_timeline_marks_the_next_date_something_is_due_by(qtbot, window, logbook):
    patient = Patient(mrn="CH-2", name="王芳", arm="lenvatinib_tace", resection_date=TODAY - dt.timedelta(days=30))
    procedure = Procedure(patient_id=patient.id, date=TODAY, tumor_staining="absent",
                          intent="therapeutic_for_recurrence", embolization="prophylactic_embolization")
    logbook.save_entry(patient, procedure)  # not the adjuvant cycle: TACE 1 is still due
    chart = open_chart(qtbot, window, procedure)
    assert chart.timeline.next_due == (56, "TACE 1 due")


def test_the_eligibility_tab_says_each_rule_and_records_a_screen_failure_in_one_step(qtbot, window, logbook,
                                                                                     monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from tace_log.dictionary import LAB, SCREENING

    patient, procedure = a_patient_with_a_tace(logbook)
    stored = logbook.get_patient(patient.id)
    screen = RESECTION + dt.timedelta(days=10)
    stored.screening = record_class(SCREENING)(screen_date=screen, consent_date=screen)
    stored.labs = [record_class(LAB)(date=screen, test="plt", value=40, unit="10^9/L")]  # below 75: fails
    logbook.save_patient(stored)
    chart = open_chart(qtbot, window, procedure)
    panel = chart.eligibility
    rules = {panel.table.text(r, 0): panel.table.text(r, 2) for r in range(panel.table.rowCount())}
    assert rules["INC-PLT"] == "fail" and rules["INC-TBIL"] == "unknown"
    assert panel.verdict.text().startswith("Not eligible: ") and "INC-PLT" in panel.verdict.text()
    assert "Child-Pugh" in panel.scores.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.fail_button, Qt.MouseButton.LeftButton)
    screening = logbook.get_patient(patient.id).screening
    assert (screening.enrolled, screening.not_enrolled_reason) == (False, "not_meeting_inclusion")
    assert any((r.reason or "").startswith("screen failure") for r in logbook.audit.history(patient.id))


def test_a_course_record_typed_but_not_saved_survives_a_crash_as_a_draft(qtbot, logbook, settings, monkeypatch,
                                                                          type_text):
    import shiboken6
    from ui_support import shown_window

    import ui.course.record_dialog
    from tace_log.drafts import DraftStore
    from ui.shell.main_window import MainWindow

    monkeypatch.setattr(ui.course.record_dialog, "DRAFT_INTERVAL_MS", 20)
    patient, procedure = a_patient_with_a_tace(logbook)
    first = MainWindow(logbook, settings)
    first.show()
    chart = open_chart(qtbot, first, procedure)
    qtbot.mouseClick(chart.findChild(QPushButton, "follow_up-add"), Qt.MouseButton.LeftButton)
    dialog = the_dialog(qtbot)
    day = (RESECTION + dt.timedelta(days=90)).isoformat()
    type_text(dialog.findChild(QLineEdit, "date"), day)
    choose(dialog, "type", "phone")
    store = DraftStore(logbook.path)
    qtbot.waitUntil(lambda: any(d.entity == "follow_up" and (d.record or {}).get("type") == "phone"
                                for d in store.drafts()))
    first.deleteLater()  # a crash: no close, no question, no save
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))

    second = shown_window(qtbot, logbook, settings)
    assert second.drafts_bar.isVisible()
    assert "陈静" in " ".join(w.text() for w in second.drafts_bar.findChildren(QLabel))
    qtbot.mouseClick(second.drafts_bar.findChild(QPushButton, "restore_draft"), Qt.MouseButton.LeftButton)
    restored = the_dialog(qtbot)
    assert restored.findChild(QLineEdit, "date").text() == day
    assert restored.findChild(QComboBox, "type").currentData() == "phone"
    assert restored.dirty and not second.drafts_bar.isVisible()  # being typed again: not offered twice
    restored.save_button.click()
    qtbot.waitUntil(lambda: not restored.isVisible())
    assert [(f.date.isoformat(), f.type) for f in logbook.get_patient(patient.id).follow_ups] == [(day, "phone")]
    assert store.drafts() == []  # saved: the draft is gone


def test_cancelling_typed_course_input_asks_first_and_discarding_removes_its_draft(qtbot, window, logbook,
                                                                                  monkeypatch, type_text):
    from PySide6.QtWidgets import QMessageBox

    import ui.shell.messages
    from tace_log.drafts import DraftStore

    patient, procedure = a_patient_with_a_tace(logbook)
    chart = open_chart(qtbot, window, procedure)
    qtbot.mouseClick(chart.findChild(QPushButton, "adverse_event-add"), Qt.MouseButton.LeftButton)
    dialog = the_dialog(qtbot)
    type_text(dialog.findChild(QLineEdit, "term"), "Hypertension")
    assert dialog.save_draft()
    asked = []
    monkeypatch.setattr(ui.shell.messages, "ask_unsaved",
                        lambda parent, title: asked.append(title) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a slip of the finger keeps what was typed
    assert dialog.isVisible() and asked == [dialog.windowTitle()]
    assert len(DraftStore(logbook.path).drafts()) == 1
    monkeypatch.setattr(ui.shell.messages, "ask_unsaved", lambda parent, title: QMessageBox.StandardButton.Discard)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert DraftStore(logbook.path).drafts() == []
    assert logbook.get_patient(patient.id).adverse_events == []


def test_results_typed_into_the_lab_grid_survive_a_crash_as_a_draft(qtbot, logbook, settings, monkeypatch):
    import shiboken6
    from ui_support import shown_window

    import ui.course.lab_grid
    from tace_log.drafts import DraftStore
    from ui.shell.main_window import MainWindow

    monkeypatch.setattr(ui.course.lab_grid, "DRAFT_INTERVAL_MS", 20)
    patient, procedure = a_patient_with_a_tace(logbook)
    first = MainWindow(logbook, settings)
    first.show()
    chart = open_chart(qtbot, first, procedure)
    chart.tabs.setCurrentWidget(chart.record_tabs["lab"])
    qtbot.mouseClick(chart.findChild(QPushButton, "lab-grid"), Qt.MouseButton.LeftButton)
    grid = chart.findChild(LabGrid)
    qtbot.waitExposed(grid)
    column = {t.key: i for i, t in enumerate(grid.tests, start=1)}
    day = (RESECTION + dt.timedelta(days=7)).isoformat()
    grid.table.item(0, 0).setText(day)
    grid.table.setItem(0, column["hb"], QTableWidgetItem("8.5"))  # a unit slip, kept as typed
    store = DraftStore(logbook.path)
    qtbot.waitUntil(lambda: any(d.entity == "lab_grid" and "8.5" in (d.record or {}).get("grid", [[]])[0]
                                for d in store.drafts()))
    first.deleteLater()  # a crash
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))

    second = shown_window(qtbot, logbook, settings)
    qtbot.mouseClick(second.drafts_bar.findChild(QPushButton, "restore_draft"), Qt.MouseButton.LeftButton)
    restored = second.chart.findChild(LabGrid)
    qtbot.waitExposed(restored)
    assert restored.table.item(0, 0).text() == day and restored.table.item(0, column["hb"]).text() == "8.5"
    assert (0, column["hb"]) in restored.findings  # the slip is named again
    restored.table.item(0, column["hb"]).setText("8.5 g/dL")
    restored.save_button.click()
    qtbot.waitUntil(lambda: not restored.isVisible())
    assert [(lab.test, lab.value) for lab in logbook.get_patient(patient.id).labs] == [("hb", 8.5)]
    assert store.drafts() == []
