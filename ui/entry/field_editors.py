"""One editor per dictionary field, chosen by its type: the form is generated from these, never hand-laid.

An editor's input widget has the field key as `objectName` and the label as accessible name (tests and screen
readers find it so). `value()` returns the document value; text that is not a number or date stays text, so the
core's validation reports it ("must be a number") instead of the form silently dropping it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tace_log.dictionary import Field, FieldType
from tace_log.findings import ERROR, INFO, WARNING, Finding
from ui.shell.language import language

# Colours of a finding beside its field (error red, warning amber), readable on a light theme.
SEVERITY_COLOUR = {ERROR: "#c62828", WARNING: "#b26a00", INFO: "#1565c0"}
TOGGLES_PER_ROW = 5  # a multi-choice field's toggles (the nine Couinaud segments) wrap after this many
TOGGLE_PADDING = 20  # a toggle's style sheet padding and border, both sides, and the style's own margin
_COMPACT_DATE = re.compile(r"^(\d{4})[./]?(\d{1,2})[./]?(\d{1,2})$")
_COMPACT_TIME = re.compile(r"^(\d{1,2})[:.：]?(\d{2})$")


def severity_name(severity: str) -> str:
    """A finding's severity as the form shows it, in the UI language."""
    names = {ERROR: QCoreApplication.translate("FieldEditor", "error"),
             WARNING: QCoreApplication.translate("FieldEditor", "warning"),
             INFO: QCoreApplication.translate("FieldEditor", "info")}
    return names.get(severity, severity)


def parse_number(text: str, whole: bool) -> int | float | str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if whole else float(text.replace(",", "."))
    except ValueError:
        return text  # kept as typed: validation says "must be a number"


def normalise_date(text: str) -> str:
    """'20261120', '2026.11.20', '2026/11/20' and 'today' become 2026-11-20; anything else stays as typed."""
    text = text.strip()
    if text.lower() in ("t", "today", "今天"):
        return dt.date.today().isoformat()
    match = _COMPACT_DATE.match(text)
    if match:
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            return text
    return text


def normalise_time(text: str) -> str:
    """'930', '0930', '9:30' and '9.30' become 09:30; anything else stays as typed (validation names it)."""
    match = _COMPACT_TIME.match(text.strip())
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    return text


class FieldEditor:
    """The widgets editing one field: the input, its unit, and the finding shown beside it."""

    def __init__(self, field: Field, choices: Sequence[tuple[str, str]] | None = None, parent: QWidget | None = None):
        self.field = field
        self.row = QWidget(parent)
        self.row.setObjectName(f"{field.key}-row")
        self.message = QLabel(self.row)
        self.message.setObjectName(f"{field.key}-message")
        self.message.setWordWrap(True)
        self.message.hide()
        self._on_change: list[Callable[[], None]] = []
        # A text field may be offered as a list too (an agent's units come from the formulary).
        self._is_choice = field.type in (FieldType.CHOICE, FieldType.BOOL) or choices is not None
        self.input = self._make_input(choices if choices is not None else
                                      [(c.key, c.label(language())) for c in field.choices])
        self.input.setObjectName(field.key)
        self.input.setAccessibleName(field.label(language()))
        if field.help:
            self.input.setAccessibleDescription(field.hint.label(language()))
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.input, 0 if field.type in (FieldType.INT, FieldType.NUMBER) else 1)
        if field.unit:
            unit = QLabel(field.unit, self.row)
            unit.setObjectName(f"{field.key}-unit")
            line.addWidget(unit)
        if field.type in (FieldType.INT, FieldType.NUMBER):
            line.addStretch(1)  # a short number box stays at the left, its unit right beside it
        box = QVBoxLayout(self.row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addLayout(line)
        box.addWidget(self.message)

    # -- widgets by type ------------------------------------------------------------------------------------
    def _make_input(self, choices) -> QWidget:
        t = self.field.type
        if t is FieldType.LONG_TEXT:
            widget = QPlainTextEdit(self.row)
            widget.setTabChangesFocus(True)  # Tab moves on, as in every other field
            widget.setMinimumHeight(70)
            widget.setMaximumHeight(130)
            widget.textChanged.connect(self._changed)
            return widget
        if self._is_choice:
            widget = QComboBox(self.row)
            widget.addItem("", None)
            if t is FieldType.BOOL:
                choices = [(v, self.field.display(v, language())) for v in (True, False)]
            for key, label in choices:
                widget.addItem(label, key)
            widget.currentIndexChanged.connect(self._changed)
            return widget
        if t is FieldType.MULTI_CHOICE:
            widget = QWidget(self.row)
            layout = QGridLayout(widget)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(2)
            self._toggles = {}
            for index, (key, label) in enumerate(choices):
                button = QToolButton(widget)
                button.setText(label)
                button.setCheckable(True)
                button.setObjectName(f"{self.field.key}.{key}")
                button.setAccessibleName(f"{self.field.label(language())} {label}")
                button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches every toggle; Space flips it
                # Never narrower than its label in bold (as when chosen): Qt elides a squeezed label to "…",
                # and "I段 II段 … …" names no segment. The toggles wrap into rows instead, as the liver's
                # segments are read: I-IVb, then V-VIII.
                bold = QFont(button.font())
                bold.setBold(True)
                button.setMinimumWidth(max(34, QFontMetrics(bold).horizontalAdvance(label) + TOGGLE_PADDING))
                # A chosen segment must be plain to see at a glance from the table: filled, not just sunken.
                button.setStyleSheet("QToolButton { padding: 2px 6px; border: 1px solid #9e9e9e; border-radius: 3px; }"
                                     "QToolButton:checked { background: #1565c0; color: white; font-weight: bold; }"
                                     "QToolButton:disabled { color: #9e9e9e; border-color: #d0d0d0; }"
                                     "QToolButton:focus { border: 2px solid #1565c0; }")
                button.toggled.connect(self._changed)
                layout.addWidget(button, *divmod(index, TOGGLES_PER_ROW))
                self._toggles[key] = button
            layout.setColumnStretch(TOGGLES_PER_ROW, 1)
            return widget
        widget = QLineEdit(self.row)
        if t is FieldType.DATE:
            widget.setPlaceholderText(QCoreApplication.translate("FieldEditor", "YYYY-MM-DD"))
            widget.editingFinished.connect(self._tidy_date)
        elif t is FieldType.DATES:
            widget.setPlaceholderText(QCoreApplication.translate("FieldEditor", "YYYY-MM-DD, YYYY-MM-DD, ..."))
        elif t is FieldType.TIME:
            widget.setPlaceholderText(QCoreApplication.translate("FieldEditor", "HH:MM"))
            widget.setMaximumWidth(110)
            widget.editingFinished.connect(self._tidy_time)
        elif t in (FieldType.INT, FieldType.NUMBER):
            widget.setAlignment(Qt.AlignmentFlag.AlignRight)
            widget.setMaximumWidth(110)
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        if self.field.help and t is FieldType.TEXT:
            widget.setPlaceholderText(self.field.hint.label(language()))
        widget.setToolTip(self.field.hint.label(language()))
        widget.textChanged.connect(self._changed)
        return widget

    def _tidy_time(self) -> None:
        tidy = normalise_time(self.input.text())
        if tidy != self.input.text():
            self.input.setText(tidy)

    def _tidy_date(self) -> None:
        tidy = normalise_date(self.input.text())
        if tidy != self.input.text():
            self.input.setText(tidy)

    def _changed(self, *_args) -> None:
        for callback in self._on_change:
            callback()

    def on_change(self, callback: Callable[[], None]) -> None:
        self._on_change.append(callback)

    # -- value ---------------------------------------------------------------------------------------------
    def value(self):
        t = self.field.type
        if t is FieldType.LONG_TEXT:
            return self.input.toPlainText() or None
        if self._is_choice:
            return self.input.currentData()
        if t is FieldType.MULTI_CHOICE:
            return [key for key, button in self._toggles.items() if button.isChecked()]
        text = self.input.text()
        if t is FieldType.DATES:  # dates typed one after another: "2025-03-01, 2025-03-15"
            return [normalise_date(part) for part in re.split(r"[,，、;\s]+", text) if part]
        if t is FieldType.INT:
            return parse_number(text, whole=True)
        if t is FieldType.NUMBER:
            return parse_number(text, whole=False)
        return text.strip() or None

    def set_value(self, value) -> None:
        t = self.field.type
        if t is FieldType.LONG_TEXT:
            self.input.setPlainText(value or "")
        elif self._is_choice:
            index = self.input.findData(value) if value is not None else 0
            if index < 0:  # a stored value this build does not list: show it rather than lose it
                self.input.addItem(str(value), value)
                index = self.input.count() - 1
            self.input.setCurrentIndex(index)
        elif t is FieldType.MULTI_CHOICE:
            for key, button in self._toggles.items():
                button.setChecked(key in (value or []))
        elif value is None:
            self.input.setText("")
        elif t is FieldType.DATES:
            self.input.setText(", ".join(str(d) for d in value))
        elif t is FieldType.NUMBER and isinstance(value, float):
            self.input.setText(f"{value:g}")
        else:
            self.input.setText(str(value))

    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """Replace a choice list (a unit limited to its agent's units), keeping the value if it is still offered."""
        current = self.input.currentData()
        self.input.blockSignals(True)
        self.input.clear()
        self.input.addItem("", None)
        for key, label in choices:
            self.input.addItem(label, key)
        index = self.input.findData(current) if current is not None else -1
        self.input.setCurrentIndex(index if index >= 0 else (1 if len(choices) == 1 else 0))
        self.input.blockSignals(False)
        self._changed()

    def focus_widgets(self) -> list[QWidget]:
        """The widgets Tab stops at, in order: each segment toggle, or the one input."""
        return list(self._toggles.values()) if self.field.type is FieldType.MULTI_CHOICE else [self.input]

    def set_enabled(self, enabled: bool) -> None:
        self.input.setEnabled(enabled)

    # -- findings ------------------------------------------------------------------------------------------
    def show_finding(self, finding: Finding | None) -> None:
        if finding is None:
            self.message.hide()
            self.message.clear()
            self.input.setToolTip(self.field.hint.label(language()))
            self.input.setStyleSheet("")
            return
        colour = SEVERITY_COLOUR.get(finding.severity, "#000")
        self.message.setText(finding.text(language()))
        self.message.setStyleSheet(f"color: {colour};")
        self.message.show()
        self.input.setToolTip(f"{severity_name(finding.severity)}: {finding.text(language())}")
        self.input.setStyleSheet(f"#{self.field.key} {{ border: 2px solid {colour}; border-radius: 3px; }}")
