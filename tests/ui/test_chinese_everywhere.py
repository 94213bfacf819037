"""In Chinese, every window and dialog of the app says everything in Chinese: the walker (tests/ui_walker.py)
opens each of them, as tests/ui/test_every_button.py does, and every text a person can see there (titles,
labels, buttons, menus, headings, list lines, placeholders, the status bar) has a Chinese character, unless it
is only what is not translated: numbers, dates, units, file paths, the user names of the test logbook, and the
few names written the same in both languages (ALLOWED)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)
from ui_support import SCREEN, run_at_screen
from walked_windows import damaged_logbook_dialogs, unexpected_error_dialogs, walk_the_app

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
# Written the same in Chinese: units, abbreviations of the trade, brand names, file kinds, the test data's names.
ALLOWED = {"mL", "mg", "kg", "cm", "mm", "min", "mGy", "Gy", "µm", "PDF", "TACE", "DSA", "CTCAE", "SIR", "MRN",
           "SHA", "ID", "UTC", "Ctrl", "Esc", "Enter", "Progreat", "F", "sqlite", "log", "json", "os", "root",
           "chen", "li", "Jr", "D", "Fr"}
# Labels that show a file's own words, not the app's: the protocol file in force (its path, registry key, version).
DATA_LABELS = {"protocol_in_force"}
PATH = re.compile(r"\S*[/\\]\S*|\S+\.(sqlite|pdf|log|json)\b")
WORD = re.compile(r"[A-Za-zµ]+")


def untranslated(text: str) -> bool:
    """Text with a word but no Chinese character, the allowed words and paths aside."""
    text = text.replace("&", "")
    if not text.strip() or CJK.search(text):
        return False
    return any(word not in ALLOWED for word in WORD.findall(PATH.sub(" ", text)))


def visible_texts(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) for what a person sees in the window now: not tooltips, and not the records' values (the
    cells of tables, the inputs' contents, the choices of a list), which are the data, in whatever it was typed."""
    found = [("window title", window.windowTitle())]

    def shown(widget: QWidget) -> bool:
        return widget.isVisibleTo(window) and widget.window() is window

    for label in window.findChildren(QLabel):
        if shown(label) and label.buddy() is None and label.textFormat() != Qt.TextFormat.RichText \
                and label.objectName() not in DATA_LABELS:
            found.append((f"label {label.objectName()}", label.text()))
    for label in window.findChildren(QLabel):
        if shown(label) and label.buddy() is not None:
            found.append((f"label of {label.buddy().objectName()}", label.text()))
    for button in window.findChildren(QAbstractButton):
        if shown(button) and button.objectName() != "qt_scrollarea_hcontainer":
            found.append((f"button {button.objectName()}", button.text()))
    for box in window.findChildren(QGroupBox):
        if shown(box):
            found.append((f"section {box.objectName()}", box.title()))
    for line in window.findChildren(QLineEdit):
        if shown(line) and not line.text() and line.placeholderText():
            found.append((f"placeholder of {line.objectName()}", line.placeholderText()))
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if shown(view) and model is not None and not isinstance(view, QListWidget):
            found += [(f"heading of {view.objectName()}", str(model.headerData(c, Qt.Orientation.Horizontal)))
                      for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal)]
    for listing in window.findChildren(QListWidget):
        if shown(listing):
            found += [(f"line of {listing.objectName()}", listing.item(i).text()) for i in range(listing.count())]
    if isinstance(window, QMainWindow):
        for menu in window.menuBar().actions():
            found.append(("menu", menu.text()))
            found += [(f"menu {menu.text()}", a.text()) for a in menu.menu().actions() if not a.isSeparator()]
        found.append(("status bar", window.statusBar().currentMessage()))
    if isinstance(window, QMessageBox):
        found.append(("message", window.text()))
    return found


class Reader:
    """What the walk saw untranslated, by window."""

    def __init__(self):
        self.untranslated: dict[str, str] = {}
        self.windows = 0

    def __call__(self, window: QWidget) -> None:
        self.windows += 1
        for where, text in visible_texts(window):
            if untranslated(text):
                self.untranslated.setdefault(f"{window.objectName() or type(window).__name__}: {where}", text)


def test_the_reader_tells_chinese_from_english():
    assert untranslated("Save")
    assert untranslated("导出 PDF(&X)...") is False
    assert untranslated("2026-03-14") is False
    assert untranslated("/tmp/x/walk.sqlite") is False
    assert untranslated("95 mL") is False
    assert untranslated("Checking the logbook") is True


def test_every_window_and_dialog_says_it_in_chinese(chinese, qtbot, tmp_path, walker, type_text, monkeypatch):
    reader = Reader()
    walker.inspect = reader
    walk_the_app(walker, qtbot, tmp_path, type_text, monkeypatch)
    walker.walk(damaged_logbook_dialogs(qtbot, tmp_path / "damaged"))
    walker.walk(unexpected_error_dialogs(tmp_path))
    assert reader.windows > 20  # the walk is real
    assert reader.untranslated == {}


def test_the_form_says_its_findings_in_chinese(chinese, qtbot, window):
    """The form after Save with errors, and with a stain (its segments): its banner, findings list and fields."""
    form = window.new_procedure()
    form.editors["procedure.tumor_staining"].set_value("present")
    qtbot.mouseClick(form.findChild(QPushButton, "save"), Qt.MouseButton.LeftButton)
    reader = Reader()
    reader(window)
    assert form.banner.isVisible() and form.summary.count() > 0
    assert reader.untranslated == {}


@pytest.mark.parametrize("size", ["1366x768", "1920x1080"])
def test_no_segment_toggle_is_elided_in_chinese(size, tmp_path):
    """At a hospital monitor's size and a larger one (the window takes its size from the screen's)."""
    run_at_screen(f"{Path(__file__)}::test_no_segment_toggle_is_elided_in_chinese_at_this_screen", size, tmp_path)


def test_no_segment_toggle_is_elided_in_chinese_at_this_screen(chinese, qapp, qtbot, window):
    """'I段 II段 ⋯ ⋯': each toggle as wide as its label in bold (as when chosen), wrapping into rows instead; at
    Qt's offscreen screen, or the one `test_no_segment_toggle_is_elided_in_chinese` sets."""
    if SCREEN in os.environ:
        screen = qapp.primaryScreen().geometry()
        assert f"{screen.width()}x{screen.height()}" == os.environ[SCREEN]  # the platform took the configured one
    form = window.new_procedure()
    form.editors["procedure.tumor_staining"].set_value("present")
    toggles = form.editors["procedure.stained_segments"].input.findChildren(QToolButton)
    assert [t.text() for t in toggles][:2] == ["I段", "II段"]
    for toggle in toggles:
        toggle.setChecked(True)
    qtbot.waitUntil(lambda: all(t.isVisible() for t in toggles))
    bold = QFont(toggles[0].font())
    bold.setBold(True)
    assert [t.text() for t in toggles if t.width() < QFontMetrics(bold).horizontalAdvance(t.text()) + 12] == []
    assert len({t.y() for t in toggles}) == 2  # I-IVb above, V-VIII below
