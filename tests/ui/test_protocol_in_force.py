"""The app says which protocol file is in force (the status bar, Help > About), and a malformed one beside the
logbook is said, naming its key, where the form would open: never a form checked against the bundled one."""

from __future__ import annotations

from core.test_protocol import site_file, with_tace_only_arm
from PySide6.QtWidgets import QMessageBox
from ui_support import answer_modal

from tace_log.resources import resource
from tace_log.storage import Logbook
from ui.app import open_main_window


def _opened(qtbot, path, settings):
    window, logbook = open_main_window(path, settings)
    qtbot.addWidget(window)
    return window, logbook


def _closed(window, logbook):
    window.check.wait()
    window.close()
    logbook.close()


def _read_and_closed(said: list):
    """An answer for `answer_modal`: what the message box says (its icon and text), then OK."""
    def answer(box):
        said.append((box.icon(), box.text()))
        box.accept()
    return answer


def test_the_status_bar_and_about_say_the_site_protocol_in_force(qtbot, tmp_path, settings):
    site = site_file(tmp_path, with_tace_only_arm).resolve()
    Logbook.open(tmp_path / "logbook.sqlite").close()
    window, logbook = _opened(qtbot, tmp_path / "logbook.sqlite", settings)
    try:
        said = f"Protocol: {site} (NCT03838796 site amendment 1)"
        qtbot.waitUntil(lambda: window.protocol_label.text() == said)
        assert window.protocol_label.isVisible()
        about: list = []
        answer_modal(_read_and_closed(about))
        window.about_action.trigger()
        assert len(about) == 1 and said in about[0][1]
        window.new_action.trigger()  # the form offers the site's arm
        arm = window.form.editors["patient.arm"].input
        assert "TACE only" in [arm.itemText(i) for i in range(arm.count())]
    finally:
        _closed(window, logbook)


def test_without_a_site_file_the_bundled_protocol_is_said(qtbot, tmp_path, settings):
    Logbook.open(tmp_path / "logbook.sqlite").close()
    window, logbook = _opened(qtbot, tmp_path / "logbook.sqlite", settings)
    try:
        qtbot.waitUntil(lambda: window.protocol_label.text() != "")
        assert window.protocol_label.text() == f"Protocol: {resource('protocol.json')} (NCT03838796 registry " \
                                               "record of 2022-08-02)"
    finally:
        _closed(window, logbook)


def test_a_malformed_site_protocol_is_said_with_its_key_and_no_form_opens(qtbot, tmp_path, settings):
    site = site_file(tmp_path, lambda data: data.update(rfs_origin="surgery")).resolve()
    Logbook.open(tmp_path / "logbook.sqlite").close()
    window, logbook = _opened(qtbot, tmp_path / "logbook.sqlite", settings)
    try:
        said = f'{site}: rfs_origin must be "resection" or "enrolment", not "surgery"'
        qtbot.waitUntil(lambda: said in window.protocol_label.text())
        assert said in window.notice.text() and window.notice.isVisible()
        boxes: list = []
        answer_modal(_read_and_closed(boxes))
        window.new_action.trigger()
        assert window.form is None
        [(icon, text)] = boxes
        assert icon == QMessageBox.Icon.Critical and said in text
    finally:
        _closed(window, logbook)
