"""The language is a setting of the app: View > Language shows the window afresh in the language chosen, the
workstation remembers it for the next start (the system's language until one is chosen), and the report is
printed in it unless the site's settings fix the report's language."""

from __future__ import annotations

import json

import pytest
from core.signing_support import PASSWORD, signable_logbook
from PySide6.QtCore import QSettings
from ui_support import shown_window, sign_in_by_clicking

from tace_log.settings import SETTINGS_FILENAME
from ui.shell.language import LANGUAGE_KEY, SYSTEM, choose_language, install_translations, language, resolved


@pytest.fixture
def back_in_english(qapp):
    yield
    install_translations(qapp, "en")


def test_the_language_to_start_in(monkeypatch, settings):
    monkeypatch.delenv("TACE_LOG_LANG", raising=False)
    assert choose_language(settings) == resolved(SYSTEM)  # nothing chosen yet: the system's
    assert resolved(SYSTEM) in ("en", "zh")
    settings.setValue(LANGUAGE_KEY, "zh")
    assert choose_language(settings) == "zh"
    settings.setValue(LANGUAGE_KEY, "en")
    assert choose_language(settings) == "en"
    monkeypatch.setenv("TACE_LOG_LANG", "zh_CN")  # a screenshot run, or a test
    assert choose_language(settings) == "zh"


def test_view_language_shows_the_window_in_chinese_and_remembers_it(qtbot, tmp_path, settings, back_in_english):
    logbook, _patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")
    with logbook:
        window = shown_window(qtbot, logbook, settings)
        sign_in_by_clicking(qtbot, window.who.sign_in(), "chen", PASSWORD)
        window.open_procedure(procedure.id)
        replaced = []
        window.replaced.connect(replaced.append)
        assert window.menuBar().actions()[0].text() == "&File"
        window.language_actions["zh"].trigger()  # as choosing View > Language > 中文 does
        assert len(replaced) == 1 and language() == "zh"
        chinese = replaced[0]
        qtbot.addWidget(chinese)
        menus = [a.text() for a in chinese.menuBar().actions()]
        assert menus == ["文件(&F)", "编辑(&E)", "患者(&I)", "视图(&V)", "工具(&O)", "帮助(&H)"]
        assert chinese.form is not None and chinese.form.procedure_id == procedure.id  # open again
        assert chinese.language_actions["zh"].isChecked()
        assert logbook.is_open and logbook.users.current == "chen" and chinese.who.signed_in.username == "chen"
        assert chinese.who.idle is not None  # the idle lock goes on guarding the new window
        assert window.closed and not window.isVisible()
        assert QSettings(settings.fileName(), QSettings.Format.IniFormat).value(LANGUAGE_KEY) == "zh"
        qtbot.waitUntil(lambda: chinese.writes_held is None)
        assert chinese.language_actions["en"].isEnabled()
        english = chinese.choose_language("en")
        qtbot.addWidget(english)
        assert english.menuBar().actions()[0].text() == "&File" and language() == "en"


def test_unsaved_changes_cancelled_keep_the_window_as_it_is(qtbot, window, type_text, monkeypatch,
                                                            back_in_english):
    from PySide6.QtWidgets import QMessageBox

    from ui.shell import messages

    form = window.new_procedure()
    type_text(form.editors["patient.name"].input, "王")
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, title: QMessageBox.StandardButton.Cancel)
    assert window.choose_language("zh") is None
    assert window.form is form and form.dirty and language() == "en" and not window.closed


def test_the_report_follows_the_app_language_unless_the_site_fixes_it(qtbot, report_logbook, settings,
                                                                    typical_procedure_id, pdf_pages_text,
                                                                    back_in_english, qapp):
    from ui.record.report_actions import _ReportFile

    install_translations(qapp, "zh")
    assert "手术记录" in "".join(pdf_pages_text(_ReportFile(report_logbook, typical_procedure_id).data))
    site = report_logbook.path.with_name(SETTINGS_FILENAME)
    header = json.loads(site.read_text(encoding="utf-8"))
    site.write_text(json.dumps({"report": {**header["report"], "language": "en"}}), encoding="utf-8")
    text = "".join(pdf_pages_text(_ReportFile(report_logbook, typical_procedure_id).data))
    assert "TACE procedure report" in text and "手术记录" not in text


def test_the_app_carries_on_in_the_window_of_the_new_language(qtbot, tmp_path, back_in_english):
    from PySide6.QtWidgets import QApplication

    from tace_log.storage import Logbook
    from ui.app import AppWindows
    from ui.safety.unexpected_error import ExceptionHook

    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    windows = AppWindows(QApplication.instance(), path, ExceptionHook(None))
    assert windows.open()
    first = windows.window  # not given to qtbot: the app lets it go once the new one shows
    qtbot.waitUntil(lambda: first.writes_held is None, timeout=10_000)
    first.language_actions["zh"].trigger()
    second = windows.window
    qtbot.addWidget(second)
    assert second is not first and second.windowTitle().startswith("TACE 手术登记")
    assert second.logbook is windows.logbook and windows.logbook.is_open
    qtbot.waitUntil(lambda: second.writes_held is None, timeout=10_000)
    second.close()
    windows.logbook.close()
