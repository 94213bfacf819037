"""A patient's course at a glance: a timeline drawn to scale in days from the resection (day 0), one lane per kind
of record: the milestones (screening, consent, enrolment, recurrence, death), each TACE (filled when a stain was
seen), the lenvatinib periods as bars with their dose (a hold is the gap between two bars), adverse events by grade,
follow-ups by result, labs as ticks. Today is a line.

Every item is reachable without a mouse: Left and Right move between items in time order, Enter opens the one
chosen, as a click does (`opened` says which record: its entity key and id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from tace_log.model import Patient, Procedure
from ui.shell.signals import emit

LANE_HEIGHT, TOP, LEFT, RIGHT = 34, 26, 110, 16
GRADE_COLOURS = {1: "#9ccc65", 2: "#fbc02d", 3: "#fb8c00", 4: "#e53935", 5: "#212121"}
RESULT_COLOURS = {"no_evidence_of_disease": "#43a047", "equivocal": "#fbc02d", "recurrence": "#c62828"}
DOSE_COLOURS = {12: "#1565c0", 8: "#42a5f5", 4: "#90caf9"}


# Every word the timeline says, marked for the translators (lupdate reads these); `_tr` takes no other.
_WORDS = frozenset((
    QT_TRANSLATE_NOOP("Timeline", "%1, day %2"),
    QT_TRANSLATE_NOOP("Timeline", "Adverse events"),
    QT_TRANSLATE_NOOP("Timeline", "Follow-up"),
    QT_TRANSLATE_NOOP("Timeline", "Labs"),
    QT_TRANSLATE_NOOP("Timeline", "Lenvatinib"),
    QT_TRANSLATE_NOOP("Timeline", "Milestones"),
    QT_TRANSLATE_NOOP("Timeline", "TACE"),
    QT_TRANSLATE_NOOP("Timeline", "TACE %1"),
    QT_TRANSLATE_NOOP("Timeline", "Timeline of the patient's course"),
    QT_TRANSLATE_NOOP("Timeline", "consent"),
    QT_TRANSLATE_NOOP("Timeline", "day %1"),
    QT_TRANSLATE_NOOP("Timeline", "death"),
    QT_TRANSLATE_NOOP("Timeline", "enrolled"),
    QT_TRANSLATE_NOOP("Timeline", "lost"),
    QT_TRANSLATE_NOOP("Timeline", "next: %1"),
    QT_TRANSLATE_NOOP("Timeline", "recurrence"),
    QT_TRANSLATE_NOOP("Timeline", "screened"),
    QT_TRANSLATE_NOOP("Timeline", "today"),
    QT_TRANSLATE_NOOP("Timeline", "withdrawn"),
))


def _tr(text: str) -> str:
    assert text in _WORDS, text
    return QCoreApplication.translate("Timeline", text)


@dataclass(frozen=True)
class Item:
    """One thing on the timeline: the record it is (entity key, id), its lane, its days, what it says."""

    entity: str
    record_id: str | None
    lane: int
    first_day: int
    last_day: int
    label: str
    colour: str
    filled: bool = True

    @property
    def is_bar(self) -> bool:
        return self.last_day > self.first_day


def lanes() -> list[str]:
    return [_tr("Milestones"), _tr("TACE"), _tr("Lenvatinib"), _tr("Adverse events"), _tr("Follow-up"), _tr("Labs")]


def items_of(patient: Patient, procedures: list[Procedure], today: dt.date) -> list[Item]:
    """The timeline's items for a patient, in time order; none without a resection date (there is no day 0)."""
    day0 = patient.resection_date
    if day0 is None:
        return []

    def day(date: dt.date) -> int:
        return (date - day0).days

    out: list[Item] = []
    screening = patient.screening
    if screening is not None:
        for key, word in (("screen_date", _tr("screened")), ("consent_date", _tr("consent")),
                          ("enrol_date", _tr("enrolled"))):
            if getattr(screening, key) is not None:
                out.append(Item("screening", None, 0, day(getattr(screening, key)), day(getattr(screening, key)),
                                word, "#6a1b9a"))
    for entity, record, date, word, colour in (
            ("recurrence", patient.recurrence, patient.recurrence and patient.recurrence.first_seen_date,
             _tr("recurrence"), "#c62828"),
            ("death", patient.death, patient.death and patient.death.date, _tr("death"), "#212121"),
            ("lost_to_follow_up", patient.lost_to_follow_up,
             patient.lost_to_follow_up and patient.lost_to_follow_up.declared_date, _tr("lost"), "#757575"),
            ("withdrawal", patient.withdrawal, patient.withdrawal and patient.withdrawal.date, _tr("withdrawn"),
             "#757575")):
        if record is not None and date is not None:
            out.append(Item(entity, None, 0, day(date), day(date), word, colour))
    for p in procedures:
        stain = p.tumor_staining in ("present", "equivocal")
        out.append(Item("procedure", p.id, 1, day(p.date), day(p.date),
                        _tr("TACE %1").replace("%1", str(p.cycle or "")).strip(), "#00838f", filled=stain))
    for period in patient.lenvatinib:
        last = period.end or today
        out.append(Item("dose_period", period.id, 2, day(period.start), max(day(last), day(period.start) + 1),
                        f"{period.dose_mg} mg {period.frequency or ''}".strip(),
                        DOSE_COLOURS.get(period.dose_mg, "#90caf9")))
    for event in patient.adverse_events:
        out.append(Item("adverse_event", event.id, 3, day(event.onset), day(event.onset),
                        f"{event.term} G{event.ctcae_grade}", GRADE_COLOURS.get(event.ctcae_grade, "#9e9e9e")))
    for visit in patient.follow_ups:
        colour = RESULT_COLOURS.get(visit.result, "#9e9e9e")
        out.append(Item("follow_up", visit.id, 4, day(visit.date), day(visit.date),
                        visit.modality or visit.type or "", colour, filled=visit.type == "imaging"))
    for lab in patient.labs:
        out.append(Item("lab", lab.id, 5, day(lab.date), day(lab.date), f"{lab.test} {lab.value:g}", "#78909c"))
    return sorted(out, key=lambda i: (i.first_day, i.lane))


class Timeline(QWidget):
    """The drawing; `set_course(patient, procedures)` fills it."""

    opened = Signal(str, object)  # entity key, record id (None: the patient's one record of that kind)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName(_tr("Timeline of the patient's course"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(TOP + LANE_HEIGHT * len(lanes()) + 24)
        self.items: list[Item] = []
        self.current = -1
        self.today_day: int | None = None
        self.first_day, self.last_day = -30, 365
        self._label_ends: dict[int, float] = {}
        self.next_due: tuple[int, str] | None = None  # (day, what is due by then)

    def set_course(self, patient: Patient, procedures: list[Procedure], today: dt.date | None = None,
                   next_due: tuple[dt.date, str] | None = None) -> None:
        """Fill it; `next_due` is the next date something is due by, and what (marked with a line)."""
        today = today or dt.date.today()
        self.items = items_of(patient, procedures, today)
        self.today_day = (today - patient.resection_date).days if patient.resection_date else None
        self.next_due = None if next_due is None or patient.resection_date is None else \
            ((next_due[0] - patient.resection_date).days, next_due[1])
        days = [i.first_day for i in self.items] + [i.last_day for i in self.items] + [0, self.today_day or 0]
        if self.next_due is not None:
            days.append(self.next_due[0])
        self.first_day, self.last_day = min(days) - 14, max(days) + 30
        self.current = min(self.current, len(self.items) - 1)
        self.update()

    # -- geometry ------------------------------------------------------------------------------------------------
    def x_of(self, day: float) -> float:
        span = max(self.last_day - self.first_day, 1)
        return LEFT + (day - self.first_day) / span * max(self.width() - LEFT - RIGHT, 1)

    def rect_of(self, item: Item) -> QRectF:
        y = TOP + item.lane * LANE_HEIGHT
        if item.is_bar:
            return QRectF(self.x_of(item.first_day), y + 8, max(self.x_of(item.last_day) - self.x_of(item.first_day),
                                                                  3), LANE_HEIGHT - 16)
        x = self.x_of(item.first_day)
        size = 6 if item.lane == 5 else 12
        return QRectF(x - size / 2, y + LANE_HEIGHT / 2 - size / 2, size, size)

    # -- drawing -------------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 7))
        painter.setFont(small)
        for i, name in enumerate(lanes()):
            y = TOP + i * LANE_HEIGHT
            if i % 2:
                painter.fillRect(QRectF(0, y, self.width(), LANE_HEIGHT), QColor("#f5f7fa"))
            painter.setPen(QColor("#37474f"))
            painter.drawText(QRectF(4, y, LEFT - 8, LANE_HEIGHT), Qt.AlignmentFlag.AlignVCenter, name)
        self._draw_axis(painter)
        self._label_ends: dict[int, float] = {}  # per lane, where the last label drawn ends: none drawn over it
        for index, item in enumerate(self.items):
            self._draw_item(painter, item, index == self.current)
        if 0 <= self.current < len(self.items):  # the chosen one's label over all others
            self._draw_item(painter, self.items[self.current], True)
        painter.end()

    def _draw_axis(self, painter: QPainter) -> None:
        painter.setPen(QPen(QColor("#90a4ae"), 1))
        bottom = TOP + LANE_HEIGHT * len(lanes())
        step = 91 if self.last_day - self.first_day > 400 else 30
        day = (self.first_day // step + 1) * step
        while day <= self.last_day:
            x = self.x_of(day)
            painter.drawLine(QPointF(x, TOP - 4), QPointF(x, bottom))
            painter.drawText(QRectF(x - 40, 4, 80, 16), Qt.AlignmentFlag.AlignCenter,
                             _tr("day %1").replace("%1", str(day)))
            day += step
        painter.setPen(QPen(QColor("#37474f"), 2))
        painter.drawLine(QPointF(self.x_of(0), TOP - 4), QPointF(self.x_of(0), bottom))  # the resection
        if self.today_day is not None:
            painter.setPen(QPen(QColor("#d81b60"), 2, Qt.PenStyle.DashLine))
            x = self.x_of(self.today_day)
            painter.drawLine(QPointF(x, TOP - 4), QPointF(x, bottom))
            painter.drawText(QRectF(x - 40, bottom + 2, 80, 18), Qt.AlignmentFlag.AlignCenter, _tr("today"))
        if self.next_due is not None:
            painter.setPen(QPen(QColor("#ef6c00"), 2, Qt.PenStyle.DotLine))
            x = self.x_of(self.next_due[0])
            painter.drawLine(QPointF(x, TOP - 4), QPointF(x, bottom))
            painter.drawText(QRectF(x - 150, bottom + 2, 300, 18), Qt.AlignmentFlag.AlignCenter,
                             _tr("next: %1").replace("%1", self.next_due[1]))

    def _draw_item(self, painter: QPainter, item: Item, chosen: bool) -> None:
        rect = self.rect_of(item)
        colour = QColor(item.colour)
        painter.setPen(QPen(QColor("#000") if chosen else colour.darker(130), 3 if chosen else 1))
        painter.setBrush(colour if item.filled else QColor("white"))
        if item.is_bar:
            painter.drawRect(rect)
            painter.setPen(QColor("white") if item.colour != "#90caf9" else QColor("#0d47a1"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, item.label)
        else:
            painter.drawEllipse(rect)
            free = rect.right() + 2 >= self._label_ends.get(item.lane, float("-inf"))
            if chosen or (item.lane in (0, 1) and free):
                painter.setPen(QColor("#263238"))
                text = QRectF(rect.right() + 2, rect.top() - 4, 120, rect.height() + 8)
                if chosen:  # on a white ground: readable over whatever lies beside it
                    width = painter.fontMetrics().horizontalAdvance(item.label) + 4
                    painter.fillRect(QRectF(text.left(), text.top() + 2, width, text.height() - 4), QColor("white"))
                painter.drawText(text, Qt.AlignmentFlag.AlignVCenter, item.label)
                self._label_ends[item.lane] = text.left() + painter.fontMetrics().horizontalAdvance(item.label) + 6

    # -- choosing and opening ---------------------------------------------------------------------------------
    def item_at(self, x: float, y: float) -> int:
        for index in range(len(self.items) - 1, -1, -1):
            if self.rect_of(self.items[index]).adjusted(-3, -3, 3, 3).contains(x, y):
                return index
        return -1

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.item_at(event.position().x(), event.position().y())
        if index >= 0:
            self.choose(index)
            self.open_current()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Left) and self.items:
            step = 1 if key == Qt.Key.Key_Right else -1
            self.choose(max(0, min(len(self.items) - 1, self.current + step)))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current >= 0:
            self.open_current()
        else:
            super().keyPressEvent(event)

    def choose(self, index: int) -> None:
        self.current = index
        item = self.items[index]
        self.setToolTip(item.label)
        self.setAccessibleDescription(_tr("%1, day %2").replace("%1", item.label).replace("%2", str(item.first_day)))
        self.update()

    def open_current(self) -> None:
        item = self.items[self.current]
        emit(self.opened, item.entity, item.record_id)
