"""The Couinaud liver map as the form's segment picker, drawn as the report draws it (the outlines:
`tace_log.couinaud`), bound to the stained-segments editor. A click on a segment, or Space on the focused one (the
arrow keys move between segments), toggles it there, so the segment buttons stay its accessible equivalent and
both always agree; the segments treated by the target vessels are hatched.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from tace_log.couinaud import HEIGHT, SEGMENTS, WIDTH, segment_at, treated_segments
from tace_log.dictionary import COUINAUD_SEGMENTS
from ui.entry.field_editors import FieldEditor
from ui.shell.language import language
from ui.shell.signals import emit

ORDER = [c.key for c in COUINAUD_SEGMENTS]  # the order the arrow keys follow: I to VIII


class LiverMap(QWidget):
    """`LiverMap(segments_editor, vessels_editor)`: draws the segments, toggles the editor's buttons."""

    toggled = Signal(str)

    def __init__(self, segments: FieldEditor, vessels: FieldEditor | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.segments, self.vessels = segments, vessels
        self.setObjectName("liver_map")
        self.setAccessibleName(segments.field.label(language()))
        self.setAccessibleDescription(self.tr("Couinaud liver map, anterior view: arrow keys choose a segment, "
                                              "Space marks it stained"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(QSize(260, 150))
        self.focused = "VIII"
        for button in segments.focus_widgets():
            button.toggled.connect(self.update)
        if vessels is not None:
            self.watch(vessels)

    def watch(self, vessels: FieldEditor) -> None:
        """Hatch the segments the target vessels name, as they are typed."""
        self.vessels = vessels
        vessels.on_change(self.update)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(340, 200)

    def stained(self) -> set[str]:
        return set(self.segments.value() or [])

    def treated(self) -> set[str]:
        return set(treated_segments(self.vessels.value() if self.vessels is not None else None))

    # -- geometry ------------------------------------------------------------------------------------------------
    def _scale(self) -> tuple[float, float, float]:
        scale = min(self.width() / WIDTH, self.height() / HEIGHT)
        return scale, (self.width() - WIDTH * scale) / 2, (self.height() - HEIGHT * scale) / 2

    def _polygon(self, key: str) -> QPolygonF:
        scale, dx, dy = self._scale()
        return QPolygonF([QPointF(dx + x * scale, dy + y * scale) for x, y in SEGMENTS[key][0]])

    # -- drawing -------------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        stained, treated = self.stained(), self.treated()
        enabled = self.isEnabled()
        scale, dx, dy = self._scale()
        for key in (*(k for k in SEGMENTS if k != "I"), "I"):
            polygon = self._polygon(key)
            painter.setPen(QPen(QColor("#37474f"), 1))
            painter.setBrush(QColor("#1565c0" if enabled else "#90a4ae") if key in stained else QColor("white"))
            painter.drawPolygon(polygon)
            if key in treated:
                painter.setBrush(QBrush(QColor("#ef6c00"), Qt.BrushStyle.BDiagPattern))
                painter.drawPolygon(polygon)
            if key == self.focused and self.hasFocus():
                painter.setPen(QPen(QColor("#000000"), 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPolygon(polygon)
            x, y = SEGMENTS[key][1]
            painter.setPen(QColor("white") if key in stained else QColor("#263238"))
            painter.drawText(QRectF(dx + x * scale - 20, dy + y * scale - 9, 40, 18), Qt.AlignmentFlag.AlignCenter,
                             key)
        painter.end()

    # -- choosing ------------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        scale, dx, dy = self._scale()
        key = segment_at((event.position().x() - dx) / scale, (event.position().y() - dy) / scale)
        if key is not None and self.isEnabled():
            self.focused = key
            self.toggle(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
            step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
            self.focused = ORDER[(ORDER.index(self.focused) + step) % len(ORDER)]
            self.update()
        elif key == Qt.Key.Key_Space and self.isEnabled():
            self.toggle(self.focused)
        else:
            super().keyPressEvent(event)

    def toggle(self, key: str) -> None:
        """Flip a segment in the editor (its button), which the form saves and validates as any other edit."""
        button = next(b for b in self.segments.focus_widgets() if b.objectName().endswith(f".{key}"))
        if button.isEnabled():
            button.toggle()
            emit(self.toggled, key)
        self.update()
