"""The app's own strings: extracted by `pyside6-lupdate` into the committed .ts, each under the context it is
looked up in at run time, and loaded for Chinese."""

import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
)

from tace_log.resources import resource
from ui.app import show_main_window
from ui.shell.language import APP_TRANSLATIONS, ENGLISH_PLURALS, install_translations

ROOT = Path(__file__).resolve().parents[2]
TS = resource("translations", f"{APP_TRANSLATIONS}.ts")
TS_EN = resource("translations", f"{ENGLISH_PLURALS}.ts")  # English's plural forms only


def test_the_committed_ts_is_a_fresh_extraction_of_ui(tmp_path):
    fresh, fresh_en = tmp_path / TS.name, tmp_path / TS_EN.name
    shutil.copyfile(TS, fresh)  # lupdate merges into it, so translations already made stay as they are
    shutil.copyfile(TS_EN, fresh_en)
    subprocess.run(["make", "--no-print-directory", "-s", "extract", f"TS={fresh}", f"TS_EN={fresh_en}"], cwd=ROOT,
                   check=True, timeout=120)
    for committed, extracted in ((TS, fresh), (TS_EN, fresh_en)):
        assert extracted.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
            "ui/ has strings the committed .ts does not (or the other way round): run `make translations` and "
            f"commit {committed.relative_to(ROOT)}")


def test_lupdate_finds_the_strings_of_ui():
    sources = ET.parse(TS).getroot().findall("context/message/source")
    assert len(sources) > 150
    assert not ET.parse(TS).getroot().findall("context[name='']"), "a tr() outside a class has no context"


def test_chinese_loads_the_apps_own_translations(qapp):
    translators = install_translations(qapp, "zh")
    try:
        files = [Path(t.filePath()).name for t in translators]
        assert f"{APP_TRANSLATIONS}.qm" in files, f"{files}: run `make translations`"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        install_translations(qapp, "en")


@pytest.fixture
def marked(qapp, tmp_path):
    """Every extracted string translated as ⟪itself⟫: a text shown without the marks was not looked up under the
    context lupdate extracted it in (or not at all)."""
    translator = pseudo_translation(qapp, tmp_path)
    yield
    qapp.removeTranslator(translator)


def pseudo_translation(qapp, folder: Path, longer: float = 0.0) -> QTranslator:
    """Install a translation of every extracted string as ⟪itself⟫, `longer` (0.4: 40%) longer inside the marks
    (as a translation can be), placeholders and mnemonic kept."""
    tree = ET.parse(TS)
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        translation.attrib.pop("type", None)
        source = message.findtext("source")
        marked_text = f"⟪{source}{'~' * math.ceil(len(source) * longer)}⟫"
        forms = translation.findall("numerusform")
        for form in forms:
            form.text = marked_text
        if not forms:
            translation.text = marked_text
    ts = folder / "marked.ts"
    tree.write(ts, encoding="utf-8")
    qm = folder / "marked.qm"
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True, timeout=60)
    translator = QTranslator(qapp)
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    return translator


def test_the_window_shows_every_text_through_its_translation(qtbot, marked, logbook, settings):
    from ui_support import shown_window

    window = shown_window(qtbot, logbook, settings)
    show_main_window(window)  # holds writes with the start-up check's text, as at start
    assert window.writes_held.startswith("⟪Checking the logbook")
    qtbot.waitUntil(lambda: window.writes_held is None)
    assert window.windowTitle().startswith("⟪")
    menus = window.menuBar().actions()
    assert menus and all(menu.text().startswith("⟪") for menu in menus)
    commands = [a for menu in menus for a in menu.menu().actions() if not a.isSeparator()]
    assert len(commands) > 10
    assert [a.text() for a in commands if not a.text().startswith("⟪")] == []
    form = window.new_procedure()
    assert form.findChild(QPushButton, "save").text().startswith("⟪")
    assert form.findChild(QLineEdit, "date").placeholderText() == "⟪YYYY-MM-DD⟫"



# Translations that write a placeholder's words into the sentence instead (the signature's meaning, "reviewed and
# signed by", reads in Chinese only around "you": 由您审核并签名).
WORDS_WRITTEN_IN = {("AddendumDialog", "%1"), ("SignDialog", "%1")}


def _messages(ts=TS):
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message


@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["zh_CN", "en plurals"])
def test_every_string_of_the_app_has_a_finished_translation(ts):
    unfinished = [(c, m.findtext("source")) for c, m in _messages(ts)
                  if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
                  or not "".join(m.find("translation").itertext()).strip()]
    assert unfinished == []


def test_the_translations_keep_the_placeholders_plurals_and_mnemonics():
    for context, message in _messages():
        source = message.findtext("source")
        forms = [f.text for f in message.iter("numerusform")] or [message.findtext("translation")]
        for text in forms:
            said = set(re.findall(r"%\d", source)) - {p for c, p in WORDS_WRITTEN_IN if c == context}
            assert said <= set(re.findall(r"%\d", text)) <= set(re.findall(r"%\d", source)), (context, source)
            if message.get("numerus") == "yes":
                assert "%n" in text, (context, source)  # Qt's plural forms: the count is in the sentence
            mnemonic = re.search(r"&(\w)", source)
            if mnemonic:  # the same Alt key in both languages: 保存(&S)
                assert f"(&{mnemonic.group(1).upper()})" in text.upper(), (context, source, text)


def test_chinese_loads_qts_own_translations(qapp):
    """Qt's own words (Save, Discard, Cancel in a question; the file and print dialogs) in Chinese too."""
    translators = install_translations(qapp, "zh")
    try:
        assert "qtbase_zh_CN.qm" in [Path(t.filePath()).name for t in translators]
        assert qapp.translate("QPlatformTheme", "Discard") == "丢弃"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        install_translations(qapp, "en")


def test_english_says_one_procedure_and_two_procedures(qapp):
    """Qt's %n forms: without the English plurals, English would read "1 procedure(s)"."""
    install_translations(qapp, "en")
    assert qapp.translate("WorklistPanel", "%n procedure(s)", "", 1) == "1 procedure"
    assert qapp.translate("WorklistPanel", "%n procedure(s)", "", 2) == "2 procedures"
    assert all(len(list(m.iter("numerusform"))) == 2 for _c, m in _messages(TS_EN))
    numerus = {m.findtext("source") for _c, m in _messages() if m.get("numerus") == "yes"}
    assert numerus == {m.findtext("source") for _c, m in _messages(TS_EN)}  # every plural of the app has its forms


class PseudoReader:
    """What the walk saw of our strings that was not looked up (no ⟪marks⟫), or is cut short in its widget."""

    def __init__(self):
        self.unmarked: dict[str, str] = {}
        self.truncated: dict[str, str] = {}
        self.windows = 0

    @staticmethod
    def _qts_own(button) -> bool:
        """A dialog button box's standard button with Qt's own word (Cancel, Close): qtbase's to translate."""
        box = button.parent()
        none = QDialogButtonBox.StandardButton.NoButton
        if not isinstance(box, QDialogButtonBox) or box.standardButton(button) == none:
            return False
        fresh = QDialogButtonBox(box.standardButton(button))
        text = fresh.buttons()[0].text()
        fresh.deleteLater()
        return button.text() == text

    def __call__(self, window) -> None:
        self.windows += 1
        name = window.objectName() or type(window).__name__
        ours = [("title", window.windowTitle())]
        if isinstance(window, QMainWindow):
            for menu in window.menuBar().actions():
                ours += [("menu", menu.text())] + [(f"menu {menu.text()}", a.text()) for a in menu.menu().actions()
                                                   if not a.isSeparator()]
        if isinstance(window, QMessageBox):
            ours.append(("message", window.text()))
        for button in window.findChildren(QPushButton) + window.findChildren(QCheckBox):
            if button.isVisibleTo(window) and button.window() is window:
                if not self._qts_own(button):
                    ours.append((f"button {button.objectName()}", button.text()))
                text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                needed = button.fontMetrics().horizontalAdvance(text) + (24 if isinstance(button, QCheckBox) else 8)
                if button.width() < needed:  # the text and the least of a frame around it (a box beside it)
                    self.truncated[f"{name}: button {button.objectName()}"] = f"{text} {button.width()} < {needed}"
        for label in window.findChildren(QLabel):
            if label.isVisibleTo(window) and label.window() is window and not label.wordWrap() and label.text():
                shown = label.text().replace("&&", "\0").replace("&", "").replace("\0", "&") if label.buddy() \
                    else label.text()  # a buddy's mnemonic is underlined, not shown
                needed = max(label.fontMetrics().horizontalAdvance(line) for line in shown.split("\n"))
                if label.contentsRect().width() + 1 < needed:
                    self.truncated[f"{name}: label {label.objectName()}"] = label.text()
        qts = {QCoreApplication.translate("QMessageBox", "Show Details...")}  # a message box's own button
        for where, text in ours:
            if re.search(r"[^\W\d_]", text) and "⟪" not in text and text not in qts:  # "✕" is no word
                self.unmarked[f"{name}: {where}"] = text


def test_a_pseudo_translation_40_percent_longer_is_shown_whole_everywhere(qtbot, qapp, tmp_path, walker, type_text,
                                                                         monkeypatch):
    """Every window and dialog walked with each string ⟪bracketed and 40% longer⟫, as a translation may be: each
    title, menu, button and message is looked up (bracketed), and no button or label is cut short."""
    from walked_windows import damaged_logbook_dialogs, unexpected_error_dialogs, walk_the_app

    translator = pseudo_translation(qapp, tmp_path, longer=0.4)
    try:
        reader = PseudoReader()
        walker.inspect = reader
        walk_the_app(walker, qtbot, tmp_path, type_text, monkeypatch)
        walker.walk(damaged_logbook_dialogs(qtbot, tmp_path / "damaged"))
        walker.walk(unexpected_error_dialogs(tmp_path))
        assert reader.windows > 20
        assert reader.unmarked == {}
        assert reader.truncated == {}
    finally:
        qapp.removeTranslator(translator)
