"""What the course's rules read (`Logbook.courses`): for every patient, or the ones asked for, only the columns
endpoints, flags and the flow need, one query per table, as the plain records of `tace_log.course.inputs`; never
whole Patient records. A logbook of an older schema (read, never upgraded) reads as having no course yet."""

from __future__ import annotations

import datetime as dt
import gc
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..course.inputs import (
    AdverseEvent,
    DosePeriod,
    FollowUp,
    PatientCourse,
    Procedure,
    Recurrence,
    Screening,
    Withdrawal,
)
from .session import Session
from .signatures import marked_entered_in_error_sql

_date = dt.date.fromisoformat


def _day(value: str | None) -> dt.date | None:
    return None if value is None else _date(value)


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


# table -> (columns, the order its rows are wanted in, what a row becomes); each is read whole for the patients
# asked for. Only procedures are wanted in date order (the first adjuvant one is cycle 1): the other rules take
# the latest or any date, and sorting costs.
_TABLES: dict[str, tuple[str, str, Callable]] = {
    "screenings": ("screen_date, enrolled, enrol_date, not_enrolled_reason", "",
                   lambda r: Screening(_day(r[0]), _flag(r[1]), _day(r[2]), r[3])),
    "procedures": ("date, cycle, intent", "date", lambda r: Procedure(_date(r[0]), r[1], r[2])),
    "follow_ups": ("date, type, result, alive", "", lambda r: FollowUp(_date(r[0]), r[1], r[2], _flag(r[3]))),
    "recurrences": ("first_seen_date, confirmation_date, dsa_first_seen_date", "",
                    lambda r: Recurrence(_date(r[0]), _day(r[1]), _day(r[2]))),
    "deaths": ("date", "", lambda r: _date(r[0])),
    "losses_to_follow_up": ("declared_date", "", lambda r: _date(r[0])),
    "withdrawals": ("date, reason", "", lambda r: Withdrawal(_date(r[0]), r[1])),
    "lenvatinib_periods": ("start, end, intent, end_reason", "",
                           lambda r: DosePeriod(_date(r[0]), _day(r[1]), r[2], r[3])),
    "adverse_events": ("term, ctcae_grade, onset, action_lenvatinib, action_date", "",
                       lambda r: AdverseEvent(r[0], r[1], _date(r[2]), r[3], _day(r[4]))),
}
# A procedure marked entered in error did not take place as recorded: it is no contact and no TACE cycle for
# the rules.
_NOT_ENTERED_IN_ERROR = f"NOT {marked_entered_in_error_sql('procedures.id')}"
_TREATMENT = ("lenvatinib_periods", "adverse_events")  # what only the flags and the flow read
_CHUNK = 500  # patient ids bound per query when some are asked for


class CourseInputs:
    """The course as the derived rules read it (`Logbook.courses`)."""

    def __init__(self, session: Session):
        self._session = session

    @property
    def _db(self) -> sqlite3.Connection:
        return self._session.db

    def read(self, mrns: Iterable[str] | None = None, *, treatment: bool = True) -> list[PatientCourse]:
        """Every patient's course (or the patients with these MRNs), by MRN; `treatment=False` leaves out the
        lenvatinib periods and adverse events (the endpoints do not read them)."""
        with _without_cycle_collection():
            return self._read(mrns, treatment)

    def _read(self, mrns: Iterable[str] | None, treatment: bool) -> list[PatientCourse]:
        stored = self._stored_columns()
        sql = "SELECT id, mrn, arm, resection_date, name FROM patients"
        if mrns is None:
            patients = self._db.execute(sql + " ORDER BY mrn").fetchall()
        else:
            wanted = sorted(set(mrns))
            patients = [row for i in range(0, len(wanted), _CHUNK) for row in self._db.execute(
                sql + f" WHERE mrn IN ({', '.join('?' * len(wanted[i:i + _CHUNK]))})", wanted[i:i + _CHUNK])]
            patients.sort(key=lambda row: row[1])
        ids = [p[0] for p in patients] if mrns is not None else None
        parts = {table: self._rows(table, spec, stored, ids) for table, spec in _TABLES.items()
                 if table in stored and (treatment or table not in _TREATMENT)}
        single = {t: parts.get(t, {}) for t in ("screenings", "recurrences", "deaths", "losses_to_follow_up",
                                                "withdrawals")}
        empty: list = []
        return [PatientCourse(
            mrn=mrn, arm=arm, resection_date=_day(resection),
            screening=_one(single["screenings"], pid), procedures=tuple(parts.get("procedures", {}).get(pid, empty)),
            follow_ups=tuple(parts.get("follow_ups", {}).get(pid, empty)),
            recurrence=_one(single["recurrences"], pid), death_date=_one(single["deaths"], pid),
            lost_date=_one(single["losses_to_follow_up"], pid), withdrawal=_one(single["withdrawals"], pid),
            dose_periods=tuple(parts.get("lenvatinib_periods", {}).get(pid, empty)),
            adverse_events=tuple(parts.get("adverse_events", {}).get(pid, empty)), patient_id=pid, name=name,
        ) for pid, mrn, arm, resection, name in patients]

    def _rows(self, table: str, spec: tuple[str, str, Callable], stored: dict[str, frozenset[str]],
              ids: list[str] | None) -> dict[str, list]:
        columns, order, make = spec
        have = stored[table]
        # a column a later migration added reads as not recorded (procedures.intent before 0007)
        select = ", ".join(c if c in have else f"NULL AS {c}" for c in (c.strip() for c in columns.split(",")))
        sql = f"SELECT patient_id, {select} FROM {table}"
        by_patient: dict[str, list] = defaultdict(list)
        chunks = [None] if ids is None else [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
        kept = [_NOT_ENTERED_IN_ERROR] if table == "procedures" and "addenda" in stored else []
        for chunk in chunks:
            conditions = kept + ([] if chunk is None else [f"patient_id IN ({', '.join('?' * len(chunk))})"])
            where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            ordered = f" ORDER BY patient_id, {order}, rowid" if order else ""
            for row in self._db.execute(sql + where + ordered, chunk or []):
                by_patient[row[0]].append(make(row[1:]))
        return by_patient

    def _stored_columns(self) -> dict[str, frozenset[str]]:
        """The columns of each table read, and of the addenda (a logbook before migration 0002 has none)."""
        found: dict[str, frozenset[str]] = {}
        for table in (*_TABLES, "addenda"):
            columns = frozenset(r[1] for r in self._db.execute(f"PRAGMA table_info({table})"))
            if columns:
                found[table] = columns
        return found


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Hundreds of thousands of small records made at once, none in a cycle: the cyclic collector would walk them
    again and again while they are made (it took most of the time), and has nothing to find."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _one(rows: dict[str, list], patient_id: str):
    found = rows.get(patient_id)
    return found[0] if found else None
