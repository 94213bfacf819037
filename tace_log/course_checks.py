"""The record rules of the patient's course (../shared/interchange-v2.md): what a screening, a lab, a lenvatinib
period, an adverse event, a follow-up, a recurrence, a death, a loss to follow-up and a withdrawal must be beyond
their fields' own limits, checked against the patient they belong to (the resection, the arm, the other records).

Each rule reads documents (the interchange shapes), so a wrong type is left to the field checks and never crashed
on; a date is compared only when both dates are real ones. The rules derived from the course (eligibility, the
lenvatinib label's checks, endpoints) are not here: they judge a course, not whether a record can be stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Protocol

from .dictionary import (
    ADVERSE_EVENT,
    DEATH,
    DOSE_PERIOD,
    FOLLOW_UP,
    LAB,
    LOST_TO_FOLLOW_UP,
    RECURRENCE,
    SCREENING,
    WITHDRAWAL,
    Entity,
    FieldType,
    path_label,
)
from .findings import ERROR, WARNING, Finding, join
from .messages import Message, Shown
from .model import canonical_id
from .times import parse_date


class _Validator(Protocol):
    """What the rules ask of the Validator they are part of: the protocol, the catalogue checks, today."""

    @property
    def protocol(self) -> Any: ...

    def not_future(self, doc: dict, key: str | int, path: str, out: list[Finding]) -> None: ...

    def lab_result(self, row: dict, path: str, out: list[Finding]) -> None: ...

    def adverse_event(self, row: dict, path: str, out: list[Finding]) -> None: ...


def _date(doc: dict, key: str) -> dt.date | None:
    return parse_date(doc.get(key))


class CourseChecks:
    """The course's record rules, for the Validator: each takes a record's document, its path, the findings so far
    and its patient's document."""

    def __init__(self, validator: _Validator):
        self.validator = validator
        self.record_rules = {SCREENING.key: self.screening, LAB.key: self.lab, DOSE_PERIOD.key: self.dose_period,
                             ADVERSE_EVENT.key: self.adverse_event, FOLLOW_UP.key: self.follow_up,
                             RECURRENCE.key: self.recurrence, LOST_TO_FOLLOW_UP.key: self.lost_to_follow_up,
                             WITHDRAWAL.key: self.withdrawal, DEATH.key: self.death}
        self.list_rules = {DOSE_PERIOD.key: self.dose_periods_together}

    # -- each record ----------------------------------------------------------------------------------------------
    def _dates(self, entity: Entity, doc: dict, path: str, patient: dict, out: list[Finding],
               from_resection: tuple[str, ...] = ()) -> None:
        """No date of the course is in the future (a list's either); those in `from_resection` are not before the
        resection."""
        resection = _date(patient, "resection_date")
        for f in entity.fields:
            dates = doc.get(f.key)
            if f.type is FieldType.DATES and isinstance(dates, list):  # each by its index: attempt_dates[1]
                for i in range(len(dates)):
                    self.validator.not_future(dict(enumerate(dates)), i, join(path, f.key), out)
            if f.type is FieldType.DATE:
                self.validator.not_future(doc, f.key, path, out)
                date = _date(doc, f.key)
                if f.key in from_resection and date and resection and date < resection:
                    out.append(Finding(join(path, f.key), ERROR, Message(
                        "date_order.resection", resection=resection.isoformat())))

    @staticmethod
    def _not_before(entity: Entity, doc: dict, path: str, later: str, earlier: str, out: list[Finding]) -> None:
        first, then = _date(doc, earlier), _date(doc, later)
        if first and then and then < first:
            out.append(Finding(join(path, later), ERROR, Message(
                "date_order.before", other=entity[earlier], date=first.isoformat())))

    @staticmethod
    def _required_when(entity: Entity, doc: dict, path: str, key: str, controlling: str, value: Any,
                       out: list[Finding]) -> None:
        if doc.get(controlling) == value and doc.get(key) is None:
            out.append(Finding(join(path, key), ERROR, Message(
                "required_when", field=entity[controlling], value=Shown(entity[controlling], value))))

    def screening(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(SCREENING, doc, path, patient, out, from_resection=("screen_date",))
        self._not_before(SCREENING, doc, path, "consent_date", "screen_date", out)
        self._not_before(SCREENING, doc, path, "enrol_date", "consent_date", out)
        self._required_when(SCREENING, doc, path, "enrol_date", "enrolled", True, out)

    def lab(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(LAB, doc, path, patient, out)
        self.validator.lab_result(doc, path, out)

    def dose_period(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(DOSE_PERIOD, doc, path, patient, out, from_resection=("start",))
        self._not_before(DOSE_PERIOD, doc, path, "end", "start", out)
        event = doc.get("adverse_event_id")
        if isinstance(event, str) and _canonical(event) is None:  # a text field: its form is checked here
            out.append(Finding(join(path, "adverse_event_id"), ERROR, Message("type.uuid")))
        elif isinstance(event, str) and _canonical(event) not in _adverse_event_ids(patient):
            out.append(Finding(join(path, "adverse_event_id"), ERROR, Message("ae_reference")))
        protocol = self.validator.protocol
        arm = patient.get("arm")
        if doc.get("intent") in (None, "adjuvant") and arm in protocol.arm_keys and not protocol.arm(arm).lenvatinib:
            out.append(Finding(join(path, "start"), WARNING, Message("LEN-ARM", arm=protocol.arm(arm))))

    def adverse_event(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(ADVERSE_EVENT, doc, path, patient, out)
        self._not_before(ADVERSE_EVENT, doc, path, "resolved", "onset", out)
        self._not_before(ADVERSE_EVENT, doc, path, "action_date", "onset", out)
        self.validator.adverse_event(doc, path, out)

    def follow_up(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(FOLLOW_UP, doc, path, patient, out, from_resection=("date",))
        self._required_when(FOLLOW_UP, doc, path, "result", "type", "imaging", out)

    def recurrence(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(RECURRENCE, doc, path, patient, out,
                    from_resection=("first_seen_date", "confirmation_date", "dsa_first_seen_date"))
        self._not_before(RECURRENCE, doc, path, "confirmation_date", "first_seen_date", out)

    def lost_to_follow_up(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(LOST_TO_FOLLOW_UP, doc, path, patient, out, from_resection=("declared_date",))
        declared = _date(doc, "declared_date")
        attempts = doc.get("attempt_dates")
        for i, value in enumerate(attempts if isinstance(attempts, list) else []):
            attempt = parse_date(value)
            if attempt and declared and attempt > declared:
                out.append(Finding(join(join(path, "attempt_dates"), i), WARNING, Message(
                    "attempt_after_declared", date=declared.isoformat())))

    def withdrawal(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        self._dates(WITHDRAWAL, doc, path, patient, out, from_resection=("date",))

    def death(self, doc: dict, path: str, out: list[Finding], patient: dict) -> None:
        """Not before any record that shows the patient alive (a later phone call saying otherwise is fine)."""
        self._dates(DEATH, doc, path, patient, out, from_resection=("date",))
        died = _date(doc, "date")
        if died is None:
            return
        alive = max(((date, where) for date, where in alive_records(patient) if date > died), default=None)
        if alive is not None:
            out.append(Finding(join(path, "date"), ERROR, Message(
                "death_before_alive", record=path_label(alive[1]), date=alive[0].isoformat())))

    # -- a list as a whole ------------------------------------------------------------------------------------------
    def dose_periods_together(self, periods: list, path: str, out: list[Finding], patient: dict) -> None:
        """Periods never overlap: each is at one dose, one after another (an ongoing one has no end)."""
        spans = []
        for i, doc in enumerate(periods):
            start = _date(doc, "start") if isinstance(doc, dict) else None
            if start is not None:
                end = _date(doc, "end") if doc.get("end") is not None else dt.date.max
                if end is not None and end >= start:
                    spans.append((start, end, i))
        spans.sort()
        for (start, end, i), (later, _, j) in zip(spans, spans[1:], strict=False):
            if later <= end:
                until = "" if end == dt.date.max else end.isoformat()
                out.append(Finding(join(join(path, j), "start"), ERROR, Message(
                    "periods_overlap", index=i, start=start.isoformat(), end=until or Message("ongoing"))))


def _canonical(record_id: str) -> str | None:
    try:
        return canonical_id(record_id)
    except ValueError:  # not a UUID: reported by the field checks (an id) or by `dose_period` (a reference)
        return None


def _adverse_event_ids(patient: dict) -> set[str | None]:
    events = patient.get("adverse_events")
    return {_canonical(e["id"]) for e in events if isinstance(e, dict) and isinstance(e.get("id"), str)} \
        if isinstance(events, list) else set()


def alive_records(patient: dict) -> Iterator[tuple[dt.date, str]]:
    """(date, path) of each record of a patient's document that shows them alive on that date: a procedure, a lab,
    a lenvatinib period's start, a follow-up not saying otherwise."""
    for key, date_key in (("procedures", "date"), ("labs", "date"), ("lenvatinib", "start"), ("follow_ups", "date")):
        rows = patient.get(key)
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            if not isinstance(row, dict) or (key == "follow_ups" and row.get("alive") is False):
                continue
            date = _date(row, date_key)
            if date is not None:
                yield date, f"{key}[{i}].{date_key}"
