"""Entering a procedure as the radiologist does: through the form's widgets, found by their field keys."""

import datetime as dt

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)
from ui_support import answer_modal, choose_file, shown_window

import ui.entry.procedure_form
import ui.shell.messages
from tace_log.drafts import DraftStore
from tace_log.storage import Logbook
from tests.core.test_applies_when import EarlierRules, patient, unstained
from tests.core.test_declared_entity import scan_patient, scans  # noqa: F401  (scans: the throwaway entity's fixture)
from ui.shell.main_window import MainWindow

TODAY = dt.date.today()


def choose(parent, name, key):
    combo = parent.findChild(QComboBox, name)
    assert combo is not None, name
    combo.setCurrentIndex(combo.findData(key))


def fill_patient(form, type_text, name="欧阳娜娜", mrn="H2001"):
    type_text(form.findChild(QLineEdit, "mrn"), mrn)
    type_text(form.findChild(QLineEdit, "name"), name)
    choose(form, "sex", "F")
    type_text(form.findChild(QLineEdit, "weight_kg"), "64")
    type_text(form.findChild(QLineEdit, "resection_date"), (TODAY - dt.timedelta(days=30)).isoformat())
    type_text(form.findChild(QLineEdit, "date"), TODAY.isoformat())


def open_from_the_worklist(qtbot, window, procedure_id):
    """Its row chosen in the worklist, and Enter."""
    window.worklist.select_procedure(procedure_id)
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_Return)


def add_agent(qtbot, form, agent, dose):
    qtbot.mouseClick(form.findChild(QPushButton, "agents-add"), Qt.MouseButton.LeftButton)
    row = form.findChild(QWidget, f"agents[{len(form.row_editors['agents'].rows) - 1}]")
    choose(row, "agent", agent)
    row.findChild(QLineEdit, "dose").setText(str(dose))
    return row


def test_a_full_procedure_typed_into_the_form_is_saved_and_read_back(qtbot, window, logbook, type_text):
    window.new_action.trigger()
    form = window.form
    fill_patient(form, type_text)
    choose(form, "tumor_staining", "present")
    assert form.findChild(QComboBox, "embolization").currentData() == "superselective_chemoembolization"
    qtbot.mouseClick(form.findChild(QToolButton, "stained_segments.VI"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.findChild(QToolButton, "stained_segments.VII"), Qt.MouseButton.LeftButton)
    type_text(form.findChild(QLineEdit, "lesion_count"), "2")
    type_text(form.findChild(QLineEdit, "largest_lesion_mm"), "12.5")
    choose(form, "selectivity", "superselective")
    type_text(form.findChild(QLineEdit, "fluoroscopy_min"), "18")
    row = add_agent(qtbot, form, "epirubicin", 40)
    assert row.findChild(QComboBox, "unit").currentData() == "mg"  # the agent's only unit, chosen for you
    type_text(row.findChild(QLineEdit, "lot"), "L-77")
    add_agent(qtbot, form, "lipiodol", 5)
    qtbot.mouseClick(form.findChild(QPushButton, "complications-add"), Qt.MouseButton.LeftButton)
    complication = form.findChild(QWidget, "complications[0]")
    type_text(complication.findChild(QLineEdit, "term"), "abdominal pain")
    type_text(complication.findChild(QLineEdit, "ctcae_grade"), "1")
    type_text(form.findChild(QPlainTextEdit, "findings"), "VI、VII段可见肿瘤染色")

    derived = form.findChild(QLabel, "derived")  # updated live, once typing pauses
    qtbot.waitUntil(lambda: "Day 30 after resection" in derived.text())
    assert "Lenvatinib 12 mg once daily for 64 kg" in derived.text()
    form.save_button.click()
    assert form.banner.text() == "Saved.", form.banner.text()

    rows = logbook.worklist.rows()
    assert [(r.name, r.mrn) for r in rows] == [("欧阳娜娜", "H2001")]
    stored = logbook.get_procedure(rows[0].procedure_id)
    assert stored.date == TODAY and stored.stained_segments == ["VI", "VII"]
    assert (stored.lesion_count, stored.largest_lesion_mm, stored.fluoroscopy_min) == (2, 12.5, 18)
    assert stored.embolization == "superselective_chemoembolization"
    assert [(a.agent, a.dose, a.unit, a.lot) for a in stored.agents] == [("epirubicin", 40, "mg", "L-77"),
                                                                        ("lipiodol", 5, "mL", None)]
    assert [(c.term, c.ctcae_grade) for c in stored.complications] == [("abdominal pain", 1)]
    assert stored.findings == "VI、VII段可见肿瘤染色"
    patient = logbook.get_patient(stored.patient_id)
    assert (patient.sex, patient.weight_kg) == ("F", 64)
    assert window.worklist.model.rowCount() == 1  # the worklist heard of the save


def test_a_negative_dose_shows_its_error_beside_the_dose_and_blocks_save(qtbot, window, logbook, type_text):
    window.new_action.trigger()
    form = window.form
    fill_patient(form, type_text)
    choose(form, "tumor_staining", "absent")
    row = add_agent(qtbot, form, "epirubicin", -20)
    form.validate()

    message = row.findChild(QLabel, "dose-message")
    qtbot.waitUntil(message.isVisible)  # a row added to a shown form is shown by the next event loop turn
    assert message.text() == "must be > 0"
    assert "must be > 0" in row.findChild(QLineEdit, "dose").toolTip()
    assert any("Agent 1 · Dose: must be > 0" in form.summary.item(i).text() for i in range(form.summary.count()))
    window.save_action.trigger()
    assert "Not saved: 1 error" in form.banner.text() and "Dose" in form.banner.text()
    assert logbook.counts()["procedures"] == 0


def test_staining_absent_proposes_prophylactic_and_closes_the_segments(window, type_text):
    window.new_action.trigger()
    form = window.form
    choose(form, "tumor_staining", "absent")
    assert form.findChild(QComboBox, "embolization").currentData() == "prophylactic_embolization"
    assert not form.findChild(QToolButton, "stained_segments.VI").isEnabled()
    choose(form, "tumor_staining", "present")  # the proposal follows while the radiologist has not chosen
    assert form.findChild(QComboBox, "embolization").currentData() == "superselective_chemoembolization"
    assert form.findChild(QToolButton, "stained_segments.VI").isEnabled()
    choose(form, "embolization", "prophylactic_embolization")
    choose(form, "tumor_staining", "absent")
    choose(form, "tumor_staining", "present")  # a choice the radiologist made is never overridden
    form.validate()
    assert form.findChild(QComboBox, "embolization").currentData() == "prophylactic_embolization"
    assert "staining is present but the embolization is prophylactic" in form.findChild(
        QLabel, "embolization-message").text()


def test_warnings_are_saved_only_after_one_explicit_confirmation(qtbot, window, logbook, type_text):
    window.new_action.trigger()
    form = window.form
    fill_patient(form, type_text)
    choose(form, "tumor_staining", "absent")
    type_text(form.findChild(QLineEdit, "fluoroscopy_min"), "75")
    form.save_button.click()
    assert "1 warning" in form.banner.text() and logbook.counts()["procedures"] == 0
    form.save_button.click()
    assert form.banner.text() == "Saved." and logbook.counts()["procedures"] == 1


def test_a_draft_survives_the_window_destroyed_unsaved(qtbot, logbook, settings, monkeypatch, type_text):
    monkeypatch.setattr(ui.entry.procedure_form, "DRAFT_INTERVAL_MS", 20)
    first = MainWindow(logbook, settings)
    first.show()
    first.new_action.trigger()
    fill_patient(first.form, type_text, name="张伟", mrn="H3003")
    choose(first.form, "tumor_staining", "absent")
    store = DraftStore(logbook.path)
    qtbot.waitUntil(lambda: any(d.patient.get("name") == "张伟" and d.procedure.get("tumor_staining") == "absent"
                                for d in store.drafts()))
    first.deleteLater()  # a crash: no close, no question, no save
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))

    second = shown_window(qtbot, logbook, settings)
    assert second.drafts_bar.isVisible()
    qtbot.mouseClick(second.drafts_bar.findChild(QPushButton, "restore_draft"), Qt.MouseButton.LeftButton)
    form = second.form
    assert form.findChild(QLineEdit, "name").text() == "张伟"
    assert form.findChild(QComboBox, "tumor_staining").currentData() == "absent"
    assert form.dirty and not second.drafts_bar.isVisible()
    second.save_action.trigger()
    assert logbook.worklist.rows()[0].name == "张伟"
    assert store.drafts() == []  # saved: the draft is gone


@pytest.mark.parametrize("answer, closes", [(QMessageBox.StandardButton.Cancel, False),
                                            (QMessageBox.StandardButton.Discard, True)])
def test_closing_a_changed_form_asks_first(qtbot, window, monkeypatch, type_text, answer, closes):
    asked = []
    monkeypatch.setattr(ui.shell.messages, "ask_unsaved", lambda parent, title: asked.append(title) or answer)
    window.new_action.trigger()
    form = window.form
    type_text(form.findChild(QLineEdit, "name"), "李明")
    form.save_draft()  # as its timer does
    qtbot.mouseClick(form.findChild(QPushButton, "close"), Qt.MouseButton.LeftButton)
    assert asked == ["李明"]
    assert (window.form is None) == closes
    assert bool(DraftStore(window.logbook.path).drafts()) != closes  # discarded means gone from disk too


def test_an_unchanged_form_closes_with_escape_without_asking(qtbot, window, monkeypatch):
    monkeypatch.setattr(ui.shell.messages, "ask_unsaved", lambda *a: pytest.fail("asked"))
    window.new_action.trigger()
    qtbot.keyClick(window.form.findChild(QLineEdit, "mrn"), Qt.Key.Key_Escape)
    assert window.form is None


def test_a_stored_mrn_loads_that_patient(qtbot, window, logbook, type_text):
    window.new_action.trigger()
    fill_patient(window.form, type_text, name="陈静", mrn="H4004")
    choose(window.form, "tumor_staining", "absent")
    window.save_action.trigger()
    window.new_action.trigger()
    mrn = window.form.findChild(QLineEdit, "mrn")
    type_text(mrn, "H4004")
    qtbot.keyClick(mrn, Qt.Key.Key_Return)  # the MRN entered
    assert window.form.findChild(QLineEdit, "name").text() == "陈静"
    assert window.form.patient_stored


def test_a_new_form_is_not_red_until_save_names_the_missing_fields(window):
    window.new_action.trigger()
    form = window.form
    assert form.summary.count() == 0
    form.save_button.click()
    assert "Not saved" in form.banner.text() and "is required" in form.banner.text()
    assert form.summary.count() >= 4  # MRN, name, date, staining, embolization


def test_tab_follows_the_page_including_rows_added_later(qtbot, window):
    window.new_action.trigger()
    form = window.form
    add_agent(qtbot, form, "lipiodol", 5)
    chain, widget = [], form.findChild(QLineEdit, "mrn")
    for _ in range(2000):  # the chain holds labels and containers too
        chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is chain[0]:
            break
    order = [w for w in chain if w.objectName() in ("mrn", "name", "mvi", "date", "stained_segments.I",
                                                     "air_kerma_mgy", "agent", "dose", "agents-add", "findings",
                                                     "impression", "save")]
    assert [w.objectName() for w in order] == ["mrn", "name", "mvi", "date", "stained_segments.I", "air_kerma_mgy",
                                               "agent", "dose", "agents-add", "findings", "impression", "save"]


def test_keyboard_shortcuts_new_save_and_find(qtbot, window, logbook, type_text):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.form is not None and window.form.findChild(QLineEdit, "mrn").hasFocus()
    fill_patient(window.form, type_text, name="赵敏", mrn="H5005")
    choose(window.form, "tumor_staining", "absent")
    qtbot.keyClick(window.form.findChild(QLineEdit, "date"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert logbook.worklist.rows()[0].name == "赵敏"
    qtbot.keyClick(window.form.findChild(QLineEdit, "date"), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(QLineEdit, "search").hasFocus()


def test_opening_a_procedure_with_a_draft_shows_the_draft_not_the_stored_record(qtbot, window, logbook, type_text):
    window.new_action.trigger()
    fill_patient(window.form, type_text, name="周杰", mrn="H6006")
    choose(window.form, "tumor_staining", "absent")
    window.save_action.trigger()
    procedure_id = window.form.procedure_id
    window.form.findChild(QLineEdit, "fluoroscopy_min").setText("12")
    window.form.save_draft()
    window.form.dirty = False  # as after a crash: the draft is on disk, the window is gone
    window.close_form()
    open_from_the_worklist(qtbot, window, procedure_id)
    assert window.form.findChild(QLineEdit, "fluoroscopy_min").text() == "12"
    assert "unsaved draft" in window.form.banner.text()


def test_a_draft_of_a_procedure_signed_since_opens_the_signed_record_read_only(qtbot, window, logbook, type_text):
    window.new_action.trigger()
    fill_patient(window.form, type_text, name="周杰", mrn="H6007")
    choose(window.form, "tumor_staining", "absent")
    window.form.findChild(QLineEdit, "operator").setText("Qin")
    window.form.findChild(QPlainTextEdit, "impression").setPlainText("No stain.")
    window.save_action.trigger()
    window.save_action.trigger()  # confirms the warnings
    procedure_id = window.form.procedure_id
    window.form.findChild(QLineEdit, "fluoroscopy_min").setText("12")
    window.form.save_draft()
    window.form.dirty = False  # the draft is on disk; meanwhile the procedure is signed (at another desk)
    window.close_form()
    logbook.users.add("qin", "秦 Qin", "radiologist", "a long password")
    logbook.signing.sign(procedure_id, "qin", "a long password", acknowledge_warnings=True)
    open_from_the_worklist(qtbot, window, procedure_id)
    assert window.form.read_only
    assert window.form.findChild(QLineEdit, "fluoroscopy_min").text() != "12"
    assert "signed after your unsaved draft" in window.form.banner.text()


# -- what applies only for a stain -----------------------------------------------------------------------------
def test_staining_switched_to_absent_clears_what_applies_only_for_a_stain_and_says_what(qtbot, window, logbook,
                                                                                        type_text):
    window.new_action.trigger()
    form = window.form
    fill_patient(form, type_text, mrn="H7001")
    choose(form, "tumor_staining", "present")
    qtbot.mouseClick(form.findChild(QToolButton, "stained_segments.VI"), Qt.MouseButton.LeftButton)
    lesions, largest = form.findChild(QLineEdit, "lesion_count"), form.findChild(QLineEdit, "largest_lesion_mm")
    type_text(lesions, "3")
    type_text(largest, "12.5")
    choose(form, "tumor_staining", "absent")
    assert (lesions.text(), largest.text(), lesions.isEnabled()) == ("", "", False)
    assert not form.findChild(QToolButton, "stained_segments.VI").isChecked()
    assert form.banner.text() == ("Tumour staining is now absent: cleared Stained segments VI; Stained lesions 3; "
                                  "Largest lesion 12.5 mm (recorded only when it is present / equivocal). "
                                  "Choose present / equivocal again to bring them back.")
    choose(form, "tumor_staining", "equivocal")  # a slip of the hand undone: what was typed comes back
    assert (lesions.text(), largest.text(), lesions.isEnabled()) == ("3", "12.5", True)
    assert form.findChild(QToolButton, "stained_segments.VI").isChecked()
    assert form.banner.text() == "Brought back Stained segments VI; Stained lesions 3; Largest lesion 12.5 mm."
    choose(form, "tumor_staining", "absent")
    form.save_button.click()
    form.save_button.click()  # confirms the warnings
    assert form.banner.text() == "Saved.", form.banner.text()
    stored = logbook.get_procedure(form.procedure_id)
    assert (stored.tumor_staining, stored.stained_segments, stored.lesion_count, stored.largest_lesion_mm) == (
        "absent", [], None, None)


def test_a_record_stored_before_the_rule_opens_unchanged_with_the_value_flagged_until_cleared(qtbot, tmp_path,
                                                                                             logbook, settings):
    with Logbook.open(tmp_path / "logbook.sqlite", validator=EarlierRules()) as earlier:  # an earlier version's save
        someone = patient()
        earlier.save_patient(someone)
        old = unstained(someone)
        earlier.save_procedure(old)
    window = shown_window(qtbot, logbook, settings)
    open_from_the_worklist(qtbot, window, old.id)
    form = window.form
    lesions = form.findChild(QLineEdit, "lesion_count")
    assert (lesions.text(), lesions.isEnabled(), form.dirty) == ("3", True, False)  # shown, editable, unchanged
    message = form.findChild(QLabel, "lesion_count-message")
    assert message.text().startswith("Stained lesions is recorded only when tumour staining is present")
    form.save_button.click()
    assert form.banner.text().startswith("Not saved: 1 error. Stained lesions: Stained lesions is recorded")
    lesions.selectAll()
    qtbot.keyClick(lesions, Qt.Key.Key_Delete)
    form.save_button.click()
    form.save_button.click()  # confirms the warnings
    assert form.banner.text() == "Saved.", form.banner.text()
    assert logbook.get_procedure(old.id).lesion_count is None


def test_every_field_of_the_page_has_a_visible_named_editor_in_the_dictionarys_order(qtbot, window, tmp_path):
    """A field declared on the procedure page and not shown could never be typed: each has its editor, visible,
    named by its key for tests and screen readers (a key image's hash and type are its file's, shown as its
    thumbnail); the section boxes read in the page's order."""
    from image_samples import angiogram

    from tace_log.dictionary import PROCEDURE_PAGE, declared

    window.new_action.trigger()
    form = window.form
    (tmp_path / "frame.png").write_bytes(angiogram())
    for rows in (section.rows for section in PROCEDURE_PAGE if section.rows):
        answered = answer_modal(choose_file(tmp_path / "frame.png")) if rows == "key_images" else [True]
        qtbot.mouseClick(form.findChild(QPushButton, f"{rows}-add"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda answered=answered: bool(answered))
        qtbot.waitUntil(lambda rows=rows: form.findChild(QWidget, f"{rows}[0]") is not None)
        row = form.findChild(QWidget, f"{rows}[0]")
        qtbot.waitUntil(lambda row=row: row.isVisibleTo(window))  # Qt shows a row added to a shown page queued
    assert form.findChild(QWidget, "key_images[0]-thumbnail").isVisibleTo(window)
    for section in PROCEDURE_PAGE:
        if section.rows:
            keys = ["caption"] if section.rows == "key_images" else declared(section.entity).keys
            paths = [f"procedure.{section.rows}[0].{key}" for key in keys]
        else:
            paths = [section.path + key for key in section.fields]
        for path in paths:
            editor = form.editor_for(path)
            assert editor is not None, path
            assert editor.input.isVisibleTo(window), path
            assert editor.input.objectName() == path.rsplit(".", 1)[-1] and editor.input.accessibleName(), path
    boxes = [form.findChild(QWidget, f"section-{section.key}") for section in PROCEDURE_PAGE]
    places = [(box.mapTo(form, box.rect().topLeft()).y(), box.mapTo(form, box.rect().topLeft()).x()) for box in boxes]
    assert places == sorted(places), "the form's sections are not in the dictionary's page order"


def test_in_chinese_a_validation_message_is_shown_in_chinese(qtbot, chinese, logbook, settings, type_text):
    window = shown_window(qtbot, logbook, settings)
    window.new_action.trigger()
    form = window.form
    fill_patient(form, type_text)
    choose(form, "tumor_staining", "present")
    choose(form, "embolization", "prophylactic_embolization")
    row = add_agent(qtbot, form, "epirubicin", -20)
    form.validate()

    message = row.findChild(QLabel, "dose-message")
    qtbot.waitUntil(message.isVisible)
    assert message.text() == "必须大于0"
    assert "必须大于0" in row.findChild(QLineEdit, "dose").toolTip()
    summary = [form.summary.item(i).text() for i in range(form.summary.count())]
    assert any("剂量" in line and line.endswith(": 必须大于0") for line in summary), summary
    # a parameter that is a choice is worded in Chinese too, from the dictionary's labels
    assert "肿瘤染色为有，但栓塞方式为预防性栓塞" in form.findChild(QLabel, "embolization-message").text()
    window.save_action.trigger()
    assert "有肿瘤染色：请至少填写一个染色肝段" in form.banner.text()  # the first error


@pytest.mark.usefixtures("scans")
def test_a_save_from_the_form_keeps_a_declared_part_the_page_does_not_show(qtbot, tmp_path, settings, type_text):
    """The course grows as declared entities the procedure page does not edit: a save through the form writes back
    what it loaded of them, never an empty list in their place."""
    from tace_log.model import Procedure

    with Logbook.open(tmp_path / "course.sqlite") as logbook:
        someone = scan_patient()
        someone.resection_date = TODAY - dt.timedelta(days=30)
        procedure = Procedure(patient_id=someone.id, date=TODAY, tumor_staining="absent",
                              embolization="prophylactic_embolization")
        logbook.save_entry(someone, procedure)
        window = shown_window(qtbot, logbook, settings)
        open_from_the_worklist(qtbot, window, procedure.id)
        type_text(window.form.findChild(QLineEdit, "operator"), "王建国")
        window.save_action.trigger()
        qtbot.waitUntil(lambda: logbook.get_procedure(procedure.id).operator == "王建国")
        assert [scan.site for scan in logbook.get_patient(someone.id).scans] == ["segment VI", "segment VIII"]
        window.close()



def test_a_save_from_the_form_keeps_the_course_recorded_beside_it_meanwhile(qtbot, tmp_path, settings, type_text):
    """A lab recorded by someone else (the CLI, the coordinator's desk) while the form is open survives the form's
    save: the form writes back the course as it is stored now, not as it was when the form loaded it."""
    from tace_log.dictionary import LAB
    from tace_log.model import Patient, Procedure, record_class

    path = tmp_path / "course.sqlite"
    with Logbook.open(path) as logbook:
        someone = Patient(mrn="C-7", name="陈静", resection_date=TODAY - dt.timedelta(days=30))
        procedure = Procedure(patient_id=someone.id, date=TODAY, tumor_staining="absent",
                              embolization="prophylactic_embolization")
        logbook.save_entry(someone, procedure)
        window = shown_window(qtbot, logbook, settings)
        open_from_the_worklist(qtbot, window, procedure.id)
        type_text(window.form.findChild(QLineEdit, "operator"), "王建国")
        with Logbook.open(path) as beside:  # a second connection, as the CLI beside the app
            stored = beside.get_patient(someone.id)
            stored.labs = [record_class(LAB)(date=TODAY, test="alb", value=38, unit="g/L")]
            beside.save_patient(stored)
        window.save_action.trigger()
        qtbot.waitUntil(lambda: logbook.get_procedure(procedure.id).operator == "王建国")
        assert [(lab.test, lab.value) for lab in logbook.get_patient(someone.id).labs] == [("alb", 38)]
        window.close()


def test_the_liver_map_picks_segments_by_click_and_by_keyboard_with_the_buttons(qtbot, window, type_text):
    """The Couinaud map and the segment buttons are one editor: a click on segment VI, or Space on the focused
    segment, flips its button; the target vessels hatch the segments they treat."""
    from PySide6.QtCore import QPoint

    from tace_log.couinaud import HEIGHT, SEGMENTS, WIDTH

    window.new_action.trigger()
    form = window.form
    choose(form, "tumor_staining", "present")
    liver = form.liver_map
    qtbot.waitUntil(liver.isVisible)
    scale = min(liver.width() / WIDTH, liver.height() / HEIGHT)
    dx, dy = (liver.width() - WIDTH * scale) / 2, (liver.height() - HEIGHT * scale) / 2
    x, y = SEGMENTS["VI"][1]
    qtbot.mouseClick(liver, Qt.MouseButton.LeftButton, pos=QPoint(int(dx + x * scale), int(dy + y * scale)))
    assert form.editors["procedure.stained_segments"].value() == ["VI"]
    liver.setFocus()
    liver.focused = "VI"
    qtbot.keyClick(liver, Qt.Key.Key_Right)  # VII
    qtbot.keyClick(liver, Qt.Key.Key_Space)
    assert form.editors["procedure.stained_segments"].value() == ["VI", "VII"]
    assert form.findChild(QToolButton, "stained_segments.VII").isChecked()
    type_text(form.findChild(QLineEdit, "target_vessels"), "A6, A4b")
    assert liver.treated() == {"VI", "IVb"}


def test_a_dose_above_the_follow_up_threshold_is_named_beside_its_field(qtbot, window, type_text):
    window.new_action.trigger()
    form = window.form
    message, air_kerma = form.findChild(QLabel, "air_kerma_mgy-message"), form.findChild(QLineEdit, "air_kerma_mgy")
    type_text(air_kerma, "5000")
    form.validate()
    assert "SIR/NCRP" not in message.text()
    air_kerma.clear()
    type_text(air_kerma, "5200")
    qtbot.waitUntil(lambda: "SIR/NCRP" in message.text())  # checked as it is typed
    assert message.isVisible()
    assert "5200 mGy is above the SIR/NCRP threshold for radiation follow-up (5000 mGy): arrange a skin check" in \
        message.text()


def test_a_dose_report_fills_the_form_unsaved(qtbot, window, logbook, type_text, tmp_path):
    """File > Import dose: the RDSR's DAP, air kerma and fluoroscopy time go into the form, not the logbook, and a
    file that is no dose report says so in the form."""
    import zipfile
    from pathlib import Path

    wheels = sorted((Path(__file__).resolve().parents[2] / ".venv" / "wheels").glob("pyskindose-*.whl"))
    if not wheels:
        pytest.skip("the pyskindose wheel with the vendor RDSRs is not in .venv/wheels (run make)")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith("siemens_axiom_artis.dcm"))
        report = tmp_path / "dose.dcm"
        report.write_bytes(wheel.read(name))
    window.new_action.trigger()
    fill_patient(window.form, type_text)
    asked: list[str] = []  # a pseudonymised file: its patient ID is not the MRN
    answer_modal(lambda box: (asked.append(box.text()), box.button(QMessageBox.StandardButton.Yes).click()))
    assert window.import_dose(str(report))
    assert asked and "patient ID LO_dUawKGgPfH+5pASNaGknAhHpqZATRs+qduIceNzYlvw=" in asked[0]
    assert window.form.editors["procedure.dap_gycm2"].value() == 0.09  # 9.37e-06 Gy·m² is 0.0937 Gy·cm²
    assert window.form.editors["procedure.air_kerma_mgy"].value() == 1.36
    assert window.form.editors["procedure.fluoroscopy_min"].value() == 0.3
    assert window.form.editors["procedure.fluoro_dap_gycm2"].value() == 0.03  # 3.14e-06 Gy·m²
    assert window.form.editors["procedure.acquisition_dap_gycm2"].value() == 0.06  # 6.23e-06 Gy·m²
    assert window.form.editors["procedure.irradiation_events"].value() == 21
    assert "check it, then Save" in window.form.banner.text() and window.form.dirty
    assert logbook.counts()["procedures"] == 0
    (tmp_path / "note.dcm").write_text("not DICOM")
    assert not window.import_dose(str(tmp_path / "note.dcm"))
    assert "not a DICOM file" in window.form.banner.text()


def test_a_dose_report_of_another_patient_or_day_is_asked_about_before_it_fills_the_form(qtbot, window, logbook,
                                                                                         type_text, tmp_path):
    """File > Import dose… with a file whose patient ID and study date are not the form's MRN and date: the question
    names both; No leaves the form as it was. A file of this patient and day fills it without a question."""
    from dose_samples import dose_report, plane

    other = dose_report(tmp_path / "other.dcm", [plane(0.0120, 0.0050, 0.850, 900)], patient_id="H9999",
                        study_date="20250101")
    window.new_action.trigger()
    form = window.form
    fill_patient(form, type_text, mrn="H2001")
    asked: list[str] = []

    def pick(file_dialog) -> None:  # the file, then the question it raises
        choose_file(other)(file_dialog)
        answer_modal(lambda box: (asked.append(box.text()), box.button(QMessageBox.StandardButton.No).click()))

    chosen = answer_modal(pick)
    window.import_dose_action.trigger()
    qtbot.waitUntil(lambda: bool(chosen) and bool(asked))
    assert "patient ID H9999 (this patient's MRN: H2001)" in asked[0]
    assert f"study date 2025-01-01 (this procedure: {TODAY.isoformat()})" in asked[0]
    assert "Fill this procedure's form with its dose anyway?" in asked[0]
    assert form.editors["procedure.dap_gycm2"].value() is None and not form.editors["procedure.fluoroscopy_min"].value()

    same = dose_report(tmp_path / "same.dcm", [plane(0.0120, 0.0050, 0.850, 900)], patient_id=" H2001 ",
                       study_date=TODAY.strftime("%Y%m%d"))
    chosen = answer_modal(choose_file(same))
    window.import_dose_action.trigger()
    qtbot.waitUntil(lambda: bool(chosen))
    assert (form.editors["procedure.dap_gycm2"].value(), form.editors["procedure.fluoroscopy_min"].value()) == (120, 15)
    assert len(asked) == 1 and logbook.counts()["procedures"] == 0  # not asked again; filled, unsaved


def test_a_procedure_entered_twice_is_flagged_before_it_is_saved(qtbot, window, logbook, type_text):
    window.new_action.trigger()
    form = window.form
    fill_patient(form, type_text)
    type_text(form.findChild(QLineEdit, "cycle"), "1")
    choose(form, "tumor_staining", "absent")
    form.save_button.click()
    assert form.banner.text() == "Saved."
    first = form.procedure_id
    window.close_form()
    window.worklist.model.reload()
    window.worklist.select_procedure(first)
    window.new_for_patient_action.trigger()
    again = window.form
    assert again.procedure_id != first
    type_text(again.findChild(QLineEdit, "date"), TODAY.isoformat())
    type_text(again.findChild(QLineEdit, "cycle"), "1")
    choose(again, "tumor_staining", "absent")
    again.save_button.click()
    assert "1 warning" in again.banner.text() and logbook.counts()["procedures"] == 1
    assert "entered twice?" in again.findChild(QLabel, "date-message").text()  # said beside the date
    again.save_button.click()  # confirmed: a second TACE on one day happens
    assert again.banner.text() == "Saved." and logbook.counts()["procedures"] == 2


@pytest.mark.parametrize(("language", "said"), [("en", "on {date}, with no cycle either: the same one entered twice?"),
                                                ("zh", "已有{date}的手术记录，同样未填周期：是否重复录入？")],
                         ids=["en", "zh"])
def test_a_procedure_typed_twice_without_a_cycle_is_flagged_as_it_is_typed_before_save(
        request, qtbot, logbook, settings, type_text, language, said):
    if language == "zh":
        request.getfixturevalue("chinese")
    window = shown_window(qtbot, logbook, settings)
    window.new_action.trigger()
    fill_patient(window.form, type_text)  # no cycle typed
    choose(window.form, "tumor_staining", "absent")
    window.form.save_button.click()
    assert logbook.counts()["procedures"] == 1
    first = window.form.procedure_id
    window.close_form()
    window.worklist.model.reload()
    window.worklist.select_procedure(first)
    window.new_for_patient_action.trigger()
    again = window.form
    type_text(again.findChild(QLineEdit, "date"), TODAY.isoformat())
    choose(again, "tumor_staining", "absent")
    beside_the_date = again.findChild(QLabel, "date-message")
    said = said.format(date=TODAY.isoformat())
    qtbot.waitUntil(lambda: said in beside_the_date.text())  # checked as typed: no Save pressed yet
    assert any(said in again.summary.item(i).text() for i in range(again.summary.count()))
    assert not again.banner.isVisible()
    again.save_button.click()  # the first Save asks for a look at the warning, and saves nothing
    assert again.banner.isVisible() and logbook.counts()["procedures"] == 1
    window.close()
